import Foundation
import SiteRender
import TenantModel

/// `invoices/index.html` (all, with the monthly spend chart), `last-3-months.html`, `last-6-months.html`,
/// `<yyyy>.html`, `<from>_<to>.html`, each with its CSV (`all.csv`, `last-3-months.csv`, …).
struct InvoiceListPages: TenantPageKind {
    var templateNames: [String] { ["invoices"] }

    struct Row: Encodable {
        var number: String
        var url: SiteURL
        var type: String
        var issued: String
        var billingPeriod: String
        var net: String
        var vat: String
        var gross: String
        var paid: String
        var status: TrustedHTML
    }

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

    struct Model: Encodable {
        var rangeNav: TrustedHTML
        var rangePeriod: String
        var paymentsAsOf: String
        var hasChart: Bool
        var charts: [TrustedHTML]
        var empty: Bool
        var wider: [Link]
        var count: String
        var rows: [Row]
        var totals: [Total]
        var csvURL: SiteURL
    }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let invoices = tenant.snapshot.invoices
        let facts = InvoiceFacts(invoices, asOf: tenant.asOf)
        let ranges = InvoiceRange.pages(for: invoices, customRanges: tenant.settings.customRanges)
        let selected = ranges.map { range in
            invoices.filter { range.contains($0.invoiceDate, asOf: tenant.asOf) }.sorted(by: InvoiceFacts.newestFirst)
        }
        for (range, documents) in zip(ranges, selected) {
            let path = tenant.invoicesPath(range.htmlFile)
            let model = self.model(range, documents, path: path, ranges: ranges, counts: selected.map(\.count), facts: facts, tenant: tenant)
            var crumbs = tenant.breadcrumbsToTenant
            if range != .all { crumbs.append((tenant.lang.t("invoices.title"), tenant.invoicesPath())) }
            let meta = tenant.meta(path, title: Self.title(range, tenant.lang), breadcrumbs: crumbs)
            try emit(path, try renderer.render(path, template: "invoices", model: model, meta: meta, in: tenant.lang))
            try emit(tenant.invoicesPath(range.csvFile), Self.csv(documents, facts: facts, lang: tenant.lang))
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
        let status = facts.status(invoice)
        let key = (invoice.totalCharges < 0 ? "invoices.statusNegative." : "invoices.status.") + status.rawValue
        let text = lang.t(key)
        return facts.isPartlyPaid(invoice) ? lang.t("invoices.status.partly", ["status": text]) : text
    }

    static func statusBadge(_ invoice: Invoice, _ facts: InvoiceFacts, _ lang: LanguageContext) -> TrustedHTML {
        var b = HTMLBuilder()
        let tone: String
        switch facts.status(invoice) {
        case .paid: tone = "badge-ok"
        case .credited: tone = "badge-muted"
        case .unpaid: tone = "badge-warn"
        case .overdue: tone = "badge-bad"
        }
        b.element("span", [("class", "badge \(tone) invoice-status status-\(facts.status(invoice).rawValue)")], text: statusText(invoice, facts, lang))
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

    func model(_ range: InvoiceRange, _ documents: [Invoice], path: SitePath, ranges: [InvoiceRange], counts: [Int],
               facts: InvoiceFacts, tenant: TenantContext) -> Model {
        let lang = tenant.lang, f = tenant.format
        let rows = documents.map { invoice in
            Row(number: invoice.id, url: path.link(to: tenant.invoicePath(invoice.id)), type: Self.typeName(invoice.documentType, lang),
                issued: f.shortDate(invoice.invoiceDate), billingPeriod: Self.billingPeriod(invoice, f),
                net: f.money(invoice.netTotal, invoice.currencyCode), vat: f.money(invoice.taxTotal, invoice.currencyCode),
                gross: f.money(invoice.totalCharges, invoice.currencyCode), paid: f.money(invoice.paidAmount, invoice.currencyCode),
                status: Self.statusBadge(invoice, facts, lang))
        }
        let totals = CurrencyTotal.of(documents).map { t in
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
        return Model(rangeNav: Self.rangeNav(current: range, ranges: ranges, counts: counts, path: path, tenant: tenant),
                     rangePeriod: period, paymentsAsOf: lang.t("invoices.period.asOf", ["date": f.longDate(tenant.asOf)]),
                     hasChart: !charts.isEmpty, charts: charts, empty: documents.isEmpty, wider: wider,
                     count: lang.plural("invoices.count", documents.count), rows: rows, totals: totals,
                     csvURL: path.link(to: tenant.invoicesPath(range.csvFile)))
    }

    /// The range menu: every list of this tenant with its document count; the current one marked.
    static func rangeNav(current: InvoiceRange, ranges: [InvoiceRange], counts: [Int], path: SitePath, tenant: TenantContext) -> TrustedHTML {
        var b = HTMLBuilder()
        b.open("nav", [("class", "invoice-ranges"), ("aria-label", tenant.lang.t("invoices.ranges"))])
        b.open("ul")
        for (range, count) in zip(ranges, counts) {
            let label = "\(Self.label(range, tenant.lang)) (\(tenant.format.integer(count)))"
            b.open("li")
            if range == current {
                b.element("span", [("class", "current"), ("aria-current", "page")], text: label)
            } else {
                b.link(path.link(to: tenant.invoicesPath(range.htmlFile)), text: label)
            }
            b.close("li")
        }
        b.close("ul")
        b.close("nav")
        return b.html
    }

    // MARK: CSV

    /// One row per document, newest first; the columns of the page plus the dates and ids an accountant needs.
    static func csv(_ documents: [Invoice], facts: InvoiceFacts, lang: LanguageContext) -> [UInt8] {
        var csv = CSVWriter(language: lang.language)
        let columns = ["number", "type", "issueDate", "saleDate", "dueDate", "periodStart", "periodEnd", "currency", "net", "vat",
                       "gross", "paid", "outstanding", "status", "corrects", "ksef"]
        csv.header(columns.map { lang.t("invoices.csvColumn.\($0)") })
        for invoice in documents {
            csv.row([
                .text(invoice.id), .text(typeName(invoice.documentType, lang)), .date(invoice.invoiceDate), .date(invoice.saleDate),
                .date(invoice.dueDate), .date(invoice.billingPeriodStartDate), .date(invoice.billingPeriodEndDate),
                .text(invoice.currencyCode), .amount(invoice.netTotal), .amount(invoice.taxTotal), .amount(invoice.totalCharges),
                .amount(invoice.paidAmount), .amount(invoice.outstanding), .text(statusText(invoice, facts, lang)),
                .text(invoice.correctedInvoiceId ?? ""), .text(invoice.ksefNumber ?? ""),
            ])
        }
        return csv.bytes
    }
}
