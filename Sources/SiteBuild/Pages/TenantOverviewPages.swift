import Foundation
import SiteRender
import TenantModel

/// `<lang>/tenants/<slug>/index.html`: what the tenant has, what it uses, what it costs, what needs attention,
/// and how fresh the data is.
struct TenantOverviewPages: TenantPageKind {
    var templateNames: [String] { ["tenant-overview"] }

    struct SubscriptionRow: Encodable {
        var name: String
        var note: String?
        var url: SiteURL
        var badge: TrustedHTML
        var meaning: String
        var licences: String
        var assigned: String
        var available: String
        var over: Bool
        var next: String
        var billing: String
        var unitPrice: String
        var monthly: String
        var yearly: String
        var unassigned: String
        /// Free, viral or trial, for the licences shown apart (`LicenceClass`); empty for a paid one.
        var kind: String
    }

    struct ProductRow: Encodable {
        var name: String
        var licences: String
        var assigned: String
        var available: String
        var over: Bool
    }

    struct SelfService: Encodable {
        var summary: String
        var url: SiteURL?
        var linkLabel: String
    }

    /// The tenant's invoices in one line, with a link to the lists.
    struct Invoices: Encodable {
        var summary: String
        var outstanding: String?
        var url: SiteURL
        var linkLabel: String
        var helpURL: SiteURL?
        var helpLabel: String?
    }

    struct Freshness: Encodable {
        var captured: String
        var panel: String
        var asOf: String?
        var helpURL: SiteURL?
        var helpLabel: String?
    }

    /// "Since the previous snapshot": the latest changes in a few lines, and a link to all of them.
    struct Recent: Encodable {
        struct Line: Encodable {
            var line: String
            var url: SiteURL?
        }
        var summary: String
        var lines: [Line]
        var more: String?
        var url: SiteURL
        var linkLabel: String
    }

    /// How many of the latest changes the overview lists (the changes page has them all).
    static let recentLines = 5

    struct Biller: Encodable {
        var who: String
        var monthly: String
    }

    struct SavingsRow: Encodable {
        var name: String
        var url: SiteURL
        var renewal: String
        var reducible: String
        var reassignable: String
        var unused: String
        var window: String
    }

    struct SavingsTotals: Encodable {
        var reducible: String
        var reassignable: String
        var unused: String
    }

    struct ReconciliationRow: Encodable {
        var name: String
        var url: SiteURL
        var expected: String
        var billed: String
        var difference: String
        var differs: Bool
    }

    struct ReconciliationTotals: Encodable {
        var expected: String
        var billed: String
    }

    struct Model: Encodable {
        var reconciliationHeading: String
        var reconciliationReference: String
        var reconciliation: [ReconciliationRow]
        var hasReconciliation: Bool
        var reconciliationTotals: ReconciliationTotals
        var billers: [Biller]
        var savings: [SavingsRow]
        var hasSavings: Bool
        var savingsTotals: SavingsTotals
        var intro: String
        var peopleURL: SiteURL
        var calendarURL: SiteURL
        var recent: Recent
        /// The key numbers, drawn as cards by the template.
        var figures: TemplateValue
        /// The attention heading's words (with the count); its id comes from the template.
        var attentionHeading: String
        var attention: [AttentionList.Row]
        var hasAttention: Bool
        /// The subscriptions' rows, drawn by the template's tables (status and costs); the tables' row sections are
        /// compiled once per shape of row (`MarkdownTemplate`), so row counts that differ cost no fresh parse.
        var subscriptions: [SubscriptionRow]
        /// Live free, viral and trial licences: never in the numbers above, listed apart.
        var apart: [SubscriptionRow]
        var hasApart: Bool
        var costTotals: CostTotals
        var hasSubscriptions: Bool
        /// The licence chart: an SVG file beside the page (`licences.svg`) and its alternative text.
        var chart: TemplateValue
        var products: [ProductRow]
        var hasProducts: Bool
        var selfService: SelfService
        var invoices: Invoices
        var freshness: Freshness
    }

