import SiteRender
import TenantModel

/// A change (`Change`) in the words of one language: what kind of change, what it is about, the values before and
/// after, and one line saying all of it (the overview, the partner home, the feeds). Every word is a string of
/// `templates/strings/<lang>/changes.json` or one the other pages already use for the same value.
struct ChangeWords {
    let lang: LanguageContext
    var f: LocaleFormat { lang.format }

    func label(_ c: Change) -> String { lang.t("changes.kind.\(c.kind.rawValue)") }

    /// "Anna Nowak" or, for a person's licence, "Anna Nowak · Microsoft 365 Business Standard".
    func about(_ c: Change) -> String {
        if let product = c.product { return lang.t("changes.aboutLicence", ["person": c.name, "product": product]) }
        if case .currency = c.subject { return lang.t("changes.aboutCurrency", ["currency": c.name]) }
        return c.name
    }

    func value(_ v: Change.Value) -> String {
        switch v {
        case .none: return lang.t("changes.value.none")
        case .unknown: return lang.t("common.notInSnapshot")
        case .count(let n): return f.integer(n)
        case .licences(let n): return lang.plural("changes.value.licences", n)
        case .money(let m): return f.money(m.amount.roundedHalfUp(), m.currency)
        case .status(let s): return lang.t("sub.state.\(s.rawValue)")
        case .trial(let trial): return lang.t(trial ? "changes.value.trial" : "changes.value.paid")
        case .cycle(let c): return lang.t("sub.cycle.\(c.rawValue)")
        case .text(let term): return SubscriptionWords.term(term, lang)
        case .autoRenew(let on): return lang.t(on ? "sub.autoRenew.on" : "sub.autoRenew.off")
        case .account(let enabled): return lang.t(enabled ? "changes.value.signInAllowed" : "changes.value.signInBlocked")
        case .licence(let state, let error):
            let word = lang.t("sub.assignment.\(state.rawValue)")
            guard let error else { return word }
            return lang.t("changes.value.licenceWithError", ["state": word, "error": lang.t("sub.error.\(error.rawValue)")])
        case .invoiceStatus(let status): return lang.t("invoices.status.\(status.rawValue)")
        case .products(let names): return names.isEmpty ? lang.t("changes.value.noLicence") : names.joined(separator: ", ")
        case .attention(let kind): return lang.t("attention.short.\(kind.rawValue)")
        case .channel(let channel, let partner): return channelName(channel, partner: partner, lang)
        }
    }

    /// One line: "Licences · Microsoft 365 Business Basic: 10 → 12".
    func line(_ c: Change) -> String {
        let words = ["label": label(c), "about": about(c), "before": value(c.before), "after": value(c.after)]
        switch (c.before, c.after) {
        case (.none, .none): return lang.t("changes.line.neither", words)
        case (.none, _): return lang.t("changes.line.after", words)
        case (_, .none): return lang.t("changes.line.before", words)
        default: return lang.t("changes.line.both", words)
        }
    }

    /// "5 changes: 2 new attention items, 1 invoice overdue…" in short: the kinds, most consequential first.
    /// - Parameter limit: at most this many kinds, then "…" (the partner home's narrow column).
    func kinds(_ changes: [Change], limit: Int = .max) -> String {
        var counts: [Change.Kind: Int] = [:]
        for c in changes { counts[c.kind, default: 0] += 1 }
        let ordered = counts.keys.sorted { ($0.weight, counts[$0]!, $1.rawValue) > ($1.weight, counts[$1]!, $0.rawValue) }
        let words = ordered.prefix(limit).map { lang.plural("changes.short.\($0.rawValue)", counts[$0]!) }
        return words.joined(separator: ", ") + (ordered.count > limit ? lang.t("changes.more") : "")
    }

    /// "18 changes: 4 new attention items, 1 invoice overdue…."
    func summary(_ changes: [Change], limit: Int = .max) -> String {
        lang.t("changes.step.summary", ["count": lang.plural("changes.step.count", changes.count), "kinds": kinds(changes, limit: limit)])
    }

    /// The heading of one snapshot's changes: "4 December 2026 (since 3 November 2026)".
    func stepHeading(_ step: TenantHistory.Step) -> String {
        lang.t("changes.step.heading", ["date": f.longDate(f.date(step.captured)), "previous": f.longDate(f.date(step.previous)),
                                        "time": f.dateTime(step.captured)])
    }
}
