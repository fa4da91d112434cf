import Foundation
import TenantModel

/// Reads the members of one object of a Microsoft response, tolerant where Microsoft's own documents
/// disagree (numbers written as strings, padded enum values, dates with stray spaces or without a zone)
/// and strict about what the snapshot needs. Unknown members are ignored: Microsoft adds fields often.
/// Every accessor returns nil on a problem, already reported with the file and JSON path.
struct Fields {
    let origin: Origin
    let report: Report
    /// Appended to "required field is missing": how to get a response that has it.
    let hint: String
    private let members: [String: JSONNode]
    let keys: [String]
    let selfNode: JSONNode

    init?(_ node: JSONNode, _ origin: Origin, _ report: Report, hint: String = "", quiet: Bool = false) {
        guard case .object(let list) = node.value else {
            if !quiet { report.error(origin, "expected an object, found \(node.kindName)") }
            return nil
        }
        var members: [String: JSONNode] = [:]
        for member in list { members[member.key] = member.value }
        self.members = members
        self.keys = list.map(\.key)
        self.selfNode = node
        self.origin = origin
        self.report = report
        self.hint = hint
    }

    /// Present and not `null`.
    func has(_ key: String) -> Bool { node(key) != nil }

    /// Present at all, even as `null` (a `$select`ed property that is empty is still "asked for").
    func contains(_ key: String) -> Bool { members[key] != nil }

    func node(_ key: String) -> JSONNode? {
        guard let node = members[key] else { return nil }
        if case .null = node.value { return nil }
        return node
    }

    private func missing(_ key: String, _ required: Bool) -> Bool {
        if required { report.error(origin.appending(key), "required field is missing" + (hint.isEmpty ? "" : " (\(hint))")) }
        return false
    }

    /// A string as written; an empty string counts as absent.
    func string(_ key: String, required: Bool = true) -> String? {
        guard let node = node(key) else { _ = missing(key, required); return nil }
        guard case .string(let text) = node.value else {
            report.error(origin.appending(key), "expected a string, found \(node.kindName)")
            return nil
        }
        if text.trimmingCharacters(in: .whitespaces).isEmpty { _ = missing(key, required); return nil }
        return text
    }

    /// A GUID, lower-cased (Microsoft writes some in upper case).
    func guid(_ key: String, required: Bool = true) -> String? {
        guard let text = string(key, required: required) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard GUID.isValid(trimmed) else {
            report.error(origin.appending(key), "expected a GUID like 3b555118-da6a-4418-894f-7df1e2096870, found \"\(Fields.preview(text))\"")
            return nil
        }
        return trimmed.lowercased()
    }

    /// A number written as a JSON number or as a string holding one (Partner Center does both).
    func decimal(_ key: String, required: Bool = true) -> Amount? {
        guard let node = node(key) else { _ = missing(key, required); return nil }
        let text: String
        switch node.value {
        case .number(let digits): text = digits
        case .string(let written): text = written.trimmingCharacters(in: .whitespaces)
        default:
            report.error(origin.appending(key), "expected a number, found \(node.kindName)")
            return nil
        }
        guard Fields.isJSONNumber(text), case .success(let value) = Amount.parse(text) else {
            report.error(origin.appending(key), "expected a number, found \"\(Fields.preview(text))\"")
            return nil
        }
        return value
    }

    /// A whole number ≥ 0 (`25`, `25.0` or `"25"`).
    func count(_ key: String, required: Bool = true) -> Int? {
        guard let value = decimal(key, required: required) else { return nil }
        guard value >= 0, value <= 100_000_000, value.isWhole else {
            report.error(origin.appending(key), "expected a whole number from 0 to 100000000, found \(value)")
            return nil
        }
        return value.wholeValue
    }

