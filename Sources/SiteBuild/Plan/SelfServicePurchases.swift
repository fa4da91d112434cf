import Foundation
import TenantModel

/// A tenant's self-service purchases (subscriptions people bought with their own card), grouped by buyer and by
/// product, with the sums an admin asks for. A pure function of the snapshot and "today".
///
/// Rules (also in the page's words):
/// - a purchase is a subscription with `purchaseChannel == selfService` and a `purchasedBy`;
/// - a user holds a purchase's licence when one of their `licenseAssignmentStates` names it by `subscriptionId`;
///   an entry without `subscriptionId` counts for the purchase only when it is the tenant's **only** subscription of
///   that `skuId` (otherwise the pool is ambiguous and the user is not attributed to any purchase);
/// - licences bought = all prepaid units (enabled + warning + suspended + lockedOut);
/// - spend counts active, paid (not trial) purchases with a price, as net cost per month and per year;
/// - sums, counts and the product view leave out deleted purchases (the buyer view still lists them);
/// - money is summed per currency, never across currencies.
public struct SelfServicePurchases: Sendable {
    public struct Buyer: Sendable, Hashable {
        /// The lower-cased UPN: one person, however their purchases spell it.
        public var key: String
        public var displayName: String
        public var userPrincipalName: String
        /// The buyer's account in the snapshot's users, when found: `false` = sign-in blocked.
        public var accountEnabled: Bool?
    }

    public struct AssignedUser: Sendable, Hashable {
        public var id: String
        public var displayName: String
        public var userPrincipalName: String
        public var accountEnabled: Bool
    }

    /// What happens on the purchase's next lifecycle date, told honestly.
    public enum NextEvent: Sendable, Hashable {
        /// Auto-renew is on.
        case renews(CivilDate)
        /// Auto-renew is off, or a trial that does not convert: the purchase ends.
        case ends(CivilDate)
        /// A date is known but not whether the purchase renews then.
        case unknownRenewal(CivilDate)
        /// Expired / disabled: the date the purchase moves to its next state.
        case nextState(CivilDate)
        /// No date in the snapshot.
        case notInSnapshot

        public var date: CivilDate? {
            switch self {
            case .renews(let d), .ends(let d), .unknownRenewal(let d), .nextState(let d): return d
            case .notInSnapshot: return nil
            }
        }
    }

    public struct Purchase: Sendable {
        public var subscription: Subscription
        public var buyer: Buyer
        public var productName: String
        public var licences: Int
        /// Named holders, in name order.
        public var assignedUsers: [AssignedUser]
        /// Licences in use (`consumedUnits`) that no user in the snapshot could be matched to.
        public var unnamedAssigned: Int
        public var next: NextEvent
        /// Days from "today" to the next date (negative when it has passed).
        public var daysUntilNext: Int?
        /// Unit price × licences, for one billing cycle; nil without a price.
        public var totalPrice: Money?
        /// Net cost per month and per year when it counts toward spend (active, paid, priced); else nil.
        public var monthlyCost: Money?
        public var yearlyCost: Money?

        public var id: String { subscription.id }
        public var isTrial: Bool { subscription.isTrial }
        /// Counted in sums and in the product view (not deleted).
        public var isCounted: Bool { subscription.status != .deleted }
        /// Counted, paid, active, but the snapshot has no price: the spend is incomplete without it.
        public var isUnpriced: Bool {
            isCounted && subscription.status == .active && !isTrial && (subscription.unitPrice == nil || subscription.currencyCode == nil
                || subscription.billingCycle?.months == nil)
        }
    }

    public struct BuyerGroup: Sendable {
        public var buyer: Buyer
        /// All of the buyer's purchases, deleted ones included, in product-name order.
        public var purchases: [Purchase]
        public var counted: [Purchase] { purchases.filter(\.isCounted) }
        public var licences: Int { counted.reduce(0) { $0 + $1.licences } }
        public var monthlySpend: MoneyTotals { SelfServicePurchases.spend(counted, \.monthlyCost) }
    }

