import Foundation
import SiteRender
import TenantModel

/// `<lang>/tenants/<slug>/self-service/index.html`: the read-only admin view of what people bought themselves,
/// by buyer and by product, with what it costs and what renews or ends soon. Every tenant gets the page, also
/// one without such purchases (it then says so and explains what they are).
struct SelfServicePages: TenantPageKind {
    var templateNames: [String] { ["self-service"] }

    struct PurchaseRow: Encodable {
        var product: String
        var url: SiteURL
        var licences: String
        var assigned: String
        var next: String
        var unitPrice: String
        var total: String
        var status: TrustedHTML
    }

    struct BuyerSection: Encodable {
        var name: String
        var upn: String
        var facts: String
        var warning: TrustedHTML?
        var purchases: [PurchaseRow]
    }

    struct ProductRow: Encodable {
        var product: String
        var purchases: String
        var buyers: String
        var licences: String
        var assigned: String
        var monthly: String
        var yearly: String
    }

    struct UpcomingRow: Encodable {
        var date: String
        var inDays: String
        var product: String
        var buyer: String
        var event: String
    }

    struct Model: Encodable {
        var notice: TrustedHTML
        var hasPurchases: Bool
        /// The key figures, drawn as cards by the template.
        var figures: TemplateValue
        var notes: [String]
        var upcomingTitle: String
        var upcoming: [UpcomingRow]
        var hasUpcoming: Bool
        var upcomingNone: String
        var buyers: [BuyerSection]
        var products: [ProductRow]
        var hasProducts: Bool
        var helpURL: SiteURL?
        var captured: String
    }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let path = tenant.selfServicePath
        let model = Self.model(tenant, purchases: tenant.plan.selfService)
        let lang = tenant.lang
        let meta = tenant.meta(path, title: lang.t("selfService.title"), breadcrumbs: tenant.breadcrumbsToTenant)
        try emit(path, try renderer.render(path, template: "self-service", model: model, meta: meta, in: lang))
    }

    static func model(_ tenant: TenantContext, purchases all: SelfServicePurchases) -> Model {
        let lang = tenant.lang
        let f = tenant.format
        let path = tenant.selfServicePath
        let help = tenant.help.article(topic: "self-service", channel: .direct, language: tenant.language).map { path.link(to: $0) }
        let days = ["days": f.integer(all.window)]

        let notice = all.isEmpty
            ? Self.notice(label: lang.t("selfService.empty.label"), text: lang.t("selfService.empty.none", ["tenant": tenant.snapshot.tenant.displayName]),
                          link: nil)
            : Self.notice(label: lang.t("selfService.readOnly.label"), text: lang.t("selfService.readOnly.text"),
                          link: help.map { ($0, lang.t("selfService.readOnly.link")) })

        var notes: [String] = []
        if all.deleted > 0 { notes.append(lang.plural("selfService.deletedNote", all.deleted)) }

        let buyers = all.byBuyer.map { group -> BuyerSection in
            var facts = [lang.plural("selfService.buyer.purchases", group.counted.count), lang.plural("selfService.buyer.licences", group.licences)]
            facts += group.monthlySpend.sorted.map { lang.t("selfService.buyer.perMonth", ["amount": f.money($0.amount.roundedHalfUp(), $0.currency)]) }
            let warningText: String? = switch group.buyer.accountEnabled {
            case false?: lang.t("selfService.buyer.blocked")
            case nil: lang.t("selfService.buyer.notInUsers")
            case true?: nil
            }
            let warning = warningText.map { text in
                var b = HTMLBuilder()
                b.element("p", [("class", "selfservice-warning")], text: text)
                return b.html
            }
            return BuyerSection(name: group.buyer.displayName, upn: group.buyer.userPrincipalName, facts: facts.joined(separator: " · "),
                                warning: warning, purchases: group.purchases.map { row($0, tenant: tenant) })
        }

        let products = all.byProduct.map { group in
            ProductRow(product: group.productName, purchases: f.integer(group.purchases.count),
                       buyers: group.buyers.map(\.displayName).joined(separator: ", "),
                       licences: f.integer(group.licences), assigned: f.integer(group.assigned),
                       monthly: spend(group.monthlySpend, lang), yearly: spend(group.yearlySpend, lang))
        }

        let upcoming = all.upcoming.map { p in
            UpcomingRow(date: f.longDate(p.next.date!), inDays: inDays(p.daysUntilNext ?? 0, lang), product: p.productName,
                        buyer: p.buyer.displayName, event: event(p, lang))
        }

        return Model(notice: notice, hasPurchases: !all.isEmpty, figures: figures(all, lang), notes: notes,
                     upcomingTitle: lang.t("selfService.upcoming.title", days), upcoming: upcoming, hasUpcoming: !upcoming.isEmpty,
                     upcomingNone: lang.t("selfService.upcoming.none", days), buyers: buyers, products: products, hasProducts: !products.isEmpty, helpURL: help,
                     captured: lang.t("selfService.captured", ["captured": f.dateTime(tenant.snapshot.capturedDateTime), "today": f.longDate(tenant.asOf)]))
    }

    // MARK: Pieces

    /// How many holders' names a purchase's row shows.
    static let maxNames = 20

    static func row(_ p: SelfServicePurchases.Purchase, tenant: TenantContext) -> PurchaseRow {
        let lang = tenant.lang
        let f = tenant.format
        let s = p.subscription
        // A big pool lists its first holders here; the subscription page (the product link) lists them all.
        var names = p.assignedUsers.prefix(maxNames).map { $0.accountEnabled ? $0.displayName : lang.t("selfService.assigned.blocked", ["name": $0.displayName]) }
        if p.assignedUsers.count > maxNames { names.append(lang.plural("selfService.assigned.more", p.assignedUsers.count - maxNames)) }
        if p.unnamedAssigned > 0 { names.append(lang.plural("selfService.assigned.unnamed", p.unnamedAssigned)) }
        let assigned = names.isEmpty ? lang.t("selfService.assigned.nobody") : names.joined(separator: ", ")

        let notInSnapshot = lang.t("common.notInSnapshot")
        let unitPrice = s.unitPrice.flatMap { price in s.currencyCode.map { priced(Money(price, $0), s.billingCycle, lang) } } ?? notInSnapshot
        let total: String
        if p.isTrial {
            total = lang.t("selfService.price.trialFree")
        } else {
            total = p.totalPrice.map { priced($0, s.billingCycle, lang) } ?? notInSnapshot
        }

        var badges = HTMLBuilder()
        badges.element("span", [("class", "badge " + statusBadgeClass(s.status))], text: lang.t("status.\(s.status.rawValue)"))
        badges.text(" ")
        badges.element("span", [("class", p.isTrial ? "badge badge-trial" : "badge")], text: lang.t(p.isTrial ? "selfService.kind.trial" : "selfService.kind.paid"))

        return PurchaseRow(product: p.productName, url: tenant.selfServicePath.link(to: tenant.subscriptionPath(s.id)),
                           licences: f.integer(p.licences), assigned: assigned, next: next(p, tenant), unitPrice: unitPrice, total: total,
                           status: badges.html)
    }

    /// The next date, told honestly: "renews on" only when auto-renew is on.
    static func next(_ p: SelfServicePurchases.Purchase, _ tenant: TenantContext) -> String {
        let lang = tenant.lang
        let f = tenant.format
        var text: String
        switch p.next {
        case .renews(let d):
            text = lang.t(p.isTrial ? "selfService.next.trialConverts" : "selfService.next.renews", ["date": f.longDate(d)])
        case .ends(let d):
            text = lang.t(p.isTrial ? "selfService.next.trialEnds" : "selfService.next.ends", ["date": f.longDate(d)])
        case .unknownRenewal(let d):
            text = lang.t("selfService.next.unknown", ["date": f.longDate(d)])
        case .nextState(let d):
            text = lang.t("selfService.next.\(p.subscription.status.rawValue)", ["date": f.longDate(d)])
        case .notInSnapshot:
            return p.subscription.status == .deleted ? lang.t("selfService.next.deleted") : lang.t("common.notInSnapshot")
        }
        if let daysLeft = p.daysUntilNext, p.subscription.status == .active, (0...SelfServicePurchases.soonDays).contains(daysLeft) {
            text += " (" + inDays(daysLeft, lang) + ")"
        }
        return text
    }

    static func event(_ p: SelfServicePurchases.Purchase, _ lang: LanguageContext) -> String {
        switch p.next {
        case .renews: return lang.t(p.isTrial ? "selfService.event.trialConverts" : "selfService.event.renews")
        case .ends: return lang.t(p.isTrial ? "selfService.event.trialEnds" : "selfService.event.ends")
        default: return lang.t("selfService.event.unknown")
        }
    }

    static func inDays(_ days: Int, _ lang: LanguageContext) -> String {
        days == 0 ? lang.t("selfService.today") : lang.plural("selfService.days", days)
    }

    /// `60,50 zł / mies.`: an amount with the billing period it is for.
    static func priced(_ money: Money, _ cycle: Subscription.BillingCycle?, _ lang: LanguageContext) -> String {
        let amount = lang.format.money(money.amount.roundedHalfUp(), money.currency)
        guard let cycle else { return lang.t("selfService.price.cycleUnknown", ["amount": amount]) }
        return lang.t("selfService.price.\(cycle.rawValue)", ["amount": amount])
    }

    static func spend(_ totals: MoneyTotals, _ lang: LanguageContext) -> String {
        if totals.isEmpty { return "–" }
        return totals.sorted.map { lang.format.money($0.amount.roundedHalfUp(), $0.currency) }.joined(separator: " · ")
    }

    static func statusBadgeClass(_ status: Subscription.Status) -> String {
        switch status {
        case .active: return "badge-ok"
        case .expired, .suspended: return "badge-warn"
        case .disabled, .deleted: return "badge-bad"
        }
    }

    /// The boxed paragraph at the top: read-only, and why (with the help article), or "none here".
    static func notice(label: String, text: String, link: (SiteURL, String)?) -> TrustedHTML {
        var b = HTMLBuilder()
        b.open("div", [("class", "notice selfservice-notice")])
        b.open("p")
        b.element("strong", text: label)
        b.text(" " + text)
        if let (url, title) = link {
            b.text(" ")
            b.link(url, text: title)
        }
        b.close("p")
        b.close("div")
        return b.html
    }

    /// The key figures (`{{#figures}}` in `self-service.md`, drawn there as cards).
    static func figures(_ all: SelfServicePurchases, _ lang: LanguageContext) -> TemplateValue {
        let f = lang.format
        let days = ["days": f.integer(all.window)]
        let unpriced = all.unpriced > 0 ? TemplateValue.text(lang.plural("selfService.spend.unpriced", all.unpriced)) : .absent
        func amounts(_ totals: MoneyTotals) -> TemplateValue {
            .text(totals.isEmpty ? lang.t("selfService.spend.none")
                  : totals.sorted.map { f.money($0.amount.roundedHalfUp(), $0.currency) }.joined(separator: " · "))
        }
        return .object([
            "buyers": .text(f.integer(all.buyerCount)), "products": .text(f.integer(all.productCount)),
            "purchases": .text(f.integer(all.counted.count)),
            "purchasesNote": .text(lang.plural("selfService.count.paid", all.paid) + ", " + lang.plural("selfService.count.trials", all.trials)),
            "licences": .text(f.integer(all.licences)), "licencesNote": .text(lang.t("selfService.card.assigned", ["n": f.integer(all.assigned)])),
            "monthly": amounts(all.monthlySpend), "yearly": amounts(all.yearlySpend), "unpriced": unpriced,
            "endingLabel": .text(lang.t("selfService.card.ending", days)), "ending": .text(f.integer(all.endingSoon.count)),
            "renewingLabel": .text(lang.t("selfService.card.renewing", days)), "renewing": .text(f.integer(all.renewingSoon.count)),
        ])
    }
}
