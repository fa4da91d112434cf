import CCmarkGFM
import Foundation
import Synchronization

/// A parsed CommonMark + GFM document (cmark-gfm), always in cmark's safe mode: raw HTML becomes a
/// comment and `javascript:`-like link targets are emptied. Unsafe mode is never used.
final class MarkdownDocument {
    private let parser: OpaquePointer
    let root: OpaquePointer

    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    private static let extensionNames = ["table", "strikethrough", "autolink"]

    init(_ markdown: String) {
        _ = Self.registered
        let parser: OpaquePointer = cmark_parser_new(CMARK_OPT_DEFAULT)
        for name in Self.extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var text = markdown
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        self.parser = parser
        root = cmark_parser_finish(parser)
    }

    deinit {
        cmark_node_free(root)
        cmark_parser_free(parser)
    }

    enum NodeKind {
        case text, code, codeBlock, htmlBlock, htmlInline, link, image, heading, paragraph, document, item, other
    }

    struct Node {
        let pointer: OpaquePointer

        var kind: NodeKind {
            switch cmark_node_get_type(pointer) {
            case CMARK_NODE_TEXT: return .text
            case CMARK_NODE_CODE: return .code
            case CMARK_NODE_CODE_BLOCK: return .codeBlock
            case CMARK_NODE_HTML_BLOCK: return .htmlBlock
            case CMARK_NODE_HTML_INLINE: return .htmlInline
            case CMARK_NODE_LINK: return .link
            case CMARK_NODE_IMAGE: return .image
            case CMARK_NODE_HEADING: return .heading
            case CMARK_NODE_PARAGRAPH: return .paragraph
            case CMARK_NODE_ITEM: return .item
            case CMARK_NODE_DOCUMENT: return .document
            default: return .other
            }
        }

        var literal: String? {
            guard let c = cmark_node_get_literal(pointer) else { return nil }
            return String(cString: c)
        }

        /// Whether the literal has the byte 0xEE, the first byte of U+E000…U+EFFF in UTF-8, where slot tokens
        /// live (checked on the C string).
        var literalMayHoldSlot: Bool {
            guard let c = cmark_node_get_literal(pointer) else { return false }
            return strchr(c, 0xEE) != nil
        }

        var url: String? {
            guard let c = cmark_node_get_url(pointer) else { return nil }
            return String(cString: c)
        }

        func setURL(_ url: String) { _ = cmark_node_set_url(pointer, url) }

        func setLiteral(_ text: String) { _ = cmark_node_set_literal(pointer, text) }

        /// A text node put before this node's first child.
        func prependText(_ text: String) {
            guard let node = cmark_node_new(CMARK_NODE_TEXT) else { return }
            _ = cmark_node_set_literal(node, text)
            _ = cmark_node_prepend_child(pointer, node)
        }

        var title: String? {
            guard let c = cmark_node_get_title(pointer) else { return nil }
            return String(cString: c)
        }

        var fenceInfo: String? {
            guard let c = cmark_node_get_fence_info(pointer) else { return nil }
            return String(cString: c)
        }

        var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }
        var startLine: Int { Int(cmark_node_get_start_line(pointer)) }

        var parent: Node? { cmark_node_parent(pointer).map(Node.init) }
        var firstChild: Node? { cmark_node_first_child(pointer).map(Node.init) }
        var next: Node? { cmark_node_next(pointer).map(Node.init) }

        var children: [Node] {
            var result: [Node] = []
            var child = firstChild
            while let c = child {
                result.append(c)
                child = c.next
            }
            return result
        }

        /// The text a reader sees in this node and its descendants (for heading anchors).
        var plainText: String {
            switch kind {
            case .text, .code: return literal ?? ""
            default: return children.map(\.plainText).joined()
            }
        }
    }

    /// Visits every node in document order (each once, on entering).
    func forEachNode(_ body: (Node) -> Void) {
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) {
                body(Node(pointer: node))
            }
        }
    }

    func renderHTML() -> String {
        guard let html = cmark_render_html(root, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(html) }
        return Self.classForAlign(String(cString: html))
    }

    /// cmark-gfm aligns table columns with `align="…"`, which HTML5 made obsolete (the Nu HTML Checker rejects
    /// it), and its other choice, `style="text-align: …"`, is blocked by our Content-Security-Policy. A class
    /// (`align-right`) is neither; the stylesheet aligns it. Data never reaches this HTML (values are filled in
    /// later and escaped), so every `<td align="` here is a tag cmark wrote.
    static func classForAlign(_ html: String) -> String {
        // One pass over the bytes (six whole-document replacements were a large part of compiling a long table), and
        // none for a document without tables.
        let bytes = Array(html.utf8)
        let attribute = Array(" align=\"".utf8)
        guard bytes.indices.contains(where: { i in
            bytes[i] == UInt8(ascii: " ") && bytes[i...].starts(with: attribute)
        }) else { return html }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        let sides: [[UInt8]] = [Array("left\"".utf8), Array("center\"".utf8), Array("right\"".utf8)]
        var i = 0
        while i < bytes.count {
            // `<th align="left"` → `<th class="align-left"` (and td; center, right).
            if bytes[i] == UInt8(ascii: "<"), i + 3 + attribute.count < bytes.count, bytes[i + 1] == UInt8(ascii: "t"),
               bytes[i + 2] == UInt8(ascii: "h") || bytes[i + 2] == UInt8(ascii: "d"),
               bytes[i + 3..<i + 3 + attribute.count].elementsEqual(attribute) {
                let valueStart = i + 3 + attribute.count
                if let side = sides.first(where: { bytes[valueStart...].starts(with: $0) }) {
                    out.append(contentsOf: bytes[i..<i + 3])
                    out.append(contentsOf: " class=\"align-".utf8)
                    out.append(contentsOf: side)
                    i = valueStart + side.count
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