    public struct ProductGroup: Sendable {
        public var skuId: String
        public var productName: String
        public var skuPartNumber: String
        /// The product's counted purchases, in buyer order.
        public var purchases: [Purchase]
        /// Distinct buyers, in name order.
        public var buyers: [Buyer]
        /// The available quantity: licences of all its purchases added up.
        public var licences: Int { purchases.reduce(0) { $0 + $1.licences } }
        public var assigned: Int { purchases.reduce(0) { $0 + $1.subscription.consumedUnits } }
        public var trials: Int { purchases.filter(\.isTrial).count }
        public var monthlySpend: MoneyTotals { SelfServicePurchases.spend(purchases, \.monthlyCost) }
        public var yearlySpend: MoneyTotals { SelfServicePurchases.spend(purchases, \.yearlyCost) }
    }

    /// "Today" and how many days ahead count as "soon".
    public let asOf: CivilDate
    public let window: Int
    /// Every purchase (deleted included), in buyer order, then product order.
    public let purchases: [Purchase]
    public let byBuyer: [BuyerGroup]
    public let byProduct: [ProductGroup]

    /// "Soon" for renewals and ends: the same 30 days as the overview's attention rules.
    public static let soonDays = 30

    public init(_ snapshot: Snapshot, asOf: CivilDate, window: Int = SelfServicePurchases.soonDays) {
        self.asOf = asOf
        self.window = window
        // Most tenants have none: skip the walk over every user's licences.
        guard snapshot.subscriptions.contains(where: { $0.purchaseChannel == .selfService && $0.purchasedBy != nil }) else {
            purchases = []
            byBuyer = []
            byProduct = []
            return
        }
        let skuCounts = Dictionary(snapshot.subscriptions.map { ($0.skuId, 1) }, uniquingKeysWith: +)
        let usersByUPN = Dictionary(snapshot.users.map { ($0.userPrincipalName.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })

        // Holders per subscription id, by the attribution rule above.
        var holders: [String: [AssignedUser]] = [:]
        let onlySubscriptionOfSku = Dictionary(snapshot.subscriptions.filter { skuCounts[$0.skuId] == 1 }.map { ($0.skuId, $0.id) },
                                               uniquingKeysWith: { first, _ in first })
        for user in snapshot.users {
            var seen = Set<String>()
            for licence in user.licenseAssignmentStates {
                guard let subscriptionId = licence.subscriptionId ?? onlySubscriptionOfSku[licence.skuId], seen.insert(subscriptionId).inserted
                else { continue }
                holders[subscriptionId, default: []].append(
                    AssignedUser(id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName, accountEnabled: user.accountEnabled))
            }
        }

        var list: [Purchase] = []
        for s in snapshot.subscriptions where s.purchaseChannel == .selfService {
            guard let by = s.purchasedBy else { continue }
            let key = by.userPrincipalName.lowercased()
            let buyer = Buyer(key: key, displayName: by.displayName, userPrincipalName: by.userPrincipalName,
                              accountEnabled: usersByUPN[key]?.accountEnabled)
            let named = (holders[s.id] ?? []).sorted { NameOrder.precedes(($0.displayName, $0.userPrincipalName), ($1.displayName, $1.userPrincipalName)) }
            let units = s.prepaidUnits
            let licences = units.enabled + units.warning + units.suspended + units.lockedOut
            let next = Self.nextEvent(s)
            let total = s.unitPrice.flatMap { price in s.currencyCode.map { Money(price * licences, $0) } }
            var monthly: Money?
            var yearly: Money?
            if s.status == .active, !s.isTrial, let price = s.unitPrice, let currency = s.currencyCode, let months = s.billingCycle?.months {
                let amount = price * units.enabled
                monthly = Money(amount / months, currency)
                yearly = Money(amount * 12 / months, currency)
            }
            list.append(Purchase(subscription: s, buyer: buyer,
                                 productName: ProductNames.displayName(productName: s.productName, skuPartNumber: s.skuPartNumber).name,
                                 licences: licences, assignedUsers: named, unnamedAssigned: max(0, s.consumedUnits - named.count),
                                 next: next, daysUntilNext: next.date.map { asOf.days(until: $0) },
                                 totalPrice: total, monthlyCost: monthly, yearlyCost: yearly))
        }

        // Buyers: one group per person, in name order; their name as written on their first purchase in product order.
        var buyerOrder: [String] = []
        var buyerPurchases: [String: [Purchase]] = [:]
        for p in list {
            if buyerPurchases[p.buyer.key] == nil { buyerOrder.append(p.buyer.key) }
            buyerPurchases[p.buyer.key, default: []].append(p)
        }
        let groups = buyerOrder.map { key -> BuyerGroup in
            let purchases = buyerPurchases[key]!.sorted(by: Self.productOrder)
            return BuyerGroup(buyer: purchases[0].buyer, purchases: purchases)
        }.sorted { NameOrder.precedes(($0.buyer.displayName, $0.buyer.key), ($1.buyer.displayName, $1.buyer.key)) }
        byBuyer = groups
        purchases = groups.flatMap(\.purchases)

        // Products: counted purchases of one sku add up.
        var skuOrder: [String] = []
        var skuPurchases: [String: [Purchase]] = [:]
        for p in purchases where p.isCounted {
            if skuPurchases[p.subscription.skuId] == nil { skuOrder.append(p.subscription.skuId) }
            skuPurchases[p.subscription.skuId, default: []].append(p)
        }
        byProduct = skuOrder.map { sku -> ProductGroup in
            let items = skuPurchases[sku]!
            var buyers: [Buyer] = []
            for p in items where !buyers.contains(where: { $0.key == p.buyer.key }) { buyers.append(p.buyer) }
            return ProductGroup(skuId: sku, productName: items[0].productName, skuPartNumber: items[0].subscription.skuPartNumber,
                                purchases: items, buyers: buyers)
        }.sorted { NameOrder.precedes(($0.productName, $0.skuId), ($1.productName, $1.skuId)) }
    }

    // MARK: Sums over the counted purchases

    public var counted: [Purchase] { purchases.filter(\.isCounted) }
    public var isEmpty: Bool { purchases.isEmpty }
    public var buyerCount: Int { Set(counted.map(\.buyer.key)).count }
    public var productCount: Int { byProduct.count }
    public var licences: Int { counted.reduce(0) { $0 + $1.licences } }
    public var assigned: Int { counted.reduce(0) { $0 + $1.subscription.consumedUnits } }
    public var trials: Int { counted.filter(\.isTrial).count }
    public var paid: Int { counted.filter { !$0.isTrial }.count }
    public var deleted: Int { purchases.count - counted.count }
    /// Active paid purchases whose price (or billing cycle) the snapshot lacks: spend leaves them out.
    public var unpriced: Int { counted.filter(\.isUnpriced).count }
    public var monthlySpend: MoneyTotals { Self.spend(counted, \.monthlyCost) }
    public var yearlySpend: MoneyTotals { Self.spend(counted, \.yearlyCost) }

    /// Active purchases whose next date falls within `window` days of "today" (today included), soonest first.
    public var upcoming: [Purchase] {
        counted.filter { p in
            guard p.subscription.status == .active, let days = p.daysUntilNext else { return false }
            return (0...window).contains(days)
        }.sorted { ($0.next.date!, $0.productName, $0.id) < ($1.next.date!, $1.productName, $1.id) }
    }

    public var endingSoon: [Purchase] { upcoming.filter { if case .ends = $0.next { return true } else { return false } } }
    public var renewingSoon: [Purchase] { upcoming.filter { if case .renews = $0.next { return true } else { return false } } }

    // MARK: Helpers

    static func nextEvent(_ s: Subscription) -> NextEvent {
        guard let date = s.nextLifecycleDateTime?.civil(in: .warsaw).date else { return .notInSnapshot }
        switch s.status {
        case .expired, .disabled, .suspended: return .nextState(date)
        case .deleted: return .notInSnapshot
        case .active:
            switch s.autoRenewEnabled {
            case true?: return .renews(date)
            case false?: return .ends(date)
            case nil: return .unknownRenewal(date)
            }
        }
    }

    static func productOrder(_ a: Purchase, _ b: Purchase) -> Bool {
        if a.productName != b.productName { return NameOrder.precedes((a.productName, ""), (b.productName, "")) }
        return (a.subscription.createdDateTime?.secondsSinceEpoch ?? .max, a.id) < (b.subscription.createdDateTime?.secondsSinceEpoch ?? .max, b.id)
    }

    static func spend(_ purchases: [Purchase], _ cost: KeyPath<Purchase, Money?>) -> MoneyTotals {
        var totals = MoneyTotals()
        for p in purchases { if let money = p[keyPath: cost] { totals.add(money) } }
        return totals
    }
}

/// Alphabetical order for people's and products' names that a Polish reader expects (ą after a, ł after l,
/// ż after ź after z), the same in both languages and on every machine (no ICU, no locale).
public enum NameOrder {
    /// Compares (name, tie-breaker) pairs: letters first, then the name as written, then the tie-breaker.
    public static func precedes(_ a: (String, String), _ b: (String, String)) -> Bool {
        let ka = key(a.0), kb = key(b.0)
        if ka != kb { return ka.lexicographicallyPrecedes(kb) }
        if a.0 != b.0 { return a.0 < b.0 }
        return a.1 < b.1
    }

