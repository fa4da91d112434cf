import Foundation
import SiteRender
import TenantModel

/// Inline styles of the e-mailable invoice. Outlook's Word engine: tables for layout, padding on cells only,
/// widths on tables and cells, no shorthand it cannot parse; Gmail: no `<style>` needed.
///
/// Each table cell carries the font, size, colour and alignment (Outlook does not pass them from the page
/// into table cells); the elements inside a cell inherit them and carry only what differs. Every style is
/// made once, here, not per cell.
final class InvoiceStyle: Sendable {
    /// Every style the e-mail-safe invoice uses, by name, in `templates/email-styles.json`: `markdown.<tag>` for the
    /// elements the invoice's Markdown template produces, the others for the blocks drawn in code. The elements and
    /// their order are the program's (they must stay e-mail-safe); how they look is the template's.
    static let names = ["markdown.h1", "markdown.h2", "markdown.p", "markdown.a", "markdown.ul", "markdown.li", "markdown.strong",
                        "bold", "noticeTable", "noticeCell", "partiesTable", "partyCell", "partyLabel", "partyId", "datesTable",
                        "dateCell", "dateCellAlone", "dateLabel", "dataTable", "thLeft", "thRight", "tdLeft", "tdRight",
                        "tdRightNowrap", "tdLeftBold", "tdRightNowrapBold", "totalsTable", "totalsSpacer", "totalsColumn",
                        "totalsInner", "totalLabelBig", "totalValueBig", "totalLabel", "totalValue", "totalValueWraps"]

    typealias Tag = EmailHTML.Tag
    let markdownSheet: EmailHTML.StyleSheet
    let tr = Tag("tr"), thead = Tag("thead"), tbody = Tag("tbody"), div = Tag("div")
    let bold: Tag
    let noticeTable: Tag, noticeCell: Tag
    let partiesTable: Tag, partyCell: Tag, partyLabel: Tag, partyId: Tag
    let datesTable: Tag, dateCell: Tag, dateCellAlone: Tag, dateLabel: Tag
    let dataTable: Tag, thLeft: Tag, thRight: Tag, tdLeft: Tag, tdRight: Tag, tdRightNowrap: Tag, tdLeftBold: Tag, tdRightNowrapBold: Tag
    let totalsTable: Tag, totalsSpacer: Tag, totalsColumn: Tag, totalsInner: Tag
    let totalLabelBig: Tag, totalValueBig: Tag, totalLabel: Tag, totalValue: Tag, totalValueWraps: Tag

    /// - Parameter styles: every name of `names`, each a CSS declaration list (escaped into its `style` attribute).
    init(_ styles: [String: String]) {
        func s(_ name: String) -> String { styles[name] ?? "" }
        markdownSheet = EmailHTML.StyleSheet(Dictionary(uniqueKeysWithValues: Self.names.filter { $0.hasPrefix("markdown.") }.map {
            (String($0.dropFirst("markdown.".count)), s($0))
        }))
        // Layout in `style` only: the obsolete width/cellpadding/align/bgcolor attributes would fail the Nu HTML Checker,
        // and the mail clients this page is written for (Outlook's Word engine included) read these properties.
        bold = Tag("div", s("bold"))
        noticeTable = Tag("table", s("noticeTable"), attributes: " role=\"presentation\"")
        noticeCell = Tag("td", s("noticeCell"))
        partiesTable = Tag("table", s("partiesTable"), attributes: " role=\"presentation\"")
        partyCell = Tag("td", s("partyCell"))
        partyLabel = Tag("div", s("partyLabel"))
        partyId = Tag("div", s("partyId"))
        datesTable = Tag("table", s("datesTable"), attributes: " role=\"presentation\"")
        dateCell = Tag("td", s("dateCell"))
        dateCellAlone = Tag("td", s("dateCellAlone"), attributes: " colspan=\"2\"")
        dateLabel = Tag("div", s("dateLabel"))
        dataTable = Tag("table", s("dataTable"))
        thLeft = Tag("th", s("thLeft"), attributes: " scope=\"col\"")
        thRight = Tag("th", s("thRight"), attributes: " scope=\"col\"")
        tdLeft = Tag("td", s("tdLeft"))
        tdRight = Tag("td", s("tdRight"))
        tdRightNowrap = Tag("td", s("tdRightNowrap"))
        tdLeftBold = Tag("td", s("tdLeftBold"))
        tdRightNowrapBold = Tag("td", s("tdRightNowrapBold"))
        totalsTable = Tag("table", s("totalsTable"), attributes: " role=\"presentation\"")
        totalsSpacer = Tag("td", s("totalsSpacer"))
        totalsColumn = Tag("td", s("totalsColumn"))
        totalsInner = Tag("table", s("totalsInner"), attributes: " role=\"presentation\"")
        totalLabelBig = Tag("td", s("totalLabelBig"))
        totalValueBig = Tag("td", s("totalValueBig"))
        totalLabel = Tag("td", s("totalLabel"))
        totalValue = Tag("td", s("totalValue"))
        totalValueWraps = Tag("td", s("totalValueWraps"))
    }

