import SiteRender

/// A data table as HTML, laid out exactly as cmark-gfm writes a Markdown pipe table (one tag per line, and the
/// `class="align-right"` that `Markdown.classForAlign` puts in place of cmark's `align="right"`), but built
/// with `HTMLBuilder`: every cell's text is escaped, links take only `SiteURL`s.
///
/// Why not a Markdown table in the page template: a table whose row count (or any row's optional part) differs
/// from page to page gives every page its own token Markdown, so each page was a fresh cmark-gfm parse of a
/// hundred rows. As one `TrustedHTML` value the template keeps one shape and is parsed once. Rows that show in
/// several tables (an invoice is in "all", its year and perhaps the last 3 and 6 months) are built once as a
/// `TableRow` and appended to each. `TableHTMLTests` renders the Markdown table this replaces and compares bytes.
struct TableHTML {
    enum Align { case none, right }

    private var b = HTMLBuilder()
    private var hasBody = false

    init(header: [(text: String, align: Align)]) {
        b.open("table")
        b.text("\n")
        b.open("thead")
        b.text("\n")
        b.open("tr")
        b.text("\n")
        for column in header {
            TableRow.openCell(&b, "th", column.align)
            b.text(column.text)
            b.close("th")
            b.text("\n")
        }
        b.close("tr")
        b.text("\n")
        b.close("thead")
        b.text("\n")
    }

    /// Appends a row: `TableRow.html`, kept by the caller when the same row goes into several tables.
    mutating func append(_ row: TrustedHTML) {
        // cmark-gfm writes `<tbody>` only when the table has a row under the header.
        if !hasBody {
            b.open("tbody")
            b.text("\n")
            hasBody = true
        }
        b.append(row)
    }

    var html: TrustedHTML {
        var b = self.b
        if hasBody {
            b.close("tbody")
            b.text("\n")
        }
        b.close("table")
        b.text("\n")
        return b.html
    }
}

/// One `<tr>` of a `TableHTML`, its cells in order.
struct TableRow {
    private var b = HTMLBuilder()

    init() {
        b.open("tr")
        b.text("\n")
    }

    static func openCell(_ b: inout HTMLBuilder, _ element: StaticString, _ align: TableHTML.Align) {
        switch align {
        case .none: b.open(element)
        case .right: b.open(element, [("class", "align-right")])
        }
    }

    private mutating func closeCell() {
        b.close("td")
        b.text("\n")
    }

    /// A cell of text.
    mutating func text(_ text: String, _ align: TableHTML.Align = .none) {
        Self.openCell(&b, "td", align)
        b.text(text)
        closeCell()
    }

    /// A cell of text, in `<strong>` when `strong` (`**{{x}}**` in Markdown).
    mutating func text(_ text: String, strong: Bool) {
        Self.openCell(&b, "td", .none)
        if strong { b.element("strong", text: text) } else { b.text(text) }
        closeCell()
    }

    /// A cell with a link, then optional plain text after it (`[{{number}}]({{url}}) ({{kind}})`).
    mutating func link(_ url: SiteURL, text: String, after: String = "") {
        Self.openCell(&b, "td", .none)
        b.link(url, text: text)
        b.text(after)
        closeCell()
    }

    /// A cell holding markup made by our builders (a status badge).
    mutating func html(_ html: TrustedHTML) {
        Self.openCell(&b, "td", .none)
        b.append(html)
        closeCell()
    }

    /// The row's markup, `<tr>` to `</tr>` and its line end.
    var html: TrustedHTML {
        var b = self.b
        b.close("tr")
        b.text("\n")
        return b.html
    }
}
