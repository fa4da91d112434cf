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

        /// What `TemplateValueEncoder` makes of the row (a nil optional is `.absent`), made directly: the partner calendar
        /// lists every tenant's events (`RowValueTests` compares).
        var templateValue: TemplateValue {
            .object([
                "date": .text(date), "relative": .text(relative), "overdue": .bool(overdue), "what": .text(what), "about": .text(about),
                "tenant": tenant.map { .text($0) } ?? .absent, "tenantURL": tenantURL.map { .url($0) } ?? .absent,
                "url": url.map { .url($0) } ?? .absent, "amount": amount.map { .text($0) } ?? .absent,
            ])
        }
    }

    struct Model: Encodable {
        var intro: String
        /// `Row.templateValue`s.
        var rows: [TemplateValue]
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
        let model = Model(intro: lang.t("calendar.intro", ["date": tenant.format.longDate(tenant.asOf)]), rows: rows.map(\.templateValue), hasRows: !rows.isEmpty,
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

/// Every tenant's calendar on one page, `<lang>/calendar.html` (the next `TenantSummary.calendarDays` days, and
/// overdue invoices); its `.ics` is `PartnerCalendarFile`, a kind of its own so that the two are made side by side.
struct PartnerCalendar: SitePageKind {
    var templateNames: [String] { ["calendar"] }

    /// Every tenant's events, most urgent first, with the index of their tenant's summary (sorting summaries
    /// themselves would copy them); and the 'today' they are urgent against.
    static func events(_ site: SiteContext) -> (all: [(event: CalendarEvent, tenant: Int)], asOf: CivilDate) {
        // The page and the `.ics` (two kinds, often on two workers) share one list: the second waits for the first.
        site.shared.calendar.withLock { made in
            if let made { return made }
            let events = sortedEvents(site)
            made = events
            return events
        }
    }

    private static func sortedEvents(_ site: SiteContext) -> (all: [(event: CalendarEvent, tenant: Int)], asOf: CivilDate) {
        let summaries = site.summaries
        var all: [(event: CalendarEvent, tenant: Int)] = []
        for (i, s) in summaries.enumerated() { for event in s.calendar { all.append((event, i)) } }
        let asOf = summaries.map(\.asOf).max() ?? CivilDate(year: 2000, month: 1, day: 1)
        // `CalendarEvent.byUrgency`, then the tenant's slug.
        let slugs = summaries.map(\.slug)
        all.sort { x, y in
            let order = CalendarEvent.urgency(x.event, y.event, asOf: asOf)
            return order != 0 ? order < 0 : slugs[x.tenant] < slugs[y.tenant]
        }
        return (all, asOf)
    }

    func render(_ site: SiteContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let (all, _) = Self.events(site)
        let summaries = site.summaries
        for lang in site.languages {
            let path = SitePath(lang.language.rawValue, "calendar.html")
            let ics = SitePath(lang.language.rawValue, "calendar.ics")
            let rows = all.map { item -> CalendarPages.Row in
                let summary = summaries[item.tenant]
                let words = CalendarWords(lang: lang, asOf: summary.asOf)
                var row = words.row(item.event)
                row.tenant = summary.displayName
                row.tenantURL = path.link(to: SitePath(SitePaths.tenantFolder(lang.language, summary.slug) + ["calendar.html"]))
                return row
            }
            let model = CalendarPages.Model(intro: lang.plural("calendar.partnerIntro", site.summaries.count, ["days": String(TenantSummary.calendarDays)]),
                                            rows: rows.map(\.templateValue), hasRows: !rows.isEmpty, icsURL: path.link(to: ics), partner: true)
            let other = site.languages.first { $0.language != lang.language }
            let meta = PageMeta(title: lang.t("calendar.partnerTitle"), breadcrumbs: [(lang.t("nav.tenants"), SitePaths.languageHome(lang.language))],
                                alternate: other.map { ($0.language, SitePath($0.language.rawValue, "calendar.html")) }, pageClass: "page-calendar")
            try emit(path, try renderer.render(path, template: "calendar", model: model, meta: meta, in: lang))
        }
    }
}

/// `<lang>/calendar.ics`: `PartnerCalendar`'s events as an iCalendar file.
struct PartnerCalendarFile: SitePageKind {
    var templateNames: [String] { [] }

    func render(_ site: SiteContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let (all, asOf) = PartnerCalendar.events(site)
        let summaries = site.summaries
        let stamp = summaries.map(\.capturedDateTime).max() ?? Timestamp(secondsSinceEpoch: 0)
        for lang in site.languages {
            let words = CalendarWords(lang: lang, asOf: asOf)
            try emit(SitePath(lang.language.rawValue, "calendar.ics"),
                     words.ics(name: lang.t("calendar.partnerTitle"), stamp: stamp,
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
        // The sentences once for all events (a partner's calendar has thousands).
        let table = lang.strings
        let detailPhrase = table.phrase("calendar.ics.detail", ["what", "about", "tenant"])
        let amountPhrase = table.phrase("calendar.ics.amount", ["amount"])
        let summaryPhrase = table.phrase("calendar.ics.summary", ["tenant", "what", "about"])
        var kinds: [CalendarEvent.Kind: String] = [:]
        let base = baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        let items = events.map { event, tenantId, tenantName, slug -> ICalendar.Event in
            let what = kinds[event.kind] ?? { let w = self.what(event); kinds[event.kind] = w; return w }()
            var detail = detailPhrase(what, event.name, tenantName)
            if let amount = event.amount { detail += " " + amountPhrase(f.money(amount.amount, amount.currency)) }
            let url = base.map { $0 + SitePaths.tenantFolder(lang.language, slug).joined(separator: "/") + "/calendar.html" }
            return ICalendar.Event(
                uid: String(StableID.urn(["tenantsite", "calendar", tenantId, event.kind.rawValue, event.subjectId, event.date.iso]).dropFirst("urn:uuid:".count)) + "@tenantsite",
                date: event.date, summary: summaryPhrase(tenantName, what, event.name), description: detail, url: url)
        }
        return ICalendar(name: name, stamp: stamp, events: items).bytes()
    }
}
