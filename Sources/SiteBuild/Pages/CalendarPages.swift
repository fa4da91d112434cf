import SiteRender
import TenantModel

/// `<lang>/tenants/<slug>/calendar.html` and `calendar.ics`: what this tenant must act on by date — renewals, ends,
/// trial ends, lifecycle steps, cancellation windows closing, invoices falling due — overdue first, then soonest first.
/// The partner's `<lang>/calendar.html` and `calendar.ics` hold every tenant's (docs/overview.md, "Calendar").
struct CalendarPages: TenantPageKind {
    var templateNames: [String] { ["calendar"] }

    struct Row: Encodable {
        var date: String
        var relative: String
        var overdue: Bool
        var tenant: String?
        var tenantURL: SiteURL?
        var what: String
        var about: String
        var url: SiteURL?
        var amount: String?
    }

    struct Model: Encodable {
        var intro: String
        var rows: [Row]
        var hasRows: Bool
        var icsURL: SiteURL
        var partner: Bool
    }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let lang = tenant.lang
        let path = SitePath(SitePaths.tenantFolder(tenant.language, tenant.slug) + ["calendar.html"])
        let ics = SitePath(SitePaths.tenantFolder(tenant.language, tenant.slug) + ["calendar.ics"])
        let events = tenant.plan.calendar
        let words = CalendarWords(lang: lang, asOf: tenant.asOf)
        let rows = events.map { event -> Row in
            var row = words.row(event)
            row.url = event.kind == .invoiceDue
                ? (tenant.invoiceSlugs[event.subjectId] != nil ? tenant.invoiceLink(event.subjectId, from: path) : nil)
                : (tenant.subscriptionSlugs[event.subjectId] != nil ? path.link(to: tenant.subscriptionPath(event.subjectId)) : nil)
            return row
        }
        let model = Model(intro: lang.t("calendar.intro", ["date": tenant.format.longDate(tenant.asOf)]), rows: rows, hasRows: !rows.isEmpty,
                          icsURL: path.link(to: ics), partner: false)
        var meta = tenant.meta(path, title: lang.t("calendar.title"), breadcrumbs: tenant.breadcrumbsToTenant)
        meta.pageClass = "page-calendar"
        try emit(path, try renderer.render(path, template: "calendar", model: model, meta: meta, in: lang))
        let name = lang.t("calendar.icsName", ["tenant": tenant.snapshot.tenant.displayName])
        try emit(ics, words.ics(name: name, stamp: tenant.snapshot.capturedDateTime,
                                events: events.map { ($0, tenant.snapshot.tenant.id, tenant.snapshot.tenant.displayName, tenant.slug) },
                                baseURL: tenant.settings.baseURL))
    }
}

/// Every tenant's calendar on one page and in one `.ics` (the next `TenantSummary.calendarDays` days, and overdue invoices).
struct PartnerCalendar: SitePageKind {
    var templateNames: [String] { ["calendar"] }

    func render(_ site: SiteContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        for lang in site.languages {
            let path = SitePath(lang.language.rawValue, "calendar.html")
            let ics = SitePath(lang.language.rawValue, "calendar.ics")
            // Events with the index of their tenant's summary (sorting summaries themselves would copy them).
            let summaries = site.summaries
            var all: [(event: CalendarEvent, tenant: Int)] = []
            for (i, s) in summaries.enumerated() { for event in s.calendar { all.append((event, i)) } }
            let asOf = summaries.map(\.asOf).max() ?? CivilDate(year: 2000, month: 1, day: 1)
            let order = CalendarEvent.byUrgency(asOf)
            all.sort { order($0.event, $1.event) || (!order($1.event, $0.event) && summaries[$0.tenant].slug < summaries[$1.tenant].slug) }
            let rows = all.map { item -> CalendarPages.Row in
                let summary = summaries[item.tenant]
                let words = CalendarWords(lang: lang, asOf: summary.asOf)
                var row = words.row(item.event)
                row.tenant = summary.displayName
                row.tenantURL = path.link(to: SitePath(SitePaths.tenantFolder(lang.language, summary.slug) + ["calendar.html"]))
                return row
            }
            let model = CalendarPages.Model(intro: lang.plural("calendar.partnerIntro", site.summaries.count, ["days": String(TenantSummary.calendarDays)]),
                                            rows: rows, hasRows: !rows.isEmpty, icsURL: path.link(to: ics), partner: true)
            let other = site.languages.first { $0.language != lang.language }
            let meta = PageMeta(title: lang.t("calendar.partnerTitle"), breadcrumbs: [(lang.t("nav.tenants"), SitePaths.languageHome(lang.language))],
                                alternate: other.map { ($0.language, SitePath($0.language.rawValue, "calendar.html")) }, pageClass: "page-calendar")
            try emit(path, try renderer.render(path, template: "calendar", model: model, meta: meta, in: lang))
            let stamp = site.summaries.map(\.capturedDateTime).max() ?? Timestamp(secondsSinceEpoch: 0)
            let words = CalendarWords(lang: lang, asOf: asOf)
            try emit(ics, words.ics(name: lang.t("calendar.partnerTitle"), stamp: stamp,
                                    events: all.map { ($0.event, summaries[$0.tenant].tenantId, summaries[$0.tenant].displayName, summaries[$0.tenant].slug) },
                                    baseURL: site.settings.baseURL))
        }
    }
}

/// Calendar events in the words of one language.
struct CalendarWords {
    let lang: LanguageContext
    let asOf: CivilDate
    var f: LocaleFormat { lang.format }

    func what(_ e: CalendarEvent) -> String { lang.t("calendar.kind.\(e.kind.rawValue)") }

    func relative(_ date: CivilDate) -> String {
        let days = asOf.days(until: date)
        if days == 0 { return lang.t("sub.today") }
        return days > 0 ? lang.plural("sub.inDays", days) : lang.plural("sub.daysAgo", -days)
    }

    func row(_ e: CalendarEvent) -> CalendarPages.Row {
        CalendarPages.Row(date: f.longDate(e.date), relative: relative(e.date), overdue: e.date < asOf, tenant: nil, tenantURL: nil,
                          what: what(e), about: e.name, url: nil, amount: e.amount.map { f.money($0.amount, $0.currency) })
    }

    func ics(name: String, stamp: Timestamp, events: [(CalendarEvent, String, String, String)], baseURL: String?) -> [UInt8] {
        let items = events.map { event, tenantId, tenantName, slug -> ICalendar.Event in
            var detail = lang.t("calendar.ics.detail", ["what": what(event), "about": event.name, "tenant": tenantName])
            if let amount = event.amount { detail += " " + lang.t("calendar.ics.amount", ["amount": f.money(amount.amount, amount.currency)]) }
            let url = baseURL.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + SitePaths.tenantFolder(lang.language, slug).joined(separator: "/") + "/calendar.html" }
            return ICalendar.Event(
                uid: String(StableID.urn(["tenantsite", "calendar", tenantId, event.kind.rawValue, event.subjectId, event.date.iso]).dropFirst("urn:uuid:".count)) + "@tenantsite",
                date: event.date, summary: lang.t("calendar.ics.summary", ["tenant": tenantName, "what": what(event), "about": event.name]),
                description: detail, url: url)
        }
        return ICalendar(name: name, stamp: stamp, events: items).bytes()
    }
}
