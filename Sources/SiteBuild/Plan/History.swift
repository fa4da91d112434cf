import TenantModel

/// One thing that differs between two consecutive snapshots of a tenant: what kind of change, what it is about, and
/// the values before and after. No words: `ChangeWords` says it in a language. docs/history.md lists every kind.
public struct Change: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        // Subscriptions, matched by id.
        case subscriptionAdded, subscriptionRemoved, statusChanged, trialChanged
        case priceChanged, billingCycleChanged, termChanged, autoRenewChanged
        // Per product (sku), over the live subscriptions.
        case licencesChanged, assignmentsChanged
        // People, matched by id; licences per person and sku.
        case personJoined, personLeft, personBlocked, personUnblocked
        case licenceGained, licenceLost, licenceStateChanged
        // Self-service purchases.
        case selfServiceBought, selfServiceCancelled
        // Invoices, matched by id.
        case invoiceIssued, invoiceRemoved, invoicePaid, invoicePartlyPaid, invoiceOverdue
        // Money and attention.
        case monthlyCostChanged
        case attentionRaised, attentionResolved
        case channelChanged

        /// How much a change of this kind matters to whoever pays or answers for the tenant: the partner home puts
        /// the tenants whose latest changes weigh most first.
        public var weight: Int {
            switch self {
            case .attentionRaised, .invoiceOverdue, .selfServiceBought: return 5
            case .statusChanged, .subscriptionRemoved, .priceChanged, .monthlyCostChanged, .channelChanged, .personBlocked: return 4
            case .subscriptionAdded, .licencesChanged, .autoRenewChanged, .billingCycleChanged, .termChanged, .trialChanged,
                 .selfServiceCancelled, .licenceStateChanged: return 3
            case .personJoined, .personLeft, .licenceGained, .licenceLost, .assignmentsChanged, .invoiceIssued, .invoiceRemoved: return 2
            case .invoicePaid, .invoicePartlyPaid, .attentionResolved, .personUnblocked: return 1
            }
        }
    }

    /// What a change is about, for its link.
    public enum Subject: Sendable, Hashable, Codable {
        case tenant
        case subscription(String)
        /// A sku: the products table of the overview.
        case product(String)
        case user(String)
        case invoice(String)
        case currency(String)
    }

    /// A value before or after.
    public enum Value: Sendable, Hashable, Codable {
        /// Not there (before something was added, after it went).
        case none
        /// The snapshot does not say (a price, a cycle, auto-renew missing).
        case unknown
        case count(Int)
        /// How many licences a new subscription brings.
        case licences(Int)
        case money(Money)
        case status(Subscription.Status)
        case trial(Bool)
        case cycle(Subscription.BillingCycle)
        /// As the snapshot writes it (a term such as `P1Y`).
        case text(String)
        case autoRenew(Bool)
        case account(enabled: Bool)
        case licence(LicenseAssignment.State, LicenseAssignment.AssignmentError?)
        case invoiceStatus(InvoiceStatus)
        /// The products a person holds, by name (a person joining or leaving).
        case products([String])
        case attention(TenantFacts.AttentionKind)
        case channel(Management.Channel, partner: String?)
    }

    public var kind: Kind
    public var subject: Subject
    /// What it is about, in the data's own words: a product's name, a person's name, an invoice's number.
    public var name: String
    /// The product a person's licence is of (licence changes).
    public var product: String?
    /// The subscription a person's licence comes from, when the snapshot says (its page is the change's link).
    public var subscriptionId: String?
    public var before: Value
    public var after: Value

    public init(_ kind: Kind, _ subject: Subject, name: String, product: String? = nil, before: Value = .none, after: Value = .none) {
        self.kind = kind
        self.subject = subject
        self.name = name
        self.product = product
        self.before = before
        self.after = after
    }
}

/// What a snapshot says in numbers the trend charts draw: small, one per snapshot of a history.
public struct TrendPoint: Sendable {
    public var captured: Timestamp
    /// Paid licences (`TenantPlan.licences`): usable and assigned.
    public var usable: Int
    public var assigned: Int
    /// Net monthly cost of the paid live subscriptions, per currency (the overview's figure).
    public var monthly: MoneyTotals

    public init(_ plan: TenantPlan) {
        captured = plan.snapshot.capturedDateTime
        usable = plan.licences.usable
        assigned = plan.licences.assigned
        monthly = TenantFacts.monthlySpend(plan.counted)
    }
}

