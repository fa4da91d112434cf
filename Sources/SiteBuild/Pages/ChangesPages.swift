import SiteRender
import TenantModel

/// `<lang>/tenants/<slug>/changes.html`: what changed between each pair of consecutive snapshots, newest first, with
/// trend charts over the whole history; and `changes.atom`, the same changes as an Atom 1.0 feed, one entry per
/// snapshot.
struct ChangesPages: TenantPageKind {
    var templateNames: [String] { ["changes", "changes.atom"] }

    struct Row: Encodable {
        var label: String
        var about: String
        var url: SiteURL?
        var before: String
        var after: String
    }

    struct Step: Encodable {
        var heading: String
        var summary: String
        var changes: [Row]
        var none: Bool
    }

    /// A trend chart: an SVG file beside the page, its alternative text, and the values it draws, as the table's rows.
    struct Chart: Encodable {
        var title: String
        var url: SiteURL
        var alt: String
        var rows: [Point]
    }

    struct Point: Encodable {
        var date: String
        var first: String
        var second: String?
    }

    struct Model: Encodable {
        var intro: String
        var licenceChart: Chart?
        var costCharts: [Chart]
        var hasCharts: Bool
        var steps: [Step]
        var hasSteps: Bool
        var feedURL: SiteURL
    }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let lang = tenant.lang
        let path = tenant.changesPath
        let history = tenant.history
        let words = ChangeWords(lang: lang)
        let f = tenant.format

        let intro: String
        if history.snapshots <= 1 {
            intro = lang.t("changes.intro.single", ["time": f.dateTime(tenant.snapshot.capturedDateTime), "slug": tenant.slug])
        } else {
            intro = lang.plural("changes.intro.history", history.snapshots, [
                "from": f.longDate(f.date(history.points[0].captured)), "to": f.longDate(f.date(history.points[history.points.count - 1].captured)),
            ])
        }
        let steps = history.steps.reversed().map { step in
            Step(heading: words.stepHeading(step),
                 summary: step.changes.isEmpty ? "" : words.summary(step.changes),
                 changes: step.changes.map { Self.row($0, tenant: tenant, words: words, from: path) }, none: step.changes.isEmpty)
        }
        let feedPath = SitePaths.changes(tenant.language, tenant.slug, "changes.atom")
        let charts = history.snapshots > 1 ? Self.charts(history, lang: lang, folder: SitePaths.tenantFolder(tenant.language, tenant.slug)) : []
        for chart in charts { try emit(chart.file, chart.svg) }
        let model = Model(intro: intro, licenceChart: charts.first.map { $0.chart(from: path) },
                          costCharts: charts.dropFirst().map { $0.chart(from: path) }, hasCharts: !charts.isEmpty,
                          steps: steps, hasSteps: !steps.isEmpty, feedURL: path.link(to: feedPath))
        var meta = tenant.meta(path, title: lang.t("changes.title"), breadcrumbs: tenant.breadcrumbsToTenant)
        meta.pageClass = "page-changes"
        try emit(path, try renderer.render(path, template: "changes", model: model, meta: meta, in: lang))

