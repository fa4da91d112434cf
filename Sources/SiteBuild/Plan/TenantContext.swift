import Foundation
import SiteRender
import TenantModel

/// The URLs of the site (docs/contract: "Output"), in one place.
public enum SitePaths {
    public static func languageHome(_ lang: Language) -> SitePath { SitePath(lang.rawValue, "index.html") }
    public static func tenantFolder(_ lang: Language, _ slug: String) -> [String] { [lang.rawValue, "tenants", slug] }
    public static func tenantOverview(_ lang: Language, _ slug: String) -> SitePath { SitePath(tenantFolder(lang, slug) + ["index.html"]) }
    public static func subscription(_ lang: Language, _ slug: String, _ subscriptionSlug: String) -> SitePath {
        SitePath(tenantFolder(lang, slug) + ["subscriptions", subscriptionSlug + ".html"])
    }
    public static func selfService(_ lang: Language, _ slug: String) -> SitePath { SitePath(tenantFolder(lang, slug) + ["self-service", "index.html"]) }
    public static func invoices(_ lang: Language, _ slug: String, _ file: String = "index.html") -> SitePath {
        SitePath(tenantFolder(lang, slug) + ["invoices", file])
    }
    public static func changes(_ lang: Language, _ slug: String, _ file: String = "changes.html") -> SitePath {
        SitePath(tenantFolder(lang, slug) + [file])
    }
    /// The partner's feed of every tenant's changes.
    public static func partnerFeed(_ lang: Language) -> SitePath { SitePath(lang.rawValue, "changes.atom") }
    public static func helpHome(_ lang: Language) -> SitePath { SitePath(lang.rawValue, "help", "index.html") }
    public static func helpPanel(_ lang: Language, _ panel: String) -> SitePath { SitePath(lang.rawValue, "help", panel, "index.html") }
    public static func helpArticle(_ lang: Language, _ panel: String, _ article: String) -> SitePath {
        SitePath(lang.rawValue, "help", panel, article + ".html")
    }

    /// The same page in the other language: only the first component differs.
    public static func alternate(_ path: SitePath, _ lang: Language) -> SitePath {
        SitePath([lang.rawValue] + path.components.dropFirst())
    }
}

/// Build-wide settings that pages depend on.
public struct BuildSettings: Sendable {
    /// "Today" for relative ranges; nil = each snapshot's own capture date (Warsaw time). Never the wall clock.
    public var asOf: CivilDate?
    /// Extra invoice ranges (`--from/--to` pairs), inclusive.
    public var customRanges: [ClosedRange<CivilDate>]
    public var languages: [Language]
    /// Absolute base URL of the published site, for sitemap.xml only (links stay relative).
    public var baseURL: String?
    /// The KSeF environment whose verification service KOD I links to (`--ksef-env`).
    public var ksefEnvironment: KSeFCode.Environment

    public init(asOf: CivilDate? = nil, customRanges: [ClosedRange<CivilDate>] = [], languages: [Language] = Language.allCases,
                baseURL: String? = nil, ksefEnvironment: KSeFCode.Environment = .prod) {
        self.ksefEnvironment = ksefEnvironment
        self.asOf = asOf
        self.customRanges = customRanges
        self.languages = languages
        self.baseURL = baseURL
    }
}

/// One tenant in one language: the snapshot, the words, "today", and the slugs of its pages.
public struct TenantContext: Sendable {
    public let plan: TenantPlan
    public let lang: LanguageContext
    public let settings: BuildSettings
    public let help: HelpLinks
    /// The tenant's history: a trend point per snapshot and the changes between them (one point for a single snapshot).
    public let history: TenantHistory
    /// `<lang>/tenants/<slug>/invoices` and `…/subscriptions`, made once.
    let invoicesFolder: [String]
    let subscriptionsFolder: [String]

    public init(plan: TenantPlan, lang: LanguageContext, settings: BuildSettings, help: HelpLinks, history: TenantHistory? = nil) {
        self.plan = plan
        self.history = history ?? TenantHistory(single: plan)
        self.lang = lang
        self.settings = settings
        self.help = help
        let tenantFolder = SitePaths.tenantFolder(lang.language, plan.snapshot.slug)
        self.invoicesFolder = tenantFolder + ["invoices"]
        self.subscriptionsFolder = tenantFolder + ["subscriptions"]
    }

    /// A context with a plan of its own (tests and one-off pages; a build plans each tenant once for all languages).
    public init(snapshot: Snapshot, lang: LanguageContext, settings: BuildSettings, help: HelpLinks) {
        self.init(plan: TenantPlan(snapshot, settings: settings), lang: lang, settings: settings, help: help)
    }

    public var snapshot: Snapshot { plan.snapshot }
    /// "Today" for this tenant.
    public var asOf: CivilDate { plan.asOf }
    public var subscriptionSlugs: [String: String] { plan.subscriptionSlugs }
    public var invoiceSlugs: [String: String] { plan.invoiceSlugs }
    /// Status, corrections and payments of the tenant's invoices as of `asOf`, derived once for every page
    /// that shows them (the lists, the overview, the invoice documents).
    public var invoiceFacts: InvoiceFacts { plan.invoiceFacts }

    public var language: Language { lang.language }
    public var slug: String { snapshot.slug }
    public var format: LocaleFormat { lang.format }

