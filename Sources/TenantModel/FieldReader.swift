import Foundation

/// Collects problems while a JSON tree is read into typed values, so one pass reports all of them.
public final class DiagnosticSink {
    public let file: String
    /// The first `Diagnostic.keptPerFile` problems; past them only `count` grows, so a broken 15 MB file costs no
    /// more memory in reports than a small one.
    public private(set) var kept: [Diagnostic] = []
    /// Every problem reported, kept or not.
    public private(set) var count = 0
    /// Whether some array element could not be read at all (and was left out).
    public var droppedElements = false

    public init(file: String) { self.file = file }

    /// A problem in another file (a KSeF invoice's XML), said as it is.
    public func add(_ diagnostic: Diagnostic) {
        count += 1
        if kept.count < Diagnostic.keptPerFile { kept.append(diagnostic) }
    }

    public func report(_ path: JSONPath, _ message: String) {
        count += 1
        if kept.count < Diagnostic.keptPerFile { kept.append(Diagnostic(file: file, location: .path(path), message: message)) }
    }

    /// The problems, with one line for those not kept.
    public var diagnostics: [Diagnostic] {
        guard count > kept.count else { return kept }
        return kept + [Diagnostic(file: file, location: .wholeFile, message: "\(count - kept.count) more problems in this file are not listed")]
    }
}

/// Reads the members of one JSON object by name, reporting missing fields, wrong types and unknown keys
/// with their JSON path. Every accessor returns nil on a problem (already reported), so decoding goes on.
public struct ObjectReader {
    public let path: JSONPath
    public let sink: DiagnosticSink
    /// The members in file order (keys are unique: the parser rejects duplicates). Objects are small, so a
    /// linear look beats hashing every key, and "used" is a bit per member.
    private let members: [JSONNode.Member]
    private var usedBits: UInt64 = 0
    private var usedBeyond64: Set<Int> = []
    /// Where the next look starts: decoders read fields in the order files usually have them, so the member
    /// after the last one found is nearly always the one asked for.
    private var cursor = 0

    public init?(_ node: JSONNode, path: JSONPath, sink: DiagnosticSink) {
        guard case .object(let list) = node.value else {
            sink.report(path, "expected an object, found \(node.kindName)")
            return nil
        }
        self.members = list
        self.path = path
        self.sink = sink
    }

    /// The node of a member; nil when absent or JSON `null`. Reports absence when `required`.
    public mutating func node(_ key: String, required: Bool) -> JSONNode? {
        let index = find(key)
        if let index {
            cursor = index + 1
            if index < 64 { usedBits |= 1 << UInt64(index) } else { usedBeyond64.insert(index) }
        }
        guard let index, !isNull(members[index].value) else {
            if required { sink.report(path.appending(key), "required field is missing") }
            return nil
        }
        return members[index].value
    }

    public mutating func string(_ key: String, required: Bool = true, nonEmpty: Bool = true) -> String? {
        guard let node = node(key, required: required) else { return nil }
        guard case .string(let text) = node.value else {
            sink.report(path.appending(key), "expected a string, found \(node.kindName)")
            return nil
        }
        if nonEmpty && text.isEmpty {
            sink.report(path.appending(key), "must not be empty")
            return nil
        }
        return text
    }

    public mutating func bool(_ key: String, required: Bool = true) -> Bool? {
        guard let node = node(key, required: required) else { return nil }
        guard case .bool(let value) = node.value else {
            sink.report(path.appending(key), "expected true or false, found \(node.kindName)")
            return nil
        }
        return value
    }

    public mutating func decimal(_ key: String, required: Bool = true) -> Amount? {
        guard let node = node(key, required: required) else { return nil }
        guard case .number(let text) = node.value else {
            sink.report(path.appending(key), "expected a number, found \(node.kindName)")
            return nil
        }
        // Digits and range both: every sum, product and conversion downstream (totals of a whole snapshot, charts,
        // formatting) is then total, whatever an accepted file holds.
        let value: Amount
        switch Amount.parse(text) {
        case .success(let parsed):
            value = parsed
        case .failure(.tooManyFractionDigits):
            sink.report(path.appending(key), "the number \(text) has more than \(NumberLimits.maxFractionDigits) digits after the point")
            return nil
        case .failure(.tooLarge):
            sink.report(path.appending(key), "the number \(text) is out of range: amounts and quantities must lie between -\(NumberLimits.maxMagnitudeText) and \(NumberLimits.maxMagnitudeText)")
            return nil
        case .failure(.notANumber):
            sink.report(path.appending(key), "the number \(text) cannot be held exactly")
            return nil
        }
        if !NumberLimits.isInRange(value) {
            sink.report(path.appending(key), "the number \(text) is out of range: amounts and quantities must lie between -\(NumberLimits.maxMagnitudeText) and \(NumberLimits.maxMagnitudeText)")
            return nil
        }
        return value
    }

