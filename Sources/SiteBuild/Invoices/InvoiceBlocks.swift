import Foundation
import SiteRender
import TenantModel

/// Inline styles of the e-mailable invoice. Outlook's Word engine: tables for layout, padding on cells only,
/// widths on tables and cells, no shorthand it cannot parse; Gmail: no `<style>` needed.
enum InvoiceStyle {
    static let font = "font-family:Arial,Helvetica,sans-serif;"
    static let ink = "#111827", muted = "#4b5563", rule = "#d1d5db", head = "#f3f4f6"

    /// For the elements the Markdown template produces (headings, paragraphs, links, lists).
    static let markdown: [String: String] = [
        "h1": font + "font-size:20px;line-height:26px;font-weight:bold;color:\(ink);margin:4px 0 10px 0;",
        "h2": font + "font-size:14px;line-height:20px;font-weight:bold;color:\(ink);margin:16px 0 6px 0;",
        "p": font + "font-size:13px;line-height:19px;color:\(ink);margin:0 0 8px 0;",
        "a": "color:#1d4ed8;text-decoration:underline;",
        "ul": font + "font-size:13px;line-height:19px;color:\(ink);margin:0 0 8px 0;padding:0 0 0 20px;",
        "li": font + "font-size:13px;line-height:19px;color:\(ink);margin:0;",
        "strong": "font-weight:bold;",
    ]

    // Layout in `style` only: the obsolete width/cellpadding/align/bgcolor attributes would fail the Nu HTML Checker,
    // and the mail clients this page is written for (Outlook's Word engine included) read these properties.
    static let presentation: [(StaticString, String)] = [("role", "presentation")]
    static let dataTable: [(StaticString, String)] = []

    static func table(margin: String = "0 0 12px 0") -> String { "width:100%;border-collapse:collapse;border-spacing:0;margin:\(margin);" }
    static func cell(size: Int = 13, align: String = "left", extra: String = "") -> String {
        font + "font-size:\(size)px;line-height:\(size + 5)px;color:\(ink);text-align:\(align);vertical-align:top;" + extra
    }
    static func th(align: String = "left") -> String {
        switch align {
        case "left": return thLeft
        case "right": return thRight
        default: return makeTH(align)
        }
    }
    static func td(align: String = "left", nowrap: Bool = false) -> String {
        switch (align, nowrap) {
        case ("left", false): return tdLeft
        case ("right", false): return tdRight
        case ("right", true): return tdRightNowrap
        default: return makeTD(align, nowrap)
        }
    }

    // Every cell of every invoice has one of these: made once, not per cell.
    private static let thLeft = makeTH("left"), thRight = makeTH("right")
    private static let tdLeft = makeTD("left", false), tdRight = makeTD("right", false), tdRightNowrap = makeTD("right", true)
    private static func makeTH(_ align: String) -> String {
        cell(size: 11, align: align, extra: "font-weight:bold;color:\(muted);background:\(head);padding:5px 4px;border-bottom:1px solid \(rule);")
    }
    private static func makeTD(_ align: String, _ nowrap: Bool) -> String {
        cell(size: 12, align: align, extra: "padding:5px 4px;border-bottom:1px solid \(rule);" + (nowrap ? "white-space:nowrap;" : ""))
    }
}

/// The parts of the invoice that need exact table layout, built with `HTMLBuilder` (every value escaped).
enum InvoiceBlocks {
    typealias S = InvoiceStyle

    /// "Informational copy", and where the legal invoice is.
    static func notice(_ invoice: Invoice, _ lang: LanguageContext) -> TrustedHTML {
        let text = invoice.ksefNumber.map { lang.t("invoice.copy.ksef", ["ksef": $0]) } ?? lang.t("invoice.copy.noKsef", ["seller": invoice.seller.name])
        var b = HTMLBuilder()
        b.open("table", S.presentation + [("style", S.table(margin: "0 0 14px 0"))])
        b.open("tr")
        b.element("td", [("style", S.cell(size: 12, extra: "background:#fff7e6;border:1px solid #f0b54a;color:#6b3e00;padding:7px 10px;"))], text: text)
        b.close("tr")
        b.close("table")
        return b.html
    }

