import Foundation
import Synchronization
import TenantModel

/// Facts derived from one snapshot that several pages share: licence counts, costs, who holds what, and what
/// needs attention. Pure functions of the snapshot and "today"; no words (pages turn them into sentences).
///
/// Decisions (docs/overview.md explains them for readers of the pages):
/// - **Usable licences** are `prepaidUnits.enabled + prepaidUnits.warning`: when a subscription expires,
///   Microsoft moves its licences from `enabled` to `warning`, and users keep working with them until the
///   subscription is disabled. Over-assignment and free licences are judged against this number, so an expired
///   pool whose users all still hold a licence is *not* over-assigned. `suspended` and `lockedOut` licences cannot
///   be used by anyone and are shown apart.
/// - **Cost** is paid for `enabled` licences only (an expired pool is not billed again); a trial is free.
public enum TenantFacts {
    // MARK: Licences

    /// Licences users can work with now: enabled, plus those of an expired subscription still in grace.
    public static func usableUnits(_ s: Subscription) -> Int { s.prepaidUnits.enabled + s.prepaidUnits.warning }

    /// Usable licences nobody holds; negative when more are assigned than usable (over-assigned).
    public static func freeUnits(_ s: Subscription) -> Int { usableUnits(s) - s.consumedUnits }

    /// Licences that exist but nobody can use (suspended or locked out).
    public static func blockedUnits(_ s: Subscription) -> Int { s.prepaidUnits.suspended + s.prepaidUnits.lockedOut }

    /// Whether a subscription counts toward what a tenant has and uses now.
    public static func isLive(_ s: Subscription) -> Bool { s.status != .deleted }

    /// The one definition of a tenant's licence totals, over its live subscriptions.
    public struct LicenceTotals: Sendable, Equatable {
        /// Licences people can use (`usableUnits`).
        public var usable = 0
        /// Licences assigned (`consumedUnits`).
        public var assigned = 0
        /// Usable licences nobody holds, added up only where a subscription has some (an over-assigned one adds 0).
        public var free = 0
        /// Licences assigned beyond the usable ones, added up over over-assigned subscriptions.
        public var over = 0

        public init(_ live: [Subscription]) {
            for s in live where isLive(s) {
                usable += usableUnits(s)
                assigned += s.consumedUnits
                free += max(0, freeUnits(s))
                over += max(0, -freeUnits(s))
            }
        }
    }

    // MARK: Costs

    /// Net cost of one subscription per month: unit price × enabled licences ÷ months in the billing cycle.
    /// nil when the snapshot has no price or the cycle is unknown or not recurring, and for trials and deleted
    /// subscriptions (nothing is billed).
    public static func monthlyCost(_ s: Subscription) -> Money? {
        guard !s.isTrial, s.status != .deleted, let price = s.unitPrice, let currency = s.currencyCode,
              let months = s.billingCycle?.months else { return nil }
        return Money(price * s.prepaidUnits.enabled / months, currency)
    }

    /// Net cost per year: twelve months of `monthlyCost`.
    public static func yearlyCost(_ s: Subscription) -> Money? {
        monthlyCost(s).map { Money($0.amount * 12, $0.currency) }
    }

    /// Net cost per month of the paid licences nobody holds (nil when none are free or the price is not known).
    public static func unassignedMonthlyCost(_ s: Subscription) -> Money? {
        let unassigned = s.prepaidUnits.enabled - s.consumedUnits
        guard unassigned > 0, !s.isTrial, s.status == .active, let price = s.unitPrice, let currency = s.currencyCode,
              let months = s.billingCycle?.months else { return nil }
        return Money(price * unassigned / months, currency)
    }

    /// Monthly cost of every live subscription, per currency, never added across currencies.
    public static func monthlySpend(_ subscriptions: [Subscription]) -> MoneyTotals {
        var totals = MoneyTotals()
        for s in subscriptions { if let cost = monthlyCost(s) { totals.add(cost) } }
        return totals
    }

    // MARK: Who bills it

    /// Who sends the bill for a subscription: the reseller or partner, Microsoft directly, or the employee who bought it
    /// on their own card; unknown when no file said who bought it.
    public enum Biller: String, Sendable, CaseIterable {
        case seller, microsoft, employees, unknown
    }

