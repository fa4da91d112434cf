import Foundation
import SiteRender
import TenantModel

/// `invoices/index.html` (all, with the monthly spend chart), `last-3-months.html`, `last-6-months.html`,
/// `<yyyy>.html`, `<from>_<to>.html`, each with its CSV (`all.csv`, `last-3-months.csv`, …).
struct InvoiceListPages: TenantPageKind {
    var templateNames: [String] { ["invoices"] }

    struct Total: Encodable {
        var currency: String
        var count: String
        var net: String
        var vat: String
        var gross: String
        var paid: String
        var outstanding: String
    }

    struct Link: Encodable {
        var label: String
        var url: SiteURL
    }

    /// What `invoices.md` is filled with. `templateValue` builds the template's value directly; it is what
    /// `TemplateValueEncoder` makes of the model (tested), without the encoder's work on each of 110 pages.
    struct Model: Encodable {
        var rangeNav: TrustedHTML
        var rangePeriod: String
        var paymentsAsOf: String
        var hasChart: Bool
        var charts: [TrustedHTML]
        var empty: Bool
        var wider: [Link]
        var count: String
        /// The documents' rows (`tableRow`), each made once per document: see `ListedInvoice`. The template draws the
        /// table: its columns are the template's.
        var documents: [TemplateValue]
        var totals: [Total]
        var csvURL: SiteURL

