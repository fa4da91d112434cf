import Synchronization
/// What a view-model hands to a template. Every leaf says what it is, and the kind decides where it may
/// stand and how it is escaped:
/// - `text` (anything that came from a snapshot, and our own words): shown as text, never structure;
/// - `url`: a link built by the site's own link helper, allowed in link destinations only;
/// - `html`: markup built by our Swift code with escaping (charts, badges), never from a snapshot.
public indirect enum TemplateValue: Sendable, Equatable {
    case text(String)
    case url(SiteURL)
    case html(TrustedHTML)
    case bool(Bool)
    case list([TemplateValue])
    case object([String: TemplateValue])
    /// An object whose names are shared by every value of its kind (a table's rows): its values in the names' order.
    /// A template finds a name in it by position, without hashing, which for tables of hundreds of rows matters.
    case record(RowKeys, [TemplateValue])

    /// A name the page has, without a value (an optional that is nil): prints nothing, its section is skipped and its
    /// inverted section shown. Models put it where a value is missing, so that a template's typo can be told apart.
    public static let absent = TemplateValue.list([])

    /// Whether a Mustache section over this value renders (empty text and empty lists do not).
    var isTruthy: Bool {
        switch self {
        case .text(let s): return !s.isEmpty
        case .url(let u): return !u.path.isEmpty
        case .html(let h): return !h.bytes.isEmpty
        case .bool(let b): return b
        case .list(let l): return !l.isEmpty
        case .object, .record: return true
        }
    }
}

/// The names of a kind of record, made once (a `static let`) and shared by all its values.
public final class RowKeys: Sendable, Equatable {
    public let names: [String]
    let position: [String: Int]
    /// Position by the name's number (`NameIDs`), -1 where it has none: names numbered later fall back to `position`.
    let positionById: [Int]

    public init(_ names: [String]) {
        self.names = names
        position = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let ids = names.map(NameIDs.id)
        var byId = [Int](repeating: -1, count: (ids.max() ?? -1) + 1)
        for (offset, id) in ids.enumerated() where byId[id] < 0 { byId[id] = offset }
        positionById = byId
    }

    /// A record of these names; `values` in their order.
    public func record(_ values: [TemplateValue]) -> TemplateValue {
        precondition(values.count == names.count, "a record of \(names.count) names with \(values.count) values")
        return .record(self, values)
    }

    /// The same record as an object (for swift-mustache and tests).
    public func object(_ values: [TemplateValue]) -> [String: TemplateValue] {
        Dictionary(zip(names, values).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
    }

    public static func == (a: RowKeys, b: RowKeys) -> Bool { a === b || a.names == b.names }
}

/// Every name a template or a record uses, numbered once per process.
enum NameIDs {
    private static let table = Mutex<[String: Int]>([:])

    static func id(_ name: String) -> Int {
        table.withLock { table in
            if let id = table[name] { return id }
            let id = table.count
            table[name] = id
            return id
        }
    }
}

/// A link target made by `SiteURL.relative(from:to:)` or a vetted external address.
public struct SiteURL: Sendable, Hashable, Encodable, CustomStringConvertible {
    public let path: String

    /// Only for addresses the site makes itself; snapshot text never becomes a `SiteURL`.
    init(unchecked path: String) { self.path = path }

    /// An external link, accepted only with the `https:` or `mailto:` scheme.
    public static func external(_ address: String) -> SiteURL? {
        let lower = address.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("mailto:"),
              address.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "<" && $0 != ">" && $0 != "\\" })
        else { return nil }
        return SiteURL(unchecked: address)
    }

    public var description: String { path }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(TemplateLeaf.url(self))
    }
}

/// Markup produced by this program's own builders, with every piece of data escaped on the way in.
///
/// Held as UTF-8 bytes: pages are assembled and written as bytes, and making a `String` of markup built from
/// bytes would validate every byte of it again.
public struct TrustedHTML: Sendable, Hashable, Encodable {
    public let bytes: [UInt8]

    /// The markup as text (tests and messages; the pipeline uses `bytes`).
    public var markup: String { String(decoding: bytes, as: UTF8.self) }