    public static func biller(_ s: Subscription) -> Biller {
        switch s.purchaseChannel {
        case .reseller, .partner: return .seller
        case .direct: return .microsoft
        case .selfService: return .employees
        case .unknown: return .unknown
        }
    }

    /// The monthly cost of `subscriptions` (the overview's figure: live, paid) split by who bills it, per currency; only
    /// the billers that bill something, in `Biller` order.
    public static func monthlyByBiller(_ subscriptions: [Subscription]) -> [(biller: Biller, totals: MoneyTotals)] {
        var split: [Biller: MoneyTotals] = [:]
        for s in subscriptions { if let cost = monthlyCost(s) { split[biller(s), default: MoneyTotals()].add(cost) } }
        return Biller.allCases.compactMap { b in split[b].map { (b, $0) } }
    }

    // MARK: Renewals and unused licences

    /// What a subscription could save: licences nobody holds (reducible at the next renewal, at its date), licences held
    /// by people who cannot or do not sign in (blocked, or idle `idleDays` or more: reassignable now), and what the
    /// unused ones cost a month.
    public struct Savings: Sendable {
        public var reducible = 0
        public var renewal: CivilDate?
        public var reassignable = 0
        public var unusedMonthly: Money?
    }

    public static func savings(_ s: Subscription, holders: [Holder], asOf: CivilDate) -> Savings {
        var result = Savings()
        guard isLive(s), s.status == .active, !s.isTrial, LicenceClass.of(s) == .paid else { return result }
        result.reducible = max(0, s.prepaidUnits.enabled - s.consumedUnits)
        result.renewal = s.nextLifecycleDateTime?.civil(in: .warsaw).date
        result.reassignable = holders.filter { h in
            !h.poolUncertain && (!h.user.accountEnabled || (daysIdle(h.user, asOf: asOf) ?? 0) >= idleDays)
        }.count
        if let price = licenceMonthlyCost(s) { result.unusedMonthly = Money(price.amount * (result.reducible + result.reassignable), price.currency) }
        return result
    }

    // MARK: Who holds a subscription

    /// One user's licence from one subscription's pool.
    public struct Holder: Sendable {
        public var user: User
        public var assignment: LicenseAssignment
        /// The snapshot names no subscription and the tenant has several of this sku: the licence may come from
        /// another subscription's pool.
        public var poolUncertain: Bool
    }

    // MARK: Attention

    /// The rules, in the order the attention list shows them (most urgent first).
    public enum AttentionKind: String, Sendable, CaseIterable, Codable {
        /// More licences assigned than usable (active or expired pools).
        case overAssigned
        /// Users whose licence is in an error state (`Error`, `ActiveWithError`, or an error other than `None`).
        case licenceErrors
        /// Active, auto-renew off, next lifecycle date within 30 days of "today".
        case endingWithoutRenewal
        /// Active, auto-renew not in the snapshot, next lifecycle date within 30 days: it renews or ends, we cannot say.
        case renewalUnknown
        case suspended
        case disabled
        case expired
        /// Accounts with sign-in blocked that still hold licences.
        case disabledUsersWithLicences
        /// Enabled accounts holding licences that have not signed in for `idleLongDays` or more, or never (v4 sign-in data).
        case idleLicences
        /// The same for `idleDays` to `idleLongDays - 1` days.
        case idleLicences30
        /// Active paid subscriptions with enabled licences nobody holds, when the price is known.
        case unassigned
        /// Invoices past their due date with money outstanding.
        case overdueInvoices
        /// Invoices with money outstanding, not yet due.
        case unpaidInvoices
        /// The sources the snapshot was made from disagree (`Snapshot.disagreements`), one item each.
        case disagreement
    }

    public struct AttentionItem: Sendable {
        public var kind: AttentionKind
        public var subscriptionId: String?
        public var userIds: [String] = []
        /// Days from "today" to the next lifecycle date, for the rules about dates.
        public var daysLeft: Int?
        /// What the sources say, for a `.disagreement`.
        public var disagreement: Disagreement?
        /// The invoices, for `.overdueInvoices` and `.unpaidInvoices`.
        public var invoiceIds: [String] = []
        /// What it costs or is owed, per currency: the idle people's licences a month, the invoices' outstanding amounts.
        public var amounts = MoneyTotals()
    }

