import Foundation
import Testing
@testable import SiteBuild
@testable import SiteRender
import TenantModel

/// The invoice lists and the subscription pages build their tables as HTML (`TableHTML`) instead of Markdown
/// tables parsed per page. These tests keep the Markdown tables and the view-model rows they replaced, render
/// both with hostile strings in every field the tables show, and compare bytes: the fast path may neither
/// change the output nor let a value change the structure.
@Suite struct TableHTMLTests {
    static let templates = try! TemplateSet.load(folder: repoRoot.appendingPathComponent("templates").path, requiredPages: []).get()
    static let help = try! HelpCenter.load(folder: repoRoot.appendingPathComponent("content/help").path).get().links

    static func snapshot(_ slug: String) -> Snapshot {
        let bytes = Array(try! Data(contentsOf: repoRoot.appendingPathComponent("content/tenants/\(slug).json")))
        return try! SnapshotDecoder.decode(bytes, file: slug, slug: slug).get()
    }

    static func context(_ snapshot: Snapshot, _ language: Language) -> TenantContext {
        TenantContext(snapshot: snapshot, lang: LanguageContext(language: language, strings: templates.strings[language]!),
                      settings: BuildSettings(), help: help)
    }

    static let hostile = [
        "<script>alert(1)</script>", "a & b &amp; c", "\"quoted\" and 'single'", "| pipe | in | cells |", "{{t.site.name}} {{{x}}}",
        "two\nlines", "crlf\r\nhere", "\u{202E}odwrócone\u{202C} \u{200F}rtl", "emoji 👩‍💻🇵🇱", "Zażółć gęślą jaźń ŁÓDŹ",
        "**bold** _em_ `code`", "[link](javascript:alert(1))", "<!-- comment -->", "  spaces around  ", "", "\\*\\", "# heading",
        "1. list", "- item", "www.example.com https://example.com", "=SUM(A1)", "\u{E000}0\u{E001}", "tenantsite-slot-0-url",
    ]

    /// Every tenant of the demo with each hostile string in every text field the tables show.
    static func hostileTenants(_ language: Language) -> [TenantContext] {
        ["kwiaciarnia-lakowa", "northwind-gmbh", "biuro-rachunkowe-abakus"].flatMap { slug in
            let original = snapshot(slug)
            return hostile.indices.map { h in
                var s = original
                func text(_ i: Int) -> String { hostile[(h + i) % hostile.count] + (i % 3 == 0 ? "" : " \(i)") }
                for i in s.invoices.indices {
                    s.invoices[i].id = text(i) + " #\(i)"  // still unique
                    if i % 4 == 1 { s.invoices[i].documentType = Invoice.DocumentType(rawValue: text(i + 1)) }
                    if i % 5 == 2 { s.invoices[i].currencyCode = text(i + 2) }
                    for j in s.invoices[i].lines.indices {
                        s.invoices[i].lines[j].description = text(i + j)
                        s.invoices[i].lines[j].unit = text(i + j + 1)
                    }
                }
                for i in s.users.indices {
                    s.users[i].displayName = text(i)
                    s.users[i].userPrincipalName = text(i + 1)
                }
                return context(s, language)
            }
        }
    }

    /// Renders `source` (a Markdown table of the templates before `TableHTML`) the way pages were rendered.
    static func markdown(_ source: String, _ model: some Encodable, _ lang: LanguageContext) throws -> String {
        var value = try TemplateValueEncoder.encode(model)
        if case .object(var members) = value {
            members["t"] = lang.strings.templateValue
            value = .object(members)
        }
        return try MarkdownTemplate(name: "table", source: source).render(value)
    }

    // MARK: Invoice lists

    struct ListRow: Encodable {
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

    struct Rows<Row: Encodable>: Encodable { var rows: [Row] }

    static let listTable = """
        | {{t.invoices.col.number}} | {{t.invoices.col.type}} | {{t.invoices.col.issued}} | {{t.invoices.col.period}} | {{t.invoices.col.net}} | {{t.invoices.col.vat}} | {{t.invoices.col.gross}} | {{t.invoices.col.paid}} | {{t.invoices.col.status}} |
        |---|---|---|---|---:|---:|---:|---:|---|
        {{#rows}}
        | [{{number}}]({{url}}) | {{type}} | {{issued}} | {{billingPeriod}} | {{net}} | {{vat}} | {{gross}} | {{paid}} | {{status}} |
        {{/rows}}

        """