    /// Active first, then trials, expired, suspended, disabled, deleted; by name within each.
    static func ordered(_ subscriptions: [Subscription], _ words: SubscriptionWords) -> [Subscription] {
        func rank(_ s: Subscription) -> Int {
            switch s.status {
            case .active: return s.isTrial ? 1 : 0
            case .expired: return 2
            case .suspended: return 3
            case .disabled: return 4
            case .deleted: return 5
            }
        }
        return subscriptions.enumerated().sorted { a, b in
            let ka = (rank(a.element), words.product(a.element).name, a.offset)
            let kb = (rank(b.element), words.product(b.element).name, b.offset)
            return ka < kb
        }.map(\.element)
    }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let path = tenant.overviewPath
        let model = Self.model(tenant, path: path)
        let lang = tenant.lang
        let words = SubscriptionWords(tenant)
        let bars = Self.productBars(Self.shownInTables(tenant, words), words: words)
        if !bars.isEmpty { try emit(Self.chartPath(tenant), LicenceChart.render(bars, words: Self.chartWords(tenant, bars)).bytes) }
        let meta = tenant.meta(path, title: lang.t("overview.title"), breadcrumbs: [(lang.t("nav.tenants"), SitePaths.languageHome(tenant.language))])
        try emit(path, try renderer.render(path, template: "tenant-overview", model: model, meta: meta, in: lang))
    }

    static func model(_ tenant: TenantContext, path: SitePath) -> Model {
        let lang = tenant.lang
        let f = tenant.format
        let snapshot = tenant.snapshot
        let words = SubscriptionWords(tenant)
        // Only paid licences count (`LicenceClass`); the live free, viral and trial ones get their own table.
        let live = tenant.plan.counted
        let subscriptions = shownInTables(tenant, words)
        let apartRows = subscriptionRows(ordered(tenant.plan.apart, words), tenant: tenant, words: words, path: path)

        let rows = subscriptionRows(subscriptions, tenant: tenant, words: words, path: path)

        var unassigned = MoneyTotals()
        for s in live { if let cost = TenantFacts.unassignedMonthlyCost(s) { unassigned.add(cost) } }
        let monthly = TenantFacts.monthlySpend(live)
        var yearly = MoneyTotals()
        for m in monthly.sorted { yearly.add(m.amount * 12, m.currency) }

        let items = tenant.plan.attention
        let attention = AttentionList.rows(items, tenant: tenant, from: path)

        let bars = productBars(subscriptions, words: words)
        let products = productRows(bars, format: f)
        let chartWords = Self.chartWords(tenant, bars)
        let chart: TemplateValue = bars.isEmpty ? .absent
            : .object(["url": .url(path.link(to: Self.chartPath(tenant))), "alt": .text(chartWords.description)])

        // The same purchases and sums as the self-service page shows.
        let purchases = tenant.plan.selfService
        let selfService = purchases.counted
        let selfServiceModel: SelfService
        if selfService.isEmpty {
            selfServiceModel = SelfService(summary: lang.t("overview.selfService.none"), url: nil, linkLabel: "")
        } else {
            let cost = purchases.monthlySpend.isEmpty
                ? (selfService.allSatisfy(\.isTrial) ? lang.t("sub.free") : lang.t("common.notInSnapshot"))
                : words.totals(purchases.monthlySpend)
            var summary = lang.plural("overview.selfService.summary", selfService.count, ["cost": cost])
            if purchases.unpriced > 0, !purchases.monthlySpend.isEmpty {
                summary += " " + lang.plural("overview.selfService.unpriced", purchases.unpriced)
            }
            selfServiceModel = SelfService(summary: summary, url: path.link(to: tenant.selfServicePath), linkLabel: lang.t("overview.selfService.link"))
        }

        let figures = figureCards(tenant, live: live, monthly: monthly, yearly: yearly, unassigned: unassigned, attentionCount: items.count)
        let attentionHeading = items.isEmpty ? lang.t("overview.attention.heading")
            : lang.t("overview.attention.headingCount", ["n": f.integer(items.count)])

        let management = snapshot.tenant.management
        let (savingsRows, savingsTotals) = savings(tenant, path: path, words: words)
        let reconciliation = Reconciliation(tenant.plan, reference: tenant.history.monthReference)
        let none = lang.t("changes.value.none")
        let reconciliationRows = reconciliation.rows.filter { $0.expected != nil || $0.billed != nil }.map { row in
            ReconciliationRow(name: words.product(row.subscription).name, url: path.link(to: tenant.subscriptionPath(row.subscription.id)),
                              expected: row.expected.map(words.money) ?? none, billed: row.billed.map(words.money) ?? none,
                              difference: row.difference.map { $0.amount.roundedHalfUp() == 0 ? lang.t("overview.reconciliation.same") : f.signedMoney($0) } ?? none,
                              differs: row.difference.map { $0.amount.roundedHalfUp() != 0 } ?? false)
        }
        return Model(
            reconciliationHeading: lang.t("overview.reconciliation.heading", ["month": f.monthHeading(year: reconciliation.year, month: reconciliation.month)]),
            reconciliationReference: lang.t("overview.reconciliation.reference", ["date": f.longDate(f.date(reconciliation.reference))]),
            reconciliation: reconciliationRows, hasReconciliation: !reconciliationRows.isEmpty,
            reconciliationTotals: ReconciliationTotals(expected: words.totals(reconciliation.expected), billed: words.totals(reconciliation.billed)),
            billers: TenantFacts.monthlyByBiller(live).map { Biller(who: billerName($0.biller, tenant), monthly: words.totals($0.totals)) },
            savings: savingsRows, hasSavings: !savingsRows.isEmpty, savingsTotals: savingsTotals,
            intro: lang.t("overview.intro", ["domain": snapshot.tenant.defaultDomain,
                                             "channel": channelName(management.channel, partner: management.partnerName, lang)]),
            peopleURL: path.link(to: tenant.peoplePath()),
            calendarURL: path.link(to: SitePath(SitePaths.tenantFolder(tenant.language, tenant.slug) + ["calendar.html"])),
            recent: recent(tenant, path: path),
            figures: figures, attentionHeading: attentionHeading, attention: attention, hasAttention: !attention.isEmpty,
            subscriptions: rows, apart: apartRows, hasApart: !apartRows.isEmpty,
            costTotals: CostTotals(monthly: words.totals(monthly), yearly: words.totals(yearly),
                                   unassigned: unassigned.isEmpty ? lang.t("sub.nothingUnassigned") : words.totals(unassigned)),
            hasSubscriptions: !rows.isEmpty,
            chart: chart, products: products, hasProducts: !products.isEmpty,
            selfService: selfServiceModel, invoices: invoicesModel(tenant, path: path), freshness: freshness(tenant, path: path))
    }

    /// The subscriptions of the status and cost tables (all but the free, viral and trial ones), in table order.
    static func shownInTables(_ tenant: TenantContext, _ words: SubscriptionWords) -> [Subscription] {
        let apart = Set(tenant.plan.apart.map(\.id))
        return ordered(tenant.snapshot.subscriptions.filter { !apart.contains($0.id) }, words)
    }

    static func chartPath(_ tenant: TenantContext) -> SitePath { SitePath(SitePaths.tenantFolder(tenant.language, tenant.slug) + ["licences.svg"]) }

    static func chartWords(_ tenant: TenantContext, _ bars: [LicenceChart.Bar]) -> LicenceChart.Words {
        let lang = tenant.lang
        let f = tenant.format
        return LicenceChart.Words(
            title: lang.t("chart.title", ["tenant": tenant.snapshot.tenant.displayName]),
            description: ([lang.t("chart.descIntro")] + bars.map {
                lang.t("chart.descRow", ["product": $0.label, "assigned": f.integer($0.assigned), "usable": f.integer($0.usable),
                                         "available": f.integer($0.usable - $0.assigned)])
            }).joined(separator: " "),
            assigned: lang.t("chart.assigned"), available: lang.t("chart.available"), over: lang.t("chart.over"),
            value: { lang.t("chart.value", ["assigned": f.integer($0.assigned), "usable": f.integer($0.usable)]) })
    }

    /// The subscriptions in table order, as the tables show them.
    static func subscriptionRows(_ subscriptions: [Subscription], tenant: TenantContext, words: SubscriptionWords,
                                 path: SitePath) -> [SubscriptionRow] {
        let f = tenant.format
        return subscriptions.map { s in
            SubscriptionRow(
                name: words.product(s).name, note: words.productNote(s), url: path.link(to: tenant.subscriptionPath(s.id)),
                badge: words.statusBadge(s, linkFrom: path), meaning: words.statusMeaning(s),
                licences: words.licences(s), assigned: f.integer(s.consumedUnits), available: f.integer(TenantFacts.freeUnits(s)),
                over: TenantFacts.freeUnits(s) < 0 && s.status != .deleted, next: words.nextDate(s),
                billing: words.billing(s), unitPrice: words.unitPrice(s), monthly: words.monthly(s), yearly: words.yearly(s),
                unassigned: words.unassignedCost(s), kind: tenant.lang.t("licenceClass.\(LicenceClass.of(s).rawValue)"))
        }
    }

    /// Per product (one sku), live subscriptions that have licences or holders.
    static func productBars(_ subscriptions: [Subscription], words: SubscriptionWords) -> [LicenceChart.Bar] {
        var productOrder: [String] = []
        var byProduct: [String: (name: String, usable: Int, assigned: Int)] = [:]
        for s in subscriptions where TenantFacts.isLive(s) {
            let usable = TenantFacts.usableUnits(s)
            guard usable > 0 || s.consumedUnits > 0 else { continue }
            if byProduct[s.skuId] == nil {
                productOrder.append(s.skuId)
                byProduct[s.skuId] = (words.product(s).name, 0, 0)
            }
            byProduct[s.skuId]!.usable += usable
            byProduct[s.skuId]!.assigned += s.consumedUnits
        }
        return productOrder.map { id in
            let p = byProduct[id]!
            return LicenceChart.Bar(label: p.name, usable: p.usable, assigned: p.assigned)
        }
    }

    /// The per-product table's rows.
    static func productRows(_ bars: [LicenceChart.Bar], format f: LocaleFormat) -> [ProductRow] {
        bars.map { bar in
            ProductRow(name: bar.label, licences: f.integer(bar.usable), assigned: f.integer(bar.assigned),
                       available: f.integer(bar.usable - bar.assigned), over: bar.assigned > bar.usable)
        }
    }

    static func recent(_ tenant: TenantContext, path: SitePath) -> Recent {
        let lang = tenant.lang
        let f = tenant.format
        let words = ChangeWords(lang: lang)
        let url = path.link(to: tenant.changesPath)
        guard let latest = tenant.history.latest else {
            return Recent(summary: lang.t("overview.changes.single"), lines: [], more: nil, url: url, linkLabel: lang.t("overview.changes.link"))
        }
        // The most consequential first, in the page's order within a weight.
        let ranked = latest.changes.enumerated().sorted { ($1.element.kind.weight, $0.offset) < ($0.element.kind.weight, $1.offset) }.map(\.element)
        let shown = ranked.prefix(recentLines)
        let summary = latest.changes.isEmpty
            ? lang.t("overview.changes.none", ["date": f.longDate(f.date(latest.previous))])
            : lang.plural("overview.changes.summary", latest.changes.count, ["date": f.longDate(f.date(latest.previous))])
        return Recent(summary: summary,
                      lines: shown.map { Recent.Line(line: words.line($0), url: ChangesPages.link($0, tenant: tenant, from: path)) },
                      more: latest.changes.count > shown.count ? lang.plural("overview.changes.more", latest.changes.count - shown.count) : nil,
                      url: url, linkLabel: lang.t("overview.changes.link"))
    }

    static func billerName(_ biller: TenantFacts.Biller, _ tenant: TenantContext) -> String {
        let management = tenant.snapshot.tenant.management
        switch biller {
        case .seller:
            let seller = management.channel == .direct ? tenant.lang.t("overview.billers.someSeller") : channelName(management.channel, partner: management.partnerName, tenant.lang)
            return tenant.lang.t("overview.billers.seller", ["seller": seller])
        case .microsoft, .employees, .unknown: return tenant.lang.t("overview.billers.\(biller.rawValue)")
        }
    }

    /// Per paid active subscription with something to save: licences reducible at renewal, reassignable now, their cost.
    static func savings(_ tenant: TenantContext, path: SitePath, words: SubscriptionWords) -> ([SavingsRow], SavingsTotals) {
        let lang = tenant.lang
        let f = tenant.format
        var rows: [SavingsRow] = []
        var reducible = 0, reassignable = 0
        var unused = MoneyTotals()
        for s in ordered(tenant.plan.counted, words) {
            let saving = TenantFacts.savings(s, holders: tenant.plan.holders(of: s), asOf: tenant.asOf)
            guard saving.reducible > 0 || saving.reassignable > 0 else { continue }
            reducible += saving.reducible
            reassignable += saving.reassignable
            if let cost = saving.unusedMonthly { unused.add(cost) }
            let window: String
            if let closes = CancellationWindow.closes(s, asOf: tenant.asOf) {
                window = lang.t("overview.savings.windowOpen", ["date": f.longDate(closes)])
            } else if CancellationWindow.applies(s) {
                window = lang.t("overview.savings.atRenewal")
            } else {
                window = lang.t("overview.savings.windowDirect")
            }
            rows.append(SavingsRow(name: words.product(s).name, url: path.link(to: tenant.subscriptionPath(s.id)),
                                   renewal: saving.renewal.map { f.longDate($0) } ?? lang.t("common.notInSnapshot"),
                                   reducible: f.integer(saving.reducible), reassignable: f.integer(saving.reassignable),
                                   unused: saving.unusedMonthly.map(words.money) ?? lang.t("common.notInSnapshot"), window: window))
        }
        return (rows, SavingsTotals(reducible: f.integer(reducible), reassignable: f.integer(reassignable),
                                    unused: unused.isEmpty ? lang.t("common.notInSnapshot") : words.totals(unused)))
    }

    /// The sums under the cost table.
    struct CostTotals: Encodable {
        var monthly: String
        var yearly: String
        var unassigned: String
    }

    /// The key numbers as cards: licences, assigned, free, monthly and yearly cost, attention.
    static func figureCards(_ tenant: TenantContext, live: [Subscription], monthly: MoneyTotals, yearly: MoneyTotals,
                            unassigned: MoneyTotals, attentionCount: Int) -> TemplateValue {
        let lang = tenant.lang
        let f = tenant.format
        let words = SubscriptionWords(tenant)
        let totals = tenant.plan.licences
        // No subscriptions: nothing to pay. Subscriptions but no price: the cost is not known.
        let unknownCost = lang.t(live.isEmpty ? "sub.nothingUnassigned" : "common.notInSnapshot")
        func amounts(_ totals: MoneyTotals) -> TemplateValue {
            .text(totals.isEmpty ? unknownCost : totals.sorted.map(words.money).joined(separator: " · "))
        }
        return .object([
            "usable": .text(f.integer(totals.usable)), "assigned": .text(f.integer(totals.assigned)),
            "overNote": totals.over > 0 ? .text(lang.plural("overview.figure.over", totals.over)) : .absent,
            "free": .text(f.integer(totals.free)),
            "freeNote": unassigned.isEmpty ? .absent : .text(lang.t("overview.figure.freeCost", ["cost": words.totals(unassigned)])),
            "monthly": amounts(monthly), "yearly": amounts(yearly),
            "attention": .text(f.integer(attentionCount)), "needsAttention": .bool(attentionCount > 0),
        ])
    }

    /// When the snapshot was taken and when the reseller panel last synchronised with Microsoft.
    static func freshness(_ tenant: TenantContext, path: SitePath) -> Freshness {
        let lang = tenant.lang
        let f = tenant.format
        let snapshot = tenant.snapshot
        let management = snapshot.tenant.management
        let panel: String
        switch management.channel {
        case .homePl, .azPl:
            let panelName = lang.t("freshness.panel.\(management.channel.rawValue)")
            if let synced = management.panelLastSyncedDateTime {
                let seconds = snapshot.capturedDateTime.secondsSinceEpoch - synced.secondsSinceEpoch
                let lag: String
                if seconds < 3600 {
                    lag = lang.t("freshness.lagUnderHour")
                } else if seconds < 48 * 3600 {
                    lag = lang.plural("freshness.lagHours", Int(seconds / 3600))
                } else {
                    lag = lang.plural("freshness.lagDays", Int(seconds / 86400))
                }
                panel = lang.t("freshness.synced", ["panel": panelName, "time": f.dateTime(synced), "lag": lag])
            } else {
                panel = lang.t("freshness.syncUnknown", ["panel": panelName])
            }
        case .partner, .direct:
            panel = lang.t("freshness.noResellerPanel.\(management.channel.rawValue)")
        }
        let words = SubscriptionWords(tenant)
        let help = words.helpLink("sync", from: path) ?? words.helpLink("panels-overview", from: path)
        let capturedDay = f.date(snapshot.capturedDateTime)
        return Freshness(
            captured: lang.t("freshness.captured", ["time": f.dateTime(snapshot.capturedDateTime)]),
            panel: panel,
            asOf: tenant.asOf == capturedDay ? nil : lang.t("freshness.asOf", ["date": f.longDate(tenant.asOf)]),
            helpURL: help?.url, helpLabel: help?.label)
    }

    /// How many documents there are, how many are unpaid or overdue, and what is outstanding per currency.
    static func invoicesModel(_ tenant: TenantContext, path: SitePath) -> Invoices {
        let lang = tenant.lang
        let facts = tenant.invoiceFacts
        var unpaid = 0
        var overdue = 0
        var outstanding = MoneyTotals()
        for invoice in tenant.snapshot.invoices {
            switch facts.status(invoice) {
            case .unpaid: unpaid += 1
            case .overdue: overdue += 1
            default: continue
            }
            outstanding.add(invoice.outstanding, invoice.currencyCode)
        }
        let count = tenant.snapshot.invoices.count
        var summary = count == 0 ? lang.t("overview.invoices.none") : lang.plural("overview.invoices.count", count)
        if count > 0 {
            summary += " " + lang.plural("overview.invoices.unpaid", unpaid) + " " + lang.plural("overview.invoices.overdue", overdue)
        }
        let help = SubscriptionWords(tenant).helpLink("invoices", from: path)
        let owed = outstanding.sorted.filter { $0.amount != 0 }.map { tenant.format.money($0.amount, $0.currency) }
        return Invoices(summary: summary,
                        outstanding: owed.isEmpty ? nil : lang.t("overview.invoices.outstanding", ["amounts": owed.joined(separator: " · ")]),
                        url: path.link(to: tenant.invoicesPath()), linkLabel: lang.t("overview.invoices.link"),
                        helpURL: help?.url, helpLabel: help?.label)
    }
}
