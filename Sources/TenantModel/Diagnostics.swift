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

    /// Problems kept for one file; the rest are counted.
    public static let keptPerFile = 1_000
    /// Problems printed for a whole run; the rest are counted.
    public static let printed = 1_000

    /// What a command prints for `diagnostics`: one line each for the first `printed`, then how many more there are.
    public static func printout(_ diagnostics: [Diagnostic]) -> String {
        var text = diagnostics.prefix(printed).map { $0.description + "\n" }.joined()
        if diagnostics.count > printed { text += "… and \(diagnostics.count - printed) more problems\n" }
        return text
    }

    /// One line, safe to print on a terminal: control and bidirectional characters that came from a file (a key,
    /// a file name) are shown as `\u{1B}`, so a snapshot cannot move the cursor, recolour or reorder the report.
    public var description: String { Self.printable("\(file): \(location): \(message)") }

    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: Self.mustEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if Self.mustEscape(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func mustEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || TextLimits.isControl(scalar) || TextLimits.isBidiControl(scalar) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

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

    /// A chain from the last component back to the root: appending shares the parent's chain, so the path of
    /// every element of every array costs one small allocation, not a copy of all its ancestors (decoders make
    /// a path for each value they read and use it only when something is wrong).
    private final class Link: Sendable {
        let parent: Link?
        let component: Component
        init(_ parent: Link?, _ component: Component) {
            self.parent = parent
            self.component = component
        }
    }

    private let last: Link?

    private init(last: Link?) { self.last = last }

    public init(_ components: [Component] = []) {
        self.last = components.reduce(nil as Link?) { Link($0, $1) }
    }

    /// From the root down.
    public var components: [Component] {
        var out: [Component] = []
        var link = last
        while let current = link {
            out.append(current.component)
            link = current.parent
        }
        return out.reversed()
    }

    public static let root = JSONPath()

    public func appending(_ key: String) -> JSONPath { JSONPath(last: Link(last, .key(key))) }
    public func appending(_ index: Int) -> JSONPath { JSONPath(last: Link(last, .index(index))) }

    public static func == (a: JSONPath, b: JSONPath) -> Bool { a.components == b.components }
    public func hash(into hasher: inout Hasher) { hasher.combine(components) }

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
extension Diagnostic: Error {}