    @Test(arguments: Language.allCases)
    func invoiceListTableIsTheMarkdownTable(_ language: Language) throws {
        for tenant in Self.hostileTenants(language) {
            let lang = tenant.lang, f = tenant.format
            let invoices = tenant.snapshot.invoices
            let facts = InvoiceFacts(invoices, asOf: tenant.asOf)
            let path = tenant.invoicesPath("2025.html")
            let listed = ListedInvoice.all(invoices, facts: facts, from: tenant.invoicesPath(), tenant: tenant)
            // The view-model rows as `InvoiceListPages.model` made them before.
            let rows = invoices.map { invoice in
                ListRow(number: invoice.id, url: path.link(to: tenant.invoicePath(invoice.id)),
                        type: InvoiceListPages.typeName(invoice.documentType, lang), issued: f.shortDate(invoice.invoiceDate),
                        billingPeriod: InvoiceListPages.billingPeriod(invoice, f), net: f.money(invoice.netTotal, invoice.currencyCode),
                        vat: f.money(invoice.taxTotal, invoice.currencyCode), gross: f.money(invoice.totalCharges, invoice.currencyCode),
                        paid: f.money(invoice.paidAmount, invoice.currencyCode),
                        status: InvoiceListPages.statusBadge(invoice, facts, statusText: InvoiceListPages.statusText(invoice, facts, lang)))
            }
            var table = InvoiceListPages.tableHeader(lang)
            for row in listed.map(\.row) { table.append(row) }
            let expected = try Self.markdown(Self.listTable, Rows(rows: rows), lang)
            #expect(table.html.markup == expected, "\(tenant.slug) \(invoices.first?.id ?? "")")
            #expect(!table.html.markup.contains("<script"))
        }
    }

    // MARK: Subscription pages

    struct InvoiceLineRow: Encodable {
        var document: String
        var url: SiteURL
        var kind: String?
        var date: String
        var period: String
        var description: String
        var quantity: String
        var unitPrice: String
        var net: String
    }

    struct HolderRow: Encodable {
        var name: String
        var userPrincipalName: String
        var account: String
        var blocked: Bool
        var assigned: String
        var state: String
        var problem: Bool
        var uncertain: Bool
    }

    struct InvoiceLines: Encodable { var invoiceLines: [InvoiceLineRow] }
    struct Holders: Encodable { var holders: [HolderRow] }

    static let invoiceLinesTable = """
        | {{t.subscription.col.document}} | {{t.subscription.col.date}} | {{t.subscription.col.period}} | {{t.subscription.col.description}} | {{t.subscription.col.quantity}} | {{t.subscription.col.unitPrice}} | {{t.subscription.col.net}} |
        |---|---|---|---|---:|---:|---:|
        {{#invoiceLines}}
        | [{{document}}]({{url}}){{#kind}} ({{kind}}){{/kind}} | {{date}} | {{period}} | {{description}} | {{quantity}} | {{unitPrice}} | {{net}} |
        {{/invoiceLines}}

        """

    static let holdersTable = """
        | {{t.subscription.col.person}} | {{t.subscription.col.signIn}} | {{t.subscription.col.account}} | {{t.subscription.col.assigned}} | {{t.subscription.col.state}} |
        |---|---|---|---|---|
        {{#holders}}
        | {{name}}{{#uncertain}} \\*{{/uncertain}} | {{userPrincipalName}} | {{#blocked}}**{{account}}**{{/blocked}}{{^blocked}}{{account}}{{/blocked}} | {{assigned}} | {{#problem}}**{{state}}**{{/problem}}{{^problem}}{{state}}{{/problem}} |
        {{/holders}}

        """

    /// The lines of a subscription, oldest first, as `SubscriptionPages.model` collected them before.
    static func invoiceLineRows(_ s: Subscription, tenant: TenantContext, path: SitePath) -> [InvoiceLineRow] {
        let lang = tenant.lang, f = tenant.format
        let notInSnapshot = lang.t("common.notInSnapshot")
        var lines: [(invoice: Invoice, index: Int, line: InvoiceLine)] = []
        for invoice in tenant.snapshot.invoices {
            for (index, line) in invoice.lines.enumerated() where line.subscriptionId == s.id {
                lines.append((invoice, index, line))
            }
        }
        lines.sort { ($0.invoice.invoiceDate, $0.invoice.id, $0.index) < ($1.invoice.invoiceDate, $1.invoice.id, $1.index) }
        return lines.map { invoice, _, line in
            let start = line.chargeStartDate ?? invoice.billingPeriodStartDate
            let end = line.chargeEndDate ?? invoice.billingPeriodEndDate
            let period = start.flatMap { start in end.map { "\(f.shortDate(start)) – \(f.shortDate($0))" } } ?? notInSnapshot
            let kind: String?
            switch invoice.documentType {
            case .invoice: kind = nil
            case .creditNote, .correction: kind = lang.t("subscription.document.\(invoice.documentType.rawValue)")
            default: kind = invoice.documentType.rawValue
            }
            return InvoiceLineRow(
                document: invoice.id, url: path.link(to: tenant.invoicePath(invoice.id)), kind: kind,
                date: f.shortDate(invoice.invoiceDate), period: period, description: line.description,
                quantity: "\(f.quantity(line.quantity)) \(line.unit)", unitPrice: f.money(line.unitPrice, invoice.currencyCode),
                net: f.money(line.subtotal, invoice.currencyCode))
        }
    }

