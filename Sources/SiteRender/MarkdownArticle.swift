import CCmarkGFM
import Foundation

/// A Markdown document written by us (a help article's body), rendered by cmark-gfm in safe mode with two
/// additions the plain renderer lacks: an `id` on every `h2`/`h3`, and link destinations chosen by the caller
/// (so `other-article.md` becomes `other-article.html`, relative to the page being written).
///
/// Raw HTML in the source is still dropped and `javascript:`-like links still emptied (safe mode, always).
/// The caller sees every link with its line and column first (`links`), to check them before rendering.
public final class MarkdownArticle {
    public struct Heading: Sendable, Equatable {
        /// 2 or 3.
        public var level: Int
        /// What a reader sees (inline code and emphasis flattened to text).
        public var text: String
        /// Unique within the page, made by the `anchor` function (with `-2`, `-3`… for repeats).
        public var id: String
        /// Line in the Markdown source (1-based).
        public var line: Int
    }

    public struct Link: Sendable, Equatable {
        /// The destination as written (entities and backslash escapes resolved by cmark). Safe mode still
        /// empties a `javascript:`-like destination when rendering, whatever the caller returns for it.
        public var destination: String
        public var isImage: Bool
        /// Position of the link in the Markdown source (1-based).
        public var line: Int
        public var column: Int
    }

    /// Sizes above this are refused by callers: Debian's cmark-gfm lacks the 2023 fixes for slow inputs.
    public static let maxBytes = 256 * 1024

    private let document: MarkdownDocument
    private let linkNodes: [MarkdownDocument.Node]
    public let headings: [Heading]
    public let links: [Link]
    /// Level-1 headings (`# X`) in the body, by line: the page's title comes from elsewhere.
    public let topLevelHeadingLines: [Int]

    /// - Parameters:
    ///   - anchor: turns a heading's text into an id (`Slug.make`); must return `[a-z0-9-]+`.
    ///   - reservedIDs: ids the surrounding page already uses (`main`, the search box…); a heading never gets one.
    public init(_ markdown: String, anchor: (String) -> String, reservedIDs: Set<String> = []) {
        document = MarkdownDocument(markdown)
        var headings: [Heading] = []
        var links: [Link] = []
        var linkNodes: [MarkdownDocument.Node] = []
        var topLevel: [Int] = []
        var taken = reservedIDs
        document.forEachNode { node in
            switch node.kind {
            case .heading:
                let level = node.headingLevel
                if level == 1 { topLevel.append(node.startLine) }
                guard level == 2 || level == 3 else { return }
                let text = node.plainText.trimmingCharacters(in: .whitespaces)
                let base = anchor(text)
                var id = base
                var n = 2
                while taken.contains(id) {
                    id = "\(base)-\(n)"
                    n += 1
                }
                taken.insert(id)
                headings.append(Heading(level: level, text: text, id: id, line: node.startLine))
            case .link, .image:
                linkNodes.append(node)
                links.append(Link(destination: node.url ?? "", isImage: node.kind == .image,
                                  line: node.startLine, column: Int(cmark_node_get_start_column(node.pointer))))
            default:
                break
            }
        }
        self.headings = headings
        self.links = links
        self.linkNodes = linkNodes
        self.topLevelHeadingLines = topLevel
    }

    /// The body as HTML: each link's destination replaced by `destination(link)` (same order as `links`),
    /// and each `h2`/`h3` given its id.
    public func html(destination: (Link) -> String) -> TrustedHTML {
        for (node, link) in zip(linkNodes, links) {
            node.setURL(destination(link))
        }
        let rendered = document.renderHTML()
        return TrustedHTML(unchecked: Self.addHeadingIDs(rendered, ids: headings.map(\.id)))
    }

    /// In safe mode every `<h2>`/`<h3>` in cmark's output is a heading node (text is escaped, raw HTML
    /// omitted), and they come in document order: the n-th such tag is the n-th heading seen by the iterator.
    static func addHeadingIDs(_ html: String, ids: [String]) -> String {
        guard !ids.isEmpty else { return html }
        var out = ""
        out.reserveCapacity(html.utf8.count + ids.count * 24)
        var rest = Substring(html)
        var next = 0
        while next < ids.count, let open = rest.range(of: "<h") {
            let after = rest[open.upperBound...]
            guard let level = after.first, level == "2" || level == "3", after.dropFirst().first == ">" else {
                out += rest[..<open.upperBound]
                rest = after
                continue
            }
            out += rest[..<open.upperBound]
            out.append(level)
            out += " id=\""
            HTML.appendEscaped(ids[next], to: &out)
            out += "\">"
            next += 1
            rest = after.dropFirst(2)
        }
        out += rest
        return out
    }
}
