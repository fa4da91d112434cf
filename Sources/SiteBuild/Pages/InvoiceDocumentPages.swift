import Foundation
import SiteRender
import TenantModel

/// `invoices/<number-slug>.html`: one document as a self-contained, e-mailable page (its own wrapper
/// `templates/email-layout.html`, table layout, inline styles, no script, no external anything), and
/// `invoices/<number-slug>.eml`: the same page as a ready e-mail.
///
/// A tenant has hundreds of these, so the work that is the same for all of them is done once per tenant
/// (`InvoiceWords`, `EmailLayout`, the e-mail's addresses) and the work of one document once per document
/// (`InvoiceFigures`: the VAT sums the page and the e-mail both show).
struct InvoiceDocumentPages: TenantPageKind {
    var templateNames: [String] { ["invoice"] }
    static let layoutName = "email-layout"

    struct Reference {
        var number: String
        var url: SiteURL?
        var date: String

        var templateValue: TemplateValue {
            var members: [String: TemplateValue] = ["number": .text(number), "date": .text(date)]
            members["url"] = url.map { .url($0) } ?? .absent
            return .object(members)
        }
    }

    /// What the template `pages/invoice.md` is given: the view-model as a `TemplateValue` made by hand (no
    /// `Encodable` round trip for every document).
    ///
    /// The blocks (`InvoiceBlocks`) stay bytes: the template is given a marker for each, and they are spliced
    /// into its styled output (`EmailHTML.assemble`).
    struct Model {
        var heading: String
        var corrects: Reference?
        var correctedBy: [Reference]
        var amountsIn: String
        var notes: [String]
        var generated: String
        /// notice, parties, dates, lines, VAT summary, totals: in the order of `Block`'s numbers.
        var blocks: [EmailHTML.Block]

        enum Block: Int, CaseIterable { case notice, parties, dates, lines, vatSummary, totals }
        /// The marker of each block, made once.
        private static let markers: [TemplateValue] = Block.allCases.map { .html(EmailHTML.marker($0.rawValue)) }
        static func marker(_ block: Block) -> TemplateValue { markers[block.rawValue] }

        var hasLinks: Bool { corrects?.url != nil || correctedBy.contains { $0.url != nil } }

        /// The same document with its links to other documents as text (for the e-mail).
        var unlinked: Model {
            var copy = self
            copy.corrects?.url = nil
            for i in copy.correctedBy.indices { copy.correctedBy[i].url = nil }
            return copy
        }

