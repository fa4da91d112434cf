import Foundation
import SiteRender
import TenantModel

/// A subscription's facts as sentences in the reader's language, shared by the overview and the subscription
/// page. Says what is missing from the snapshot instead of guessing (strings in `strings/<lang>/overview.json`).
struct SubscriptionWords {
    let tenant: TenantContext

    init(_ tenant: TenantContext) { self.tenant = tenant }

    private var lang: LanguageContext { tenant.lang }
    private var f: LocaleFormat { tenant.format }
    private var notInSnapshot: String { lang.t("common.notInSnapshot") }

    // MARK: Names

    /// The friendly name, and the part number when the name had to fall back to it (unknown part number).
    func product(_ s: Subscription) -> (name: String, unknownPartNumber: Bool) {
        let name = ProductNames.displayName(productName: s.productName, skuPartNumber: s.skuPartNumber)
        return (name.name, !name.known)
    }

    /// The name with what tells apart subscriptions of one product: how it was bought and by whom.
    func productNote(_ s: Subscription) -> String? {
        var notes: [String] = []
        if product(s).unknownPartNumber { notes.append(lang.t("sub.unknownPartNumber")) }
        if s.purchaseChannel == .selfService {
            if let buyer = s.purchasedBy?.displayName {
                notes.append(lang.t("sub.selfServiceBy", ["name": buyer]))
            } else {
                notes.append(lang.t("sub.selfService"))
            }
        }
        return notes.isEmpty ? nil : notes.joined(separator: " · ")
    }

    // MARK: Status

    enum Tone: String { case ok, warn, bad, muted }

    /// "Active", "Trial", "Expired"…
    func statusLabel(_ s: Subscription) -> String {
        if s.isTrial && s.status == .active { return lang.t("sub.state.trial") }
        return lang.t("sub.state.\(s.status.rawValue)")
    }

    func tone(_ s: Subscription) -> Tone {
        switch s.status {
        case .active: return TenantFacts.freeUnits(s) < 0 ? .warn : .ok
        case .expired: return .warn
        case .disabled, .suspended: return .bad
        case .deleted: return .muted
        }
    }

    /// A status badge: a coloured pill holding the status word, linked to the help article on subscription
    /// states in the tenant's panel (or the Microsoft 365 admin center's).
    func statusBadge(_ s: Subscription, linkFrom path: SitePath) -> TrustedHTML {
        var b = HTMLBuilder()
        let cls = "badge badge-\(tone(s).rawValue)"
        if let help = helpLink("subscription-states", from: path) {
            b.link(help.url, [("class", cls), ("title", help.label)], text: statusLabel(s))
        } else {
            b.element("span", [("class", cls)], text: statusLabel(s))
        }
        return b.html
    }

    /// What the status means for the people who use it, with the date it changes when known.
    func statusMeaning(_ s: Subscription) -> String {
        let date = s.nextLifecycleDateTime.map { f.longDate(f.date($0)) }
        switch s.status {
        case .active:
            return lang.t(s.isTrial ? "sub.meaning.trial" : "sub.meaning.active")
        case .expired:
            return date.map { lang.t("sub.meaning.expired", ["date": $0]) } ?? lang.t("sub.meaning.expiredNoDate")
        case .disabled:
            return date.map { lang.t("sub.meaning.disabled", ["date": $0]) } ?? lang.t("sub.meaning.disabledNoDate")
        case .deleted:
            return lang.t("sub.meaning.deleted")
        case .suspended:
            return lang.t("sub.meaning.suspended")
        }
    }

    /// The article explaining subscription states, in the tenant's own panel when it has one.
    func statusHelp(from path: SitePath) -> SiteURL? { help("subscription-states", from: path) }

    func help(_ topic: String, from path: SitePath) -> SiteURL? { helpLink(topic, from: path)?.url }

    /// The article for `topic` in the tenant's own panel (else the Microsoft 365 admin center's), with a label
    /// that names the task and the panel: "How to buy more licences (home.pl panel)".
    func helpLink(_ topic: String, from path: SitePath) -> (url: SiteURL, label: String)? {
        guard let article = tenant.help.article(topic: topic, channel: tenant.snapshot.tenant.management.channel, language: tenant.language)
        else { return nil }
        let panel = article.components.count > 2 ? article.components[2] : ""
        return (path.link(to: article), lang.t("helpLink.\(topic)", ["panel": lang.t("helpLink.panel.\(panel)")]))
    }

    // MARK: Dates

    /// "in 11 days", "today", "11 days ago".
    func relative(_ date: CivilDate) -> String {
        let days = tenant.asOf.days(until: date)
        if days == 0 { return lang.t("sub.today") }
        if days > 0 { return lang.plural("sub.inDays", days) }
        return lang.plural("sub.daysAgo", -days)
    }

    /// The next lifecycle date told honestly: "renews on" only when auto-renew is on, "ends on" when it is off,
    /// and when the snapshot does not say, the date with that fact.
    func nextDate(_ s: Subscription, withRelative: Bool = true) -> String {
        if s.status == .deleted { return lang.t("sub.next.notApplicable") }
        guard let next = s.nextLifecycleDateTime else { return notInSnapshot }
        let day = f.date(next)
        let args = ["date": f.longDate(day)]
        let key: String
        switch s.status {
        case .active:
            switch s.autoRenewEnabled {
            case true?: key = "sub.next.renews"
            case false?: key = s.isTrial ? "sub.next.trialEnds" : "sub.next.ends"
            case nil: key = "sub.next.unknownRenewal"
            }
        case .expired: key = "sub.next.disabledOn"
        case .disabled: key = "sub.next.deletedOn"
        case .suspended, .deleted: key = "sub.next.changes"
        }
        var text = lang.t(key, args)
        let days = tenant.asOf.days(until: day)
        if withRelative, (-TenantFacts.endingWindowDays...TenantFacts.endingWindowDays * 2).contains(days) {
            text = lang.t("sub.withRelative", ["text": text, "relative": relative(day)])
        }
        return text
    }