    /// Days without a sign-in after which a licence counts as idle, and as long idle.
    public static let idleDays = 30
    public static let idleLongDays = 90

    /// Whole days from the person's last sign-in to "today"; nil when the snapshot has no sign-in data for them;
    /// `Int.max` when Microsoft has no sign-in on record (never signed in).
    public static func daysIdle(_ user: User, asOf: CivilDate) -> Int? {
        guard let activity = user.signInActivity else { return nil }
        guard let last = activity.last else { return Int.max }
        return max(0, last.civil(in: .warsaw).date.days(until: asOf))
    }

    /// What one licence of a subscription costs a month, net (nil: no price, a trial, not recurring, or not paid).
    public static func licenceMonthlyCost(_ s: Subscription) -> Money? {
        guard !s.isTrial, s.status != .deleted, LicenceClass.of(s) == .paid, let price = s.unitPrice, let currency = s.currencyCode,
              let months = s.billingCycle?.months else { return nil }
        return Money(price / months, currency)
    }

    /// What a person's licences cost a month, per currency: each licence at its subscription's price (the one it
    /// names, else the only one of its sku).
    public static func personMonthlyCost(_ user: User, subscriptionOf: (LicenseAssignment) -> Subscription?) -> MoneyTotals {
        var totals = MoneyTotals()
        for a in user.licenseAssignmentStates where a.state != .error {
            if let s = subscriptionOf(a), let cost = licenceMonthlyCost(s) { totals.add(cost) }
        }
        return totals
    }

    /// How far ahead the date rules look, in days.
    public static let endingWindowDays = 30

