import Foundation
@testable import SiteBuild
import TenantModel

/// A tenant built in code whose self-service purchases exercise every rule of `SelfServicePurchases`:
/// one buyer spelt two ways, two purchases of one product, a trial, an unknown auto-renew flag, an expired
/// purchase of a blocked buyer, a deleted purchase, a buyer missing from the users, a second currency,
/// licences with and without `subscriptionId`, and a user name full of Markdown and HTML.
enum SelfServiceFixture {
    static let asOf = CivilDate(iso: "2026-11-20")!

    static let powerBI = "f8a1db68-be16-40ed-86d5-cb42ce701560"
    static let visio = "c5928f49-12ba-48f7-ada3-0d743a3601d5"
    static let teams = "3ab6abff-666f-4424-bfb7-f0bc274ec7bc"
    static let project = "53818b1b-4a27-454b-8896-0dba576410e6"
    static let copilot = "639dec6b-bb19-468b-871c-c5c441c4b0cb"

    static func ts(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    static func selfService(_ id: String, sku: String, part: String, name: String?, buyer: (String, String), status: Subscription.Status = .active,
                            trial: Bool = false, enabled: Int, warning: Int = 0, consumed: Int, next: String?, cycle: Subscription.BillingCycle?,
                            autoRenew: Bool?, price: Amount?, currency: String?, created: String = "2026-01-10T10:00:00Z") -> Subscription {
        Subscription(id: id, skuId: sku, skuPartNumber: part, productName: name, status: status, isTrial: trial,
                     prepaidUnits: .init(enabled: enabled, warning: warning), consumedUnits: consumed, createdDateTime: ts(created),
                     nextLifecycleDateTime: next.map(ts), billingCycle: cycle, termDuration: nil, autoRenewEnabled: autoRenew,
                     unitPrice: price, currencyCode: currency, purchaseChannel: .selfService,
                     purchasedBy: .init(displayName: buyer.0, userPrincipalName: buyer.1))
    }

    static func user(_ id: String, _ name: String, _ upn: String, enabled: Bool = true, _ licences: [LicenseAssignment]) -> User {
        User(id: id, displayName: name, userPrincipalName: upn, accountEnabled: enabled, licenseAssignmentStates: licences)
    }

    static func licence(_ sku: String, _ subscription: String?) -> LicenseAssignment {
        LicenseAssignment(skuId: sku, subscriptionId: subscription, state: .active)
    }

    static let lukasz = ("Łukasz Nowak", "Lukasz.Nowak@fixture.pl")
    static let anna = ("Anna Lis", "anna.lis@fixture.pl")
    static let zenon = ("Zenon Żak", "zenon.zak@fixture.pl")
    static let ghost = ("Lech Odszedł", "lech.odszedl@fixture.pl")

    static var snapshot: Snapshot {
        let subscriptions = [
            // Power BI Pro ×3 (monthly, renews in 14 days) and ×1 (annual) and a deleted one: one product, three purchases.
            selfService("ss-pbi-lukasz", sku: powerBI, part: "POWER_BI_PRO", name: "Power BI Pro", buyer: lukasz, enabled: 3, consumed: 3,
                        next: "2026-12-04T09:00:00Z", cycle: .monthly, autoRenew: true, price: Amount(exactly: "60.5")!, currency: "PLN"),
            selfService("ss-pbi-anna", sku: powerBI, part: "POWER_BI_PRO", name: "Power BI Pro", buyer: anna, enabled: 1, consumed: 1,
                        next: "2027-03-15T10:06:58Z", cycle: .annual, autoRenew: true, price: Amount(exactly: "646.8")!, currency: "PLN"),
            selfService("ss-pbi-old", sku: powerBI, part: "POWER_BI_PRO", name: "Power BI Pro", buyer: anna, status: .deleted, enabled: 0, consumed: 0,
                        next: nil, cycle: .monthly, autoRenew: false, price: Amount(exactly: "60.5")!, currency: "PLN", created: "2025-01-01T10:00:00Z"),
            // A Visio trial by the same Łukasz, his UPN in lower case; it ends in 12 days.
            selfService("ss-visio-trial", sku: visio, part: "VISIOCLIENT", name: nil, buyer: ("Łukasz Nowak", "lukasz.nowak@fixture.pl"),
                        trial: true, enabled: 1, consumed: 1, next: "2026-12-02T09:17:33Z", cycle: nil, autoRenew: false, price: nil, currency: nil),
            // Teams Essentials in euros, auto-renew not known, the next date exactly 30 days ahead.
            selfService("ss-teams", sku: teams, part: "TEAMS_ESSENTIALS_AAD", name: nil, buyer: anna, enabled: 2, consumed: 2,
                        next: "2026-12-20T12:00:00Z", cycle: .monthly, autoRenew: nil, price: 4, currency: "EUR"),
            // Expired purchase of a buyer whose sign-in is blocked.
            selfService("ss-project", sku: project, part: "PROJECTPROFESSIONAL", name: "Project Plan 3", buyer: zenon, status: .expired,
                        enabled: 0, warning: 2, consumed: 1, next: "2026-12-30T00:00:00Z", cycle: .annual, autoRenew: false, price: 1200, currency: "PLN"),
            // A buyer who is not among the users; no price; it ends today.
            selfService("ss-copilot", sku: copilot, part: "Microsoft_365_Copilot", name: nil, buyer: ghost, enabled: 1, consumed: 0,
                        next: "2026-11-20T08:00:00Z", cycle: .monthly, autoRenew: false, price: nil, currency: nil),
            // Bought through the reseller: not a self-service purchase, but a second Visio pool.
            Subscription(id: "reseller-visio", skuId: visio, skuPartNumber: "VISIOCLIENT", status: .active, isTrial: false,
                         prepaidUnits: .init(enabled: 5), consumedUnits: 1, createdDateTime: ts("2025-05-01T10:00:00Z"),
                         billingCycle: .monthly, autoRenewEnabled: true, unitPrice: 50, currencyCode: "PLN", purchaseChannel: .reseller),
        ]
        let users = [
            user("u1", "Łukasz Nowak", "lukasz.nowak@fixture.pl", [licence(powerBI, "ss-pbi-lukasz"), licence(visio, "ss-visio-trial")]),
            user("u2", "Michał Jędrzejczak", "michal@fixture.pl", [licence(powerBI, "ss-pbi-lukasz"), licence(powerBI, "ss-pbi-lukasz")]),
            // No subscriptionId and three Power BI pools: not attributed to any purchase.
            user("u3", "Paweł Ćwikliński", "pawel@fixture.pl", [licence(powerBI, nil)]),
            user("u4", "Anna Lis", "anna.lis@fixture.pl", [licence(powerBI, "ss-pbi-anna"), licence(teams, nil)]),
            user("u5", "Zenon Żak", "zenon.zak@fixture.pl", enabled: false, [licence(project, "ss-project")]),
            user("u6", "Eve | <script>alert(1)</script> *x* # [a](javascript:x)", "eve@fixture.pl", [licence(teams, "ss-teams")]),
            // No subscriptionId, two Visio pools (trial + reseller): not attributed.
            user("u7", "Adam Ząb", "adam@fixture.pl", [licence(visio, nil)]),
        ]
        return Snapshot(slug: "fixture", capturedDateTime: ts("2026-11-20T07:30:00Z"),
                        tenant: Tenant(id: "00000000-0000-0000-0000-000000000001", displayName: "Fixture sp. z o.o.", defaultDomain: "fixture.pl",
                                       countryLetterCode: "PL", preferredLanguage: .pl, management: Management(channel: .homePl)),
                        subscriptions: subscriptions, users: users)
    }

    static var emptySnapshot: Snapshot {
        var s = snapshot
        s.subscriptions = s.subscriptions.filter { $0.purchaseChannel != .selfService }
        s.tenant.displayName = "Pusta | *firma*"
        return s
    }
}
