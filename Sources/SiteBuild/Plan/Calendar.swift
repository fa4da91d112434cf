import TenantModel

/// A dated thing to act on: a renewal, an end, a trial ending, a lifecycle step, a cancellation window closing, an
/// invoice falling due. No words: `CalendarPages` says them in a language.
public struct CalendarEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case renews, ends, trialEnds, unknownRenewal, disabledOn, deletedOn, windowCloses, invoiceDue
    }

    public var kind: Kind
    public var date: CivilDate
    /// A subscription id or an invoice number.
    public var subjectId: String
    /// What it is about, in the data's words (a product's name, an invoice's number).
    public var name: String
    /// An invoice's outstanding amount.
    public var amount: Money?

    /// Overdue invoices first (the past that still needs doing), then the rest by date, soonest first.
    public static func byUrgency(_ asOf: CivilDate) -> (CalendarEvent, CalendarEvent) -> Bool {
        { a, b in urgency(a, b, asOf: asOf) < 0 }
    }

    /// The order of `byUrgency` as -1, 0 or 1, field by field (the partner calendar sorts thousands of events, and
    /// breaks ties of its own).
    public static func urgency(_ a: CalendarEvent, _ b: CalendarEvent, asOf: CivilDate) -> Int {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x == y ? 0 : 1 }
        let pastA = a.date < asOf, pastB = b.date < asOf
        if pastA != pastB { return pastA ? -1 : 1 }
        if a.date != b.date { return order(a.date, b.date) }
        if a.kind != b.kind { return order(a.kind.rawValue, b.kind.rawValue) }
        if a.name != b.name { return order(a.name, b.name) }
        return order(a.subjectId, b.subjectId)
    }
}

/// Microsoft's new-commerce rule for licence-based subscriptions bought through a partner (Partner Center, and the
/// resellers who buy there): a subscription can be cancelled, or its licences reduced, only within 7 days (168 hours)
/// of its purchase or of a renewal; after that, only at the next renewal. docs/overview.md cites Microsoft's pages.
public enum CancellationWindow {
    public static let days = 7

    /// Months in an ISO 8601 term (`P1M`, `P1Y`, `P3Y`); nil for anything else.
    public static func termMonths(_ term: String?) -> Int? {
        guard let term, term.hasPrefix("P"), term.count >= 3, let n = Int(term.dropFirst().dropLast()), n > 0 else { return nil }
        switch term.last {
        case "M": return n
        case "Y": return n * 12
        default: return nil
        }
    }

    /// Whether the rule applies: a paid subscription a reseller or partner sold.
    public static func applies(_ s: Subscription) -> Bool {
        (s.purchaseChannel == .partner || s.purchaseChannel == .reseller) && s.status == .active && !s.isTrial
    }

    /// The last day a subscription can still be cancelled or reduced, when that day is today or later: 7 days after its
    /// purchase or its latest renewal (the next lifecycle date less one term). nil when the window is closed or unknown.
    public static func closes(_ s: Subscription, asOf: CivilDate) -> CivilDate? {
        guard applies(s) else { return nil }
        var starts: [CivilDate] = []
        if let created = s.createdDateTime { starts.append(created.civil(in: .warsaw).date) }
        if let next = s.nextLifecycleDateTime, let months = termMonths(s.termDuration) {
            starts.append(next.civil(in: .warsaw).date.adding(months: -months))
        }
        guard let start = starts.filter({ $0 <= asOf }).max() else { return nil }
        let end = start.adding(days: days)
        return end >= asOf ? end : nil
    }
}

extension TenantPlan {
    /// Everything dated this tenant should act on, most urgent first.
    public var calendar: [CalendarEvent] {
        var events: [CalendarEvent] = []
        for s in live {
            let name = ProductNames.displayName(productName: s.productName, skuPartNumber: s.skuPartNumber).name
            if let next = s.nextLifecycleDateTime?.civil(in: .warsaw).date {
                let kind: CalendarEvent.Kind
                switch s.status {
                case .active:
                    if s.isTrial { kind = .trialEnds } else if s.autoRenewEnabled == true { kind = .renews } else if s.autoRenewEnabled == false { kind = .ends } else { kind = .unknownRenewal }
                case .expired: kind = .disabledOn
                case .disabled: kind = .deletedOn
                case .suspended, .deleted: kind = .unknownRenewal
                }
                if s.status != .suspended { events.append(CalendarEvent(kind: kind, date: next, subjectId: s.id, name: name)) }
            }
            if let closes = CancellationWindow.closes(s, asOf: asOf) {
                events.append(CalendarEvent(kind: .windowCloses, date: closes, subjectId: s.id, name: name))
            }
        }
        for invoice in snapshot.invoices where InvoiceFacts.isOpen(invoice) && invoice.outstanding > 0 {
            events.append(CalendarEvent(kind: .invoiceDue, date: invoice.dueDate, subjectId: invoice.id, name: invoice.id,
                                        amount: Money(invoice.outstanding, invoice.currencyCode)))
        }
        // Past dates other than unpaid invoices are done with (a renewal that happened is in the next snapshot).
        return events.filter { $0.kind == .invoiceDue || $0.date >= asOf }.sorted(by: CalendarEvent.byUrgency(asOf))
    }
}
