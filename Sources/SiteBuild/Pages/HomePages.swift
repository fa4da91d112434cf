import Foundation
import SiteRender
import TenantModel

/// `output/index.html`: the language choice, in both languages at once (each choice marked with its own `lang`).
struct LanguageChoicePage: SitePageKind {
    var templateNames: [String] { ["choose-language"] }

    struct Model: Encodable {
        var choices: TrustedHTML
    }

    func render(_ site: SiteContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let path = SitePath("index.html")
        var html = HTMLBuilder()
        html.open("div", [("class", "cards choices")])
        for lang in site.languages {
            html.open("a", [("class", "card choice"), ("lang", lang.language.rawValue), ("hreflang", lang.language.rawValue)], href: path.link(to: SitePaths.languageHome(lang.language)))
            html.element("p", [("class", "card-value")], text: lang.t("language.name"))
            html.element("p", [("class", "card-label")], text: lang.t("language.prompt"))
            html.close("a")
        }
        html.close("div")
        let first = site.languages[0]
        let title = site.languages.map { $0.t("language.chooserTitle") }.joined(separator: " · ")
        let body = try renderer.renderBody(template: "choose-language", model: Model(choices: html.html), lang: first)
        var meta = PageMeta(title: title)
        meta.isLanguageChooser = true
        try emit(path, try renderer.layout(path, body: body, meta: meta, lang: first))
    }
}

/// `<lang>/index.html`: every tenant at a glance — licences, monthly spend per currency, what needs attention —
/// those needing attention first.
struct PartnerHomePages: SitePageKind {
    var templateNames: [String] { ["tenants"] }

    struct Row: Encodable {
        var name: String
        var domain: String
        var url: SiteURL
        var attentionURL: SiteURL
        var channel: String
        var licences: String
        var assigned: String
        var over: Bool
        var spend: String
        var attention: String
        var kinds: String
        var needsAttention: Bool
        var selfService: String
        var unpaid: String
        var captured: String
        /// The latest changes in a few words, with a link to the tenant's changes page (absent for a history of one).
        var changes: String
        var changesURL: SiteURL?
        var snapshots: String

        /// What `TemplateValueEncoder` makes of the row (a nil `changesURL` is `.absent`), made directly: the home page of a
        /// thousand tenants encoded its rows through `Codable` on the build's last stretch (`RowValueTests` compares).
        var templateValue: TemplateValue {
            .object([
                "name": .text(name), "domain": .text(domain), "url": .url(url), "attentionURL": .url(attentionURL),
                "channel": .text(channel), "licences": .text(licences), "assigned": .text(assigned), "over": .bool(over),
                "spend": .text(spend), "attention": .text(attention), "kinds": .text(kinds), "needsAttention": .bool(needsAttention),
                "selfService": .text(selfService), "unpaid": .text(unpaid), "captured": .text(captured), "changes": .text(changes),
                "snapshots": .text(snapshots), "changesURL": changesURL.map { .url($0) } ?? .absent,
            ])
        }
    }

    struct Model: Encodable {
        var intro: String
        /// The key numbers of all tenants, drawn as cards by the template (absent without tenants).
        var figures: TemplateValue
        /// `Row.templateValue`s.
        var rows: [TemplateValue]
        var empty: Bool
        var totals: String
        var hasTotals: Bool
        var calendarURL: SiteURL
    }

    /// The tenants whose latest changes weigh most first (`Change.Kind.weight`), then those needing attention (most
    /// items first), then by name. Without histories every weight is 0 and attention decides.
    static func ordered(_ summaries: [TenantSummary]) -> [TenantSummary] {
        // The numbers of each tenant's key taken once, and the names compared only where the numbers tie (sorting
        // the summaries themselves by a tuple copied two summaries' strings into every comparison).
        let keys = summaries.map { (weight: -$0.latestWeight, flag: $0.attentionCount > 0 ? 0 : 1, attention: -$0.attentionCount) }
        let order = summaries.indices.sorted { a, b in
            let x = keys[a], y = keys[b]
            if x.weight != y.weight { return x.weight < y.weight }
            if x.flag != y.flag { return x.flag < y.flag }
            if x.attention != y.attention { return x.attention < y.attention }
            if summaries[a].displayName != summaries[b].displayName { return summaries[a].displayName < summaries[b].displayName }
            return summaries[a].slug < summaries[b].slug
        }
        return order.map { summaries[$0] }
    }