    /// The style sheet file: a JSON object of every name in `names` to its declarations. Problems name the file and
    /// the key: a missing or unknown name, a value that is not a line of CSS declarations.
    static func load(_ bytes: [UInt8], file: String) -> Result<InvoiceStyle, InvalidInput> {
        let node: JSONNode
        do {
            node = try JSONParser.parse(bytes)
        } catch {
            return .failure(InvalidInput([Diagnostic(file: file, location: .wholeFile, message: "not valid JSON: \(error)")]))
        }
        guard case .object(let members) = node.value else {
            return .failure(InvalidInput([Diagnostic(file: file, location: .wholeFile, message: "must be one object of style names to CSS declarations")]))
        }
        var problems: [Diagnostic] = []
        var styles: [String: String] = [:]
        for member in members {
            guard names.contains(member.key) else {
                problems.append(Diagnostic(file: file, location: .key(member.key), message: "not a style the invoice uses; the names are listed in docs/invoices.md"))
                continue
            }
            guard case .string(let css) = member.value.value, css.utf8.count <= 1024,
                  css.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F && $0 != "<" && $0 != ">" && $0 != "\"" && $0 != "\\" }) else {
                problems.append(Diagnostic(file: file, location: .key(member.key), message: "must be a line of CSS declarations (printable ASCII, no quotes or angle brackets)"))
                continue
            }
            styles[member.key] = css
        }
        for name in names where styles[name] == nil && !problems.contains(where: { $0.location == .key(name) }) {
            problems.append(Diagnostic(file: file, location: .key(name), message: "this style is missing"))
        }
        if !problems.isEmpty { return .failure(InvalidInput(problems)) }
        return .success(InvoiceStyle(styles))
    }
}

/// A string of the table with `{name}` placeholders, cut once per language at its placeholders, so that
/// filling it for every invoice line needs no dictionary. Filled like `StringTable.text(_:_:)`: each
/// placeholder is replaced by its value as it is (escaping is the writer's job, as with `lang.t`).
struct Phrase {
    /// Literal text and argument numbers, in order.
    private enum Part { case text(String), argument(Int) }
    private let parts: [Part]
    /// The same with the literal text as UTF-8, for `append(_:to:)` into bytes.
    private enum BytePart { case text([UInt8]), argument(Int) }
    private let byteParts: [BytePart]