    public mutating func count(_ key: String, required: Bool = true) -> Int? {
        guard let node = node(key, required: required) else { return nil }
        guard case .number(let text) = node.value, let value = Int(text), value >= 0, value <= 100_000_000 else {
            sink.report(path.appending(key), "expected a whole number from 0 to 100000000, found \(describe(node))")
            return nil
        }
        return value
    }

    public mutating func integer(_ key: String, required: Bool = true) -> Int? {
        guard let node = node(key, required: required) else { return nil }
        guard case .number(let text) = node.value, let value = Int(text) else {
            sink.report(path.appending(key), "expected a whole number, found \(describe(node))")
            return nil
        }
        return value
    }

    public mutating func date(_ key: String, required: Bool = true) -> CivilDate? {
        guard let text = string(key, required: required) else { return nil }
        guard let date = CivilDate(iso: text) else {
            sink.report(path.appending(key), "expected a date YYYY-MM-DD, found \"\(preview(text))\"")
            return nil
        }
        return date
    }

    public mutating func timestamp(_ key: String, required: Bool = true) -> Timestamp? {
        guard let text = string(key, required: required) else { return nil }
        guard let value = Timestamp(rfc3339: text) else {
            sink.report(path.appending(key), "expected an RFC 3339 timestamp like 2026-11-20T07:30:00Z, found \"\(preview(text))\"")
            return nil
        }
        return value
    }

    public mutating func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = true) -> E?
    where E.RawValue == String {
        guard let text = string(key, required: required) else { return nil }
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            sink.report(path.appending(key), "\"\(preview(text))\" is not one of \(allowed)")
            return nil
        }
        return value
    }

    public mutating func object(_ key: String, required: Bool = true) -> ObjectReader? {
        guard let node = node(key, required: required) else { return nil }
        return ObjectReader(node, path: path.appending(key), sink: sink)
    }

    /// Decodes each element; elements that fail are reported and left out.
    public mutating func array<T>(_ key: String, required: Bool = true, element: (JSONNode, JSONPath) -> T?) -> [T]? {
        guard let node = node(key, required: required) else { return required ? nil : [] }
        guard case .array(let items) = node.value else {
            sink.report(path.appending(key), "expected an array, found \(node.kindName)")
            return nil
        }
        let base = path.appending(key)
        let values = items.enumerated().compactMap { index, item in element(item, base.appending(index)) }
        if values.count != items.count { sink.droppedElements = true }
        return values
    }

    /// Reports members nobody asked for: a typo in a field name should not pass silently.
    public func rejectUnknownKeys() {
        for (index, member) in members.enumerated() {
            let used = index < 64 ? usedBits & (1 << UInt64(index)) != 0 : usedBeyond64.contains(index)
            if !used { sink.report(path.appending(member.key), "unknown field (see docs/snapshot-format.md)") }
        }
    }

    /// The member's index: from the cursor to the end, then from the start.
    private func find(_ key: String) -> Int? {
        var i = cursor
        while i < members.count {
            if members[i].key == key { return i }
            i += 1
        }
        i = 0
        while i < min(cursor, members.count) {
            if members[i].key == key { return i }
            i += 1
        }
        return nil
    }

    private func isNull(_ node: JSONNode) -> Bool {
        if case .null = node.value { return true }
        return false
    }

    private func describe(_ node: JSONNode) -> String {
        if case .number(let text) = node.value { return text }
        return node.kindName
    }
}

/// Shortens a value quoted in a message so a 100 KB string does not flood the terminal.
func preview(_ text: String, limit: Int = 60) -> String {
    var shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
    shown = String(String.UnicodeScalarView(shown.unicodeScalars.map { $0.value < 0x20 || TextLimits.isControl($0) || TextLimits.isBidiControl($0) ? "?" : $0 }))
    return shown
}

/// The numbers a snapshot may hold. A trillion is far above any real invoice, price or licence count, and small
/// enough that the sum of every amount a 16 MB snapshot can hold stays below 10¹⁸, inside a 64-bit integer and
/// exactly representable wherever a chart turns it into a `Double`.
public enum NumberLimits {
    public static let maxFractionDigits = 10
    /// Exclusive: |value| < 10¹².
    public static let maxMagnitude = Amount(units: Amount.powers[12] * Amount.one)
    public static let maxMagnitudeText = "999999999999.9999999999"

    public static func isInRange(_ value: Amount) -> Bool { value.magnitude < maxMagnitude }
}