    func render(_ site: SiteContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let ordered = Self.ordered(site.summaries)
        var spendAll = MoneyTotals()
        for summary in ordered { for money in summary.monthlySpend.sorted { spendAll.add(money) } }
        for lang in site.languages {
            let path = SitePaths.languageHome(lang.language)
            let f = lang.format
            func money(_ totals: MoneyTotals) -> String {
                totals.isEmpty ? lang.t("common.notInSnapshot") : totals.sorted.map { f.money($0.amount.roundedHalfUp(), $0.currency) }.joined(separator: " · ")
            }
            let rows = ordered.map { s in
                let overview = SitePaths.tenantOverview(lang.language, s.slug)
                return Row(name: s.displayName, domain: s.defaultDomain,
                    url: path.link(to: overview), attentionURL: path.link(to: overview, fragment: "attention"),
                    channel: channelName(s.channel, partner: s.partnerName, lang),
                    licences: f.integer(s.licencesTotal), assigned: f.integer(s.licencesAssigned),
                    over: s.licencesAssigned > s.licencesTotal,
                    spend: money(s.monthlySpend),
                    attention: s.attentionCount == 0 ? lang.t("home.noAttention") : lang.plural("home.attentionItems", s.attentionCount),
                    kinds: s.attentionKinds.map { lang.t("attention.short.\($0.kind.rawValue)") }.joined(separator: ", "),
                    needsAttention: s.attentionCount > 0,
                    selfService: f.integer(s.selfServiceCount),
                    unpaid: f.integer(s.unpaidInvoices),
                    captured: f.shortDate(f.date(s.capturedDateTime)),
                    changes: Self.changes(s, lang: lang),
                    changesURL: s.snapshots > 1 ? path.link(to: SitePaths.changes(lang.language, s.slug)) : nil,
                    snapshots: lang.plural("home.snapshots", s.snapshots))
            }
            let needing = ordered.filter { $0.attentionCount > 0 }.count
            let figures: TemplateValue = ordered.isEmpty ? .absent : .object([
                "tenants": .text(f.integer(ordered.count)), "needing": .text(f.integer(needing)), "needsAttention": .bool(needing > 0),
                "licences": .text(f.integer(ordered.reduce(0) { $0 + $1.licencesTotal })),
                "assigned": .text(f.integer(ordered.reduce(0) { $0 + $1.licencesAssigned })),
                "spend": .text(spendAll.isEmpty ? lang.t("common.notInSnapshot")
                               : spendAll.sorted.map { f.money($0.amount.roundedHalfUp(), $0.currency) }.joined(separator: " · ")),
            ])
            let model = Model(intro: lang.plural("home.intro", ordered.count), figures: figures, rows: rows.map(\.templateValue), empty: rows.isEmpty,
                              totals: money(spendAll), hasTotals: !spendAll.isEmpty,
                              calendarURL: path.link(to: SitePath(lang.language.rawValue, "calendar.html")))
            let other = site.languages.first { $0.language != lang.language }
            var meta = PageMeta(title: lang.t("home.title"), alternate: other.map { ($0.language, SitePaths.languageHome($0.language)) })
            meta.feed = (SitePaths.partnerFeed(lang.language), lang.t("changes.feed.partnerTitle"))
            try emit(path, try renderer.render(path, template: "tenants", model: model, meta: meta, in: lang))
        }
    }
}

extension PartnerHomePages {
    /// "5 changes: new attention item, licences…" for the latest snapshot; "no changes"; or "—" for a history of one.
    static func changes(_ s: TenantSummary, lang: LanguageContext) -> String {
        guard let latest = s.recentSteps.last else { return lang.t("home.changes.noHistory") }
        if latest.changes.isEmpty { return lang.t("home.changes.none") }
        return ChangeWords(lang: lang).summary(latest.changes, limit: 3)
    }
}

/// `<lang>/changes.atom`: the latest changes of every tenant (each tenant's last `TenantSummary.recentSteps` snapshots),
/// newest first, each entry linking to its tenant's changes page.
struct PartnerFeed: SitePageKind {
    var templateNames: [String] { ["changes.atom"] }

    func render(_ site: SiteContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        for lang in site.languages {
            let path = SitePaths.partnerFeed(lang.language)
            var entries: [ChangeFeed.Entry] = []
            for s in site.summaries {
                for step in s.recentSteps {
                    entries.append(ChangeFeed.Entry(tenantId: s.tenantId, tenantName: s.displayName, step: step,
                                                    page: SitePaths.changes(lang.language, s.slug)))
                }
            }
            entries.sort { ($1.step.captured, $0.tenantName, $0.tenantId) < ($0.step.captured, $1.tenantName, $1.tenantId) }
            let updated = site.summaries.map(\.capturedDateTime).max() ?? Timestamp(secondsSinceEpoch: 0)
            let feed = ChangeFeed(lang: lang, baseURL: site.settings.baseURL)
            try emit(path, try feed.render(renderer.templates, at: path, id: ["partner"], title: lang.t("changes.feed.partnerTitle"),
                                           updated: updated, page: SitePaths.languageHome(lang.language), entries: entries))
        }
    }
}

/// "home.pl", "AZ.pl", "Partner Center — Contoso", "Microsoft (direct)" in the reader's language.
func channelName(_ channel: Management.Channel, partner: String?, _ lang: LanguageContext) -> String {
    let base = lang.t("channel.\(channel.rawValue)")
    if channel == .partner, let partner { return "\(base): \(partner)" }
    return base
}