    init(_ lang: LanguageContext, _ key: String, _ names: [String]) {
        // Each placeholder is filled with a marker of private-use characters (the string tables hold none; if
        // one did, it would only come out as text), then the text is cut at the markers.
        let markers = names.indices.map { "\u{E000}\($0)\u{E001}" }
        let filled = lang.t(key, Dictionary(uniqueKeysWithValues: zip(names, markers)))
        var parts: [Part] = []
        var rest = Substring(filled)
        while let open = rest.firstIndex(of: "\u{E000}"), let close = rest[open...].firstIndex(of: "\u{E001}"),
              let index = Int(rest[rest.index(after: open)..<close]), index < names.count {
            if open > rest.startIndex { parts.append(.text(String(rest[..<open]))) }
            parts.append(.argument(index))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        self.parts = parts
        byteParts = parts.map { part in
            switch part {
            case .text(let text): .text(Array(text.utf8))
            case .argument(let index): .argument(index)
            }
        }
    }

    func callAsFunction(_ values: String...) -> String {
        var out = ""
        append(values, to: &out)
        return out
    }

    func append(_ values: [String], to out: inout [UInt8]) {
        for part in byteParts {
            switch part {
            case .text(let text): out.append(contentsOf: text)
            case .argument(let index): out.appendUTF8(values[index])
            }
        }
    }

    func append(_ values: [String], to out: inout String) {
        for part in parts {
            switch part {
            case .text(let text): out += text
            case .argument(let index): out += values[index]
            }
        }
    }
}

/// The words of invoice pages and e-mails in one language, looked up once per tenant rather than once per
/// invoice (and per line).
struct InvoiceWords {
    let lang: LanguageContext
    let seller, buyer, nip, vatId, issueDate, saleDate, dueDate, billingPeriod, ksef, total: String
    let lines, vatSummary, corrects, reverseCharge, greeting, vatPLN, status: String
    let totalDue, paid, outstanding, refundDue, refundPaid, refundOutstanding: String
    /// Headings of the lines table and of the VAT summary.
    let lineColumns: [String], summaryColumns: [String]
    let rateNames: [InvoiceLine.VATRate: String]
    let typeNames: [Invoice.DocumentType: String]
    let copyKsef, copyNoKsef, correctsOf, amountsIn, exchange, emailIntro, emailLine, rateLine, subject: Phrase
    let headings: [Invoice.DocumentType: Phrase]
    let otherHeading: Phrase

    init(_ lang: LanguageContext) {
        self.lang = lang
        func t(_ key: String) -> String { lang.t(key) }
        seller = t("invoice.seller"); buyer = t("invoice.buyer"); nip = t("invoice.nip"); vatId = t("invoice.vatId")
        issueDate = t("invoice.issueDate"); saleDate = t("invoice.saleDate"); dueDate = t("invoice.dueDate")
        billingPeriod = t("invoice.billingPeriod"); ksef = t("invoice.ksef"); total = t("invoice.total")
        lines = t("invoice.lines"); vatSummary = t("invoice.vatSummary"); corrects = t("invoice.corrects")
        reverseCharge = t("invoice.reverseCharge"); greeting = t("invoice.email.greeting"); vatPLN = t("invoice.col.vatPLN")
        status = t("invoice.status")
        totalDue = t("invoice.totalDue"); paid = t("invoice.paid"); outstanding = t("invoice.outstanding")
        refundDue = t("invoice.refundDue"); refundPaid = t("invoice.refundPaid"); refundOutstanding = t("invoice.refundOutstanding")
        lineColumns = ["invoice.col.lp", "invoice.col.description", "invoice.col.quantity", "invoice.col.unitPrice",
                       "invoice.col.vatRate", "invoice.col.net", "invoice.col.vat", "invoice.col.gross"].map(t)
        summaryColumns = ["invoice.col.vatRate", "invoice.col.net", "invoice.col.vat", "invoice.col.gross", "invoice.col.vatPLN"].map(t)
        rateNames = Dictionary(uniqueKeysWithValues: [InvoiceLine.VATRate.exempt, .notSubject, .reverseCharge].map { ($0, t("invoice.rate.\($0.code)")) })
        typeNames = Dictionary(uniqueKeysWithValues: [Invoice.DocumentType.invoice, .creditNote, .correction].map { ($0, InvoiceListPages.typeName($0, lang)) })
        copyKsef = Phrase(lang, "invoice.copy.ksef", ["ksef"])
        copyNoKsef = Phrase(lang, "invoice.copy.noKsef", ["seller"])
        correctsOf = Phrase(lang, "invoice.correctsOf", ["date"])
        amountsIn = Phrase(lang, "invoice.amountsIn", ["currency"])
        exchange = Phrase(lang, "invoice.exchange", ["rate", "currency", "date", "source"])
        emailIntro = Phrase(lang, "invoice.email.intro", ["number", "date"])
        emailLine = Phrase(lang, "invoice.email.line", ["quantity", "unit", "price", "rate", "net", "vat", "gross"])
        rateLine = Phrase(lang, "invoice.email.rateLine", ["rate", "net", "vat", "gross"])
        subject = Phrase(lang, "invoice.email.subject", ["type", "number", "seller"])
        headings = Dictionary(uniqueKeysWithValues: [Invoice.DocumentType.invoice, .creditNote, .correction].map {
            ($0, Phrase(lang, "invoice.heading.\($0.rawValue)", ["number"]))
        })
        otherHeading = Phrase(lang, "invoice.heading.other", ["type", "number"])
    }