        var templateValue: TemplateValue {
            .object([
                "rangeNav": .html(rangeNav), "rangePeriod": .text(rangePeriod), "paymentsAsOf": .text(paymentsAsOf),
                "hasChart": .bool(hasChart), "charts": .list(charts.map { .html($0) }), "empty": .bool(empty),
                "wider": .list(wider.map { .object(["label": .text($0.label), "url": .url($0.url)]) }),
                "count": .text(count), "documents": .list(documents),
                "totals": .list(totals.map { t in
                    .object(["currency": .text(t.currency), "count": .text(t.count), "net": .text(t.net), "vat": .text(t.vat),
                             "gross": .text(t.gross), "paid": .text(t.paid), "outstanding": .text(t.outstanding)])
                }),
                "csvURL": .url(csvURL),
            ])
        }
    }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let invoices = tenant.snapshot.invoices
        let facts = tenant.invoiceFacts
        let ranges = InvoiceRange.pages(for: invoices, customRanges: tenant.settings.customRanges)
        // Every list page lives in the same folder, so one link to each document serves them all.
        let listed = ListedInvoice.all(invoices, facts: facts, from: tenant.invoicesPath(), tenant: tenant)
        // Sorted once, newest first; each range keeps that order (filtering a sorted list keeps it sorted).
        let newestFirst = invoices.indices.sorted { InvoiceFacts.newestFirst(invoices[$0], invoices[$1]) }
        let selected = ranges.map { range in
            newestFirst.filter { range.contains(invoices[$0].invoiceDate, asOf: tenant.asOf) }
        }
        let csvHeader = Self.csvHeader(tenant.lang)
        let counts = selected.map(\.count)
        let menu = Self.menu(ranges, counts: counts, tenant: tenant)
        let totals = Self.totals(ranges, selected.map { $0.map { invoices[$0] } })
        for (r, range) in ranges.enumerated() {
            let indices = selected[r]
            let path = tenant.invoicesPath(range.htmlFile)
            let documents = indices.map { invoices[$0] }
            let model = self.model(range, documents, rows: indices.map { listed[$0].row }, totals: totals[r], path: path,
                                   ranges: ranges, counts: counts, menu: menu, tenant: tenant)
            var crumbs = tenant.breadcrumbsToTenant
            if range != .all { crumbs.append((tenant.lang.t("invoices.title"), tenant.invoicesPath())) }
            let meta = tenant.meta(path, title: Self.title(range, tenant.lang), breadcrumbs: crumbs)
            try emit(path, try renderer.render(path, template: "invoices", value: model.templateValue, meta: meta, in: tenant.lang))
            var csv = CSVWriter(language: tenant.lang.language)
            csv.append(encodedRow: csvHeader)
            for index in indices { csv.append(encodedRow: listed[index].csvLine) }
            try emit(tenant.invoicesPath(range.csvFile), csv.bytes)
        }
    }

    // MARK: Words

    static func title(_ range: InvoiceRange, _ lang: LanguageContext) -> String {
        switch range {
        case .all: return lang.t("invoices.title")
        case .lastMonths(let n): return lang.plural("invoices.heading.lastMonths", n)
        case .year(let y): return lang.t("invoices.heading.year", ["year": String(y)])
        case .custom(let r):
            return lang.t("invoices.heading.custom", ["from": lang.format.longDate(r.lowerBound), "to": lang.format.longDate(r.upperBound)])
        }
    }

    /// The short name in the range menu.
    static func label(_ range: InvoiceRange, _ lang: LanguageContext) -> String {
        switch range {
        case .all: return lang.t("invoices.range.all")
        case .lastMonths(let n): return lang.plural("invoices.range.lastMonths", n)
        case .year(let y): return String(y)
        case .custom(let r):
            return lang.t("invoices.range.custom", ["from": lang.format.shortDate(r.lowerBound), "to": lang.format.shortDate(r.upperBound)])
        }
    }

    static func typeName(_ type: Invoice.DocumentType, _ lang: LanguageContext) -> String {
        switch type {
        case .invoice, .creditNote, .correction: return lang.t("invoices.type.\(type.rawValue)")
        default: return type.rawValue  // an unknown type is shown as the snapshot writes it
        }
    }

    static func statusText(_ invoice: Invoice, _ facts: InvoiceFacts, _ lang: LanguageContext) -> String {
        statusText(StatusWords(invoice, facts), lang)
    }

    /// What a document's status words depend on: its status, whether it is a negative document (a credit note
    /// is "settled", not "paid"), and whether part of it is paid. A list has a handful of these, not one per row.
    struct StatusWords: Hashable {
        var status: InvoiceStatus
        var negative: Bool
        var partly: Bool

        init(_ invoice: Invoice, _ facts: InvoiceFacts) {
            status = facts.status(invoice)
            negative = invoice.totalCharges < 0
            partly = facts.isPartlyPaid(invoice)
        }
    }

    static func statusText(_ words: StatusWords, _ lang: LanguageContext) -> String {
        let key = (words.negative ? "invoices.statusNegative." : "invoices.status.") + words.status.rawValue
        let text = lang.t(key)
        return words.partly ? lang.t("invoices.status.partly", ["status": text]) : text
    }

    static func statusBadge(_ invoice: Invoice, _ facts: InvoiceFacts, statusText: String) -> TrustedHTML {
        statusBadge(facts.status(invoice), statusText: statusText)
    }

    static func statusBadge(_ status: InvoiceStatus, statusText: String) -> TrustedHTML {
        var b = HTMLBuilder()
        let tone: String
        switch status {
        case .paid: tone = "badge-ok"
        case .credited: tone = "badge-muted"
        case .unpaid: tone = "badge-warn"
        case .overdue: tone = "badge-bad"
        }
        b.element("span", [("class", "badge \(tone) invoice-status status-\(status.rawValue)")], text: statusText)
        return b.html
    }

    /// `maj 2026` for a whole calendar month, else `1.05.2026 – 14.05.2026`; `—` when the snapshot has none.
    static func billingPeriod(_ invoice: Invoice, _ f: LocaleFormat) -> String {
        guard let start = invoice.billingPeriodStartDate, let end = invoice.billingPeriodEndDate else { return "—" }
        if start.day == 1, start.year == end.year, start.month == end.month, end.day == CivilDate.daysIn(month: end.month, year: end.year) {
            return f.monthHeading(year: start.year, month: start.month)
        }
        return "\(f.shortDate(start)) – \(f.shortDate(end))"
    }

    // MARK: View-model

    /// - Parameters:
    ///   - rows: the documents' table rows (`ListedInvoice.row`), in the order of `documents`.
    ///   - totals: `CurrencyTotal.of(documents)` (see `totals(_:_:)`).
    ///   - menu: `menu(_:counts:tenant:)` of the tenant's lists.
    func model(_ range: InvoiceRange, _ documents: [Invoice], rows: [TemplateValue], totals: [CurrencyTotal], path: SitePath,
               ranges: [InvoiceRange], counts: [Int], menu: [MenuEntry], tenant: TenantContext) -> Model {
        let lang = tenant.lang, f = tenant.format
        let totals = totals.map { t in
            Total(currency: t.currency, count: f.integer(t.count), net: f.money(t.net, t.currency), vat: f.money(t.vat, t.currency),
                  gross: f.money(t.gross, t.currency), paid: f.money(t.paid, t.currency), outstanding: f.money(t.outstanding, t.currency))
        }
        let period: String
        if let dates = range.dates(asOf: tenant.asOf) {
            period = lang.t("invoices.period.range", ["from": f.longDate(dates.lowerBound), "to": f.longDate(dates.upperBound)])
        } else {
            period = lang.t("invoices.period.all")
        }
        let charts = range == .all ? MonthlySpend.of(documents).map { SpendChart.render($0, lang: lang) } : []
        // Only wider ranges that have something to show (and always "all").
        let countOf = Dictionary(zip(ranges, counts), uniquingKeysWith: { a, _ in a })
        let wider = documents.isEmpty
            ? range.widerRanges(among: ranges).filter { $0 == .all || (countOf[$0] ?? 0) > 0 }.map { Link(label: Self.label($0, lang), url: path.link(to: tenant.invoicesPath($0.htmlFile))) }
            : []
        return Model(rangeNav: Self.rangeNav(current: range, menu: menu, lang: lang),
                     rangePeriod: period, paymentsAsOf: lang.t("invoices.period.asOf", ["date": f.longDate(tenant.asOf)]),
                     hasChart: !charts.isEmpty, charts: charts, empty: documents.isEmpty, wider: wider,
                     count: lang.plural("invoices.count", documents.count), documents: rows, totals: totals,
                     csvURL: path.link(to: tenant.invoicesPath(range.csvFile)))
    }

    /// An entry of the range menu: the list's name with its document count, and its link from any list page
    /// (they share a folder). Made once per tenant; the pages differ only in which entry is current.
    struct MenuEntry {
        var range: InvoiceRange
        var label: String
        var url: SiteURL
    }

    static func menu(_ ranges: [InvoiceRange], counts: [Int], tenant: TenantContext) -> [MenuEntry] {
        let from = tenant.invoicesPath()
        return zip(ranges, counts).map { range, count in
            MenuEntry(range: range, label: "\(Self.label(range, tenant.lang)) (\(tenant.format.integer(count)))",
                      url: from.link(to: tenant.invoicesPath(range.htmlFile)))
        }
    }

    /// The range menu: every list of this tenant with its document count; the current one marked.
    static func rangeNav(current: InvoiceRange, menu: [MenuEntry], lang: LanguageContext) -> TrustedHTML {
        var b = HTMLBuilder()
        b.open("nav", [("class", "invoice-ranges"), ("aria-label", lang.t("invoices.ranges"))])
        b.open("ul")
        for entry in menu {
            b.open("li")
            if entry.range == current {
                b.element("span", [("class", "current"), ("aria-current", "page")], text: entry.label)
            } else {
                b.link(entry.url, text: entry.label)
            }
            b.close("li")
        }
        b.close("ul")
        b.close("nav")
        return b.html
    }

    /// `CurrencyTotal.of` each list's documents. Every document is in exactly one year's list, so "all" is the
    /// sum of the years' totals instead of a second pass of `Amount` additions over every document (the sums
    /// are exact, so the order of adding does not change them).
    static func totals(_ ranges: [InvoiceRange], _ documents: [[Invoice]]) -> [[CurrencyTotal]] {
        var totals = zip(ranges, documents).map { range, documents in range == .all ? [] : CurrencyTotal.of(documents) }
        guard let all = ranges.firstIndex(of: .all) else { return totals }
        let years = ranges.indices.filter { if case .year = ranges[$0] { return true } else { return false } }
        let yearCount = years.reduce(0) { $0 + documents[$1].count }
        totals[all] = yearCount == documents[all].count ? CurrencyTotal.combined(years.map { totals[$0] }) : CurrencyTotal.of(documents[all])
        return totals
    }

    // MARK: Table and CSV

    /// A document's row in the lists (`{{#documents}}` in `invoices.md`): number and its link, type, issue date,
    /// billing period, the four amounts, and the status badge.
    /// - Parameter typeName: `typeName(invoice.documentType, lang)`.
    static func tableRow(_ invoice: Invoice, url: SiteURL, typeName: String, status: TrustedHTML, lang: LanguageContext) -> TemplateValue {
        let f = lang.format
        let c = invoice.currencyCode
        return rowKeys.record([
            .text(invoice.id), .url(url), .text(typeName), .text(f.shortDate(invoice.invoiceDate)), .text(f.shortDate(invoice.dueDate)),
            .text(billingPeriod(invoice, f)), .text(f.money(invoice.netTotal, c)), .text(f.money(invoice.taxTotal, c)),
            .text(f.money(invoice.totalCharges, c)), .text(f.money(invoice.paidAmount, c)), .text(f.money(invoice.outstanding, c)),
            .html(status),
        ])
    }

    static let rowKeys = RowKeys(["number", "url", "type", "issued", "due", "period", "net", "vat", "gross", "paid", "outstanding", "status"])

    static let csvColumns = ["number", "type", "issueDate", "saleDate", "dueDate", "periodStart", "periodEnd", "currency", "net", "vat",
                             "gross", "paid", "outstanding", "status", "corrects", "ksef"]

    static func csvHeader(_ lang: LanguageContext) -> [UInt8] {
        CSVWriter(language: lang.language).encodedRow(csvColumns.map { .text(lang.t("invoices.csvColumn.\($0)")) })
    }

    /// A document's CSV line: the columns of the page plus the dates and ids an accountant needs.
    static func csvLine(_ invoice: Invoice, typeName: String, statusText: String, lang: LanguageContext) -> [UInt8] {
        CSVWriter(language: lang.language).encodedRow([
            .text(invoice.id), .text(typeName), .date(invoice.invoiceDate), .date(invoice.saleDate),
            .date(invoice.dueDate), .date(invoice.billingPeriodStartDate), .date(invoice.billingPeriodEndDate),
            .text(invoice.currencyCode), .amount(invoice.netTotal), .amount(invoice.taxTotal), .amount(invoice.totalCharges),
            .amount(invoice.paidAmount), .amount(invoice.outstanding), .text(statusText),
            .text(invoice.correctedInvoiceId ?? ""), .text(invoice.ksefNumber ?? ""),
        ])
    }
}