    /// Seller and buyer side by side: name, address, NIP or VAT ID.
    static func parties(_ invoice: Invoice, _ lang: LanguageContext) -> TrustedHTML {
        var b = HTMLBuilder()
        b.open("table", S.presentation + [("style", S.table(margin: "4px 0 14px 0"))])
        b.open("tr")
        for (label, party) in [(lang.t("invoice.seller"), invoice.seller), (lang.t("invoice.buyer"), invoice.buyer)] {
            b.open("td", [("style", S.cell(extra: "width:50%;padding:0 12px 0 0;"))])
            b.element("div", [("style", S.cell(size: 11, extra: "color:\(S.muted);text-transform:uppercase;letter-spacing:0.5px;padding:0 0 3px 0;"))], text: label)
            b.element("div", [("style", S.cell(extra: "font-weight:bold;"))], text: party.name)
            for line in party.addressLines { b.element("div", [("style", S.cell())], text: line) }
            if let nip = party.nip { b.element("div", [("style", S.cell(extra: "padding:3px 0 0 0;"))], text: "\(lang.t("invoice.nip")): \(NIP.formatted(nip))") }
            if let vatId = party.vatId { b.element("div", [("style", S.cell(extra: "padding:3px 0 0 0;"))], text: "\(lang.t("invoice.vatId")): \(vatId)") }
            b.close("td")
        }
        b.close("tr")
        b.close("table")
        return b.html
    }

    /// Issue date, sale date, due date, billing period, KSeF number: label above value, two per row.
    static func dates(_ invoice: Invoice, _ lang: LanguageContext) -> TrustedHTML {
        let f = lang.format
        var facts: [(String, String)] = [(lang.t("invoice.issueDate"), f.longDate(invoice.invoiceDate))]
        if let sale = invoice.saleDate { facts.append((lang.t("invoice.saleDate"), f.longDate(sale))) }
        facts.append((lang.t("invoice.dueDate"), f.longDate(invoice.dueDate)))
        if let start = invoice.billingPeriodStartDate, let end = invoice.billingPeriodEndDate {
            facts.append((lang.t("invoice.billingPeriod"), f.dateRange(start, end)))
        }
        if let ksef = invoice.ksefNumber { facts.append((lang.t("invoice.ksef"), ksef)) }

        var b = HTMLBuilder()
        b.open("table", S.presentation + [("style", S.table(margin: "0 0 6px 0") + "border-top:1px solid \(S.rule);")])
        var index = 0
        while index < facts.count {
            b.open("tr")
            let alone = index + 1 == facts.count  // the last fact of an odd count takes the whole row
            for column in 0..<(alone ? 1 : 2) {
                let width = alone ? "100%" : "50%"
                b.open("td", (alone ? [("colspan", "2")] : []) +
                       [("style", S.cell(extra: "width:\(width);padding:6px 12px 6px 0;border-bottom:1px solid \(S.rule);"))])
                let (label, value) = facts[index + column]
                b.element("div", [("style", S.cell(size: 11, extra: "color:\(S.muted);"))], text: label)
                b.element("div", [("style", S.cell(extra: "font-weight:bold;"))], text: value)
                b.close("td")
            }
            b.close("tr")
            index += 2
        }
        b.close("table")
        return b.html
    }

    static func rateName(_ rate: InvoiceLine.VATRate, _ lang: LanguageContext) -> String {
        switch rate {
        case .percent(let p): return "\(p)%"
        default: return lang.t("invoice.rate.\(rate.code)")
        }
    }

    /// The lines: Lp., name, quantity with unit, net unit price, VAT rate, net, VAT, gross.
    static func lines(_ invoice: Invoice, _ lang: LanguageContext) -> TrustedHTML {
        let f = lang.format
        var b = HTMLBuilder()
        b.open("table", S.dataTable + [("style", S.table())])
        b.open("thead")
        b.open("tr")
        let columns: [(String, String)] = [
            ("invoice.col.lp", "right"), ("invoice.col.description", "left"), ("invoice.col.quantity", "right"),
            ("invoice.col.unitPrice", "right"), ("invoice.col.vatRate", "right"), ("invoice.col.net", "right"),
            ("invoice.col.vat", "right"), ("invoice.col.gross", "right"),
        ]
        for (key, align) in columns { b.element("th", [("scope", "col"), ("style", S.th(align: align))], text: lang.t(key)) }
        b.close("tr")
        b.close("thead")
        b.open("tbody")
        for (i, line) in invoice.lines.enumerated() {
            b.open("tr")
            b.element("td", [("style", S.td(align: "right"))], text: "\(i + 1).")
            b.element("td", [("style", S.td())], text: line.description)
            b.element("td", [("style", S.td(align: "right", nowrap: true))], text: "\(f.quantity(line.quantity)) \(line.unit)")
            for (text, nowrap) in [(f.decimal(line.unitPrice), true), (rateName(line.vatRate, lang), false), (f.decimal(line.subtotal), true),
                                   (f.decimal(line.taxTotal), true), (f.decimal(line.totalForCustomer), true)] {
                b.element("td", [("style", S.td(align: "right", nowrap: nowrap))], text: text)
            }
            b.close("tr")
        }
        b.close("tbody")
        b.close("table")
        return b.html
    }

