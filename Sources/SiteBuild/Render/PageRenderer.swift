import Foundation
import Synchronization
import SiteRender
import TenantModel

/// The words and formats of one language.
public struct LanguageContext: Sendable {
    public let language: Language
    public let strings: StringTable
    public let format: LocaleFormat

    public init(language: Language, strings: StringTable) {
        self.language = language
        self.strings = strings
        self.format = LocaleFormat(language)
    }

    public func t(_ key: String, _ arguments: [String: String] = [:]) -> String { strings.text(key, arguments) }
    public func plural(_ key: String, _ count: Int, _ arguments: [String: String] = [:]) -> String {
        strings.plural(key, count, arguments)
    }
}

/// What the layout needs besides the page body.
public struct PageMeta: Sendable {
    public var title: String
    /// Links from the site's top down to the page's parent; the page itself is the last, unlinked crumb.
    public var breadcrumbs: [(label: String, path: SitePath)]
    /// The same page in the other language, when there is one.
    public var alternate: (language: Language, path: SitePath)?
    /// A short line under the title (the tenant's name on tenant pages).
    public var subtitle: String?
    /// A class on `<main>` naming the kind of page (`page-help-article`), for the stylesheet.
    public var pageClass: String?
    /// The site's front door, which speaks both languages: no language-specific navigation.
    public var isLanguageChooser = false
    /// The Atom feed of the page's changes, for `<link rel="alternate">` (a tenant's pages, the partner home).
    public var feed: (path: SitePath, title: String)?
    /// A tenant's own search index (people, invoice numbers), searched beside the help center's.
    public var tenantIndex: SitePath?

    public init(title: String, breadcrumbs: [(label: String, path: SitePath)] = [], alternate: (language: Language, path: SitePath)? = nil,
                subtitle: String? = nil, pageClass: String? = nil) {
        self.title = title
        self.breadcrumbs = breadcrumbs
        self.alternate = alternate
        self.subtitle = subtitle
        self.pageClass = pageClass
    }
}

/// Renders a page: its Markdown template with the view-model, then the shared layout around it.
public struct PageRenderer: Sendable {
    public let templates: TemplateSet
    /// Where `--timings` collects the time spent per template; nil outside a build.
    let timer: PhaseTimer?
    /// The layout's links to the assets, the home page and the help center, per folder.
    let layoutLinks = LayoutLinks.Cache()
    /// The invoice documents' templates with the strings and styles printed in, per language.
    let invoiceTemplates = PerLanguage<InvoiceDocumentPages.Bound>()
    /// The layout with the strings printed in, per language.
    let layouts = PerLanguage<BoundLayout>()

    public init(templates: TemplateSet) { self.init(templates: templates, timer: nil) }

    init(templates: TemplateSet, timer: PhaseTimer?) {
        self.templates = templates
        self.timer = timer
    }

    /// - Parameters:
    ///   - model: the page's view-model; its fields are the template's top-level names, beside `t` (the strings).
    public func render<Model: Encodable>(_ path: SitePath, template: String, model: Model, meta: PageMeta,
                                         in lang: LanguageContext) throws -> [UInt8] {
        let body = try renderBody(template: template, model: model, lang: lang)
        return try layout(path, body: body, meta: meta, lang: lang)
    }

    public func renderBody<Model: Encodable>(template: String, model: Model, lang: LanguageContext) throws -> TrustedHTML {
        let started = timer == nil ? nil : ContinuousClock.now
        defer { if let started { timer?.add(template: template, ContinuousClock.now - started) } }
        return try renderBody(template: template, encoded: try TemplateValueEncoder.encode(model), lang: lang)
    }

    /// `render` for a view-model already made into its template value (what `TemplateValueEncoder` would make).
    public func render(_ path: SitePath, template: String, value: TemplateValue, meta: PageMeta, in lang: LanguageContext) throws -> [UInt8] {
        let started = timer == nil ? nil : ContinuousClock.now
        let body = try renderBody(template: template, encoded: value, lang: lang)
        if let started { timer?.add(template: template, ContinuousClock.now - started) }
        return try layout(path, body: body, meta: meta, lang: lang)
    }

    private func renderBody(template: String, encoded: TemplateValue, lang: LanguageContext) throws -> TrustedHTML {
        var value = encoded
        if case .object(var members) = value {
            members["t"] = lang.strings.templateValue
            value = .object(members)
        }
        return try templates.page(template).renderHTML(value)
    }

