/// HTML meant to be read in a mailbox, where `<style>` is unreliable (Outlook's Word engine, Gmail's clipping):
/// every element carries its own `style=""`.
public enum EmailHTML {
    /// Adds `style="…"` to each opening tag named in `styles` that has no style of its own.
    ///
    /// Safe on our own markup only (what `MarkdownTemplate` and `HTMLBuilder` produce): there every `<` in
    /// data is escaped, so each `<name` found is a real tag, and no attribute value holds a raw `>`.
    public static func inlineStyles(_ html: TrustedHTML, _ styles: [String: String]) -> TrustedHTML {
        let source = Array(html.markup.utf8)
        // A short list compared in place: no key to allocate for every tag of the page.
        let attributes: [(name: [UInt8], attribute: [UInt8])] = styles.map { name, style in
            (Array(name.utf8), Array(" style=\"\(HTML.escape(style))\"".utf8))
        }
        let styleMarker = Array(" style=\"".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(source.count + source.count / 4)
        var i = 0
        while i < source.count {
            // Text up to the next tag goes over in one piece.
            if source[i] != UInt8(ascii: "<") {
                let next = source[i...].firstIndex(of: UInt8(ascii: "<")) ?? source.count
                out += source[i..<next]
                i = next
                continue
            }
            guard let close = source[i...].firstIndex(of: UInt8(ascii: ">")) else {
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
            let tag = source[i...close]
            let name = source[(i + 1)..<nameEnd]
            if let attribute = attributes.first(where: { $0.name.count == name.count && $0.name.elementsEqual(name) })?.attribute,
               !contains(tag, styleMarker) {
                let selfClosing = source[close - 1] == UInt8(ascii: "/")
                let bodyEnd = selfClosing ? close - 1 : close
                out += source[i..<bodyEnd]
                out += attribute
                out += source[bodyEnd...close]
            } else {
                out += tag
            }
            i = close + 1
        }
        return TrustedHTML(unchecked: String(decoding: out, as: UTF8.self))
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        var start = haystack.startIndex
        while start + needle.count <= haystack.endIndex {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
            start += 1
        }
        return false
    }
}
