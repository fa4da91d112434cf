import TenantModel

/// What the reseller's or partner's invoices billed for one month, per subscription, against what its licences should
/// cost (`TenantFacts.monthlyCost`: enabled licences × price ÷ months in the cycle), with the difference. A line's net
/// amount is spread evenly over the months of its charge period (an annual line is a twelfth a month), so a month's
/// billed total is comparable with the monthly cost whatever the billing cycle. Credit notes count, negative.
public struct Reconciliation: Sendable {
    public struct Row: Sendable {
        /// As today's snapshot has it (its name and page).
        public var subscription: Subscription
        public var expected: Money?
        public var billed: Money?
        /// billed − expected, when both are in one currency.
        public var difference: Money?
    }

    public var year: Int
    public var month: Int
    /// When the snapshot whose licences are compared was taken.
    public var reference: Timestamp
    public var rows: [Row]
    public var expected = MoneyTotals()
    public var billed = MoneyTotals()

    /// Months a charge period spans, counted in average months and rounded (1 Sep–30 Sep: 1; 10 Sep–9 Sep next year: 12).
    static func months(_ start: CivilDate, _ end: CivilDate) -> Int {
        max(1, Int((Double(start.days(until: end) + 1) / 30.436875).rounded()))
    }

    /// The month's first day: the last whole calendar month before `date`.
    public static func lastWholeMonth(before date: CivilDate) -> CivilDate {
        CivilDate(year: date.year, month: date.month, day: 1).adding(months: -1)
    }

    /// What the reseller or partner should have billed for a month: the monthly cost of each subscription it bills, as
    /// one snapshot says (the snapshot in effect that month). Small: kept while a history is read.
    public struct Reference: Sendable {
        public var year: Int
        public var month: Int
        public var captured: Timestamp
        /// Subscription ids in the snapshot's order, with their monthly cost (nil: no price).
        public var costs: [(id: String, cost: Money?)]

        public init(_ plan: TenantPlan, month first: CivilDate) {
            year = first.year
            month = first.month
            captured = plan.snapshot.capturedDateTime
            costs = plan.counted.filter { TenantFacts.biller($0) == .seller }.map { ($0.id, TenantFacts.monthlyCost($0)) }
        }

        /// Whether a snapshot taken on `day` is a better reference for the month than one taken on `current`: the last one
        /// taken inside the month, else the first one after it.
        public static func prefers(_ day: CivilDate, over current: CivilDate?, month first: CivilDate) -> Bool {
            let end = first.adding(months: 1)
            guard let current else { return true }
            let inMonth = { (d: CivilDate) in d >= first && d < end }
            if inMonth(day) { return !inMonth(current) || day > current }
            if inMonth(current) { return false }
            // Neither inside: the first after the month, else the newest before it.
            if day >= end { return current < end || day < current }
            return current < end && day > current
        }
    }

    /// The last whole month before "today", with the licences of `reference` (the snapshot in effect that month; today's
    /// when there is no history).
    public init(_ plan: TenantPlan, reference: Reference? = nil) {
        let reference = reference ?? Reference(plan, month: Self.lastWholeMonth(before: plan.asOf))
        year = reference.year
        month = reference.month
        self.reference = reference.captured
        let target = year * 12 + month - 1
        let ids = Set(reference.costs.map(\.id))
        var billedBy: [String: Money] = [:]
        for invoice in plan.snapshot.invoices {
            let lines = invoice.ksef?.subscriptionLines.map(\.line) ?? invoice.lines
            for line in lines {
                guard let id = line.subscriptionId, ids.contains(id),
                      let start = line.chargeStartDate ?? invoice.billingPeriodStartDate,
                      let end = line.chargeEndDate ?? invoice.billingPeriodEndDate else { continue }
                let span = Self.months(start, end)
                let first = start.year * 12 + start.month - 1
                guard (first..<(first + span)).contains(target) else { continue }
                let share = line.subtotal / span
                billedBy[id] = Money((billedBy[id]?.amount ?? .zero) + share, invoice.currencyCode)
            }
        }
        rows = reference.costs.compactMap { id, cost in
            guard let s = plan.subscriptionsById[id] else { return nil }
            let expected = cost
            let billed = billedBy[s.id]
            var difference: Money?
            if let e = expected, let b = billed, e.currency == b.currency { difference = Money(b.amount - e.amount, e.currency) }
            else if let e = expected, billed == nil { difference = Money(.zero - e.amount, e.currency) }
            else if let b = billed, expected == nil { difference = b }
            return Row(subscription: s, expected: expected, billed: billed, difference: difference)
        }
        for row in rows {
            if let e = row.expected { expected.add(e) }
            if let b = row.billed { billed.add(b) }
        }
    }
}

extension Reconciliation {
    /// One month of one subscription: what its licences cost then and what the invoices billed for it.
    public struct Month: Sendable {
        public var year: Int
        public var month: Int
        public var expected: Money?
        public var billed: Money
        public var difference: Money?
    }

    /// Each month up to the last whole one before "today" (the latest `limit`) in which the reseller's or partner's
    /// invoices billed the subscription, against licences × price of the snapshot in effect that month (the last one
    /// taken in it, else the first after it, else today's; unknown before the history's first snapshot).
    public static func months(of s: Subscription, plan: TenantPlan, references: [Int: Reference], limit: Int = 12) -> [Month] {
        guard TenantFacts.biller(s) == .seller else { return [] }
        let last = lastWholeMonth(before: plan.asOf)
        let lastIndex = last.year * 12 + last.month - 1
        var billed: [Int: Money] = [:]
        for invoice in plan.snapshot.invoices {
            for line in invoice.ksef?.subscriptionLines.map(\.line) ?? invoice.lines where line.subscriptionId == s.id {
                guard let start = line.chargeStartDate ?? invoice.billingPeriodStartDate,
                      let end = line.chargeEndDate ?? invoice.billingPeriodEndDate else { continue }
                let span = months(start, end)
                let first = start.year * 12 + start.month - 1
                for m in first..<(first + span) where m <= lastIndex {
                    billed[m] = Money((billed[m]?.amount ?? .zero) + line.subtotal / span, invoice.currencyCode)
                }
            }
        }
        let keys = references.keys.sorted()
        return billed.keys.sorted().suffix(limit).reversed().map { m in
            // Before the history's first snapshot the licences of that month are not known.
            let known = keys.first.map { m >= $0 } ?? true
            let reference = references[m] ?? keys.first { $0 > m }.flatMap { references[$0] }
            let expected = !known ? nil : reference.map { r in r.costs.first { $0.id == s.id }?.cost } ?? TenantFacts.monthlyCost(s)
            let b = billed[m]!
            let difference = expected.flatMap { $0.currency == b.currency ? Money(b.amount - $0.amount, b.currency) : nil }
            return Month(year: m / 12, month: m % 12 + 1, expected: expected, billed: b, difference: difference)
        }
    }
}
