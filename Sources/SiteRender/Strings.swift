import Foundation
import Synchronization
import TenantModel

/// One language's string table (`templates/strings/<lang>.json`): every word of the interface.
///
/// An entry is a string, or a plural object keyed by CLDR category (`one`, `few`, `many`, `other` for Polish;
/// `one`, `other` for English) whose strings may hold `{n}` for the formatted number. Other placeholders are
/// written `{name}` and filled by the code that asks for the string.
public final class StringTable: Sendable {
    public enum Entry: Sendable, Equatable {
        case text(String)
        case plural([PluralCategory: String])
    }

    public let language: Language
    public let file: String
    public let entries: [String: Entry]
    private let missing = Mutex<Set<String>>([])
    /// The table as a template value: `{{t.nav.home}}` for the key `nav.home`. Plural entries are left out
    /// (they need a number, which only the view-model has).
    public let templateValue: TemplateValue

    public init(language: Language, file: String, entries: [String: Entry]) {
        self.language = language
        self.file = file
        self.entries = entries
        self.templateValue = Self.makeTemplateValue(entries)
    }

    /// Parses a table, reporting every problem with its line:column or key path.
    public static func load(_ bytes: [UInt8], file: String, language: Language) -> Result<StringTable, InvalidInput> {
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            return .failure(InvalidInput([Diagnostic(file: file, location: .lineColumn(line: error.line, column: error.column), message: error.message)]))
        }
        let sink = DiagnosticSink(file: file)
        guard case .object(let members) = root.value else {
            sink.report(.root, "a string table is an object of \"key\": \"text\" pairs")
            return .failure(InvalidInput(sink.diagnostics))
        }
        var entries: [String: Entry] = [:]
        for member in members {
            let path = JSONPath.root.appending(member.key)
            switch member.value.value {
            case .string(let text):
                entries[member.key] = .text(text)
            case .object(let forms):
                var plural: [PluralCategory: String] = [:]
                for form in forms {
                    guard let category = PluralCategory(rawValue: form.key) else {
                        sink.report(path.appending(form.key), "not a plural category; use one, few, many, other")
                        continue
                    }
                    guard case .string(let text) = form.value.value else {
                        sink.report(path.appending(form.key), "expected a string")
                        continue
                    }
                    plural[category] = text
                }
                for category in PluralRules.required(language) where plural[category] == nil {
                    sink.report(path, "the plural entry needs the form \"\(category.rawValue)\" in \(language.rawValue)")
                }
                entries[member.key] = .plural(plural)
            default:
                sink.report(path, "expected a string or a plural object, found \(member.value.kindName)")
            }
        }
        if !sink.diagnostics.isEmpty { return .failure(InvalidInput(sink.diagnostics)) }
        return .success(StringTable(language: language, file: file, entries: entries))
    }

    /// Keys present in one table and not in another: each is a problem of the table that lacks it.
    public static func compareKeys(_ tables: [StringTable]) -> [Diagnostic] {
        let all = tables.reduce(into: Set<String>()) { $0.formUnion($1.entries.keys) }
        var problems: [Diagnostic] = []
        for table in tables {
            for key in all.sorted() where table.entries[key] == nil {
                let others = tables.filter { $0.entries[key] != nil }.map { $0.language.rawValue }.joined(separator: ", ")
                problems.append(Diagnostic(file: table.file, location: .key(key),
                                           message: "the key is missing here but present in \(others)"))
            }
        }
        return problems
    }

    /// The text of a key, with `{name}` placeholders filled from `arguments`.
    public func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
        switch entries[key] {
        case .text(let text):
            return arguments.isEmpty ? text : Self.fill(text, arguments)
        case .plural(let forms):
            return Self.fill(forms[.other] ?? key, arguments)
        case nil:
            missing.withLock { _ = $0.insert(key) }
            return key
        }
    }

    /// The plural form for `count`, with `{n}` set to the count formatted for the language.
    public func plural(_ key: String, _ count: Int, _ arguments: [String: String] = [:]) -> String {
        guard case .plural(let forms) = entries[key] else {
            missing.withLock { _ = $0.insert(key) }
            return key
        }
        let category = PluralRules.category(count, language)
        let form = forms[category] ?? forms[.other] ?? key
        var args = arguments
        args["n"] = LocaleFormat(language).integer(count)
        return Self.fill(form, args)
    }

    /// The text of a key cut at its `{name}` placeholders once, for a sentence filled many times (each line of each
    /// invoice): `phrase(values…)` gives what `text(key, [names[i]: values[i]])` gives, without a dictionary per call.
    public func phrase(_ key: String, _ names: [String]) -> Phrase {
        guard case .text(let text) = entries[key] else {
            missing.withLock { _ = $0.insert(key) }
            return Phrase(parts: [.text(key)])
        }
        var parts: [Phrase.Part] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            if let index = names.firstIndex(of: name) {
                if open > rest.startIndex { parts.append(.text(String(rest[..<open]))) }
                parts.append(.argument(index))
            } else {
                parts.append(.text(String(rest[...close])))
            }
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        return Phrase(parts: parts)
    }

    /// Keys the code asked for that the table does not have (the build reports them and fails).
    public var missingKeys: [String] { missing.withLock { $0.sorted() } }

    static func fill(_ text: String, _ arguments: [String: String]) -> String {
        // Over the contiguous UTF-8 bytes, into one buffer: braces are ASCII, and the String-index walk this
        // replaced cost about 10,000 instructions a call (the plain-text e-mail of each invoice makes dozens).
        var source = text
        let filled = source.withUTF8 { bytes -> [UInt8]? in
            guard var open = bytes.firstIndex(of: UInt8(ascii: "{")) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 64)
            var rest = 0
            while true {
                guard let close = bytes[open...].firstIndex(of: UInt8(ascii: "}")) else { break }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[rest..<open]))
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<close]), as: UTF8.self)
                if let value = arguments[name] {
                    out.append(contentsOf: value.utf8)
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[open...close]))
                }
                rest = close + 1
                guard let next = bytes[rest...].firstIndex(of: UInt8(ascii: "{")) else { break }
                open = next
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[rest...]))
            return out
        }
        guard let filled else { return text }
        return String(decoding: filled, as: UTF8.self)
    }

    private static func makeTemplateValue(_ entries: [String: Entry]) -> TemplateValue {
        var root: [String: Any] = [:]
        for (key, entry) in entries {
            guard case .text(let text) = entry else { continue }
            Self.insert(text, at: key.split(separator: ".").map(String.init)[...], into: &root)
        }
        return Self.value(root)
    }

    private static func insert(_ text: String, at path: ArraySlice<String>, into node: inout [String: Any]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            if node[head] == nil { node[head] = text }
            return
        }
        var child = node[head] as? [String: Any] ?? [:]
        insert(text, at: path.dropFirst(), into: &child)
        node[head] = child
    }

    private static func value(_ node: Any) -> TemplateValue {
        if let text = node as? String { return .text(text) }
        let dictionary = node as? [String: Any] ?? [:]
        return .object(dictionary.mapValues(value))
    }
}

/// A string-table sentence with its placeholders numbered (`StringTable.phrase`).
public struct Phrase: Sendable {
    enum Part: Sendable { case text(String), argument(Int) }
    let parts: [Part]

    public func callAsFunction(_ values: String...) -> String {
        // Into one byte buffer of the right size (a String grown piece by piece reallocates and re-checks).
        var count = 0
        for part in parts {
            switch part {
            case .text(let text): count += text.utf8.count
            case .argument(let index): count += values[index].utf8.count
            }
        }
        return String(unsafeUninitializedCapacity: count) { buffer in
            var n = 0
            func copy(_ text: String) {
                var text = text
                text.withUTF8 { bytes in
                    guard let source = bytes.baseAddress else { return }
                    (buffer.baseAddress! + n).initialize(from: source, count: bytes.count)
                    n += bytes.count
                }
            }
            for part in parts {
                switch part {
                case .text(let text): copy(text)
                case .argument(let index): copy(values[index])
                }
            }
            return n
        }
    }
}
