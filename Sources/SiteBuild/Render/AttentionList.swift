import Foundation
import SiteRender
import TenantModel

/// `TenantFacts.attention` as rows a template lists: a headline, what it means and what to do, the people
/// concerned, a link to the subscription and one to the help article for the tenant's own panel.
struct AttentionList {
    struct Person: Encodable {
        var name: String
        var note: String
        var url: SiteURL?
    }

    struct Row: Encodable {
        var kind: String
        var title: String
        var detail: String
        var subscriptionURL: SiteURL?
        var helpURL: SiteURL?
        var helpLabel: String?
        var people: [Person]
    }

    /// The help topic that explains what to do about each rule.
    static func topic(_ kind: TenantFacts.AttentionKind) -> String {
        switch kind {
        case .overAssigned: return "buy-licences"
        case .licenceErrors: return "assign-licences"
        case .endingWithoutRenewal, .renewalUnknown, .suspended, .disabled, .expired: return "subscription-states"
        case .disabledUsersWithLicences, .idleLicences, .idleLicences30: return "remove-licences"
        case .overdueInvoices, .unpaidInvoices: return "invoices"
        case .unassigned: return "reduce-licences"
        case .disagreement: return "sync"
        }
    }

    /// - Parameter focus: on a subscription's own page, list only the people's licences from that subscription.
    static func rows(_ items: [TenantFacts.AttentionItem], tenant: TenantContext, from path: SitePath,
                     focus: Subscription? = nil) -> [Row] {
        let words = SubscriptionWords(tenant)
        let lang = tenant.lang
        let f = tenant.format
        let plan = tenant.plan
        let subscriptions = plan.subscriptionsById
        let users = plan.usersById

        /// The subscription a user's licence comes from, for linking a person to its page.
        func subscription(of a: LicenseAssignment) -> Subscription? { plan.subscription(of: a) }
        func productName(of a: LicenseAssignment) -> String {
            if let s = subscription(of: a) { return words.product(s).name }
            if let s = plan.subscriptionsBySku[a.skuId]?.first { return words.product(s).name }
            return a.skuId
        }

        return items.map { item in
            let s = item.subscriptionId.flatMap { subscriptions[$0] }
            var args: [String: String] = [:]
            if let s {
                args["product"] = words.product(s).name
                if let note = words.productNote(s) { args["product"] = lang.t("attention.productWithNote", ["product": words.product(s).name, "note": note]) }
                args["assigned"] = f.integer(s.consumedUnits)
                args["usable"] = f.integer(TenantFacts.usableUnits(s))
                args["over"] = f.integer(-TenantFacts.freeUnits(s))
                args["free"] = f.integer(s.prepaidUnits.enabled - s.consumedUnits)
                args["blocked"] = f.integer(TenantFacts.blockedUnits(s))
                if let next = s.nextLifecycleDateTime {
                    args["date"] = f.longDate(f.date(next))
                    args["relative"] = words.relative(f.date(next))
                }
                if let cost = TenantFacts.unassignedMonthlyCost(s) { args["cost"] = words.money(cost) }
            }
            let kind = item.kind.rawValue
            var detailKey = "attention.\(kind).detail"
            switch item.kind {
            case .endingWithoutRenewal where s?.isTrial == true: detailKey = "attention.endingWithoutRenewal.trialDetail"
            case .expired where args["date"] == nil, .disabled where args["date"] == nil: detailKey = "attention.\(kind).detailNoDate"
            default: break
            }

            // Licence errors: one line per faulty licence. Blocked accounts: one line per person with their products.
            var people: [Person] = []
            for id in item.userIds {
                guard let user = users[id] else { continue }
                let assignments = user.licenseAssignmentStates.filter { a in
                    if let focus, a.skuId != focus.skuId || (a.subscriptionId.map { $0 != focus.id } ?? false) { return false }
                    return item.kind == .disabledUsersWithLicences || a.hasError
                }
                let link = { (a: LicenseAssignment) in subscription(of: a).map { path.link(to: tenant.subscriptionPath($0.id)) } }
                if item.kind == .idleLicences || item.kind == .idleLicences30 {
                    let days = TenantFacts.daysIdle(user, asOf: tenant.asOf)
                    let last = user.signInActivity?.last
                    let when = last.map { lang.t("attention.idle.lastSignIn", ["date": f.longDate(f.date($0)), "days": lang.plural("attention.idle.days", days ?? 0)]) }
                        ?? lang.t("attention.idle.never")
                    var products: [String] = []
                    for a in user.licenseAssignmentStates where !products.contains(productName(of: a)) { products.append(productName(of: a)) }
                    let cost = TenantFacts.personMonthlyCost(user, subscriptionOf: subscription(of:))
                    let note = lang.t("attention.idle.person", ["when": when, "products": products.joined(separator: ", "),
                                                                 "cost": cost.isEmpty ? lang.t("common.notInSnapshot") : words.totals(cost)])
                    people.append(Person(name: user.displayName, note: note, url: path.link(to: tenant.personPath(user.id))))
                    continue
                }
                if item.kind == .licenceErrors {
                    for a in assignments {
                        let problem = words.assignmentError(a) ?? words.assignmentState(a)
                        people.append(Person(name: user.displayName, note: lang.t("attention.personProblem", ["product": productName(of: a), "problem": problem]),
                                             url: link(a)))
                    }
                } else if let first = assignments.first {
                    var products: [String] = []
                    for a in assignments where !products.contains(productName(of: a)) { products.append(productName(of: a)) }
                    people.append(Person(name: user.displayName, note: products.joined(separator: ", "), url: link(first)))
                }
            }

            // Invoices: one line per document, linked to its page.
            for id in item.invoiceIds {
                guard let invoice = plan.invoiceFacts.byId[id] else { continue }
                people.append(Person(name: id, note: lang.t("attention.invoice.line", [
                    "due": f.longDate(invoice.dueDate), "relative": words.relative(invoice.dueDate),
                    "outstanding": f.money(invoice.outstanding, invoice.currencyCode)]), url: tenant.invoiceLink(id, from: path)))
            }

            let title: String
            let detail: String
            if item.kind == .disagreement, let d = item.disagreement {
                // Every source's value, as it said it: "Microsoft Graph GET /directory/subscriptions: 10; Partner Center subscriptions: 12".
                let claims = d.claims.map { lang.t("attention.disagreement.claim", ["source": $0.source, "value": $0.value]) }.joined(separator: "; ")
                // A subscription or sku is named as the site names its product; a person by name.
                title = lang.t("attention.disagreement.title", ["name": s.map { words.product($0).name } ?? d.name])
                let known = lang.strings.entries["attention.disagreement.\(d.field)"] != nil
                let args = ["claims": claims, "field": d.field, "sku": d.sku ?? ""]
                var text = known ? lang.t("attention.disagreement.\(d.field)", args) : lang.t("attention.disagreement.other", args)
                if let kept = d.kept { text += " " + lang.t("attention.disagreement.kept", ["source": kept]) }
                detail = text
                people = []
            } else if item.kind == .licenceErrors || item.kind == .disabledUsersWithLicences {
                title = lang.t("attention.\(kind).title")
                detail = lang.plural("attention.\(kind).detail", item.userIds.count)
            } else if item.kind == .idleLicences || item.kind == .idleLicences30 {
                title = lang.t("attention.\(kind).title")
                detail = lang.plural("attention.\(kind).detail", item.userIds.count,
                                     ["cost": item.amounts.isEmpty ? lang.t("common.notInSnapshot") : words.totals(item.amounts)])
            } else if item.kind == .overdueInvoices || item.kind == .unpaidInvoices {
                title = lang.t("attention.\(kind).title")
                detail = lang.plural("attention.\(kind).detail", item.invoiceIds.count, ["amounts": words.totals(item.amounts)])
            } else if item.kind == .endingWithoutRenewal && s?.isTrial == true {
                title = lang.t("attention.endingWithoutRenewal.trialTitle")
                detail = lang.t(detailKey, args)
            } else {
                title = lang.t("attention.\(kind).title")
                detail = lang.t(detailKey, args)
            }
            let help = words.helpLink(topic(item.kind), from: path) ?? (item.kind == .disagreement ? words.helpLink("panels-overview", from: path) : nil)
            return Row(kind: kind, title: title, detail: detail,
                       subscriptionURL: s.map { path.link(to: tenant.subscriptionPath($0.id)) },
                       helpURL: help?.url, helpLabel: help?.label, people: people)
        }
    }
}