    init(unchecked markup: String) { self.bytes = Array(markup.utf8) }

    /// Bytes that are valid UTF-8 by construction (our builders append only whole strings and ASCII).
    init(uncheckedBytes bytes: [UInt8]) { self.bytes = bytes }

    public static let empty = TrustedHTML(unchecked: "")

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(TemplateLeaf.html(self))
    }
}

/// Carries a typed leaf through `Encodable` so that view-models can be plain structs.
/// A model may hold finished values (a table's rows made once per document and listed on several pages).
extension TemplateValue: Encodable {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(TemplateLeaf.value(self))
    }
}

enum TemplateLeaf: Encodable {
    case url(SiteURL)
    case html(TrustedHTML)
    /// A finished value (a table's rows made once and listed on several pages).
    case value(TemplateValue)
    func encode(to encoder: Encoder) throws {}
}

// MARK: - Encoding view-models

/// Turns any `Encodable` view-model into a `TemplateValue` tree. Strings become `.text`, numbers are
/// written as text, `SiteURL` and `TrustedHTML` keep their kind; a nil optional is `.absent` (see `encodeIfPresent`).
public enum TemplateValueEncoder {
    public static func encode<T: Encodable>(_ value: T) throws -> TemplateValue {
        if let leaf = leafValue(value) { return leaf }
        let box = ValueBox()
        try value.encode(to: TreeEncoder(box: box, codingPath: []))
        return box.result ?? .object([:])
    }

    /// The value itself when it is a leaf. Types are compared before any cast: a view-model has thousands of
    /// values, and trying five dynamic casts on each (most are strings or nested structs) was a visible cost.
    fileprivate static func leafValue<T>(_ value: T) -> TemplateValue? {
        if T.self == String.self, let s = value as? String { return .text(s) }
        if T.self == Bool.self, let b = value as? Bool { return .bool(b) }
        if T.self == SiteURL.self, let u = value as? SiteURL { return .url(u) }
        if T.self == TrustedHTML.self, let h = value as? TrustedHTML { return .html(h) }
        if T.self == TemplateValue.self, let v = value as? TemplateValue { return v }
        if T.self == Optional<String>.self || T.self == Optional<SiteURL>.self || T.self == Optional<TrustedHTML>.self {
            // Optionals of leaves come here only through generic paths; unwrap as the casts did.
            switch value as Any {
            case let s as String: return .text(s)
            case let u as SiteURL: return .url(u)
            case let h as TrustedHTML: return .html(h)
            default: return nil
            }
        }
        return nil
    }
}

/// One value being encoded. Members and items are stored finished: a nested struct is encoded completely
/// before its parent's next field (that is how synthesized `Encodable` works), so its value is taken then,
/// not rebuilt from a tree of boxes at the end. Containers asked for with `nestedContainer` (which their
/// owner may still fill later) stay boxes until the parent's value is taken.
private final class ValueBox {
    var value: TemplateValue?
    var members: [String: TemplateValue] = [:]
    var items: [TemplateValue?] = []
    var pendingMembers: [(String, ValueBox)] = []
    var pendingItems: [(Int, ValueBox)] = []
    var isObject = false
    var isList = false

    /// The finished value; nil for a value that encoded nothing (a nil optional through a generic path).
    var result: TemplateValue? {
        if isObject {
            var all = members
            for (key, box) in pendingMembers { if let value = box.result { all[key] = value } }
            return .object(all)
        }
        if isList {
            var all = items
            for (index, box) in pendingItems { all[index] = box.result }
            return .list(all.compactMap { $0 })
        }
        return value
    }
}

/// `codingPath` stays empty: nothing reads it, and growing it for every field was an allocation per value.
private struct TreeEncoder: Encoder {
    let box: ValueBox
    var codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.isObject = true
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        box.isList = true
        return UnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer {
        SingleContainer(box: box, codingPath: codingPath)
    }