/// A tenant's history as the pages need it: one trend point per snapshot and the changes between each consecutive
/// pair, oldest first. Built one pair at a time (`HistoryBuilder`): the snapshots themselves are not kept.
public struct TenantHistory: Sendable {
    /// The changes from one snapshot to the next.
    public struct Step: Sendable, Codable {
        public var previous: Timestamp
        public var captured: Timestamp
        /// The newer snapshot's file, as given to the build.
        public var file: String
        public var changes: [Change]

        /// The sum of the changes' weights (`Change.Kind.weight`).
        public var weight: Int { changes.reduce(0) { $0 + $1.kind.weight } }
    }

    public var points: [TrendPoint] = []
    public var steps: [Step] = []
    /// The licences in effect in the last whole month before "today", for comparing with that month's invoices
    /// (`Reconciliation`): from the last snapshot taken in that month, else the first after it, else today's.
    public var monthReference: Reconciliation.Reference?
    /// The last snapshot of each month a snapshot was taken in, as a reference (month index `year × 12 + month − 1`).
    public var monthReferences: [Int: Reconciliation.Reference] = [:]

    public init() {}

    /// The history of a single snapshot: one point, no changes.
    public init(single plan: TenantPlan) {
        points = [TrendPoint(plan)]
        monthReference = Reconciliation.Reference(plan, month: Reconciliation.lastWholeMonth(before: plan.asOf))
        let day = plan.snapshot.capturedDateTime.civil(in: .warsaw).date
        monthReferences[day.year * 12 + day.month - 1] = Reconciliation.Reference(plan, month: CivilDate(year: day.year, month: day.month, day: 1))
    }

    /// How many snapshots the history holds.
    public var snapshots: Int { points.count }
    public var latest: Step? { steps.last }
}

/// The changes between two plans of one tenant, in a fixed order: tenant, subscriptions (file order of the newer
/// snapshot, then those that went), products, people, invoices, costs, attention.
public enum HistoryDiff {
    public static func changes(from old: TenantPlan, to new: TenantPlan) -> [Change] {
        var out: [Change] = []
        let a = old.snapshot, b = new.snapshot

        let oldManagement = a.tenant.management, newManagement = b.tenant.management
        if oldManagement.channel != newManagement.channel || oldManagement.partnerName != newManagement.partnerName {
            out.append(Change(.channelChanged, .tenant, name: b.tenant.displayName,
                              before: .channel(oldManagement.channel, partner: oldManagement.partnerName),
                              after: .channel(newManagement.channel, partner: newManagement.partnerName)))
        }

        subscriptions(old, new, into: &out)
        products(old, new, into: &out)
        people(old, new, into: &out)
        invoices(old, new, into: &out)

        let before = TenantFacts.monthlySpend(old.counted), after = TenantFacts.monthlySpend(new.counted)
        for currency in Set(before.amounts.keys).union(after.amounts.keys).sorted() {
            let x = before.amounts[currency], y = after.amounts[currency]
            if x != y {
                out.append(Change(.monthlyCostChanged, .currency(currency), name: currency,
                                  before: x.map { .money(Money($0, currency)) } ?? .none, after: y.map { .money(Money($0, currency)) } ?? .none))
            }
        }

        attention(old, new, into: &out)
        return out
    }

    static func productName(_ s: Subscription) -> String {
        ProductNames.displayName(productName: s.productName, skuPartNumber: s.skuPartNumber).name
    }

    static func isSelfService(_ s: Subscription) -> Bool { s.purchaseChannel == .selfService }