    func rateName(_ rate: InvoiceLine.VATRate) -> String {
        if case .percent(let p) = rate { return "\(p)%" }
        return rateNames[rate] ?? lang.t("invoice.rate.\(rate.code)")
    }

    /// `NIP.formatted` for the usual ten ASCII digits, cut on bytes (it walks `Character`s); anything else
    /// goes to it.
    static func nip(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.count == 10, utf8.allSatisfy({ $0 < 0x80 }) else { return NIP.formatted(text) }
        var out: [UInt8] = []
        out.reserveCapacity(13)
        for (i, byte) in utf8.enumerated() {
            if i == 3 || i == 6 || i == 8 { out.append(UInt8(ascii: "-")) }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    func typeName(_ type: Invoice.DocumentType) -> String { typeNames[type] ?? InvoiceListPages.typeName(type, lang) }

    func heading(_ invoice: Invoice) -> String {
        if let phrase = headings[invoice.documentType] { return phrase(invoice.id) }
        return otherHeading(invoice.documentType.rawValue, invoice.id)
    }

    /// "Informational copy", and where the legal invoice is.
    func notice(_ invoice: Invoice) -> String {
        invoice.ksefNumber.map { copyKsef($0) } ?? copyNoKsef(invoice.seller.name)
    }
}

/// What an invoice's page and its e-mail both show, computed once per invoice.
struct InvoiceFigures {
    /// Net, VAT and gross per VAT rate (Decimal sums: made once, not for the page and again for the e-mail).
    let rates: [VATRateTotal]
    /// The exchange rate when the document is in a foreign currency and has one.
    let exchange: Invoice.ExchangeRate?
    /// The VAT of each rate in złoty (with `exchange`), and their sum.
    let ratesVATInPLN: [Decimal]
    let totalVATInPLN: Decimal
    let hasReverseCharge: Bool
    let status: String
    /// Each line's figures as the page and the e-mail's text both write them (numbers without the currency,
    /// which a line above the table names): formatted once.
    let lines: [LineFigures]
    /// Net, VAT and gross of each rate, formatted the same way.
    let rateAmounts: [(net: String, vat: String, gross: String)]

    /// "Amounts in PLN.": what the numbers of the lines and the VAT summary are in.
    let amountsIn: String

    /// The document's dates in words (`LocaleFormat.longDate`, `dateRange`), as the page and the e-mail both
    /// write them: the billing period when it has both ends.
    let issueDate: String, saleDate: String?, dueDate: String, billingPeriod: String?

    struct LineFigures {
        var quantity, unitPrice, rate, net, vat, gross: String
    }

    init(_ invoice: Invoice, facts: InvoiceFacts, words: InvoiceWords) {
        let f = words.lang.format
        lines = invoice.lines.map { line in
            LineFigures(quantity: f.quantity(line.quantity), unitPrice: f.decimal(line.unitPrice), rate: words.rateName(line.vatRate),
                        net: f.decimal(line.subtotal), vat: f.decimal(line.taxTotal), gross: f.decimal(line.totalForCustomer))
        }
        amountsIn = words.amountsIn(invoice.currencyCode)
        issueDate = f.longDate(invoice.invoiceDate)
        saleDate = invoice.saleDate.map(f.longDate)
        dueDate = f.longDate(invoice.dueDate)
        if let start = invoice.billingPeriodStartDate, let end = invoice.billingPeriodEndDate {
            billingPeriod = f.dateRange(start, end)
        } else {
            billingPeriod = nil
        }
        let rates = Self.rates(invoice)
        self.rates = rates
        rateAmounts = rates.map { (f.decimal($0.net), f.decimal($0.vat), f.decimal($0.gross)) }
        exchange = invoice.currencyCode == "PLN" ? nil : invoice.exchangeRate
        if let exchange {
            ratesVATInPLN = rates.map { $0.vatInPLN(exchange) }
            var sum: Decimal = 0
            for pln in ratesVATInPLN { sum = sum.plus(pln) }
            totalVATInPLN = sum
        } else {
            ratesVATInPLN = []
            totalVATInPLN = 0
        }
        hasReverseCharge = invoice.lines.contains { $0.vatRate == .reverseCharge }
        status = InvoiceListPages.statusText(invoice, facts, words.lang)
    }

    /// `VATRateTotal.of(invoice)`, with a short cut for the usual document whose lines share one rate: its
    /// net and VAT sums are the document's own (`Invoice` adds up its lines the same way), so only the gross
    /// is added up (Foundation's `Decimal` additions are dear).
    static func rates(_ invoice: Invoice) -> [VATRateTotal] {
        guard let rate = invoice.lines.first?.vatRate, invoice.lines.allSatisfy({ $0.vatRate == rate }) else { return VATRateTotal.of(invoice) }
        var gross: Decimal = 0
        for line in invoice.lines { gross = gross.plus(line.totalForCustomer) }  // integer arithmetic when it can
        return [VATRateTotal(rate: rate, net: invoice.netTotal, vat: invoice.taxTotal, gross: gross)]
    }
}

/// The parts of the invoice that need exact table layout, written with `EmailHTML.Writer` (every value
/// escaped, every style made once in `InvoiceStyle`) and kept as bytes until they are spliced into the page.
enum InvoiceBlocks {

    static func notice(_ invoice: Invoice, _ w: InvoiceWords, _ S: InvoiceStyle, into b: inout EmailHTML.Writer) -> EmailHTML.Block {
        b.open(S.noticeTable)
        b.open(S.tr)
        b.element(S.noticeCell, text: w.notice(invoice))
        b.close(S.tr)
        b.close(S.noticeTable)
        return b.takeBlock()
    }

    /// Seller and buyer side by side: name, address, NIP or VAT ID.
    static func parties(_ invoice: Invoice, _ w: InvoiceWords, _ S: InvoiceStyle, into b: inout EmailHTML.Writer) -> EmailHTML.Block {
        b.open(S.partiesTable)
        b.open(S.tr)
        for (label, party) in [(w.seller, invoice.seller), (w.buyer, invoice.buyer)] {
            b.open(S.partyCell)
            b.element(S.partyLabel, text: label)
            b.element(S.bold, text: party.name)
            for line in party.addressLines { b.element(S.div, text: line) }
            if let nip = party.nip { b.element(S.partyId, text: "\(w.nip): \(InvoiceWords.nip(nip))") }
            if let vatId = party.vatId { b.element(S.partyId, text: "\(w.vatId): \(vatId)") }
            b.close(S.partyCell)
        }
        b.close(S.tr)
        b.close(S.partiesTable)
        return b.takeBlock()
    }

    /// Issue date, sale date, due date, billing period, KSeF number: label above value, two per row.
    static func dates(_ invoice: Invoice, _ figures: InvoiceFigures, _ w: InvoiceWords, _ S: InvoiceStyle, into b: inout EmailHTML.Writer) -> EmailHTML.Block {
        var facts: [(String, String)] = [(w.issueDate, figures.issueDate)]
        if let sale = figures.saleDate { facts.append((w.saleDate, sale)) }
        facts.append((w.dueDate, figures.dueDate))
        if let period = figures.billingPeriod { facts.append((w.billingPeriod, period)) }
        if let ksef = invoice.ksefNumber { facts.append((w.ksef, ksef)) }

        b.open(S.datesTable)
        var index = 0
        while index < facts.count {
            b.open(S.tr)
            let alone = index + 1 == facts.count  // the last fact of an odd count takes the whole row
            for column in 0..<(alone ? 1 : 2) {
                let cell = alone ? S.dateCellAlone : S.dateCell
                let (label, value) = facts[index + column]
                b.open(cell)
                b.element(S.dateLabel, text: label)
                b.element(S.bold, text: value)
                b.close(cell)
            }
            b.close(S.tr)
            index += 2
        }
        b.close(S.datesTable)
        return b.takeBlock()
    }

    /// The lines: Lp., name, quantity with unit, net unit price, VAT rate, net, VAT, gross.
    static func lines(_ invoice: Invoice, _ figures: InvoiceFigures, _ w: InvoiceWords, _ S: InvoiceStyle, into b: inout EmailHTML.Writer) -> EmailHTML.Block {
        b.open(S.dataTable)
        b.open(S.thead)
        b.open(S.tr)
        for (i, heading) in w.lineColumns.enumerated() { b.element(i == 1 ? S.thLeft : S.thRight, text: heading) }
        b.close(S.tr)
        b.close(S.thead)
        b.open(S.tbody)
        for (i, (line, amounts)) in zip(invoice.lines, figures.lines).enumerated() {
            b.open(S.tr)
            b.element(S.tdRight, text: "\(i + 1).")
            b.element(S.tdLeft, text: line.description)
            b.element(S.tdRightNowrap, text: "\(amounts.quantity) \(line.unit)")
            b.element(S.tdRightNowrap, text: amounts.unitPrice)
            b.element(S.tdRight, text: amounts.rate)
            b.element(S.tdRightNowrap, text: amounts.net)
            b.element(S.tdRightNowrap, text: amounts.vat)
            b.element(S.tdRightNowrap, text: amounts.gross)
            b.close(S.tr)
        }
        b.close(S.tbody)
        b.close(S.dataTable)
        return b.takeBlock()
    }

    /// Net, VAT and gross per VAT rate and in total; VAT in złoty too on a foreign-currency document with a rate.
    static func vatSummary(_ invoice: Invoice, _ figures: InvoiceFigures, _ w: InvoiceWords, _ S: InvoiceStyle, into b: inout EmailHTML.Writer) -> EmailHTML.Block {
        let f = w.lang.format
        let inPLN = figures.exchange != nil
        b.open(S.dataTable)
        b.open(S.thead)
        b.open(S.tr)
        for (i, heading) in w.summaryColumns.enumerated() where i < 4 || inPLN {
            b.element(i == 0 ? S.thLeft : S.thRight, text: heading)
        }
        b.close(S.tr)
        b.close(S.thead)
        b.open(S.tbody)
        func row(_ label: String, _ net: String, _ vat: String, _ gross: String, _ vatPLN: Decimal, bold: Bool) {
            b.open(S.tr)
            b.element(bold ? S.tdLeftBold : S.tdLeft, text: label)
            let value = bold ? S.tdRightNowrapBold : S.tdRightNowrap
            b.element(value, text: net)
            b.element(value, text: vat)
            b.element(value, text: gross)
            if inPLN { b.element(value, text: f.money(vatPLN, "PLN")) }
            b.close(S.tr)
        }
        for (i, (rate, amounts)) in zip(figures.rates, figures.rateAmounts).enumerated() {
            row(w.rateName(rate.rate), amounts.net, amounts.vat, amounts.gross, inPLN ? figures.ratesVATInPLN[i] : 0, bold: false)
        }
        row(w.total, f.decimal(invoice.netTotal), f.decimal(invoice.taxTotal), f.decimal(invoice.totalCharges), figures.totalVATInPLN, bold: true)
        b.close(S.tbody)
        b.close(S.dataTable)
        return b.takeBlock()
    }

    /// Total due (or to be refunded), paid, outstanding, due date and status, right-aligned.
    static func totals(_ invoice: Invoice, _ figures: InvoiceFigures, _ w: InvoiceWords, _ S: InvoiceStyle, into b: inout EmailHTML.Writer) -> EmailHTML.Block {
        let f = w.lang.format
        let negative = invoice.totalCharges < 0
        b.open(S.totalsTable)
        b.open(S.tr)
        b.element(S.totalsSpacer, text: "")
        b.open(S.totalsColumn)
        b.open(S.totalsInner)
        func row(_ label: String, _ value: String, _ labelTag: EmailHTML.Tag, _ valueTag: EmailHTML.Tag) {
            b.open(S.tr)
            b.element(labelTag, text: label)
            b.element(valueTag, text: value)
            b.close(S.tr)
        }
        row(negative ? w.refundDue : w.totalDue, f.money(invoice.totalCharges, invoice.currencyCode), S.totalLabelBig, S.totalValueBig)
        row(negative ? w.refundPaid : w.paid, f.money(invoice.paidAmount, invoice.currencyCode), S.totalLabel, S.totalValue)
        row(negative ? w.refundOutstanding : w.outstanding, f.money(invoice.outstanding, invoice.currencyCode), S.totalLabel, S.totalValue)
        row(w.dueDate, figures.dueDate, S.totalLabel, S.totalValue)
        row(w.status, figures.status, S.totalLabel, S.totalValueWraps)
        b.close(S.totalsInner)
        b.close(S.totalsColumn)
        b.close(S.tr)
        b.close(S.totalsTable)
        return b.takeBlock()
    }
}