    /// Everything an admin should look at, in a stable order: by rule (most urgent first), then by the
    /// subscriptions' order in the file.
    public static func attention(_ snapshot: Snapshot, asOf: CivilDate) -> [AttentionItem] {
        var items: [AttentionItem] = []
        let live = snapshot.subscriptions.filter(isLive)
        func daysLeft(_ s: Subscription) -> Int? {
            s.nextLifecycleDateTime.map { asOf.days(until: $0.civil(in: .warsaw).date) }
        }
        for s in live where (s.status == .active || s.status == .expired) && freeUnits(s) < 0 && LicenceClass.of(s) == .paid {
            items.append(AttentionItem(kind: .overAssigned, subscriptionId: s.id))
        }
        let erroring = snapshot.users.filter { $0.licenseAssignmentStates.contains(where: \.hasError) }
        if !erroring.isEmpty { items.append(AttentionItem(kind: .licenceErrors, userIds: erroring.map(\.id))) }
        for s in live where s.status == .active && s.autoRenewEnabled == false {
            if let days = daysLeft(s), (0...endingWindowDays).contains(days) {
                items.append(AttentionItem(kind: .endingWithoutRenewal, subscriptionId: s.id, daysLeft: days))
            }
        }
        for s in live where s.status == .active && s.autoRenewEnabled == nil {
            if let days = daysLeft(s), (0...endingWindowDays).contains(days) {
                items.append(AttentionItem(kind: .renewalUnknown, subscriptionId: s.id, daysLeft: days))
            }
        }
        for (status, kind) in [(Subscription.Status.suspended, AttentionKind.suspended), (.disabled, .disabled), (.expired, .expired)] {
            for s in live where s.status == status {
                items.append(AttentionItem(kind: kind, subscriptionId: s.id, daysLeft: daysLeft(s)))
            }
        }
        let blocked = snapshot.users.filter { !$0.accountEnabled && !$0.licenseAssignmentStates.isEmpty }
        if !blocked.isEmpty { items.append(AttentionItem(kind: .disabledUsersWithLicences, userIds: blocked.map(\.id))) }
        // Idle licences: enabled people holding licences who have not signed in for a long time (v4 sign-in data).
        let byId = Dictionary(snapshot.subscriptions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let skuPools = Dictionary(grouping: snapshot.subscriptions, by: \.skuId)
        let subscriptionOf = { (a: LicenseAssignment) -> Subscription? in
            if let id = a.subscriptionId { return byId[id] }
            let pool = skuPools[a.skuId] ?? []
            return pool.count == 1 ? pool[0] : nil
        }
        for (kind, range) in [(AttentionKind.idleLicences, idleLongDays...Int.max), (.idleLicences30, idleDays...(idleLongDays - 1))] {
            let idle = snapshot.users.filter { user in
                user.accountEnabled && !user.licenseAssignmentStates.isEmpty && daysIdle(user, asOf: asOf).map(range.contains) == true
            }
            guard !idle.isEmpty else { continue }
            var item = AttentionItem(kind: kind, userIds: idle.map(\.id))
            for user in idle { for money in personMonthlyCost(user, subscriptionOf: subscriptionOf).sorted { item.amounts.add(money) } }
            items.append(item)
        }
        for s in live where LicenceClass.of(s) == .paid && unassignedMonthlyCost(s).map({ $0.amount > 0 }) ?? false {
            items.append(AttentionItem(kind: .unassigned, subscriptionId: s.id))
        }
        // Invoices with money outstanding: overdue ones, then those not yet due (the rule of `InvoiceFacts.status`).
        var overdue = AttentionItem(kind: .overdueInvoices), unpaid = AttentionItem(kind: .unpaidInvoices)
        for invoice in snapshot.invoices.sorted(by: InvoiceFacts.chronological) where InvoiceFacts.isOpen(invoice) && invoice.outstanding > 0 {
            if invoice.dueDate < asOf {
                overdue.invoiceIds.append(invoice.id)
                overdue.amounts.add(invoice.outstanding, invoice.currencyCode)
            } else {
                unpaid.invoiceIds.append(invoice.id)
                unpaid.amounts.add(invoice.outstanding, invoice.currencyCode)
            }
        }
        for item in [overdue, unpaid] where !item.invoiceIds.isEmpty { items.append(item) }
        // Where the sources disagree: about a subscription (or a sku, through its subscription), or a person.
        let bySku = snapshot.disagreements.isEmpty ? [:] : Dictionary(grouping: snapshot.subscriptions, by: \.skuId)
        for d in snapshot.disagreements {
            var item = AttentionItem(kind: .disagreement, disagreement: d)
            switch d.subject {
            case .subscription: item.subscriptionId = snapshot.subscriptions.first { $0.id == d.id }?.id
            case .sku: item.subscriptionId = bySku[d.id]?.first?.id
            case .user: item.userIds = snapshot.users.contains { $0.id == d.id } ? [d.id] : []
            case .tenant: break
            }
            items.append(item)
        }
        return items
    }
}

/// What the partner home shows of one tenant; small, so thousands can be kept while pages are written.
public struct TenantSummary: Sendable, Codable {
    public var slug: String
    public var tenantId: String
    public var displayName: String
    public var defaultDomain: String
    public var channel: Management.Channel
    public var partnerName: String?
    public var capturedDateTime: Timestamp
    /// Usable licences of live subscriptions (see `TenantFacts.usableUnits`).
    public var licencesTotal: Int
    public var licencesAssigned: Int
    public var subscriptionCount: Int
    public var selfServiceCount: Int
    /// Net monthly cost of the active, paid self-service purchases, per currency (see `SelfServicePurchases`).
    public var selfServiceMonthlySpend: MoneyTotals
    public var monthlySpend: MoneyTotals
    public var attentionCount: Int
    /// How many attention items of each rule, in the rules' order (only rules that fired).
    public var attentionKinds: [(kind: TenantFacts.AttentionKind, count: Int)]
    /// Documents with money still to move either way (`InvoiceFacts.isOpen`): unpaid invoices, and credit notes
    /// awaiting their refund, as the overview counts them.
    public var unpaidInvoices: Int
    /// How many snapshots the tenant's history holds (1 for a single file).
    public var snapshots: Int
    /// The changes of the tenant's last few snapshots (`recentSteps` at most), oldest first: the partner's feed and
    /// the home page's changes column. Older ones are on the tenant's own page and feed.
    public var recentSteps: [TenantHistory.Step]
    public static let recentSteps = 3

    /// "Today" for the tenant and what it must act on in the next `calendarDays` days (and invoices overdue).
    public var asOf: CivilDate
    public var calendar: [CalendarEvent]
    public static let calendarDays = 90

    /// The weight of the latest changes (`Change.Kind.weight`), for the partner home's order.
    public var latestWeight: Int { recentSteps.last?.weight ?? 0 }

    public init(_ snapshot: Snapshot, settings: BuildSettings) { self.init(TenantPlan(snapshot, settings: settings)) }