    func bool(_ key: String, required: Bool = true) -> Bool? {
        guard let node = node(key) else { _ = missing(key, required); return nil }
        switch node.value {
        case .bool(let flag): return flag
        case .string(let text):
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true": return true
            case "false": return false
            default: break
            }
        default: break
        }
        report.error(origin.appending(key), "expected true or false, found \(Fields.describe(node))")
        return nil
    }

    /// An RFC 3339 date and time. Tolerated and read unambiguously: stray spaces (`2015-11-25T06: 41: 12Z`,
    /// with a warning) and no zone at all (`2017-05-12T00:00:00`, which Partner Center documents as UTC).
    func timestamp(_ key: String, required: Bool = true) -> Timestamp? {
        guard let text = string(key, required: required) else { return nil }
        switch Fields.readTimestamp(text) {
        case .exact(let value): return value
        case .normalised(let value, let written):
            report.warn(origin.appending(key), "\"\(Fields.preview(text))\" has spaces inside; read as \(written)")
            return value
        case nil:
            report.error(origin.appending(key), "expected a date and time like 2026-11-20T07:30:00Z, found \"\(Fields.preview(text))\"")
            return nil
        }
    }

    /// A calendar date: `YYYY-MM-DD`, or the date part of a date and time as it is written (no zone shift).
    func date(_ key: String, required: Bool = true) -> CivilDate? {
        guard let text = string(key, required: required) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = CivilDate(iso: trimmed) { return date }
        if Fields.readTimestamp(trimmed) != nil, let date = CivilDate(iso: String(trimmed.prefix(10))) { return date }
        report.error(origin.appending(key), "expected a date like 2026-03-05, found \"\(Fields.preview(text))\"")
        return nil
    }

    /// A string from a closed set, matched without regard to case or surrounding spaces; returns the
    /// set's own spelling.
    func oneOf(_ key: String, _ allowed: [String], required: Bool = true) -> String? {
        guard let text = string(key, required: required) else { return nil }
        let wanted = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let match = allowed.first(where: { $0.lowercased() == wanted }) { return match }
        report.error(origin.appending(key), "\"\(Fields.preview(text))\" is not one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))")
        return nil
    }

    func array(_ key: String, required: Bool = true) -> [(node: JSONNode, origin: Origin)]? {
        guard let node = node(key) else { _ = missing(key, required); return nil }
        guard case .array(let items) = node.value else {
            report.error(origin.appending(key), "expected an array, found \(node.kindName)")
            return nil
        }
        let base = origin.appending(key)
        return items.enumerated().map { ($0.element, base.appending($0.offset)) }
    }

    func object(_ key: String, required: Bool = true) -> Fields? {
        guard let node = node(key) else { _ = missing(key, required); return nil }
        return Fields(node, origin.appending(key), report, hint: hint)
    }

    /// A string nested in objects, e.g. `links.self.uri`; nil without a report when any step is absent.
    func path(_ keys: String...) -> String? {
        var current: JSONNode? = node(keys[0])
        for key in keys.dropFirst() {
            guard let node = current, case .object(let members) = node.value else { return nil }
            current = members.first(where: { $0.key == key })?.value
        }
        guard let node = current, case .string(let text) = node.value else { return nil }
        return text
    }

    // MARK: - Helpers shared by the readers

    enum TimestampReading: Equatable {
        case exact(Timestamp)
        case normalised(Timestamp, written: String)
    }

    static func readTimestamp(_ text: String) -> TimestampReading? {
        if let value = Timestamp(rfc3339: text) { return .exact(value) }
        var candidate = text.trimmingCharacters(in: .whitespaces)
        var normalised = false
        if candidate.contains(" ") {
            candidate = candidate.replacingOccurrences(of: " ", with: "")
            normalised = true
        }
        if let value = Timestamp(rfc3339: candidate) {
            return normalised ? .normalised(value, written: candidate) : .exact(value)
        }
        // No zone: Partner Center writes `2017-05-12T00:00:00` and documents its times as UTC.
        if candidate.utf8.count >= 19, !candidate.hasSuffix("Z"), !candidate.dropFirst(19).contains(where: { $0 == "+" || $0 == "-" }),
           let value = Timestamp(rfc3339: candidate + "Z") {
            return normalised ? .normalised(value, written: candidate + "Z") : .exact(value)
        }
        return nil
    }

    /// JSON number syntax (so a string like "0x10" or "1,5" is not read as a number).
    static func isJSONNumber(_ text: String) -> Bool {
        var parser = Array(text.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let b = parser.first, (0x30...0x39).contains(b) { parser.removeFirst(); n += 1 }
            return n
        }
        if parser.first == UInt8(ascii: "-") { parser.removeFirst() }
        guard digits() > 0 else { return false }
        if parser.first == UInt8(ascii: ".") {
            parser.removeFirst()
            guard digits() > 0 else { return false }
        }
        if let e = parser.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            parser.removeFirst()
            if let s = parser.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { parser.removeFirst() }
            guard digits() > 0 else { return false }
        }
        return parser.isEmpty && text.utf8.count <= 64
    }

    static func describe(_ node: JSONNode) -> String {
        switch node.value {
        case .number(let text): return text
        case .string(let text): return "\"\(preview(text))\""
        default: return node.kindName
        }
    }

    /// A value quoted in a message, shortened and without control characters.
    static func preview(_ text: String, limit: Int = 60) -> String {
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return String(String.UnicodeScalarView(shown.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }
}