        func templateValue(_ strings: TemplateValue) -> TemplateValue {
            var members: [String: TemplateValue] = [
                "notice": Self.marker(.notice), "heading": .text(heading),
                "hasCorrectedBy": .bool(!correctedBy.isEmpty), "correctedBy": .list(correctedBy.map(\.templateValue)),
                "parties": Self.marker(.parties), "dates": Self.marker(.dates), "amountsIn": .text(amountsIn),
                "lines": Self.marker(.lines), "vatSummary": Self.marker(.vatSummary), "notes": .list(notes.map { .text($0) }),
                "totals": Self.marker(.totals), "generated": .text(generated), "t": strings,
            ]
            members["corrects"] = corrects?.templateValue ?? .absent
            return .object(members)
        }
    }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        guard let layout = renderer.templates.otherLayouts[Self.layoutName] else {
            throw TemplateError(file: renderer.templates.folder + "/\(Self.layoutName).html", line: nil, message: "the e-mail layout of invoice pages is missing")
        }
        let lang = tenant.lang
        let facts = tenant.invoiceFacts
        let words = InvoiceWords(lang)
        let generated = lang.t("invoice.generated", ["date": lang.format.dateTime(tenant.snapshot.capturedDateTime)])
        // Every document of a tenant lives in the same folder: one link back, one wrapper for all of them.
        // (The link from the list to itself is the link from any document to the list.)
        let listPath = tenant.invoicesPath()
        let style = renderer.templates.invoiceStyle
        let webLayout = EmailLayout(layout, lang, style: style, back: (
            url: listPath.link(to: listPath), label: lang.t("invoice.back", ["tenant": tenant.snapshot.tenant.displayName])))
        let mailLayout = EmailLayout(layout, lang, style: style, back: nil)
        var email = InvoiceEmail.Composer(tenant: tenant, words: words, generated: generated)
        var shapes = BodyShapes(template: renderer.templates.page("invoice"), strings: lang.strings.templateValue, generated: generated)
        var writer = EmailHTML.Writer()
        for invoice in tenant.snapshot.invoices {
            let path = tenant.invoicePath(invoice.id)
            let figures = InvoiceFigures(invoice, facts: facts, words: words)
            let model = self.model(invoice, figures, facts: facts, words: words, generated: generated, path: path, tenant: tenant, style: style,
                                   writer: &writer)
            let title = model.heading + " · " + invoice.seller.name
            let webBody = try body(model, tenant: tenant, renderer: renderer, shapes: &shapes)
            let web = try webLayout.pageWithBody(title: title, body: webBody, blocks: model.blocks)
            try emit(path, web.bytes)
            // In a mailbox, links to the site's other pages lead nowhere: the e-mail's copy has them as text.
            // Most documents link to no other document, and then the web page's styled body serves the e-mail
            // as it is: the e-mail's HTML is encoded from the mail layout's head, that part of the web page and
            // the layout's end, with no page of its own.
            let html: [ArraySlice<UInt8>]
            if !model.hasLinks, let range = web.body, let parts = mailLayout.parts(title: title, styledBody: web.bytes[range]) {
                html = parts
            } else {
                let mailBody = model.hasLinks ? try body(model.unlinked, tenant: tenant, renderer: renderer) : webBody
                html = [try mailLayout.page(title: title, body: mailBody, blocks: model.blocks)[...]]
            }
            try emit(tenant.invoicePath(invoice.id, extension: "eml"), email.message(invoice, figures, facts: facts, html: html))
        }
    }

    /// The invoice's template rendered with a marker for each block; `EmailLayout.page` styles it and puts
    /// the blocks in (`EmailHTML.assemble`) as it writes the page.
    /// (`PageRenderer.renderBody` without its `Encodable` round trip; timed the same way for `--timings`.)
    func body(_ model: Model, tenant: TenantContext, renderer: PageRenderer) throws -> TrustedHTML {
        let started = renderer.timer == nil ? nil : ContinuousClock.now
        defer { if let started { renderer.timer?.add(template: "invoice", ContinuousClock.now - started) } }
        return try renderer.templates.page("invoice").renderHTML(model.templateValue(tenant.lang.strings.templateValue))
    }

    /// The same, from the tenant's rendered shape when the document has one (`BodyShapes`).
    func body(_ model: Model, tenant: TenantContext, renderer: PageRenderer, shapes: inout BodyShapes) throws -> TrustedHTML {
        let started = renderer.timer == nil ? nil : ContinuousClock.now
        if let html = shapes.body(model) {
            if let started { renderer.timer?.add(template: "invoice", ContinuousClock.now - started) }
            return html
        }
        return try body(model, tenant: tenant, renderer: renderer)
    }

    /// The invoice template rendered once per tenant and shape, with stand-ins where the document's texts go;
    /// a document's body is then the shape with its texts escaped into those places.
    ///
    /// Why this gives the template's own bytes: `MarkdownTemplate` never shows a value to Mustache's branches
    /// or to cmark (each value is a slot token there), and escapes a text into its slot with
    /// `HTML.appendEscaped`. So what a value changes is only the text in its slot, and the stand-in's slot is
    /// the same slot. A shape covers documents that link to no other document (links are rare, and go the
    /// general way) and differ only in the number of notes; a value that is empty (which Mustache could treat
    /// as false) goes the general way too. A stand-in that does not come out exactly once (a template that
    /// drops a value, shows it twice, or puts it in a link) makes that shape go the general way.
    struct BodyShapes {
        private let template: MarkdownTemplate
        private let strings: TemplateValue
        private let generated: String
        /// By number of notes; nil: render those documents in full.
        private var shapes: [Int: Shape?] = [:]

        /// The rendered bytes, cut where the texts go: heading (0), amounts-in line (1), notes (2…).
        struct Shape {
            enum Piece { case html([UInt8]), text(Int) }
            let pieces: [Piece]
        }

        init(template: MarkdownTemplate, strings: TemplateValue, generated: String) {
            self.template = template
            self.strings = strings
            self.generated = generated
        }

        /// A private-use stand-in (the template's slot tokens are U+E000…U+E001; these are not).
        static func standIn(_ index: Int) -> String { "\u{F8F0}tenantsite-text-\(index)\u{F8F1}" }

        /// The document's body from its shape; nil when it has none.
        mutating func body(_ model: Model) -> TrustedHTML? {
            guard model.corrects == nil, model.correctedBy.isEmpty, !model.heading.isEmpty, !model.amountsIn.isEmpty,
                  !model.notes.contains(where: \.isEmpty) else { return nil }
            let shape: Shape?
            if let known = shapes[model.notes.count] {
                shape = known
            } else {
                shape = Self.make(template, strings: strings, generated: generated, notes: model.notes.count, blocks: model.blocks)
                shapes[model.notes.count] = shape
            }
            guard let shape else { return nil }
            let texts = [model.heading, model.amountsIn] + model.notes
            var out: [UInt8] = []
            out.reserveCapacity(2048)
            for piece in shape.pieces {
                switch piece {
                case .html(let bytes): out.append(contentsOf: bytes)
                case .text(let index): HTML.appendEscaped(texts[index], to: &out)
                }
            }
            // Valid UTF-8: the template's own bytes cut at ASCII-delimited stand-ins, and escaped texts.
            return TrustedHTML(unsafeRendered: out)
        }

        /// The template rendered with stand-ins for a document without links and with `notes` notes, cut at
        /// the stand-ins; nil unless each comes out exactly once.
        static func make(_ template: MarkdownTemplate, strings: TemplateValue, generated: String, notes: Int,
                         blocks: [EmailHTML.Block]) -> Shape? {
            let model = Model(heading: standIn(0), corrects: nil, correctedBy: [], amountsIn: standIn(1),
                              notes: (0..<notes).map { standIn(2 + $0) }, generated: generated, blocks: blocks)
            guard let rendered = try? template.renderHTML(model.templateValue(strings)) else { return nil }
            var pieces: [Shape.Piece] = []
            var rest = rendered.bytes[...]
            var seen = Set<Int>()
            let open = Array("\u{F8F0}tenantsite-text-".utf8), close = Array("\u{F8F1}".utf8)
            while let start = rest.firstRange(of: open) {
                guard let end = rest[start.upperBound...].firstRange(of: close),
                      let index = Int(String(decoding: rest[start.upperBound..<end.lowerBound], as: UTF8.self)),
                      index < 2 + notes, seen.insert(index).inserted else { return nil }
                pieces.append(.html(Array(rest[..<start.lowerBound])))
                pieces.append(.text(index))
                rest = rest[end.upperBound...]
            }
            guard seen.count == 2 + notes else { return nil }
            pieces.append(.html(Array(rest)))
            return Shape(pieces: pieces)
        }
    }

    func model(_ invoice: Invoice, _ figures: InvoiceFigures, facts: InvoiceFacts, words: InvoiceWords, generated: String,
               path: SitePath, tenant: TenantContext, style: InvoiceStyle, writer b: inout EmailHTML.Writer) -> Model {
        let f = tenant.format
        func reference(_ id: String) -> Reference {
            guard let other = facts.byId[id] else { return Reference(number: id, url: nil, date: "") }
            return Reference(number: id, url: path.link(to: tenant.invoicePath(id)), date: words.correctsOf(f.longDate(other.invoiceDate)))
        }
        var notes: [String] = []
        if figures.hasReverseCharge { notes.append(words.reverseCharge) }
        if let exchange = invoice.exchangeRate, invoice.currencyCode != "PLN" {
            notes.append(words.exchange(f.quantity(exchange.rate), invoice.currencyCode, f.longDate(exchange.date), exchange.source.map { " (\($0))" } ?? ""))
        }
        return Model(
            heading: words.heading(invoice),
            corrects: invoice.correctedInvoiceId.map(reference),
            correctedBy: (facts.correctedBy[invoice.id] ?? []).map { reference($0.id) },
            amountsIn: figures.amountsIn,
            notes: notes,
            generated: generated,
            blocks: [
                InvoiceBlocks.notice(invoice, words, style, into: &b),
                InvoiceBlocks.parties(invoice, words, style, into: &b),
                InvoiceBlocks.dates(invoice, figures, words, style, into: &b),
                InvoiceBlocks.lines(invoice, figures, words, style, into: &b),
                InvoiceBlocks.vatSummary(invoice, figures, words, style, into: &b),
                InvoiceBlocks.totals(invoice, figures, words, style, into: &b),
            ])
    }
}