    public init(_ plan: TenantPlan, history: TenantHistory? = nil) {
        snapshots = history?.snapshots ?? 1
        asOf = plan.asOf
        let horizon = plan.asOf.adding(days: Self.calendarDays)
        calendar = plan.calendar.filter { $0.date <= horizon }
        recentSteps = Array((history?.steps ?? []).suffix(Self.recentSteps))
        let snapshot = plan.snapshot
        let live = plan.live
        slug = snapshot.slug
        tenantId = snapshot.tenant.id
        displayName = snapshot.tenant.displayName
        defaultDomain = snapshot.tenant.defaultDomain
        channel = snapshot.tenant.management.channel
        partnerName = snapshot.tenant.management.partnerName
        capturedDateTime = snapshot.capturedDateTime
        licencesTotal = plan.licences.usable
        licencesAssigned = plan.licences.assigned
        subscriptionCount = live.count
        selfServiceCount = live.filter { $0.purchaseChannel == .selfService }.count
        selfServiceMonthlySpend = plan.selfService.monthlySpend
        monthlySpend = TenantFacts.monthlySpend(live)
        let items = plan.attention
        attentionCount = items.count
        attentionKinds = TenantFacts.AttentionKind.allCases.compactMap { kind in
            let n = items.filter { $0.kind == kind }.count
            return n > 0 ? (kind, n) : nil
        }
        unpaidInvoices = snapshot.invoices.filter(InvoiceFacts.isOpen).count
    }
}

extension TenantSummary {
    private enum CodingKeys: String, CodingKey {
        case slug, tenantId, displayName, defaultDomain, channel, partnerName, capturedDateTime, licencesTotal, licencesAssigned
        case subscriptionCount, selfServiceCount, selfServiceMonthlySpend, monthlySpend, attentionCount, attentionKinds
        case unpaidInvoices, snapshots, recentSteps, asOf, calendar
    }