    static func holderRows(_ holders: [TenantFacts.Holder], words: SubscriptionWords, lang: LanguageContext) -> [HolderRow] {
        holders.map { h in
            HolderRow(
                name: h.user.displayName, userPrincipalName: h.user.userPrincipalName,
                account: lang.t(h.user.accountEnabled ? "subscription.account.enabled" : "subscription.account.blocked"),
                blocked: !h.user.accountEnabled, assigned: words.assignedHow(h.assignment),
                state: words.assignmentError(h.assignment).map { lang.t("subscription.stateWithError", ["state": words.assignmentState(h.assignment), "error": $0]) }
                    ?? words.assignmentState(h.assignment),
                problem: h.assignment.hasError, uncertain: h.poolUncertain)
        }
    }

    @Test(arguments: Language.allCases)
    func subscriptionTablesAreTheMarkdownTables(_ language: Language) throws {
        var linesSeen = 0, holdersSeen = 0, blockedSeen = false, uncertainSeen = false
        for tenant in Self.hostileTenants(language) {
            let billed = BilledLines(tenant)
            let words = SubscriptionWords(tenant)
            for s in tenant.snapshot.subscriptions {
                let path = tenant.subscriptionPath(s.id)
                let lineRows = Self.invoiceLineRows(s, tenant: tenant, path: path)
                let lines = billed.lines(of: s.id)
                #expect(lines.count == lineRows.count)
                linesSeen += lines.count
                if !lines.isEmpty {
                    let expected = try Self.markdown(Self.invoiceLinesTable, InvoiceLines(invoiceLines: lineRows), tenant.lang)
                    #expect(SubscriptionPages.invoiceLinesTable(lines, lang: tenant.lang).markup == expected, "\(tenant.slug) \(s.id)")
                }
                let holders = TenantFacts.holders(of: s, in: tenant.snapshot)
                holdersSeen += holders.count
                blockedSeen = blockedSeen || holders.contains { !$0.user.accountEnabled }
                uncertainSeen = uncertainSeen || holders.contains(where: \.poolUncertain)
                if !holders.isEmpty {
                    let expected = try Self.markdown(Self.holdersTable, Holders(holders: Self.holderRows(holders, words: words, lang: tenant.lang)), tenant.lang)
                    #expect(SubscriptionPages.holdersTable(holders, words: words, lang: tenant.lang).markup == expected, "\(tenant.slug) \(s.id)")
                }
            }
        }
        // The demo has what the tables' optional parts need.
        #expect(linesSeen > 100 && holdersSeen > 20 && blockedSeen)
        _ = uncertainSeen
    }

    @Test func aTableWithoutRowsHasNoBody() throws {
        let lang = LanguageContext(language: .en, strings: Self.templates.strings[.en]!)
        let expected = try Self.markdown(Self.listTable, Rows<ListRow>(rows: []), lang)
        #expect(InvoiceListPages.tableHeader(lang).html.markup == expected)
        #expect(!expected.contains("tbody"))
    }

    // MARK: Totals

    @Test func totalsOfAllAreTheSumOfTheYears() {
        for slug in ["kwiaciarnia-lakowa", "northwind-gmbh", "biuro-rachunkowe-abakus"] {
            let tenant = Self.context(Self.snapshot(slug), .pl)
            let invoices = tenant.snapshot.invoices
            let ranges = InvoiceRange.pages(for: invoices, customRanges: [CivilDate(iso: "2025-01-01")!...CivilDate(iso: "2025-06-30")!])
            let documents = ranges.map { range in invoices.filter { range.contains($0.invoiceDate, asOf: tenant.asOf) } }
            #expect(InvoiceListPages.totals(ranges, documents) == documents.map(CurrencyTotal.of))
        }
    }
}

/// The chart's coordinates without `String(format:)`.
@Suite struct SpendChartNumberTests {
    @Test func oneDecimalIsPrintf() {
        var values: [Double] = [0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, -0.05, -0.25, -0.04, 1.25, 2.5, 1e11 + 0.25, 12.34999999, 64, 752, 228.0,
                                Double.ulpOfOne, -Double.ulpOfOne, 0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0]
        // Ties of tenths that binary holds exactly, and their neighbours.
        for k in -400...400 {
            let v = Double(k) / 4
            values += [v, v.nextUp, v.nextDown, Double(k) / 20, (Double(k) / 20).nextUp, (Double(k) / 20).nextDown]
        }
        // The chart's geometry: slots of a 688-wide plot, bars and grid lines.
        for count in 1...40 {
            let slot = 688.0 / Double(count)
            for i in 0..<count { values += [64 + slot * Double(i) + (slot - min(slot * 0.66, 48)) / 2, 64 + slot * (Double(i) + 0.5)] }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            values.append(Double.random(in: -1e6...1e6, using: &generator))
            values.append(Double.random(in: -10...10, using: &generator))
        }
        for v in values {
            #expect(SpendChart.oneDecimal(v) == String(format: "%.1f", v), "\(v)")
        }
    }
}
