/// HTML meant to be read in a mailbox, where `<style>` is unreliable (Outlook's Word engine, Gmail's clipping):
/// every element carries its own `style=""`.
public enum EmailHTML {
    /// Adds `style="…"` to each opening tag named in `styles` that has no style of its own.
    ///
    /// Safe on our own markup only (what `MarkdownTemplate` and `HTMLBuilder` produce): there every `<` in
    /// data is escaped, so each `<name` found is a real tag, and no attribute value holds a raw `>`.
    public static func inlineStyles(_ html: TrustedHTML, _ styles: [String: String]) -> TrustedHTML {
        let source = html.markup
        var out = ""
        out.reserveCapacity(source.utf8.count + source.utf8.count / 4)
        var rest = Substring(source)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let tag = rest[open...close]
            let nameEnd = tag.dropFirst().firstIndex(where: { $0 == " " || $0 == ">" || $0 == "/" || $0 == "\n" }) ?? tag.endIndex
            let name = String(tag[tag.index(after: tag.startIndex)..<nameEnd])
            if let style = styles[name], !tag.contains(" style=\"") {
                let selfClosing = tag.hasSuffix("/>")
                let body = selfClosing ? tag.dropLast(2) : tag.dropLast()
                out += body
                out += " style=\""
                HTML.appendEscaped(style, to: &out)
                out += selfClosing ? "\"/>" : "\">"
            } else {
                out += tag
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return TrustedHTML(unchecked: out)
    }
}
