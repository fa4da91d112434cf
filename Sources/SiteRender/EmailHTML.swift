/// HTML meant to be read in a mailbox, where `<style>` is unreliable (Outlook's Word engine, Gmail's clipping):
/// every element carries its own `style=""`.
public enum EmailHTML {
    /// Adds `style="…"` to each opening tag named in `styles` that has no style of its own.
    ///
    /// Safe on our own markup only (what `MarkdownTemplate` and `HTMLBuilder` produce): there every `<` in
    /// data is escaped, so each `<name` found is a real tag, and no attribute value holds a raw `>`.
    public static func inlineStyles(_ html: TrustedHTML, _ styles: [String: String]) -> TrustedHTML {
        // A short list compared in place: no key to allocate for every tag of the page.
        let attributes: [(name: [UInt8], attribute: [UInt8])] = styles.map { name, style in
            (Array(name.utf8), Array(" style=\"\(HTML.escape(style))\"".utf8))
        }
        let styleMarker = Array(" style=\"".utf8)
        // Over the contiguous bytes, copying the text between tags in one piece: a page is tens of kilobytes.
        let out = html.bytes.withUnsafeBufferPointer { source -> [UInt8] in
            var out: [UInt8] = []
            out.reserveCapacity(source.count + source.count / 4)
            func find(_ byte: UInt8, from start: Int) -> Int? {
                var j = start
                while j < source.count {
                    if source[j] == byte { return j }
                    j += 1
                }
                return nil
            }
            func copy(_ range: Range<Int>) { out.append(contentsOf: UnsafeBufferPointer(rebasing: source[range])) }
            var i = 0
            while i < source.count {
                if source[i] != UInt8(ascii: "<") {
                    let next = find(UInt8(ascii: "<"), from: i) ?? source.count
                    copy(i..<next)
                    i = next
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
                if let attribute = attributes.first(where: { $0.name.count == name.count && $0.name.elementsEqual(name) })?.attribute,
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
            return out
        }
        return TrustedHTML(uncheckedBytes: out)
    }

    private static func contains(_ source: UnsafeBufferPointer<UInt8>, _ range: ClosedRange<Int>, _ needle: [UInt8]) -> Bool {
        var start = range.lowerBound
        while start + needle.count <= range.upperBound + 1 {
            if UnsafeBufferPointer(rebasing: source[start..<(start + needle.count)]).elementsEqual(needle) { return true }
            start += 1
        }
        return false
    }

}