    private static func subscriptions(_ old: TenantPlan, _ new: TenantPlan, into out: inout [Change]) {
        for s in new.snapshot.subscriptions {
            let name = productName(s)
            guard let was = old.subscriptionsById[s.id] else {
                out.append(Change(isSelfService(s) ? .selfServiceBought : .subscriptionAdded, .subscription(s.id), name: name,
                                  after: .licences(TenantFacts.usableUnits(s))))
                continue
            }
            if was.status != s.status {
                let cancelled = isSelfService(s) && (s.status == .disabled || s.status == .deleted) && was.status != .disabled && was.status != .deleted
                out.append(Change(cancelled ? .selfServiceCancelled : .statusChanged, .subscription(s.id), name: name,
                                  before: .status(was.status), after: .status(s.status)))
            }
            if was.isTrial != s.isTrial {
                out.append(Change(.trialChanged, .subscription(s.id), name: name, before: .trial(was.isTrial), after: .trial(s.isTrial)))
            }
            func price(_ x: Subscription) -> Change.Value {
                guard let p = x.unitPrice, let c = x.currencyCode else { return .unknown }
                return .money(Money(p, c))
            }
            if price(was) != price(s) {
                out.append(Change(.priceChanged, .subscription(s.id), name: name, before: price(was), after: price(s)))
            }
            if was.billingCycle != s.billingCycle {
                out.append(Change(.billingCycleChanged, .subscription(s.id), name: name,
                                  before: was.billingCycle.map { .cycle($0) } ?? .unknown, after: s.billingCycle.map { .cycle($0) } ?? .unknown))
            }
            if was.termDuration != s.termDuration {
                out.append(Change(.termChanged, .subscription(s.id), name: name,
                                  before: was.termDuration.map { .text($0) } ?? .unknown, after: s.termDuration.map { .text($0) } ?? .unknown))
            }
            if was.autoRenewEnabled != s.autoRenewEnabled {
                out.append(Change(.autoRenewChanged, .subscription(s.id), name: name,
                                  before: was.autoRenewEnabled.map { .autoRenew($0) } ?? .unknown, after: s.autoRenewEnabled.map { .autoRenew($0) } ?? .unknown))
            }
        }
        for s in old.snapshot.subscriptions where new.subscriptionsById[s.id] == nil {
            out.append(Change(isSelfService(s) ? .selfServiceCancelled : .subscriptionRemoved, .subscription(s.id), name: productName(s),
                              before: .status(s.status)))
        }
    }

    /// Usable and assigned licences per sku over the live subscriptions.
    private static func products(_ old: TenantPlan, _ new: TenantPlan, into out: inout [Change]) {
        struct Product { var name: String; var usable = 0; var assigned = 0 }
        func tally(_ plan: TenantPlan) -> (order: [String], bySku: [String: Product]) {
            var order: [String] = []
            var bySku: [String: Product] = [:]
            for s in plan.live {
                if bySku[s.skuId] == nil {
                    order.append(s.skuId)
                    bySku[s.skuId] = Product(name: productName(s))
                }
                bySku[s.skuId]!.usable += TenantFacts.usableUnits(s)
                bySku[s.skuId]!.assigned += s.consumedUnits
            }
            return (order, bySku)
        }
        let before = tally(old), after = tally(new)
        let gone = before.order.filter { after.bySku[$0] == nil }
        for sku in after.order + gone {
            let x = before.bySku[sku], y = after.bySku[sku]
            let name = (y ?? x)!.name
            if (x?.usable ?? 0) != (y?.usable ?? 0) {
                out.append(Change(.licencesChanged, .product(sku), name: name, before: .count(x?.usable ?? 0), after: .count(y?.usable ?? 0)))
            }
            if (x?.assigned ?? 0) != (y?.assigned ?? 0) {
                out.append(Change(.assignmentsChanged, .product(sku), name: name, before: .count(x?.assigned ?? 0), after: .count(y?.assigned ?? 0)))
            }
        }
    }

    /// A person's licences by sku (the first assignment of a sku, should a file list one twice), with the product's name.
    private static func licences(_ user: User, _ plan: TenantPlan) -> [(sku: String, product: String, subscription: String?, value: Change.Value)] {
        var seen = Set<String>()
        var out: [(String, String, String?, Change.Value)] = []
        for a in user.licenseAssignmentStates where seen.insert(a.skuId).inserted {
            out.append((a.skuId, licenceProductName(a, plan), plan.subscription(of: a)?.id,
                        .licence(a.state, a.error == LicenseAssignment.AssignmentError.none ? nil : a.error)))
        }
        return out
    }

    static func licenceProductName(_ a: LicenseAssignment, _ plan: TenantPlan) -> String {
        if let s = plan.subscription(of: a) ?? plan.subscriptionsBySku[a.skuId]?.first { return productName(s) }
        return a.skuId
    }