    func autoRenew(_ s: Subscription) -> String {
        switch s.autoRenewEnabled {
        case true?: return lang.t("sub.autoRenew.on")
        case false?: return lang.t("sub.autoRenew.off")
        case nil: return notInSnapshot
        }
    }

    // MARK: Billing

    func cycle(_ s: Subscription) -> String {
        guard let cycle = s.billingCycle else { return notInSnapshot }
        return lang.t("sub.cycle.\(cycle.rawValue)")
    }

    /// `P1M` → "1 month", `P1Y` → "1 year", `P3Y` → "3 years"; anything else as written.
    func term(_ s: Subscription) -> String { Self.term(s.termDuration, lang) }

    static func term(_ text: String?, _ lang: LanguageContext) -> String {
        guard let term = text else { return lang.t("common.notInSnapshot") }
        let scalars = Array(term.utf8)
        if scalars.count >= 3, scalars.first == UInt8(ascii: "P"), let n = Int(String(decoding: scalars[1..<(scalars.count - 1)], as: UTF8.self)), n > 0 {
            switch scalars.last {
            case UInt8(ascii: "M"): return lang.plural("sub.term.months", n)
            case UInt8(ascii: "Y"): return lang.plural("sub.term.years", n)
            default: break
            }
        }
        return term
    }

    /// "monthly · term 1 year".
    func billing(_ s: Subscription) -> String {
        switch (s.billingCycle, s.termDuration) {
        case (nil, nil): return notInSnapshot
        case (_?, nil): return cycle(s)
        case (nil, _?): return lang.t("sub.billingTermOnly", ["term": term(s)])
        case (_?, _?): return lang.t("sub.billing", ["cycle": cycle(s), "term": term(s)])
        }
    }

    // MARK: Money

    func money(_ m: Money) -> String { f.money(m.amount.roundedHalfUp(), m.currency) }

    /// "54,40 zł per licence per month".
    func unitPrice(_ s: Subscription) -> String {
        guard let price = s.unitPrice, let currency = s.currencyCode else {
            return s.isTrial ? lang.t("sub.free") : notInSnapshot
        }
        let amount = f.money(price, currency)
        switch s.billingCycle {
        case .monthly?, .annual?, .triennial?: return lang.t("sub.price.\(s.billingCycle!.rawValue)", ["price": amount])
        case .none?, nil: return lang.t("sub.price.perLicence", ["price": amount])
        }
    }

    /// Why a cost cannot be given (or that there is none).
    private func costGap(_ s: Subscription) -> String {
        if s.status == .deleted { return lang.t("sub.next.notApplicable") }
        if s.isTrial { return lang.t("sub.freeShort") }
        if case .some(.none) = s.billingCycle, s.unitPrice != nil { return lang.t("sub.noRecurringCharge") }
        return notInSnapshot
    }

    func monthly(_ s: Subscription) -> String { TenantFacts.monthlyCost(s).map(money) ?? costGap(s) }
    func yearly(_ s: Subscription) -> String { TenantFacts.yearlyCost(s).map(money) ?? costGap(s) }

    /// The monthly cost of licences bought and not assigned: "—" when all are in use.
    func unassignedCost(_ s: Subscription) -> String {
        let unassigned = s.prepaidUnits.enabled - s.consumedUnits
        guard unassigned > 0, s.status == .active else { return lang.t("sub.nothingUnassigned") }
        return TenantFacts.unassignedMonthlyCost(s).map(money) ?? costGap(s)
    }

    /// Totals per currency as one line: "1234,56 zł · 56,00 €" (never added across currencies).
    func totals(_ totals: MoneyTotals) -> String {
        totals.isEmpty ? notInSnapshot : totals.sorted.map(money).joined(separator: " · ")
    }

    // MARK: Licences

    /// The usable count, with the licences nobody can use when there are any: "0 (5 suspended)".
    func licences(_ s: Subscription) -> String {
        let usable = f.integer(TenantFacts.usableUnits(s))
        // Suspended (the subscription is) and locked out (Microsoft locked the pool) are different states: each its word.
        var blocked: [String] = []
        if s.prepaidUnits.suspended > 0 { blocked.append(lang.plural("sub.blocked", s.prepaidUnits.suspended)) }
        if s.prepaidUnits.lockedOut > 0 { blocked.append(lang.plural("sub.lockedOut", s.prepaidUnits.lockedOut)) }
        return blocked.isEmpty ? usable : lang.t("sub.licencesWithBlocked", ["n": usable, "blocked": blocked.joined(separator: ", ")])
    }

    // MARK: Licence assignments

    func assignmentState(_ a: LicenseAssignment) -> String { lang.t("sub.assignment.\(a.state.rawValue)") }

    func assignmentError(_ a: LicenseAssignment) -> String? {
        guard let error = a.error, error != .none else { return nil }
        return lang.t("sub.error.\(error.rawValue)")
    }

    /// "directly" or "through the group Sales" (or the group's id when the snapshot does not name it).
    func assignedHow(_ a: LicenseAssignment) -> String {
        guard let group = a.assignedByGroup else { return lang.t("sub.assigned.direct") }
        if let name = tenant.snapshot.groups.first(where: { $0.id == group })?.displayName {
            return lang.t("sub.assigned.group", ["group": name])
        }
        return lang.t("sub.assigned.unnamedGroup", ["id": group])
    }
}
