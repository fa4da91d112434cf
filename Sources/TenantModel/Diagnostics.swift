/// A place inside an input file: a JSON path such as `invoices[3].lines[0].unitPrice`,
/// or a line and column for text that could not be parsed at all.
public enum SourceLocation: Sendable, Hashable, CustomStringConvertible {
    case path(JSONPath)
    case lineColumn(line: Int, column: Int)
    case line(Int)
    /// A key of a flat table (a string table's `home.title`), shown as it is.
    case key(String)
    case wholeFile

    public var description: String {
        switch self {
        case .path(let path): return path.description
        case .lineColumn(let line, let column): return "\(line):\(column)"
        case .line(let line): return "\(line)"
        case .key(let key): return key
        case .wholeFile: return "-"
        }
    }
}

/// One problem found in the input, printed as `FILE: LOCATION: MESSAGE`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Comparable {
    public var file: String
    public var location: SourceLocation
    public var message: String

    public init(file: String, location: SourceLocation, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String { "\(file): \(location): \(message)" }

    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        if lhs.file != rhs.file { return lhs.file < rhs.file }
        return false  // keep the order in which one file's problems were found
    }
}

/// Thrown when input is invalid; carries every problem found, not just the first.
public struct InvalidInput: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// A path into a JSON document, rendered the way a reader would type it.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public private(set) var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    public static let root = JSONPath()

    public func appending(_ key: String) -> JSONPath { JSONPath(components + [.key(key)]) }
    public func appending(_ index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }

    public var description: String {
        if components.isEmpty { return "(top level)" }
        var text = ""
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key):
                if Self.isPlainIdentifier(key) {
                    if !text.isEmpty { text += "." }
                    text += key
                } else {
                    text += "[\"" + key.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"]"
                }
            }
        }
        return text
    }

    private static func isPlainIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(48...57).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte) || byte == 95 || byte == 64
        }
    }
}
