/// Bounds on what cmark-gfm is asked to build from text a user wrote (help articles, page templates), checked on
/// the text before it is parsed. A size cap alone does not bound the work: GFM's table extension pads every row to
/// the header's number of columns, so an 18 KB table of N header columns and N one-cell rows becomes N² cells
/// (57 s and 2.3 GB for N ≈ 3,000), and Debian's cmark-gfm predates the 2023 fixes for deeply nested containers.
/// The counts are upper bounds read from lines, so they never miss a table cmark would build.
public enum MarkdownLimits {
    /// More than any table a help page or template needs (the widest shipped has 6 columns).
    public static let maxTableColumns = 64
    /// Cells of all tables together, counting the padding cmark adds.
    public static let maxTableCells = 50_000
    /// `>` and list markers at the start of one line.
    public static let maxNesting = 32

    public struct Problem: Error, Equatable, Sendable {
        /// 1-based.
        public let line: Int
        public let message: String
    }

    public static func check(_ text: String) -> Problem? {
        var cells = 0
        var previousLine: ArraySlice<UInt8> = []
        var tableColumns = 0      // columns of the table being read, 0 outside a table
        var lineNumber = 0
        var bytes = Array(text.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var start = 0
        for i in bytes.indices where bytes[i] == UInt8(ascii: "\n") {
            lineNumber += 1
            var line = bytes[start..<i]
            start = i + 1
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            let content = stripContainers(line)
            if content.depth > maxNesting {
                return Problem(line: lineNumber, message: "more than \(maxNesting) nested quotes or lists on one line")
            }
            let isBlank = content.rest.allSatisfy { $0 == 0x20 || $0 == 0x09 }
            if isBlank {
                tableColumns = 0
            } else if tableColumns > 0 {
                // A body row: cmark pads it to the header's columns.
                cells += tableColumns
            } else if let columns = delimiterRowColumns(content.rest), !previousLine.isEmpty {
                if columns > maxTableColumns {
                    return Problem(line: lineNumber, message: "a table of \(columns) columns; the limit is \(maxTableColumns)")
                }
                tableColumns = columns
                cells += 2 * columns  // the header and the delimiter row
            }
            if cells > maxTableCells {
                return Problem(line: lineNumber, message: "the tables hold more than \(maxTableCells) cells (rows × columns); split them or shorten them")
            }
            previousLine = isBlank ? [] : content.rest
        }
        return nil
    }

    /// The line without leading spaces, `>` quote markers and list markers, and how many of those it had.
    private static func stripContainers(_ line: ArraySlice<UInt8>) -> (rest: ArraySlice<UInt8>, depth: Int) {
        var rest = line
        var depth = 0
        while let first = rest.first {
            if first == 0x20 || first == 0x09 {
                rest = rest.dropFirst()
            } else if first == UInt8(ascii: ">") {
                depth += 1
                rest = rest.dropFirst()
            } else if (first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "+")),
                      rest.dropFirst().first == 0x20 {
                depth += 1
                rest = rest.dropFirst(2)
            } else {
                break
            }
        }
        return (rest, depth)
    }

    /// Columns of a GFM delimiter row (`| --- | :-: |`, `--- | ---`), or nil when the line is not one.
    private static func delimiterRowColumns(_ line: ArraySlice<UInt8>) -> Int? {
        var pipes = 0, dashes = 0
        for byte in line {
            switch byte {
            case UInt8(ascii: "|"): pipes += 1
            case UInt8(ascii: "-"): dashes += 1
            case UInt8(ascii: ":"), 0x20, 0x09: continue
            default: return nil
            }
        }
        guard dashes > 0, pipes > 0 else { return nil }
        // Segments between pipes; leading and trailing pipes are optional, so this may count one or two more than
        // cmark: an upper bound.
        return pipes + 1
    }
}