/// `templates/email-layout.html` rendered once per tenant and language, cut where the document's title and
/// body go; a page is then the pieces with the title (escaped as the template would escape it) and the body
/// between them.
///
/// The cuts are found by rendering with markers of private-use characters as title and body. If a marker
/// does not come out exactly once (a layout without `{{title}}`, a tenant name holding a marker), every page
/// is rendered in full instead.
struct EmailLayout {
    private let layout: HTMLTemplate
    private let style: InvoiceStyle
    private let base: [String: TemplateValue]
    /// Before the title, between title and body, after the body; nil: render each page in full.
    private let pieces: (before: [UInt8], middle: [UInt8], after: [UInt8])?

    private static let titleMarker = "\u{E000}title\u{E001}", bodyMarker = "\u{E000}body\u{E001}"

    init(_ layout: HTMLTemplate, _ lang: LanguageContext, style: InvoiceStyle, back: (url: SiteURL, label: String)?) {
        self.layout = layout
        self.style = style
        var base: [String: TemplateValue] = ["lang": .text(lang.language.rawValue), "t": lang.strings.templateValue,
                                             "backURL": .absent, "backLabel": .absent]
        if let back {
            base["backURL"] = .url(back.url)
            base["backLabel"] = .text(back.label)
        }
        self.base = base
        var values = base
        values["title"] = .text(Self.titleMarker)
        values["body"] = .html(.rendered(Self.bodyMarker))
        // A template error shows when a page is rendered in full (`pageWithBody`), which names it.
        let rendered = (try? layout.renderBytes(.object(values))) ?? []
        let parts = Self.split(rendered, at: Array(Self.titleMarker.utf8))
        let rest = parts.count == 2 ? Self.split(parts[1], at: Array(Self.bodyMarker.utf8)) : []
        if parts.count == 2, Self.split(parts[0], at: Array(Self.bodyMarker.utf8)).count == 1, rest.count == 2 {
            pieces = (parts[0], rest[0], rest[1])
        } else {
            pieces = nil
        }
    }