/// What the lists show of one document, made once per document: an invoice shows in "all", in its year and
/// perhaps in the last 3 and 6 months, and formatting its amounts (Foundation `Amount`) and escaping its row
/// for each of those lists was most of their cost.
struct ListedInvoice {
    /// The row's values (`InvoiceListPages.tableRow`), its link relative to the invoices folder.
    var row: TemplateValue
    /// The CSV line, CRLF included.
    var csvLine: [UInt8]

    /// - Parameter from: a page in the invoices folder (every list page is there).
    static func all(_ invoices: [Invoice], facts: InvoiceFacts, from list: SitePath, tenant: TenantContext) -> [ListedInvoice] {
        let lang = tenant.lang
        // The status words and badge once per kind of status (a few per tenant).
        var statuses: [InvoiceListPages.StatusWords: (text: String, badge: TrustedHTML)] = [:]
        // The words of the known document types once (an unknown type is shown as written).
        let known: [Invoice.DocumentType] = [.invoice, .creditNote, .correction]
        let typeNames = Dictionary(uniqueKeysWithValues: known.map { ($0, InvoiceListPages.typeName($0, lang)) })
        return invoices.map { invoice in
            let typeName = typeNames[invoice.documentType] ?? InvoiceListPages.typeName(invoice.documentType, lang)
            let words = InvoiceListPages.StatusWords(invoice, facts)
            let status = statuses[words] ?? {
                let text = InvoiceListPages.statusText(words, lang)
                let made = (text: text, badge: InvoiceListPages.statusBadge(words.status, statusText: text))
                statuses[words] = made
                return made
            }()
            let statusText = status.text, badge = status.badge
            return ListedInvoice(
                row: InvoiceListPages.tableRow(invoice, url: tenant.invoiceLink(invoice.id, from: list), typeName: typeName,
                                              status: badge, lang: lang),
                csvLine: InvoiceListPages.csvLine(invoice, typeName: typeName, statusText: statusText, lang: lang))
        }
    }
}