    /// The whole page, as the bytes written to its file.
    public func layout(_ path: SitePath, body: TrustedHTML, meta: PageMeta, lang: LanguageContext) throws(TemplateError) -> [UInt8] {
        let started = timer == nil ? nil : ContinuousClock.now
        defer { if let started { timer?.add(template: PhaseTimer.layoutName, ContinuousClock.now - started) } }
        let links = layoutLinks.links(from: path, language: lang.language)
        let bound = layouts.value(lang) { BoundLayout(layout: templates.layout.binding("t", to: lang.strings.templateValue),
                                                     siteName: .text(lang.t("site.name"))) }
        var crumbs: [TemplateValue] = meta.breadcrumbs.map { crumb in
            LayoutKeys.crumb.record([.text(crumb.label), .url(path.link(to: crumb.path)), .absent])
        }
        crumbs.append(LayoutKeys.crumb.record([.text(meta.title), .absent, .bool(true)]))
        var alternate: TemplateValue = .absent
        if let other = meta.alternate {
            alternate = LayoutKeys.alternate.record([.url(path.link(to: other.path)), .text(other.language.rawValue),
                                                     .text(lang.t("language.switchTo.\(other.language.rawValue)"))])
        }
        let model = LayoutKeys.page.record([
            .text(lang.language.rawValue), .text(meta.title), bound.siteName, .url(links.stylesheet), .url(links.script),
            .url(links.searchIndex), .url(links.home), .url(links.help), .list(meta.breadcrumbs.isEmpty ? [] : crumbs),
            .bool(!meta.breadcrumbs.isEmpty), .bool(meta.isLanguageChooser), .html(body), lang.strings.templateValue,
            meta.subtitle.map { .text($0) } ?? .absent, meta.pageClass.map { .text($0) } ?? .absent,
            meta.tenantIndex.map { .url(path.link(to: $0)) } ?? .absent,
            meta.feed.map { LayoutKeys.feed.record([.url(path.link(to: $0.path)), .text($0.title)]) } ?? .absent,
            alternate,
        ])
        return try bound.layout.renderBytes(model)
    }

    /// The names `layout.html` is given (docs/templates.md), as records: a page's layout finds each by position.
    enum LayoutKeys {
        static let page = RowKeys(["lang", "title", "siteName", "stylesheet", "script", "searchIndex", "homeURL", "helpURL", "breadcrumbs",
                                   "hasBreadcrumbs", "isLanguageChooser", "body", "t", "subtitle", "pageClass", "tenantIndex", "feed",
                                   "alternate"])
        static let crumb = RowKeys(["label", "url", "current"])
        static let feed = RowKeys(["url", "title"])
        static let alternate = RowKeys(["url", "lang", "label"])
    }

    /// The layout with a language's strings (`t`) printed in, made once per language and build.
    struct BoundLayout: Sendable {
        let layout: HTMLTemplate
        let siteName: TemplateValue
    }
}

/// The links every page's layout holds besides its breadcrumbs. They depend only on the page's folder and
/// language, and a site has thousands of pages in a few hundred folders: made once per folder.
struct LayoutLinks: Sendable {
    var stylesheet, script, searchIndex, home, help: SiteURL

    init(from path: SitePath, language: Language) {
        stylesheet = path.link(to: SitePath("assets", "style.css"))
        script = path.link(to: SitePath("assets", "site.js"))
        searchIndex = path.link(to: SitePaths.searchIndexScript(language))
        home = path.link(to: SitePaths.languageHome(language))
        help = path.link(to: SitePaths.helpHome(language))
    }

    final class Cache: Sendable {
        private struct Key: Hashable {
            var folder: ArraySlice<String>
            var language: Language
        }

        private let known = Mutex<[Key: LayoutLinks]>([:])
        /// Far more than the folders of a large site; past it the cache starts over.
        private static let limit = 4096

        func links(from path: SitePath, language: Language) -> LayoutLinks {
            let key = Key(folder: path.components.dropLast(), language: language)
            if let hit = known.withLock({ $0[key] }) { return hit }
            let made = LayoutLinks(from: path, language: language)
            known.withLock { cache in
                if cache.count >= Self.limit { cache.removeAll(keepingCapacity: true) }
                cache[key] = made
            }
            return made
        }
    }
}

/// Values made once per language and build from the language's strings (templates with them printed in), for every
/// tenant's pages to share. A value made from other strings than the caller's (a renderer used with several string
/// tables, as tests may) is made again.
final class PerLanguage<Value: Sendable>: Sendable {
    private let made = Mutex<[Language: (strings: StringTable, value: Value)]>([:])

    func value(_ lang: LanguageContext, make: () -> Value) -> Value {
        if let hit = made.withLock({ $0[lang.language] }), hit.strings === lang.strings { return hit.value }
        let value = make()
        made.withLock { $0[lang.language] = (lang.strings, value) }
        return value
    }
}

extension TrustedHTML {
    /// HTML that came out of a `MarkdownTemplate` (cmark-gfm in safe mode, values escaped into their holes).
    static func rendered(_ html: String) -> TrustedHTML { TrustedHTML(unsafeRendered: html) }
}