    /// `bytes` cut at each occurrence of `marker`.
    private static func split(_ bytes: [UInt8], at marker: [UInt8]) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var start = 0, i = 0
        while i + marker.count <= bytes.count {
            if bytes[i] == marker[0], bytes[i..<(i + marker.count)].elementsEqual(marker) {
                parts.append(Array(bytes[start..<i]))
                i += marker.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(Array(bytes[start...]))
        return parts
    }

    /// A document's page: `body` (the invoice's template rendered with block markers) styled, with `blocks`
    /// in place of the markers, written straight into the page (a page's blocks are copied once).
    func page(title: String, body: TrustedHTML, blocks: [EmailHTML.Block]) throws(TemplateError) -> [UInt8] {
        try pageWithBody(title: title, body: body, blocks: blocks).bytes
    }

    /// The same page, and where the styled body (with its blocks) lies in it; nil when every page is
    /// rendered in full.
    func pageWithBody(title: String, body: TrustedHTML, blocks: [EmailHTML.Block]) throws(TemplateError) -> (bytes: [UInt8], body: Range<Int>?) {
        guard let pieces else {
            var html: [UInt8] = []
            EmailHTML.assemble(body, style.markdownSheet, blocks: blocks, into: &html)
            var values = base
            values["title"] = .text(title)
            values["body"] = .html(TrustedHTML(unsafeRendered: html))
            return (try layout.renderBytes(.object(values)), nil)
        }
        var out: [UInt8] = []
        // Room for the whole page at once (growing it copies the page): the styles inlined on the template's
        // own tags can make its markup several times longer.
        out.reserveCapacity(pieces.before.count + pieces.middle.count + pieces.after.count + title.utf8.count * 6
            + body.bytes.count * 4 + 2048 + blocks.reduce(0) { $0 + $1.count })
        out.append(contentsOf: pieces.before)
        HTML.appendEscaped(title, to: &out)
        out.append(contentsOf: pieces.middle)
        let start = out.count
        EmailHTML.assemble(body, style.markdownSheet, blocks: blocks, into: &out)
        let end = out.count
        out.append(contentsOf: pieces.after)
        return (out, start..<end)
    }

    /// This layout's page around a styled body made for another layout's page (`pageWithBody`, sliced), as
    /// parts for `InvoiceEmail.message`: the head up to the body, the body, the rest. Quoted-printable starts
    /// afresh after each line end, so parts that each end a line (but the last) encode, one after another,
    /// to the bytes of the whole page; nil when they do not, or when every page is rendered in full.
    func parts(title: String, styledBody: ArraySlice<UInt8>) -> [ArraySlice<UInt8>]? {
        guard let pieces, pieces.middle.last == 10, styledBody.last == 10 else { return nil }
        var head: [UInt8] = []
        head.reserveCapacity(pieces.before.count + pieces.middle.count + title.utf8.count * 2)
        head.append(contentsOf: pieces.before)
        HTML.appendEscaped(title, to: &head)
        head.append(contentsOf: pieces.middle)
        return [head[...], styledBody, pieces.after[...]]
    }
}
