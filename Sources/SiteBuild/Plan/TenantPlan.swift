import TenantModel

/// What every page of one tenant needs, worked out once per tenant and shared by both languages: "today", the page
/// slugs, the invoice facts, the attention items, and indexes that let a page find a subscription, a person, the
/// holders of a licence or the attention items about a subscription without scanning the snapshot. Each is built in
/// one pass (O(n log n) at worst), so no page kind does work that grows with the square of a tenant's size.
public final class TenantPlan: Sendable {
    public let snapshot: Snapshot
    /// "Today" for this tenant: `--as-of`, or the snapshot's capture date in Warsaw.
    public let asOf: CivilDate
    public let subscriptionSlugs: [String: String]
    public let invoiceSlugs: [String: String]
    public let invoiceFacts: InvoiceFacts
    /// Each person's page name, from their name (`anna-nowak`, `anna-nowak-2` for a namesake, in id order).
    public let personSlugs: [String: String]
    public let subscriptionsById: [String: Subscription]
    public let usersById: [String: User]
    /// Subscriptions of each sku, in the file's order.
    public let subscriptionsBySku: [String: [Subscription]]
    /// Holders of each subscription's licences, in the snapshot's user order: those whose licence names it, and those
    /// whose licence names only its sku (uncertain when several subscriptions share the sku).
    private let holdersBySubscription: [String: [TenantFacts.Holder]]
    /// `TenantFacts.attention`, once.
    public let attention: [TenantFacts.AttentionItem]
    /// Subscriptions that count toward what the tenant has now (`TenantFacts.isLive`), in file order.
    public let live: [Subscription]
    /// The live subscriptions that count (`LicenceClass.paid`), and those shown apart (free, viral, trial).
    public let counted: [Subscription]
    public let apart: [Subscription]
    /// Licence totals of the live subscriptions (`TenantFacts.LicenceTotals`), for the overview and the partner home.
    public let licences: TenantFacts.LicenceTotals
    /// What people bought on their own cards (the self-service page, the overview and the partner home).
    public let selfService: SelfServicePurchases
    /// Items naming a subscription, with their place in `attention`.
    private let attentionBySubscription: [String: [(index: Int, item: TenantFacts.AttentionItem)]]
    /// Attention items about people (licence errors, blocked accounts), with their place and their people as a set.
    private let attentionAboutPeople: [(index: Int, item: TenantFacts.AttentionItem, people: Set<String>)]

    public init(_ snapshot: Snapshot, settings: BuildSettings) {
        self.snapshot = snapshot
        let asOf = TenantPlan.today(snapshot, settings: settings)
        self.asOf = asOf
        subscriptionSlugs = Slug.unique(snapshot.subscriptions.map(\.id))
        invoiceSlugs = Slug.unique(snapshot.invoices.map(\.id), reserved: InvoiceRange.isReservedFileBase)
        invoiceFacts = InvoiceFacts(snapshot.invoices, asOf: asOf)
        subscriptionsById = Dictionary(snapshot.subscriptions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        usersById = Dictionary(snapshot.users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var personSlugs: [String: String] = [:]
        var taken: Set<String> = ["index", "matrix"]
        // Each name's slug made once, not in every comparison of the sort.
        let bySlug = usersById.values.map { (slug: Slug.make($0.displayName), id: $0.id) }.sorted { ($0.slug, $0.id) < ($1.slug, $1.id) }
        for (base, id) in bySlug {
            var candidate = base
            var n = 2
            while taken.contains(candidate) {
                candidate = "\(base)-\(n)"
                n += 1
            }
            taken.insert(candidate)
            personSlugs[id] = candidate
        }
        self.personSlugs = personSlugs
        var bySku: [String: [Subscription]] = [:]
        for s in snapshot.subscriptions { bySku[s.skuId, default: []].append(s) }
        subscriptionsBySku = bySku

        // One pass over every assignment: a named subscription gets its holder; an assignment naming only a sku is
        // a holder of each subscription of that sku, uncertain when there are several.
        var holders: [String: [TenantFacts.Holder]] = [:]
        for user in snapshot.users {
            for assignment in user.licenseAssignmentStates {
                if let named = assignment.subscriptionId {
                    if let s = subscriptionsById[named], s.skuId == assignment.skuId {
                        holders[named, default: []].append(.init(user: user, assignment: assignment, poolUncertain: false))
                    }
                } else if let candidates = bySku[assignment.skuId] {
                    for s in candidates {
                        holders[s.id, default: []].append(.init(user: user, assignment: assignment, poolUncertain: candidates.count > 1))
                    }
                }
            }
        }
        holdersBySubscription = holders

        let items = TenantFacts.attention(snapshot, asOf: asOf)
        attention = items
        live = snapshot.subscriptions.filter(TenantFacts.isLive)
        (counted, apart) = live.reduce(into: ([Subscription](), [Subscription]())) { parts, s in
            if LicenceClass.of(s) == .paid { parts.0.append(s) } else { parts.1.append(s) }
        }
        licences = TenantFacts.LicenceTotals(counted)
        selfService = SelfServicePurchases(snapshot, asOf: asOf)
        var bySubscription: [String: [(Int, TenantFacts.AttentionItem)]] = [:]
        var aboutPeople: [(Int, TenantFacts.AttentionItem, Set<String>)] = []
        for (index, item) in items.enumerated() {
            if let id = item.subscriptionId {
                bySubscription[id, default: []].append((index, item))
            } else if item.kind != .disagreement {
                // A disagreement about a person concerns a licence no subscription has: it belongs to no subscription's page.
                aboutPeople.append((index, item, Set(item.userIds)))
            }
        }
        attentionBySubscription = bySubscription
        attentionAboutPeople = aboutPeople
    }

    /// The one definition of "today" for a tenant.
    public static func today(_ snapshot: Snapshot, settings: BuildSettings) -> CivilDate {
        settings.asOf ?? snapshot.capturedDateTime.civil(in: .warsaw).date
    }

    public func holders(of s: Subscription) -> [TenantFacts.Holder] { holdersBySubscription[s.id] ?? [] }

    /// The subscription a licence comes from: the one it names, or the only one of its sku.
    public func subscription(of a: LicenseAssignment) -> Subscription? {
        if let id = a.subscriptionId { return subscriptionsById[id] }
        let candidates = subscriptionsBySku[a.skuId] ?? []
        return candidates.count == 1 ? candidates[0] : nil
    }

    /// The attention items about one subscription, in the tenant list's order: those naming it, and those about
    /// people narrowed to the people holding its licences (for licence errors, only a faulty licence of its own).
    public func attention(about s: Subscription) -> [TenantFacts.AttentionItem] {
        var found = attentionBySubscription[s.id] ?? []
        if !attentionAboutPeople.isEmpty {
            let holders = holders(of: s)
            for (index, item, people) in attentionAboutPeople {
                var seen = Set<String>()
                var ids: [String] = []
                for holder in holders where people.contains(holder.user.id) {
                    if item.kind == .licenceErrors && !holder.assignment.hasError { continue }
                    if seen.insert(holder.user.id).inserted { ids.append(holder.user.id) }
                }
                if !ids.isEmpty {
                    var mine = item
                    mine.userIds = ids
                    found.append((index, mine))
                }
            }
            found.sort { $0.index < $1.index }
        }
        return found.map(\.item)
    }
}
