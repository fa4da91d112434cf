/// HTML meant to be read in a mailbox, where `<style>` is unreliable (Outlook's Word engine, Gmail's clipping):
/// every element carries its own `style=""`.
public enum EmailHTML {
    /// The styles of some elements, made once: ` style="…"` as escaped bytes per element name.
    public struct StyleSheet: Sendable {
        fileprivate let rules: [(name: [UInt8], attribute: [UInt8])]

        public init(_ styles: [String: String]) {
            // Sorted by name so the sheet is the same on every run; a short list compared in place, so no
            // key is allocated for every tag of a page.
            rules = styles.sorted { $0.key < $1.key }.map { name, css in (Array(name.utf8), Style(css).attribute) }
        }
    }

    /// Adds `style="…"` to each opening tag named in `styles` that has no style of its own.
    public static func inlineStyles(_ html: TrustedHTML, _ styles: [String: String]) -> TrustedHTML {
        inlineStyles(html, StyleSheet(styles))
    }

    /// The same with a sheet made once.
    ///
    /// Safe on our own markup only (what `MarkdownTemplate`, `HTMLBuilder` and `Writer` produce): there every
    /// `<` in data is escaped, so each `<name` found is a real tag, and no attribute value holds a raw `>`.
    public static func inlineStyles(_ html: TrustedHTML, _ sheet: StyleSheet) -> TrustedHTML {
        let out = html.bytes.withUnsafeBufferPointer { source -> [UInt8] in
            var out: [UInt8] = []
            out.reserveCapacity(source.count + source.count / 4)
            appendStyled(source, sheet, blocks: [], to: &out)
            return out
        }
        // The input was valid UTF-8 and only ASCII was inserted between its tags.
        return TrustedHTML(uncheckedBytes: out)
    }

    /// One pass over `source`, copying the text between tags in one piece; with `blocks`, each block marker
    /// is replaced by its block.
    private static func appendStyled(_ source: UnsafeBufferPointer<UInt8>, _ sheet: StyleSheet, blocks: [Block], to out: inout [UInt8]) {
        let count = source.count
        func find(_ byte: UInt8, from start: Int) -> Int? {
            var j = start
            while j < count {
                if source[j] == byte { return j }
                j += 1
            }
            return nil
        }
        func copy(_ range: Range<Int>) { out.append(contentsOf: UnsafeBufferPointer(rebasing: source[range])) }
        var i = 0
        while i < count {
            if source[i] != UInt8(ascii: "<") {
                let next = find(UInt8(ascii: "<"), from: i) ?? count
                copy(i..<next)
                i = next
                continue
            }
            if !blocks.isEmpty, let (index, end) = blockMarker(source, at: i), index < blocks.count {
                blocks[index].bytes.withUnsafeBufferPointer { out.append(contentsOf: $0) }
                i = end
                continue
            }
            guard let close = find(UInt8(ascii: ">"), from: i) else {
                out.append(source[i])
                i += 1
                continue
            }
            var nameEnd = i + 1
            while nameEnd < close {
                let byte = source[nameEnd]
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\n") { break }
                nameEnd += 1
            }
            let name = UnsafeBufferPointer(rebasing: source[(i + 1)..<nameEnd])
            if let attribute = sheet.rules.first(where: { $0.name.count == name.count && $0.name.elementsEqual(name) })?.attribute,
               !contains(source, i...close, styleMarker) {
                let selfClosing = source[close - 1] == UInt8(ascii: "/")
                let bodyEnd = selfClosing ? close - 1 : close
                copy(i..<bodyEnd)
                out += attribute
                copy(bodyEnd..<(close + 1))
            } else {
                copy(i..<(close + 1))
            }
            i = close + 1
        }
    }

    private static let styleMarker = Array(" style=\"".utf8)

    // MARK: Blocks spliced into a styled template

    /// Markup written by a `Writer`, kept as bytes: a block goes into its page without becoming a `String`
    /// (which would check all its UTF-8 again) and without being scanned for tags to style (it has its styles).
    public struct Block: Sendable {
        fileprivate let bytes: [UInt8]
        public var count: Int { bytes.count }
    }

    private static let markerPrefix = Array("<!--tenantsite-block-".utf8), markerSuffix = Array("-->".utf8)

    /// What a template is given in place of block `index`: an HTML comment. Nothing else can write one: text
    /// in a page is escaped (`<` becomes `&lt;`), and cmark's safe mode replaces a template's own raw HTML
    /// by `<!-- raw HTML omitted -->`.
    public static func marker(_ index: Int) -> TrustedHTML {
        TrustedHTML(uncheckedBytes: markerPrefix + Array(String(index).utf8) + markerSuffix)
    }

