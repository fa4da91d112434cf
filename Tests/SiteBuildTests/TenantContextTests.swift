import Foundation
import Testing
@testable import SiteBuild
@testable import SiteRender
import TenantModel

/// The per-tenant shortcuts of `TenantContext` against the general path and link helpers.
@Suite struct TenantContextTests {
    @Test func invoiceLinksAreTheGeneralLinks() throws {
        let snapshot = try InvoicePagesTests.fixtureSnapshot()
        for language in Language.allCases {
            let tenant = TenantContext(snapshot: snapshot, lang: try InvoicePagesTests.language(language), settings: BuildSettings(), help: HelpLinks())
            let pages = [
                tenant.invoicesPath(), tenant.invoicesPath("last-3-months.html"), tenant.subscriptionPath("x"), tenant.overviewPath,
                tenant.selfServicePath, SitePaths.languageHome(language), SitePaths.helpArticle(language, "m365-admin-center", "a"),
                SitePaths.invoices(language == .pl ? .en : .pl, tenant.slug), SitePaths.invoices(language, "other-tenant"),
                SitePaths.subscription(language, "other-tenant", "s"), SitePath("index.html"),
            ]
            // Ids of the snapshot and ids it does not hold (those take `Slug.make`), hostile ones included.
            let ids = snapshot.invoices.map(\.id) + SitePathTests.hostile
            for page in pages {
                for id in ids {
                    #expect(tenant.invoiceLink(id, from: page) == page.link(to: tenant.invoicePath(id)), "\(id) from \(page)")
                }
            }
            #expect(snapshot.invoices.allSatisfy { tenant.invoicePath($0.id) == SitePaths.invoices(language, tenant.slug, tenant.invoiceSlugs[$0.id]! + ".html") })
        }
    }

    /// The lists' view-model built directly is what the encoder makes of it (hostile text in every field).
    @Test func listModelValueIsTheEncodedModel() throws {
        for hostile in SitePathTests.hostile {
            for empty in [false, true] {
                let html = TrustedHTML(static: "<p>x</p>")
                let url = SiteURL.internalLink("a.html")
                let total = InvoiceListPages.Total(currency: hostile, count: hostile + "1", net: "<net>", vat: hostile, gross: "&", paid: "'", outstanding: "\"")
                let model = InvoiceListPages.Model(
                    rangeNav: html, rangePeriod: hostile, paymentsAsOf: hostile + "?", hasChart: !empty, charts: empty ? [] : [html, html],
                    empty: empty, wider: empty ? [InvoiceListPages.Link(label: hostile, url: url)] : [], count: hostile,
                    documents: [.object(["number": .text(hostile), "url": .url(url), "status": .html(html)])],
                    totals: empty ? [] : [total, total], csvURL: url)
                #expect(model.templateValue == (try TemplateValueEncoder.encode(model)))
            }
        }
    }
}