    /// Net, VAT and gross per VAT rate and in total; VAT in złoty too on a foreign-currency document with a rate.
    static func vatSummary(_ invoice: Invoice, _ lang: LanguageContext) -> TrustedHTML {
        let f = lang.format
        let rates = VATRateTotal.of(invoice)
        let exchange = invoice.currencyCode == "PLN" ? nil : invoice.exchangeRate
        var b = HTMLBuilder()
        b.open("table", S.dataTable + [("style", S.table())])
        b.open("thead")
        b.open("tr")
        var columns = ["invoice.col.vatRate", "invoice.col.net", "invoice.col.vat", "invoice.col.gross"]
        if exchange != nil { columns.append("invoice.col.vatPLN") }
        for (i, key) in columns.enumerated() {
            let align = i == 0 ? "left" : "right"
            b.element("th", [("scope", "col"), ("style", S.th(align: align))], text: lang.t(key))
        }
        b.close("tr")
        b.close("thead")
        b.open("tbody")
        func row(_ label: String, _ net: Decimal, _ vat: Decimal, _ gross: Decimal, _ vatPLN: Decimal?, bold: Bool) {
            let weight = bold ? "font-weight:bold;" : ""
            b.open("tr")
            b.element("td", [("style", S.td() + weight)], text: label)
            for value in [net, vat, gross] {
                b.element("td", [("style", S.td(align: "right", nowrap: true) + weight)], text: f.decimal(value))
            }
            if exchange != nil {
                b.element("td", [("style", S.td(align: "right", nowrap: true) + weight)], text: vatPLN.map { f.money($0, "PLN") } ?? "")
            }
            b.close("tr")
        }
        var totalPLN: Decimal = 0
        for rate in rates {
            let pln = exchange.map(rate.vatInPLN)
            totalPLN += pln ?? 0
            row(rateName(rate.rate, lang), rate.net, rate.vat, rate.gross, pln, bold: false)
        }
        row(lang.t("invoice.total"), invoice.netTotal, invoice.taxTotal, invoice.totalCharges, totalPLN, bold: true)
        b.close("tbody")
        b.close("table")
        return b.html
    }

    /// Total due (or to be refunded), paid, outstanding, due date and status, right-aligned.
    static func totals(_ invoice: Invoice, facts: InvoiceFacts, _ lang: LanguageContext) -> TrustedHTML {
        let f = lang.format
        let negative = invoice.totalCharges < 0
        // (label, value, the big first line, may wrap)
        let rows: [(String, String, Bool, Bool)] = [
            (lang.t(negative ? "invoice.refundDue" : "invoice.totalDue"), f.money(invoice.totalCharges, invoice.currencyCode), true, false),
            (lang.t(negative ? "invoice.refundPaid" : "invoice.paid"), f.money(invoice.paidAmount, invoice.currencyCode), false, false),
            (lang.t(negative ? "invoice.refundOutstanding" : "invoice.outstanding"), f.money(invoice.outstanding, invoice.currencyCode), false, false),
            (lang.t("invoice.dueDate"), f.longDate(invoice.dueDate), false, false),
            (lang.t("invoice.status"), InvoiceListPages.statusText(invoice, facts, lang), false, true),
        ]
        var b = HTMLBuilder()
        b.open("table", S.presentation + [("style", S.table(margin: "8px 0 14px 0"))])
        b.open("tr")
        b.element("td", [("style", "width:30%;")], text: "")
        b.open("td", [("style", "width:70%;vertical-align:top;")])
        b.open("table", S.presentation + [("style", S.table(margin: "0"))])
        for (label, value, big, wraps) in rows {
            let size = big ? 16 : 13
            let line = big ? "border-top:2px solid \(S.ink);border-bottom:1px solid \(S.rule);" : "border-bottom:1px solid \(S.rule);"
            b.open("tr")
            b.element("td", [("style", S.cell(size: size, extra: "width:50%;padding:5px 8px 5px 0;\(line)" + (big ? "font-weight:bold;" : "color:\(S.muted);")))], text: label)
            b.element("td", [("style", S.cell(size: size, align: "right", extra: "padding:5px 4px 5px 0;font-weight:bold;\(line)" + (wraps ? "" : "white-space:nowrap;")))], text: value)
            b.close("tr")
        }
        b.close("table")
        b.close("td")
        b.close("tr")
        b.close("table")
        return b.html
    }
}