    private static func people(_ old: TenantPlan, _ new: TenantPlan, into out: inout [Change]) {
        for user in new.snapshot.users {
            guard let was = old.usersById[user.id] else {
                out.append(Change(.personJoined, .user(user.id), name: user.displayName,
                                  after: .products(licences(user, new).map(\.product).sorted())))
                continue
            }
            if was.accountEnabled != user.accountEnabled {
                out.append(Change(user.accountEnabled ? .personUnblocked : .personBlocked, .user(user.id), name: user.displayName,
                                  before: .account(enabled: was.accountEnabled), after: .account(enabled: user.accountEnabled)))
            }
            let before = licences(was, old), after = licences(user, new)
            let beforeBySku = Dictionary(before.map { ($0.sku, $0) }, uniquingKeysWith: { first, _ in first })
            let afterSkus = Set(after.map(\.sku))
            for licence in after {
                if let had = beforeBySku[licence.sku] {
                    if had.value != licence.value {
                        var change = Change(.licenceStateChanged, .user(user.id), name: user.displayName, product: licence.product,
                                            before: had.value, after: licence.value)
                        change.subscriptionId = licence.subscription
                        out.append(change)
                    }
                } else {
                    var change = Change(.licenceGained, .user(user.id), name: user.displayName, product: licence.product, after: licence.value)
                    change.subscriptionId = licence.subscription
                    out.append(change)
                }
            }
            for licence in before where !afterSkus.contains(licence.sku) {
                var change = Change(.licenceLost, .user(user.id), name: user.displayName, product: licence.product, before: licence.value)
                change.subscriptionId = licence.subscription
                out.append(change)
            }
        }
        for user in old.snapshot.users where new.usersById[user.id] == nil {
            out.append(Change(.personLeft, .user(user.id), name: user.displayName, before: .products(licences(user, old).map(\.product).sorted())))
        }
    }

    private static func invoices(_ old: TenantPlan, _ new: TenantPlan, into out: inout [Change]) {
        let before = old.invoiceFacts, after = new.invoiceFacts
        func owed(_ i: Invoice) -> Change.Value { .money(Money(i.outstanding, i.currencyCode)) }
        for invoice in new.snapshot.invoices {
            guard let was = before.byId[invoice.id] else {
                out.append(Change(.invoiceIssued, .invoice(invoice.id), name: invoice.id, after: .money(Money(invoice.totalCharges, invoice.currencyCode))))
                continue
            }
            if was.outstanding != invoice.outstanding || was.currencyCode != invoice.currencyCode {
                out.append(Change(invoice.outstanding == 0 ? .invoicePaid : .invoicePartlyPaid, .invoice(invoice.id), name: invoice.id,
                                  before: owed(was), after: owed(invoice)))
            }
            let then = before.status(was), now = after.status(invoice)
            if now == .overdue && then != .overdue {
                out.append(Change(.invoiceOverdue, .invoice(invoice.id), name: invoice.id, before: .invoiceStatus(then), after: .invoiceStatus(now)))
            }
        }
        for invoice in old.snapshot.invoices where after.byId[invoice.id] == nil {
            out.append(Change(.invoiceRemoved, .invoice(invoice.id), name: invoice.id, before: .money(Money(invoice.totalCharges, invoice.currencyCode))))
        }
    }

    /// An attention item as a set of facts that can appear or go: one per subscription, per person, per disagreement.
    struct AttentionKey: Hashable {
        var kind: TenantFacts.AttentionKind
        var subscription: String?
        var user: String?
        var disagreement: String?
    }

    static func attentionKeys(_ plan: TenantPlan) -> [AttentionKey] {
        var keys: [AttentionKey] = []
        var seen = Set<AttentionKey>()
        for item in plan.attention {
            var base = AttentionKey(kind: item.kind, subscription: item.subscriptionId)
            if let d = item.disagreement {
                base.disagreement = "\(d.subject.rawValue)/\(d.id)/\(d.field)/\(d.sku ?? "")"
                base.user = item.userIds.first
            }
            let expanded = item.userIds.isEmpty || item.subscriptionId != nil || item.disagreement != nil
                ? [base] : item.userIds.map { var k = base; k.user = $0; return k }
            for key in expanded where seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }

    private static func attention(_ old: TenantPlan, _ new: TenantPlan, into out: inout [Change]) {
        let before = attentionKeys(old), after = attentionKeys(new)
        let beforeSet = Set(before), afterSet = Set(after)
        func change(_ kind: Change.Kind, _ key: AttentionKey, _ plan: TenantPlan) -> Change {
            let subject: Change.Subject
            let name: String
            if let id = key.subscription, let s = plan.subscriptionsById[id] {
                (subject, name) = (.subscription(id), productName(s))
            } else if let id = key.user, let u = plan.usersById[id] {
                (subject, name) = (.user(id), u.displayName)
            } else {
                (subject, name) = (.tenant, plan.snapshot.tenant.displayName)
            }
            return kind == .attentionRaised ? Change(kind, subject, name: name, after: .attention(key.kind))
                : Change(kind, subject, name: name, before: .attention(key.kind))
        }
        for key in after where !beforeSet.contains(key) { out.append(change(.attentionRaised, key, new)) }
        for key in before where !afterSet.contains(key) { out.append(change(.attentionResolved, key, old)) }
    }
}
