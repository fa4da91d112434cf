import Foundation
import Testing
@testable import SiteBuild

/// The overview sends the reader to the tenant's invoices: counts, what is owed per currency, the lists,
/// and the panel's own article on invoices.
@Suite struct OverviewInvoicesSectionTests {
    @Test func overviewSummarisesAndLinksTheInvoices() throws {
        let out = try temporaryFolder()
        defer { cleanUp(out) }
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: out)
        let pl = String(decoding: try Data(contentsOf: out.appendingPathComponent("pl/tenants/biuro-rachunkowe-abakus/index.html")), as: UTF8.self)
        #expect(pl.contains("8 dokumentów w migawce. Nieopłacone przed terminem płatności: 0. Po terminie: 1. Do zapłaty: 127,43\u{A0}zł."))
        #expect(pl.contains("<a href=\"invoices/index.html\">Zobacz faktury</a>"))
        #expect(pl.contains("<a href=\"../../help/az-pl/invoices.html\">Gdzie znaleźć faktury (panel AZ.pl)</a>"))
        let en = String(decoding: try Data(contentsOf: out.appendingPathComponent("en/tenants/northwind-gmbh/index.html")), as: UTF8.self)
        #expect(en.contains("13 documents in the snapshot. Unpaid, not yet due: 1. Overdue: 0. Outstanding: €173.68."))
        #expect(en.contains("help/partner-center/invoices.html"))
    }
}

/// A self-service licence is managed in the Microsoft 365 admin center after taking control, never in the
/// reseller's panel: its subscription page must not send the reader to the home.pl article.
@Suite struct SelfServiceSubscriptionHelpTests {
    @Test func selfServiceSubscriptionsLinkTheTakeControlArticle() throws {
        let out = try temporaryFolder()
        defer { cleanUp(out) }
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: out)
        let folder = out.appendingPathComponent("pl/tenants/kwiaciarnia-lakowa/subscriptions")
        var selfService = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let html = String(decoding: try Data(contentsOf: folder.appendingPathComponent(file)), as: UTF8.self)
            if html.contains("help/m365-admin-center/self-service-purchases.html") {
                selfService += 1
                #expect(!html.contains("help/home-pl/assign-licences.html"), "\(file) sends a self-service buyer to home.pl")
            } else {
                #expect(html.contains("help/home-pl/assign-licences.html"), "\(file) has no help on assigning licences")
            }
        }
        #expect(selfService == 3)
    }
}
