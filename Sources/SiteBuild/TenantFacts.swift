import Foundation
import TenantModel

/// Facts derived from one snapshot that several pages share: costs and what needs attention.
/// Pure functions of the snapshot and "today".
public enum TenantFacts {
    /// Net cost of one subscription per month: unit price × usable licences ÷ months in the billing cycle.
    /// nil when the snapshot has no price or the cycle is unknown.
    public static func monthlyCost(_ s: Subscription) -> Money? {
        guard let price = s.unitPrice, let currency = s.currencyCode, let months = s.billingCycle?.months else { return nil }
        return Money(price * Decimal(s.prepaidUnits.enabled) / Decimal(months), currency)
    }

    /// Net cost per month of the licences bought but not assigned.
    public static func unassignedMonthlyCost(_ s: Subscription) -> Money? {
        guard let price = s.unitPrice, let currency = s.currencyCode, let months = s.billingCycle?.months, s.availableUnits > 0 else { return nil }
        return Money(price * Decimal(s.availableUnits) / Decimal(months), currency)
    }

    /// Whether a subscription counts toward what a tenant pays and uses now.
    public static func isLive(_ s: Subscription) -> Bool { s.status != .deleted }

    public enum AttentionKind: String, Sendable, CaseIterable {
        case endingWithoutRenewal, overAssigned, unassigned, suspended, expired, disabled, licenceErrors, disabledUsersWithLicences
    }

    public struct AttentionItem: Sendable {
        public var kind: AttentionKind
        public var subscriptionId: String?
        public var userIds: [String] = []
        /// Days left until the next lifecycle date, for `endingWithoutRenewal`.
        public var daysLeft: Int?
    }

    /// Everything an admin should look at, in a stable order (by rule, then by subscription order in the file).
    public static func attention(_ snapshot: Snapshot, asOf: CivilDate) -> [AttentionItem] {
        var items: [AttentionItem] = []
        for s in snapshot.subscriptions where isLive(s) {
            if s.autoRenewEnabled == false, let next = s.nextLifecycleDateTime, s.status == .active {
                let days = asOf.days(until: next.civil(in: .warsaw).date)
                if (0...30).contains(days) { items.append(AttentionItem(kind: .endingWithoutRenewal, subscriptionId: s.id, daysLeft: days)) }
            }
        }
        for s in snapshot.subscriptions where isLive(s) && s.status == .active && s.consumedUnits > s.prepaidUnits.enabled {
            items.append(AttentionItem(kind: .overAssigned, subscriptionId: s.id))
        }
        for s in snapshot.subscriptions where isLive(s) && s.status == .active && !s.isTrial && s.availableUnits > 0 {
            items.append(AttentionItem(kind: .unassigned, subscriptionId: s.id))
        }
        for s in snapshot.subscriptions where s.status == .suspended {
            items.append(AttentionItem(kind: .suspended, subscriptionId: s.id))
        }
        for s in snapshot.subscriptions where s.status == .expired {
            items.append(AttentionItem(kind: .expired, subscriptionId: s.id))
        }
        for s in snapshot.subscriptions where s.status == .disabled {
            items.append(AttentionItem(kind: .disabled, subscriptionId: s.id))
        }
        let erroring = snapshot.users.filter { $0.licenseAssignmentStates.contains(where: \.hasError) }
        if !erroring.isEmpty { items.append(AttentionItem(kind: .licenceErrors, userIds: erroring.map(\.id))) }
        let blocked = snapshot.users.filter { !$0.accountEnabled && !$0.licenseAssignmentStates.isEmpty }
        if !blocked.isEmpty { items.append(AttentionItem(kind: .disabledUsersWithLicences, userIds: blocked.map(\.id))) }
        return items
    }
}

/// What the partner home shows of one tenant; small, so thousands can be kept while pages are written.
public struct TenantSummary: Sendable {
    public var slug: String
    public var displayName: String
    public var defaultDomain: String
    public var channel: Management.Channel
    public var partnerName: String?
    public var capturedDateTime: Timestamp
    public var licencesTotal: Int
    public var licencesAssigned: Int
    public var subscriptionCount: Int
    public var selfServiceCount: Int
    /// Net monthly cost of the active, paid self-service purchases, per currency (see `SelfServicePurchases`).
    public var selfServiceMonthlySpend: MoneyTotals
    public var monthlySpend: MoneyTotals
    public var attentionCount: Int
    public var unpaidInvoices: Int

    public init(_ snapshot: Snapshot, settings: BuildSettings) {
        let asOf = settings.asOf ?? snapshot.capturedDateTime.civil(in: .warsaw).date
        let live = snapshot.subscriptions.filter(TenantFacts.isLive)
        slug = snapshot.slug
        displayName = snapshot.tenant.displayName
        defaultDomain = snapshot.tenant.defaultDomain
        channel = snapshot.tenant.management.channel
        partnerName = snapshot.tenant.management.partnerName
        capturedDateTime = snapshot.capturedDateTime
        licencesTotal = live.reduce(0) { $0 + $1.prepaidUnits.enabled }
        licencesAssigned = live.reduce(0) { $0 + $1.consumedUnits }
        subscriptionCount = live.count
        selfServiceCount = live.filter { $0.purchaseChannel == .selfService }.count
        selfServiceMonthlySpend = SelfServicePurchases(snapshot, asOf: asOf).monthlySpend
        var spend = MoneyTotals()
        for s in live where s.status == .active { if let cost = TenantFacts.monthlyCost(s) { spend.add(cost) } }
        monthlySpend = spend
        attentionCount = TenantFacts.attention(snapshot, asOf: asOf).count
        unpaidInvoices = snapshot.invoices.filter { $0.outstanding > 0 }.count
    }
}
