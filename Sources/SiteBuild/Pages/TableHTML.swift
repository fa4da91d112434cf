import SiteRender

/// A data table as HTML, laid out exactly as cmark-gfm writes a Markdown pipe table (one tag per line, and the
/// `class="align-right"` that `Markdown.classForAlign` puts in place of cmark's `align="right"`), but built
/// with `HTMLBuilder`: every cell's text is escaped, links take only `SiteURL`s.
///
/// Why not a Markdown table in the page template: a table whose row count (or any row's optional part) differs
/// from page to page gives every page its own token Markdown, so each page was a fresh cmark-gfm parse of a
/// hundred rows. As one `TrustedHTML` value the template keeps one shape and is parsed once. Rows that show in
/// several tables (an invoice is in "all", its year and perhaps the last 3 and 6 months) are built once as a
/// `TableRow` and appended to each. `TableHTMLTests` renders the Markdown tables this replaces and compares bytes.
struct TableHTML {
    enum Align { case none, right }

    private var b = HTMLBuilder()
    private var hasBody = false

    init(header: [(text: String, align: Align)]) {
        b.append(Tags.tableHead)
        for column in header {
            b.append(column.align == .right ? Tags.thRight : Tags.th)
            b.text(column.text)
            b.append(Tags.thEnd)
        }
        b.append(Tags.tableHeadEnd)
    }

    private mutating func openBody() {
        // cmark-gfm writes `<tbody>` only when the table has a row under the header.
        if !hasBody {
            b.append(Tags.tbody)
            hasBody = true
        }
    }

    /// Appends a row kept as `TableRow.html`, when the same row goes into several tables.
    mutating func append(_ row: TrustedHTML) {
        openBody()
        b.append(row)
    }

    /// Appends a row made by `fill`, written straight into the table.
    mutating func addRow(_ fill: (inout TableRow) -> Void) {
        openBody()
        // The table's builder is swapped into the row and back: one owner at a time, so appending never copies
        // the table so far (copy-on-write would, were the bytes shared).
        var row = TableRow(unstarted: ())
        swap(&row.b, &b)
        row.start()
        fill(&row)
        row.end()
        swap(&row.b, &b)
    }

    var html: TrustedHTML {
        var b = self.b
        if hasBody { b.append(Tags.tbodyEnd) }
        b.append(Tags.tableEnd)
        return b.html
    }

    /// The fixed tags of a table, each made once by `HTMLBuilder` (its `open` builds an attribute list per call,
    /// which a table of a hundred rows of seven cells did seven hundred times).
    enum Tags {
        private static func make(_ build: (inout HTMLBuilder) -> Void) -> TrustedHTML {
            var b = HTMLBuilder()
            build(&b)
            return b.html
        }

        static let tableHead = make {
            $0.open("table"); $0.text("\n"); $0.open("thead"); $0.text("\n"); $0.open("tr"); $0.text("\n")
        }
        static let tableHeadEnd = make { $0.close("tr"); $0.text("\n"); $0.close("thead"); $0.text("\n") }
        static let th = make { $0.open("th") }
        static let thRight = make { $0.open("th", [("class", "align-right")]) }
        static let thEnd = make { $0.close("th"); $0.text("\n") }
        static let tbody = make { $0.open("tbody"); $0.text("\n") }
        static let tbodyEnd = make { $0.close("tbody"); $0.text("\n") }
        static let tableEnd = make { $0.close("table"); $0.text("\n") }
        static let tr = make { $0.open("tr"); $0.text("\n") }
        static let trEnd = make { $0.close("tr"); $0.text("\n") }
        static let td = make { $0.open("td") }
        static let tdRight = make { $0.open("td", [("class", "align-right")]) }
        static let tdEnd = make { $0.close("td"); $0.text("\n") }
    }
}

/// One `<tr>` of a `TableHTML`, its cells in order.
struct TableRow {
    fileprivate var b = HTMLBuilder()
    private typealias Tags = TableHTML.Tags

    /// A row on its own, to keep as `html`.
    init() { start() }

    fileprivate init(unstarted: ()) {}

    fileprivate mutating func start() { b.append(Tags.tr) }

    fileprivate mutating func end() { b.append(Tags.trEnd) }

    private mutating func openCell(_ align: TableHTML.Align) {
        b.append(align == .right ? Tags.tdRight : Tags.td)
    }

    /// A cell of text.
    mutating func text(_ text: String, _ align: TableHTML.Align = .none) {
        openCell(align)
        b.text(text)
        b.append(Tags.tdEnd)
    }

    /// A cell of text, in `<strong>` when `strong` (`**{{x}}**` in Markdown).
    mutating func text(_ text: String, _ align: TableHTML.Align = .none, strong: Bool) {
        openCell(align)
        if strong { b.element("strong", text: text) } else { b.text(text) }
        b.append(Tags.tdEnd)
    }

    /// A cell with a link, then optional plain text after it (`[{{number}}]({{url}}) ({{kind}})`).
    mutating func link(_ url: SiteURL, text: String, after: String = "") {
        openCell(.none)
        b.link(url, text: text)
        b.text(after)
        b.append(Tags.tdEnd)
    }

    /// A cell holding markup made by our builders (a status badge).
    mutating func html(_ html: TrustedHTML) {
        openCell(.none)
        b.append(html)
        b.append(Tags.tdEnd)
    }

    /// A cell holding markup made by our builders, then plain text after it (`{{{badge}}} {{meaning}}`).
    mutating func html(_ html: TrustedHTML, after: String) {
        openCell(.none)
        b.append(html)
        b.text(after)
        b.append(Tags.tdEnd)
    }

    /// Cells made once with `TableRow.cells` and shared by several rows (a document's cells on each of its lines).
    mutating func cells(_ cells: TrustedHTML) { b.append(cells) }

    /// Cells without their row, for `cells(_:)`.
    static func cells(_ fill: (inout TableRow) -> Void) -> TrustedHTML {
        var row = TableRow(unstarted: ())
        fill(&row)
        return row.b.html
    }

    /// The row's markup, `<tr>` to `</tr>` and its line end.
    var html: TrustedHTML {
        var row = self
        row.end()
        return row.b.html
    }
}