    private struct KindCount: Codable {
        var kind: TenantFacts.AttentionKind
        var count: Int
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        slug = try c.decode(String.self, forKey: .slug)
        tenantId = try c.decode(String.self, forKey: .tenantId)
        displayName = try c.decode(String.self, forKey: .displayName)
        defaultDomain = try c.decode(String.self, forKey: .defaultDomain)
        channel = try c.decode(Management.Channel.self, forKey: .channel)
        partnerName = try c.decodeIfPresent(String.self, forKey: .partnerName)
        capturedDateTime = try c.decode(Timestamp.self, forKey: .capturedDateTime)
        licencesTotal = try c.decode(Int.self, forKey: .licencesTotal)
        licencesAssigned = try c.decode(Int.self, forKey: .licencesAssigned)
        subscriptionCount = try c.decode(Int.self, forKey: .subscriptionCount)
        selfServiceCount = try c.decode(Int.self, forKey: .selfServiceCount)
        selfServiceMonthlySpend = try c.decode(MoneyTotals.self, forKey: .selfServiceMonthlySpend)
        monthlySpend = try c.decode(MoneyTotals.self, forKey: .monthlySpend)
        attentionCount = try c.decode(Int.self, forKey: .attentionCount)
        attentionKinds = try c.decode([KindCount].self, forKey: .attentionKinds).map { ($0.kind, $0.count) }
        unpaidInvoices = try c.decode(Int.self, forKey: .unpaidInvoices)
        snapshots = try c.decode(Int.self, forKey: .snapshots)
        recentSteps = try c.decode([TenantHistory.Step].self, forKey: .recentSteps)
        asOf = try c.decode(CivilDate.self, forKey: .asOf)
        calendar = try c.decode([CalendarEvent].self, forKey: .calendar)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(slug, forKey: .slug)
        try c.encode(tenantId, forKey: .tenantId)
        try c.encode(displayName, forKey: .displayName)
        try c.encode(defaultDomain, forKey: .defaultDomain)
        try c.encode(channel, forKey: .channel)
        try c.encodeIfPresent(partnerName, forKey: .partnerName)
        try c.encode(capturedDateTime, forKey: .capturedDateTime)
        try c.encode(licencesTotal, forKey: .licencesTotal)
        try c.encode(licencesAssigned, forKey: .licencesAssigned)
        try c.encode(subscriptionCount, forKey: .subscriptionCount)
        try c.encode(selfServiceCount, forKey: .selfServiceCount)
        try c.encode(selfServiceMonthlySpend, forKey: .selfServiceMonthlySpend)
        try c.encode(monthlySpend, forKey: .monthlySpend)
        try c.encode(attentionCount, forKey: .attentionCount)
        try c.encode(attentionKinds.map { KindCount(kind: $0.kind, count: $0.count) }, forKey: .attentionKinds)
        try c.encode(unpaidInvoices, forKey: .unpaidInvoices)
        try c.encode(snapshots, forKey: .snapshots)
        try c.encode(recentSteps, forKey: .recentSteps)
        try c.encode(asOf, forKey: .asOf)
        try c.encode(calendar, forKey: .calendar)
    }
}

extension TenantSummary {
    /// A summary as the manifest keeps it (`SiteBuilder.summaryJSON`), read field by field from its parsed JSON. A
    /// refresh of a thousand tenants reads 990 of them, and the general way (`JSONNodeDecoder`, through `Codable`)
    /// was a tenth of its time. Nil for anything this does not expect — a history step (`recentSteps`), an unknown
    /// name, a value of another shape — which the general way then reads (`SummaryRoundTripTests` holds both to the
    /// same result).
    static func reading(_ bytes: [UInt8]) -> TenantSummary? {
        guard let node = try? JSONParser.parse(bytes), case .object(let members) = node.value else { return nil }
        var slug: String?, tenantId: String?, displayName: String?, defaultDomain: String?, partnerName: String?
        var channel: Management.Channel?, captured: Timestamp?, asOf: CivilDate?
        var licencesTotal: Int?, licencesAssigned: Int?, subscriptionCount: Int?, selfServiceCount: Int?, attentionCount: Int?
        var unpaidInvoices: Int?, snapshots: Int?
        var selfServiceSpend: MoneyTotals?, monthlySpend: MoneyTotals?
        var attentionKinds: [(kind: TenantFacts.AttentionKind, count: Int)]?, calendar: [CalendarEvent]?, noSteps = false

        func text(_ node: JSONNode) -> String? { if case .string(let s) = node.value { return s }; return nil }
        func int(_ node: JSONNode) -> Int? { if case .number(let n) = node.value { return Int(n) }; return nil }
        func object(_ node: JSONNode) -> [JSONNode.Member]? { if case .object(let m) = node.value { return m }; return nil }
        func array(_ node: JSONNode) -> [JSONNode]? { if case .array(let a) = node.value { return a }; return nil }
        func amount(_ node: JSONNode) -> Amount? { text(node).flatMap { Amount(exactly: $0) } }
        func totals(_ node: JSONNode) -> MoneyTotals? {
            guard let outer = object(node), outer.count == 1, outer[0].key == "amounts", let inner = object(outer[0].value) else { return nil }
            var totals = MoneyTotals()
            for member in inner {
                guard let value = amount(member.value) else { return nil }
                totals.add(value, member.key)
            }
            return totals
        }
        func event(_ node: JSONNode) -> CalendarEvent? {
            guard let fields = object(node) else { return nil }
            var kind: CalendarEvent.Kind?, date: CivilDate?, subject: String?, name: String?, money: Money?
            for field in fields {
                switch field.key {
                case "kind": kind = text(field.value).flatMap(CalendarEvent.Kind.init(rawValue:))
                case "date": date = text(field.value).flatMap { CivilDate(iso: $0) }
                case "subjectId": subject = text(field.value)
                case "name": name = text(field.value)
                case "amount":
                    guard let parts = object(field.value), parts.count == 2,
                          let value = parts.first(where: { $0.key == "amount" }).flatMap({ amount($0.value) }),
                          let currency = parts.first(where: { $0.key == "currency" }).flatMap({ text($0.value) }) else { return nil }
                    money = Money(value, currency)
                default: return nil
                }
            }
            guard let kind, let date, let subject, let name else { return nil }
            return CalendarEvent(kind: kind, date: date, subjectId: subject, name: name, amount: money)
        }

        for member in members {
            let value = member.value
            switch member.key {
            case "slug": slug = text(value)
            case "tenantId": tenantId = text(value)
            case "displayName": displayName = text(value)
            case "defaultDomain": defaultDomain = text(value)
            case "partnerName": guard let name = text(value) else { return nil }; partnerName = name
            case "channel": channel = text(value).flatMap(Management.Channel.init(rawValue:))
            case "capturedDateTime":
                guard case .number(let n) = value.value, let seconds = Int64(n) else { return nil }
                captured = Timestamp(secondsSinceEpoch: seconds)
            case "asOf": asOf = text(value).flatMap { CivilDate(iso: $0) }
            case "licencesTotal": licencesTotal = int(value)
            case "licencesAssigned": licencesAssigned = int(value)
            case "subscriptionCount": subscriptionCount = int(value)
            case "selfServiceCount": selfServiceCount = int(value)
            case "attentionCount": attentionCount = int(value)
            case "unpaidInvoices": unpaidInvoices = int(value)
            case "snapshots": snapshots = int(value)
            case "selfServiceMonthlySpend": selfServiceSpend = totals(value)
            case "monthlySpend": monthlySpend = totals(value)
            case "recentSteps": noSteps = array(value)?.isEmpty == true
            case "attentionKinds":
                guard let items = array(value) else { return nil }
                var kinds: [(kind: TenantFacts.AttentionKind, count: Int)] = []
                for item in items {
                    guard let fields = object(item), fields.count == 2,
                          let kind = fields.first(where: { $0.key == "kind" }).flatMap({ text($0.value) }).flatMap(TenantFacts.AttentionKind.init(rawValue:)),
                          let count = fields.first(where: { $0.key == "count" }).flatMap({ int($0.value) }) else { return nil }
                    kinds.append((kind, count))
                }
                attentionKinds = kinds
            case "calendar":
                guard let items = array(value) else { return nil }
                var events: [CalendarEvent] = []
                for item in items {
                    guard let event = event(item) else { return nil }
                    events.append(event)
                }
                calendar = events
            default:
                return nil
            }
        }
        guard noSteps, let slug, let tenantId, let displayName, let defaultDomain, let channel, let captured, let asOf, let licencesTotal,
              let licencesAssigned, let subscriptionCount, let selfServiceCount, let attentionCount, let unpaidInvoices, let snapshots,
              let selfServiceSpend, let monthlySpend, let attentionKinds, let calendar else { return nil }
        return TenantSummary(slug: slug, tenantId: tenantId, displayName: displayName, defaultDomain: defaultDomain, channel: channel,
                             partnerName: partnerName, capturedDateTime: captured, licencesTotal: licencesTotal,
                             licencesAssigned: licencesAssigned, subscriptionCount: subscriptionCount, selfServiceCount: selfServiceCount,
                             selfServiceMonthlySpend: selfServiceSpend, monthlySpend: monthlySpend, attentionCount: attentionCount,
                             attentionKinds: attentionKinds, unpaidInvoices: unpaidInvoices, snapshots: snapshots, recentSteps: [],
                             asOf: asOf, calendar: calendar)
    }

