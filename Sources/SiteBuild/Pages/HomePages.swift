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
    }

    struct Model: Encodable {
        var intro: String
        /// The key numbers of all tenants, drawn as cards by the template (absent without tenants).
        var figures: TemplateValue
        var rows: [Row]
        var empty: Bool
        var totals: String
        var hasTotals: Bool
    }

    /// Tenants needing attention first (most items first), then by name.
    static func ordered(_ summaries: [TenantSummary]) -> [TenantSummary] {
        summaries.sorted {
            ($0.attentionCount > 0 ? 0 : 1, -$0.attentionCount, $0.displayName, $0.slug) < ($1.attentionCount > 0 ? 0 : 1, -$1.attentionCount, $1.displayName, $1.slug)
        }
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
                    captured: f.shortDate(f.date(s.capturedDateTime)))
            }
            let needing = ordered.filter { $0.attentionCount > 0 }.count
            let figures: TemplateValue = ordered.isEmpty ? .absent : .object([
                "tenants": .text(f.integer(ordered.count)), "needing": .text(f.integer(needing)), "needsAttention": .bool(needing > 0),
                "licences": .text(f.integer(ordered.reduce(0) { $0 + $1.licencesTotal })),
                "assigned": .text(f.integer(ordered.reduce(0) { $0 + $1.licencesAssigned })),
                "spend": .text(spendAll.isEmpty ? lang.t("common.notInSnapshot")
                               : spendAll.sorted.map { f.money($0.amount.roundedHalfUp(), $0.currency) }.joined(separator: " · ")),
            ])
            let model = Model(intro: lang.plural("home.intro", ordered.count), figures: figures, rows: rows, empty: rows.isEmpty,
                              totals: money(spendAll), hasTotals: !spendAll.isEmpty)
            let other = site.languages.first { $0.language != lang.language }
            let meta = PageMeta(title: lang.t("home.title"), alternate: other.map { ($0.language, SitePaths.languageHome($0.language)) })
            try emit(path, try renderer.render(path, template: "tenants", model: model, meta: meta, in: lang))
        }
    }
}

/// "home.pl", "AZ.pl", "Partner Center — Contoso", "Microsoft (direct)" in the reader's language.
func channelName(_ channel: Management.Channel, partner: String?, _ lang: LanguageContext) -> String {
    let base = lang.t("channel.\(channel.rawValue)")
    if channel == .partner, let partner { return "\(base): \(partner)" }
    return base
}