    public var overviewPath: SitePath { SitePaths.tenantOverview(language, slug) }
    public var changesPath: SitePath { SitePaths.changes(language, slug) }
    public func peoplePath(_ file: String = "index.html") -> SitePath { SitePath(SitePaths.tenantFolder(language, slug) + ["people", file]) }
    public func personPath(_ id: String) -> SitePath { peoplePath((plan.personSlugs[id] ?? Slug.make(id)) + ".html") }
    public func subscriptionPath(_ id: String) -> SitePath { SitePaths.subscription(language, slug, subscriptionSlugs[id] ?? Slug.make(id)) }
    public var selfServicePath: SitePath { SitePaths.selfService(language, slug) }
    public func invoicesPath(_ file: String = "index.html") -> SitePath { SitePaths.invoices(language, slug, file) }
    public func invoicePath(_ id: String, extension ext: String = "html") -> SitePath {
        SitePath(invoicesFolder + [invoiceFileBase(id) + "." + ext])
    }

    /// The file name (without extension) of an invoice's page and e-mail.
    public func invoiceFileBase(_ id: String) -> String { invoiceSlugs[id] ?? Slug.make(id) }

    /// `page.link(to: invoicePath(id))`, without building the target path when the page is in the tenant's folder
    /// or its invoices or subscriptions folder (lists, subscription pages and invoice documents link to thousands of
    /// documents; `TenantContextTests` checks this against `link(to:)`).
    public func invoiceLink(_ id: String, from page: SitePath) -> SiteURL {
        let folder = page.components.dropLast()
        if folder.elementsEqual(invoicesFolder) { return .internalLink(invoiceFileBase(id) + ".html") }
        if folder.elementsEqual(subscriptionsFolder) { return .internalLink("../invoices/" + invoiceFileBase(id) + ".html") }
        // The tenant's own folder (its overview, calendar and search index).
        if folder.elementsEqual(invoicesFolder.dropLast()) { return .internalLink("invoices/" + invoiceFileBase(id) + ".html") }
        return page.link(to: invoicePath(id))
    }

    /// Breadcrumbs of every tenant page: language home › tenant.
    public var breadcrumbsToTenant: [(label: String, path: SitePath)] {
        [(lang.t("nav.tenants"), SitePaths.languageHome(language)), (snapshot.tenant.displayName, overviewPath)]
    }

    public func meta(_ path: SitePath, title: String, breadcrumbs: [(label: String, path: SitePath)]) -> PageMeta {
        let other = Language.allCases.first { $0 != language && settings.languages.contains($0) }
        var meta = PageMeta(title: title, breadcrumbs: breadcrumbs,
                            alternate: other.map { ($0, SitePaths.alternate(path, $0)) },
                            subtitle: snapshot.tenant.displayName)
        meta.feed = (SitePaths.changes(language, slug, "changes.atom"), lang.t("changes.feed.title", ["tenant": snapshot.tenant.displayName]))
        meta.tenantIndex = SitePaths.changes(language, slug, "search-index.js")
        return meta
    }
}

/// Which help article explains a task in a given admin panel. Filled from the help center's front matter.
public struct HelpLinks: Sendable {
    public enum Panel: String, Sendable, CaseIterable {
        case homePl = "home-pl"
        case azPl = "az-pl"
        case m365 = "m365-admin-center"
        case partnerCenter = "partner-center"
    }

    /// (panel, topic) → article slug.
    public var articles: [String: String]

    public init(articles: [String: String] = [:]) { self.articles = articles }

    /// The tasks that reports link to, and so the `topics:` a help article may declare (anything else is an
    /// error at load time, so a typo on either side cannot silently drop a link). Per panel, the article with
    /// the lowest `order` that declares a topic is the one reports link to.
    public static let knownTopics: Set<String> = [
        "panels-overview",      // which panel does what, where each task lives
        "access",               // getting access after ordering or paying, activating a user
        "install-office",       // installing the Office apps
        "sync",                 // changes made in Microsoft's panel not yet shown in the seller's panel
        "assign-licences",      // assigning licences to users
        "remove-licences",      // unassigning, revoking, changing a user's licence
        "reduce-licences",      // paying for fewer licences: when and where a subscription's count can go down
        "buy-licences",         // buying more (or fewer) licences, none free to assign
        "self-service",         // self-service purchases and taking control of them
        "subscription-states",  // active, expired, disabled, deleted
        "cancel-subscription",
        "payment-methods",
        "invoices",
    ]

    public static func key(_ panel: Panel, _ topic: String) -> String { "\(panel.rawValue)/\(topic)" }

    /// The panel that manages a tenant's subscriptions.
    public static func panel(for channel: Management.Channel) -> Panel {
        switch channel {
        case .homePl: return .homePl
        case .azPl: return .azPl
        case .partner: return .partnerCenter
        case .direct: return .m365
        }
    }

    /// The article for a topic in the tenant's own panel, falling back to the Microsoft 365 admin center.
    public func article(topic: String, channel: Management.Channel, language: Language) -> SitePath? {
        let own = Self.panel(for: channel)
        for panel in [own, .m365] {
            if let slug = articles[Self.key(panel, topic)] { return SitePaths.helpArticle(language, panel.rawValue, slug) }
        }
        return nil
    }
}