    private init(slug: String, tenantId: String, displayName: String, defaultDomain: String, channel: Management.Channel,
                 partnerName: String?, capturedDateTime: Timestamp, licencesTotal: Int, licencesAssigned: Int, subscriptionCount: Int,
                 selfServiceCount: Int, selfServiceMonthlySpend: MoneyTotals, monthlySpend: MoneyTotals, attentionCount: Int,
                 attentionKinds: [(kind: TenantFacts.AttentionKind, count: Int)], unpaidInvoices: Int, snapshots: Int,
                 recentSteps: [TenantHistory.Step], asOf: CivilDate, calendar: [CalendarEvent]) {
        self.slug = slug
        self.tenantId = tenantId
        self.displayName = displayName
        self.defaultDomain = defaultDomain
        self.channel = channel
        self.partnerName = partnerName
        self.capturedDateTime = capturedDateTime
        self.licencesTotal = licencesTotal
        self.licencesAssigned = licencesAssigned
        self.subscriptionCount = subscriptionCount
        self.selfServiceCount = selfServiceCount
        self.selfServiceMonthlySpend = selfServiceMonthlySpend
        self.monthlySpend = monthlySpend
        self.attentionCount = attentionCount
        self.attentionKinds = attentionKinds
        self.unpaidInvoices = unpaidInvoices
        self.snapshots = snapshots
        self.recentSteps = recentSteps
        self.asOf = asOf
        self.calendar = calendar
    }
}