    /// The number of the block marker at `position` in `source` and where the marker ends; nil if none is there.
    private static func blockMarker(_ source: UnsafeBufferPointer<UInt8>, at position: Int) -> (index: Int, end: Int)? {
        guard position + markerPrefix.count + 1 + markerSuffix.count <= source.count,
              UnsafeBufferPointer(rebasing: source[position..<(position + markerPrefix.count)]).elementsEqual(markerPrefix) else { return nil }
        var j = position + markerPrefix.count, index = 0
        while j < source.count, j - position < markerPrefix.count + 6, source[j] >= 0x30, source[j] <= 0x39 {
            index = index * 10 + Int(source[j] - 0x30)
            j += 1
        }
        guard j > position + markerPrefix.count, j + markerSuffix.count <= source.count,
              UnsafeBufferPointer(rebasing: source[j..<(j + markerSuffix.count)]).elementsEqual(markerSuffix) else { return nil }
        return (index, j + markerSuffix.count)
    }

    /// A rendered template whose blocks were given as `marker(i)`, with styles inlined on its own elements and
    /// `blocks[i]` in place of each marker, appended to `out`. Only the template's own (short) markup is
    /// scanned; the blocks are copied as they are.
    public static func assemble(_ skeleton: TrustedHTML, _ sheet: StyleSheet, blocks: [Block], into out: inout [UInt8]) {
        skeleton.bytes.withUnsafeBufferPointer { appendStyled($0, sheet, blocks: blocks, to: &out) }
    }

    private static func contains(_ source: UnsafeBufferPointer<UInt8>, _ range: ClosedRange<Int>, _ needle: [UInt8]) -> Bool {
        var start = range.lowerBound
        while start + needle.count <= range.upperBound + 1 {
            if UnsafeBufferPointer(rebasing: source[start..<(start + needle.count)]).elementsEqual(needle) { return true }
            start += 1
        }
        return false
    }

    // MARK: Writing e-mail HTML

    /// A `style` attribute made once from the program's own CSS: ` style="…"`, escaped once, as bytes.
    public struct Style: Sendable {
        fileprivate let attribute: [UInt8]

        public init(_ css: String) {
            attribute = css.isEmpty ? [] : Array(" style=\"\(HTML.escape(css))\"".utf8)
        }
    }

    /// An element with its fixed attributes and style, its opening and closing tags made once as bytes.
    /// Made from constants (never from data) and kept in `static let`s, so the thousand cells of a page
    /// copy two short byte strings each instead of building and escaping the same strings again.
    public struct Tag: Sendable {
        fileprivate let open: [UInt8], close: [UInt8]

        /// - Parameters:
        ///   - attributes: fixed markup such as ` role="presentation"` (with its leading space), written in
        ///     this program's source.
        public init(_ name: StaticString, _ style: String = "", attributes: StaticString = "") {
            let name = String(decoding: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), as: UTF8.self)
            let fixed = String(decoding: UnsafeBufferPointer(start: attributes.utf8Start, count: attributes.utf8CodeUnitCount), as: UTF8.self)
            open = Array("<\(name)\(fixed)".utf8) + Style(style).attribute + [UInt8(ascii: ">")]
            close = Array("</\(name)>".utf8)
        }
    }

    /// Builds e-mail HTML into one byte buffer. Elements are `Tag`s (made from this program's constants),
    /// and every text is escaped by `HTML.escape`'s rules on the way in: nothing a snapshot holds can change
    /// the structure of what this writes.
    public struct Writer {
        private var out: [UInt8] = []

        public init(capacity: Int = 8192) { out.reserveCapacity(capacity) }

        public mutating func open(_ tag: Tag) { append(tag.open) }
        public mutating func close(_ tag: Tag) { append(tag.close) }

        /// Text, escaped.
        public mutating func text(_ text: String) { HTML.appendEscaped(text, to: &out) }

        /// `<tag …>text</tag>`, the text escaped.
        public mutating func element(_ tag: Tag, text: String) {
            append(tag.open)
            self.text(text)
            append(tag.close)
        }

        private mutating func append(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { out.append(contentsOf: $0) }
        }

        /// What was written so far, as bytes; the writer starts again empty (keeping its memory).
        public mutating func takeBlock() -> Block {
            let block = Block(bytes: out)
            out.removeAll(keepingCapacity: true)
            return block
        }
    }
}