    /// Sorts as `precedes` does over each item's names in turn (a department, then a person's name), then its
    /// tie-breaker; each name's key made once per item, not once per comparison.
    public static func sorted<T>(_ items: some Sequence<T>, by names: (T) -> [String], tie: (T) -> String) -> [T] {
        let keyed = items.map { item -> (keys: [[UInt32]], names: [String], tie: String, item: T) in
            let written = names(item)
            return (written.map(key), written, tie(item), item)
        }
        return keyed.sorted { a, b in
            for i in a.keys.indices {
                if a.keys[i] != b.keys[i] { return a.keys[i].lexicographicallyPrecedes(b.keys[i]) }
                if a.names[i] != b.names[i] { return a.names[i] < b.names[i] }
            }
            return a.tie < b.tie
        }.map(\.item)
    }

    /// Each letter becomes (base letter, rank): `ł` is (`l`, 1), so every ł-word follows every l-word. A run of
    /// digits is a number: its mark, its length without leading zeros, its digits, so "Kupujący 2" comes before
    /// "Kupujący 12" (and numbers before letters, as in a dictionary). A no-break space counts as a space.
    ///
    /// Lower-casing is `String.lowercased()`'s, scalar by scalar (which is what it does), with ASCII done in place: a
    /// site sorts every person, department and product by this, and lower-casing each name into a new string and
    /// looking each letter up in a dictionary was a visible part of a build.
    static func key(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(text.utf8.count)
        var digits: [UInt32] = []
        func flushDigits() {
            guard !digits.isEmpty else { return }
            let significant = digits.drop { $0 == 0x30 }
            out.append(0x30 << 2)
            out.append(UInt32(significant.count))
            out.append(contentsOf: significant)
            digits.removeAll(keepingCapacity: true)
        }
        func add(_ value: UInt32) {
            if value >= 0x30 && value <= 0x39 {
                digits.append(value)
                return
            }
            flushDigits()
            out.append(ranked(value))
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                add(value >= 0x41 && value <= 0x5A ? value | 0x20 : value)
            } else {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars { add(lower.value) }
            }
        }
        flushDigits()
        return out
    }

    /// A lower-case scalar's place: Polish letters after their base letter (`ż` after `ź` after `z`), no-break spaces
    /// as spaces, every other scalar as itself.
    @inline(__always) private static func ranked(_ value: UInt32) -> UInt32 {
        switch value {
        case 0x105: return 0x61 << 2 | 1  // ą
        case 0x107: return 0x63 << 2 | 1  // ć
        case 0x119: return 0x65 << 2 | 1  // ę
        case 0x142: return 0x6C << 2 | 1  // ł
        case 0x144: return 0x6E << 2 | 1  // ń
        case 0xF3: return 0x6F << 2 | 1   // ó
        case 0x15B: return 0x73 << 2 | 1  // ś
        case 0x17A: return 0x7A << 2 | 1  // ź
        case 0x17C: return 0x7A << 2 | 2  // ż
        case 0xA0, 0x202F: return 0x20 << 2
        default: return value << 2
        }
    }
}