    static func encodeValue<T: Encodable>(_ value: T, into box: ValueBox, codingPath: [CodingKey]) throws {
        if let leaf = TemplateValueEncoder.leafValue(value) {
            box.value = leaf
            return
        }
        try value.encode(to: TreeEncoder(box: box, codingPath: codingPath))
    }

    /// `value` encoded on its own: its finished value.
    static func encoded<T: Encodable>(_ value: T) throws -> TemplateValue? {
        if let leaf = TemplateValueEncoder.leafValue(value) { return leaf }
        let box = ValueBox()
        try value.encode(to: TreeEncoder(box: box, codingPath: []))
        return box.result
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ValueBox
    var codingPath: [CodingKey]

    mutating func encodeNil(forKey key: Key) throws {}

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        if let encoded = try TreeEncoder.encoded(value) { box.members[key.stringValue] = encoded }
    }

    // An optional without a value is still a name the page has: it is kept as an empty list, which Mustache treats
    // as nothing (a section over it is skipped, an inverted one shown, a variable prints nothing). A name a template
    // asks for that is absent from the model is then always a typo, and an error (see `MustacheProgram`).
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { set(.list([]), key) }
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { set(.text(value), key) } else { set(.list([]), key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { set(.bool(value), key) } else { set(.list([]), key) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { set(.text(String(value)), key) } else { set(.list([]), key) }
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { set(.text(String(value)), key) } else { set(.list([]), key) }
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.text(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.text(String(value)), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(.text(String(value)), key) }

    private func set(_ value: TemplateValue, _ key: Key) {
        box.members[key.stringValue] = value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = ValueBox()
        box.pendingMembers.append((key.stringValue, child))
        return TreeEncoder(box: child, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let child = ValueBox()
        box.pendingMembers.append((key.stringValue, child))
        return TreeEncoder(box: child, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { TreeEncoder(box: box, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> Encoder { TreeEncoder(box: box, codingPath: codingPath) }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: ValueBox
    var codingPath: [CodingKey]
    var count: Int { box.items.count }

    mutating func encodeNil() throws {}

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.items.append(try TreeEncoder.encoded(value))
    }

    mutating func encode(_ value: String) throws { append(.text(value)) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: Int) throws { append(.text(String(value))) }

    private func append(_ value: TemplateValue) {
        box.items.append(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = ValueBox()
        box.pendingItems.append((box.items.count, child))
        box.items.append(nil)
        return TreeEncoder(box: child, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let child = ValueBox()
        box.pendingItems.append((box.items.count, child))
        box.items.append(nil)
        return TreeEncoder(box: child, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { TreeEncoder(box: box, codingPath: codingPath) }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let box: ValueBox
    var codingPath: [CodingKey]

    mutating func encodeNil() throws {}
    mutating func encode(_ value: Bool) throws { box.value = .bool(value) }
    mutating func encode(_ value: String) throws { box.value = .text(value) }
    mutating func encode(_ value: Int) throws { box.value = .text(String(value)) }
    mutating func encode(_ value: Double) throws { box.value = .text(String(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if let leaf = value as? TemplateLeaf {
            switch leaf {
            case .url(let u): box.value = .url(u)
            case .html(let h): box.value = .html(h)
            case .value(let finished): box.value = finished
            }
            return
        }
        try TreeEncoder.encodeValue(value, into: box, codingPath: codingPath)
    }
}

extension SiteURL {
    /// For the site's own link helper (`SitePath.link(to:)`), which builds paths from checked components.
    public static func internalLink(_ path: String) -> SiteURL { SiteURL(unchecked: path) }
}

extension TrustedHTML {
    /// Markup that is a fixed string in this program's source (never data).
    public init(static markup: StaticString) { self.init(unchecked: markup.description) }
}

extension TrustedHTML {
    /// For the output of `MarkdownTemplate.render`, which is safe by construction.
    public init(unsafeRendered markup: String) { self.init(unchecked: markup) }

    /// The same, as the bytes `MarkdownTemplate.renderHTML` gives.
    public init(unsafeRendered bytes: [UInt8]) { self.init(uncheckedBytes: bytes) }
}
