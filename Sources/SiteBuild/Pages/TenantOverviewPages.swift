import Foundation
import SiteRender
import TenantModel

/// `<lang>/tenants/<slug>/index.html`: the tenant's subscriptions, what they cost, what needs attention.
struct TenantOverviewPages: TenantPageKind {
    var templateNames: [String] { ["tenant-overview"] }

    struct SubscriptionRow: Encodable {
        var name: String
        var partNumber: String
        var status: String
        var total: String
        var assigned: String
        var available: String
        var monthly: String
    }

    struct Model: Encodable {
        var tenantName: String
        var domain: String
        var channel: String
        var captured: String
        var subscriptions: [SubscriptionRow]
        var hasSubscriptions: Bool
    }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let lang = tenant.lang
        let f = tenant.format
        let snapshot = tenant.snapshot
        let rows = snapshot.subscriptions.map { s in
            let name = ProductNames.displayName(productName: s.productName, skuPartNumber: s.skuPartNumber)
            return SubscriptionRow(
                name: name.name, partNumber: s.skuPartNumber, status: lang.t("status.\(s.status.rawValue)"),
                total: f.integer(s.prepaidUnits.enabled), assigned: f.integer(s.consumedUnits), available: f.integer(s.availableUnits),
                monthly: TenantFacts.monthlyCost(s).map { f.money($0.amount.roundedHalfUp(), $0.currency) } ?? lang.t("common.notInSnapshot"))
        }
        let model = Model(tenantName: snapshot.tenant.displayName, domain: snapshot.tenant.defaultDomain,
                          channel: channelName(snapshot.tenant.management.channel, partner: snapshot.tenant.management.partnerName, lang),
                          captured: f.dateTime(snapshot.capturedDateTime), subscriptions: rows, hasSubscriptions: !rows.isEmpty)
        let path = tenant.overviewPath
        let meta = tenant.meta(path, title: lang.t("overview.title"), breadcrumbs: [(lang.t("nav.tenants"), SitePaths.languageHome(tenant.language))])
        try emit(path, try renderer.render(path, template: "tenant-overview", model: model, meta: meta, in: lang))
    }
}
