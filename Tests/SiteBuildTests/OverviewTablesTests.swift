import Foundation
import Testing
@testable import SiteBuild
@testable import SiteRender
import TenantModel

/// The tenant overview builds its subscription, cost and product tables as HTML (`TableHTML`) instead of the
/// Markdown tables parsed per tenant. These tests keep those Markdown tables, render them and the HTML tables
/// from the same rows with hostile strings in every text field, and compare bytes.
@Suite struct OverviewTablesTests {
    typealias T = TableHTMLTests

    static let subscriptionsTable = """
        | {{t.overview.col.product}} | {{t.overview.col.status}} | {{t.overview.col.licences}} | {{t.overview.col.assigned}} | {{t.overview.col.available}} | {{t.overview.col.next}} |
        |---|---|---:|---:|---:|---|
        {{#subscriptions}}
        | [{{name}}]({{url}}){{#note}} · {{note}}{{/note}} | {{{badge}}} {{meaning}} | {{licences}} | {{assigned}} | {{#over}}**{{available}}**{{/over}}{{^over}}{{available}}{{/over}} | {{next}} |
        {{/subscriptions}}

        """

    static let costsTable = """
        | {{t.overview.col.product}} | {{t.overview.col.billing}} | {{t.overview.col.unitPrice}} | {{t.overview.col.monthly}} | {{t.overview.col.yearly}} | {{t.overview.col.unassigned}} |
        |---|---|---:|---:|---:|---:|
        {{#subscriptions}}
        | [{{name}}]({{url}}) | {{billing}} | {{unitPrice}} | {{monthly}} | {{yearly}} | {{unassigned}} |
        {{/subscriptions}}
        | **{{t.overview.total}}** | | | **{{totalMonthly}}** | **{{totalYearly}}** | **{{totalUnassigned}}** |

        """

    static let productsTable = """
        | {{t.overview.col.product}} | {{t.overview.col.licences}} | {{t.overview.col.assigned}} | {{t.overview.col.available}} |
        |---|---:|---:|---:|
        {{#products}}
        | {{name}} | {{licences}} | {{assigned}} | {{#over}}**{{available}}**{{/over}}{{^over}}{{available}}{{/over}} |
        {{/products}}

        """

    struct Subscriptions: Encodable {
        var subscriptions: [TenantOverviewPages.SubscriptionRow]
        var totalMonthly: String
        var totalYearly: String
        var totalUnassigned: String
    }

    struct Products: Encodable { var products: [TenantOverviewPages.ProductRow] }

    /// The demo tenants with hostile product names, part numbers and buyers in their subscriptions.
    static func hostileTenants(_ language: Language) -> [TenantContext] {
        T.hostileTenants(language).enumerated().map { n, tenant in
            var s = tenant.snapshot
            func text(_ i: Int) -> String { T.hostile[(n + i) % T.hostile.count] + (i % 3 == 0 ? "" : " \(i)") }
            for i in s.subscriptions.indices {
                if i % 2 == 0 { s.subscriptions[i].productName = text(i) }
                if i % 3 == 1 { s.subscriptions[i].skuPartNumber = text(i + 1) }
            }
            return T.context(s, language)
        }
    }

    @Test(arguments: Language.allCases)
    func overviewTablesAreTheMarkdownTables(_ language: Language) throws {
        var rowsSeen = 0, productsSeen = 0, overSeen = false, noteSeen = false
        for tenant in Self.hostileTenants(language) {
            let lang = tenant.lang
            let path = tenant.overviewPath
            let words = SubscriptionWords(tenant)
            let ordered = TenantOverviewPages.ordered(tenant.snapshot.subscriptions, words)
            let rows = TenantOverviewPages.subscriptionRows(ordered, tenant: tenant, words: words, path: path)
            rowsSeen += rows.count
            overSeen = overSeen || rows.contains(where: \.over)
            noteSeen = noteSeen || rows.contains { $0.note != nil }
            if !rows.isEmpty {
                // Hostile totals too: the sums are text like any other cell.
                let totals = TenantOverviewPages.CostTotals(monthly: T.hostile[rowsSeen % T.hostile.count],
                                                            yearly: T.hostile[(rowsSeen + 1) % T.hostile.count],
                                                            unassigned: T.hostile[(rowsSeen + 2) % T.hostile.count])
                let model = Subscriptions(subscriptions: rows, totalMonthly: totals.monthly, totalYearly: totals.yearly,
                                          totalUnassigned: totals.unassigned)
                #expect(TenantOverviewPages.subscriptionsTable(rows, lang: lang).markup
                        == (try T.markdown(Self.subscriptionsTable, model, lang)), "\(tenant.slug)")
                #expect(TenantOverviewPages.costsTable(rows, total: totals, lang: lang).markup
                        == (try T.markdown(Self.costsTable, model, lang)), "\(tenant.slug)")
            }
            let products = TenantOverviewPages.productRows(TenantOverviewPages.productBars(ordered, words: words), format: tenant.format)
            productsSeen += products.count
            if !products.isEmpty {
                #expect(TenantOverviewPages.productsTable(products, lang: lang).markup
                        == (try T.markdown(Self.productsTable, Products(products: products), lang)), "\(tenant.slug)")
            }
        }
        // The demo has what the tables' optional parts need.
        #expect(rowsSeen > 10 && productsSeen > 5 && noteSeen)
        _ = overSeen
    }
}