        let feed = ChangeFeed(lang: lang, baseURL: tenant.settings.baseURL)
        let entries = history.steps.reversed().map { step in
            ChangeFeed.Entry(tenantId: tenant.snapshot.tenant.id, tenantName: tenant.snapshot.tenant.displayName, step: step, page: path)
        }
        try emit(feedPath, try feed.render(renderer.templates, at: feedPath, id: ["tenant", tenant.snapshot.tenant.id],
                                           title: lang.t("changes.feed.title", ["tenant": tenant.snapshot.tenant.displayName]),
                                           updated: history.points.last?.captured ?? tenant.snapshot.capturedDateTime,
                                           page: path, entries: entries))
    }

    /// The page a change concerns, when it has one in today's site.
    static func link(_ c: Change, tenant: TenantContext, from path: SitePath) -> SiteURL? {
        switch c.subject {
        case .subscription(let id):
            return tenant.subscriptionSlugs[id] != nil ? path.link(to: tenant.subscriptionPath(id)) : nil
        case .user:
            if c.kind == .attentionRaised || c.kind == .attentionResolved { return path.link(to: tenant.overviewPath, fragment: "attention") }
            if let id = c.subscriptionId, tenant.subscriptionSlugs[id] != nil { return path.link(to: tenant.subscriptionPath(id)) }
            return nil
        case .invoice(let id):
            return tenant.invoiceSlugs[id] != nil ? tenant.invoiceLink(id, from: path) : nil
        case .currency: return path.link(to: tenant.overviewPath, fragment: "costs")
        case .product, .tenant: return path.link(to: tenant.overviewPath)
        }
    }

    static func row(_ c: Change, tenant: TenantContext, words: ChangeWords, from path: SitePath) -> Row {
        Row(label: words.label(c), about: words.about(c), url: link(c, tenant: tenant, from: path),
            before: words.value(c.before), after: words.value(c.after))
    }

    /// A chart made for the page: its SVG file and what the template shows of it.
    struct MadeChart {
        var file: SitePath
        var svg: [UInt8]
        var title: String
        var alt: String
        var rows: [Point]

        func chart(from page: SitePath) -> Chart { Chart(title: title, url: page.link(to: file), alt: alt, rows: rows) }
    }

    /// Paid licences (usable and assigned), then the monthly cost in each currency, over every snapshot: each an SVG
    /// file beside the page (`changes-licences.svg`, `changes-cost-pln.svg`).
    static func charts(_ history: TenantHistory, lang: LanguageContext, folder: [String]) -> [MadeChart] {
        let f = lang.format
        let times = history.points.map(\.captured)
        let dates = times.map { f.shortDate(f.date($0)) }
        let usable = history.points.map(\.usable), assigned = history.points.map(\.assigned)
        let licenceTitle = lang.t("changes.trend.licences.title")
        let licenceAlt = lang.t("changes.trend.licences.desc", ["values": dates.indices.map {
            lang.t("changes.trend.licences.point", ["date": dates[$0], "usable": f.integer(usable[$0]), "assigned": f.integer(assigned[$0])])
        }.joined(separator: "; ")])
        let licenceSVG = TrendChart(
            id: "licence-trend", title: licenceTitle, description: licenceAlt, times: times, dates: dates,
            series: [
                .init(label: lang.t("changes.trend.usable"), colour: .primary,
                      values: usable.map(Double.init), cells: usable.map(f.integer)),
                .init(label: lang.t("changes.trend.assigned"), colour: .secondary,
                      values: assigned.map(Double.init), cells: assigned.map(f.integer)),
            ]).render()
        var made = [MadeChart(file: SitePath(folder + ["changes-licences.svg"]), svg: licenceSVG.bytes, title: licenceTitle, alt: licenceAlt,
                              rows: dates.indices.map { Point(date: dates[$0], first: f.integer(usable[$0]), second: f.integer(assigned[$0])) })]
        for currency in Set(history.points.flatMap { $0.monthly.amounts.keys }).sorted() {
            let amounts = history.points.map { $0.monthly.amounts[currency] }
            let cells = amounts.map { $0.map { f.money($0.roundedHalfUp(), currency) } ?? lang.t("changes.value.none") }
            let title = lang.t("changes.trend.cost.title", ["currency": currency])
            let alt = lang.t("changes.trend.cost.desc", ["currency": currency, "values": dates.indices.map { "\(dates[$0]): \(cells[$0])" }.joined(separator: "; ")])
            let svg = TrendChart(
                id: "cost-trend-\(currency.lowercased())", title: title, description: alt, times: times, dates: dates,
                series: [.init(label: lang.t("changes.trend.cost.series"), colour: .primary,
                               values: amounts.map { ($0 ?? .zero).doubleValue }, cells: cells)]).render()
            made.append(MadeChart(file: SitePath(folder + ["changes-cost-\(Slug.make(currency)).svg"]), svg: svg.bytes, title: title, alt: alt,
                                  rows: dates.indices.map { Point(date: dates[$0], first: cells[$0], second: nil) }))
        }
        return made
    }
}

/// An Atom 1.0 feed of changes (RFC 4287), from `templates/pages/changes.atom`: one entry per snapshot of a tenant.
/// Ids are URNs made from the tenant's id, the language and the capture time (`StableID`), and times are capture
/// times — never the wall clock — so rebuilding gives the same feed and a reader never sees an entry twice.
struct ChangeFeed {
    struct Entry {
        var tenantId: String
        var tenantName: String
        var step: TenantHistory.Step
        /// The page the entry links to (the tenant's changes page).
        var page: SitePath
    }

    let lang: LanguageContext
    let baseURL: String?

    /// A link from the feed: absolute under `--base-url`, else relative to the feed itself (RFC 4287 §4.2.7 resolves
    /// it against the feed's own address).
    func href(_ target: SitePath, from feed: SitePath) -> SiteURL {
        guard let baseURL else { return feed.link(to: target) }
        return SiteURL.internalLink((baseURL.hasSuffix("/") ? baseURL : baseURL + "/") + target.description)
    }

    func render(_ templates: TemplateSet, at path: SitePath, id: [String], title: String, updated: Timestamp, page: SitePath,
                entries: [Entry]) throws -> [UInt8] {
        let words = ChangeWords(lang: lang)
        let f = lang.format
        let items: [TemplateValue] = entries.map { entry in
            let step = entry.step
            let heading = lang.t("changes.feed.entryTitle", ["tenant": entry.tenantName, "date": f.longDate(f.date(step.captured)),
                                                              "count": lang.plural("changes.step.count", step.changes.count)])
            return .object([
                "id": .text(StableID.urn(["tenantsite", "changes", lang.language.rawValue, entry.tenantId, step.captured.description])),
                "title": .text(heading),
                "updated": .text(step.captured.description),
                "url": .url(href(entry.page, from: path)),
                "summary": .text(step.changes.isEmpty ? lang.t("changes.step.none") : words.kinds(step.changes)),
                "changes": .list(step.changes.map { .object(["line": .text(words.line($0))]) }),
                "none": .bool(step.changes.isEmpty),
            ])
        }
        let model: TemplateValue = .object([
            "id": .text(StableID.urn(["tenantsite", "feed", lang.language.rawValue] + id)),
            "lang": .text(lang.language.rawValue),
            "title": .text(title),
            "updated": .text(updated.description),
            "selfURL": .url(href(path, from: path)),
            "pageURL": .url(href(page, from: path)),
            "entries": .list(items),
            "t": lang.strings.templateValue,
        ])
        return try templates.feed("changes").renderBytes(model)
    }
}
