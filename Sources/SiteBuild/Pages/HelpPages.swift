import Foundation
import SiteRender
import TenantModel

/// The help center of each language: `<lang>/help/index.html` (the four panels and their articles),
/// `<lang>/help/<panel>/index.html`, `<lang>/help/<panel>/<article>.html`, and the search index
/// `<lang>/search-index.json` (+ `search-index.js`, the same data for `assets/site.js`, which cannot fetch JSON
/// from `file://`). Written even when there are no articles: every page's header links to the help home and
/// loads the search index.
struct HelpPages: SitePageKind {
    var templateNames: [String] { ["help-home", "help-panel", "help-article"] }

    func render(_ site: SiteContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        for lang in site.languages {
            let pages = HelpPageSet(help: site.help, lang: lang, languages: site.languages.map(\.language))
            try pages.renderHome(renderer, emit)
            for panel in HelpLinks.Panel.allCases { try pages.renderPanel(panel, renderer, emit) }
            for article in site.help.articles where article.language == lang.language {
                try pages.renderArticle(article, renderer, emit)
            }
            let index = pages.searchIndex()
            try emit(SitePaths.searchIndexJSON(lang.language), index.json)
            try emit(SitePaths.searchIndexScript(lang.language), index.script)
        }
    }
}

extension SitePaths {
    public static func searchIndexJSON(_ lang: Language) -> SitePath { SitePath(lang.rawValue, "search-index.json") }
    public static func searchIndexScript(_ lang: Language) -> SitePath { SitePath(lang.rawValue, "search-index.js") }
}

/// The help pages of one language.
struct HelpPageSet {
    let help: HelpCenter
    let lang: LanguageContext
    /// The languages this build writes (a language switch only points at a written page).
    let languages: [Language]

    var language: Language { lang.language }

    func panelName(_ panel: HelpLinks.Panel) -> String { lang.t("help.panel.\(panel.rawValue).name") }
    func panelDescription(_ panel: HelpLinks.Panel) -> String { lang.t("help.panel.\(panel.rawValue).description") }

    func path(_ article: HelpCenter.Article) -> SitePath { SitePaths.helpArticle(language, article.panel.rawValue, article.slug) }

    /// The same page in the other written language, for the language switch.
    func alternate(_ path: SitePath) -> (language: Language, path: SitePath)? {
        languages.first { $0 != language }.map { ($0, SitePaths.alternate(path, $0)) }
    }

    var helpCrumb: (label: String, path: SitePath) { (lang.t("help.home.title"), SitePaths.helpHome(language)) }

    // MARK: Help home

    struct ArticleLink: Encodable {
        var title: String
        var summary: String
        var url: SiteURL
    }

    struct PanelBlock: Encodable {
        var name: String
        var description: String
        var url: SiteURL
        var articles: [ArticleLink]
        var hasArticles: Bool
    }

    struct HomeModel: Encodable {
        var panels: [PanelBlock]
    }

    func renderHome(_ renderer: PageRenderer, _ emit: (SitePath, [UInt8]) throws -> Void) throws {
        let page = SitePaths.helpHome(language)
        let panels = HelpLinks.Panel.allCases.map { panel in
            let articles = help.articles(language, panel).map { ArticleLink(title: $0.title, summary: $0.summary, url: page.link(to: path($0))) }
            return PanelBlock(name: panelName(panel), description: panelDescription(panel),
                              url: page.link(to: SitePaths.helpPanel(language, panel.rawValue)), articles: articles, hasArticles: !articles.isEmpty)
        }
        let meta = PageMeta(title: lang.t("help.home.title"), alternate: alternate(page), pageClass: "page-help-home")
        try emit(page, try renderer.render(page, template: "help-home", model: HomeModel(panels: panels), meta: meta, in: lang))
    }

    // MARK: Panel index

    struct OtherPanel: Encodable {
        var name: String
        var url: SiteURL
    }

    struct PanelModel: Encodable {
        var description: String
        var articles: [ArticleLink]
        var hasArticles: Bool
        var otherPanels: [OtherPanel]
    }

    func renderPanel(_ panel: HelpLinks.Panel, _ renderer: PageRenderer, _ emit: (SitePath, [UInt8]) throws -> Void) throws {
        let page = SitePaths.helpPanel(language, panel.rawValue)
        let articles = help.articles(language, panel).map { ArticleLink(title: $0.title, summary: $0.summary, url: page.link(to: path($0))) }
        let others = HelpLinks.Panel.allCases.filter { $0 != panel }.map {
            OtherPanel(name: panelName($0), url: page.link(to: SitePaths.helpPanel(language, $0.rawValue)))
        }
        let model = PanelModel(description: panelDescription(panel), articles: articles, hasArticles: !articles.isEmpty, otherPanels: others)
        let meta = PageMeta(title: panelName(panel), breadcrumbs: [helpCrumb], alternate: alternate(page),
                            subtitle: lang.t("help.home.title"), pageClass: "page-help-panel")
        try emit(page, try renderer.render(page, template: "help-panel", model: model, meta: meta, in: lang))
    }

    // MARK: Article

    struct RelatedLink: Encodable {
        var title: String
        var url: SiteURL
        /// The panel's name when it is not the article's own panel.
        var panel: String?
    }

    struct ArticleModel: Encodable {
        var summary: String
        var toc: TrustedHTML
        var hasToc: Bool
        var body: TrustedHTML
        var related: [RelatedLink]
        var hasRelated: Bool
        var pager: TrustedHTML
    }

    func renderArticle(_ article: HelpCenter.Article, _ renderer: PageRenderer, _ emit: (SitePath, [UInt8]) throws -> Void) throws {
        let page = path(article)
        let markdown = MarkdownArticle(article.body, anchor: { Slug.make($0) }, reservedIDs: HelpCenter.reservedIDs)
        let body = markdown.html { link in
            switch help.resolve(link, in: article) {
            case .success(.fragment(let id)): return "#" + id
            case .success(.external(let url)): return url.path
            case .success(.article(let panel, let targetLanguage, let slug, let fragment)):
                // A link into a language this build does not write goes to the same article in this language
                // (every article exists in both).
                let shown = languages.contains(targetLanguage) ? targetLanguage : language
                return page.link(to: SitePaths.helpArticle(shown, panel.rawValue, slug), fragment: fragment).path
            case .failure:
                // Checked when the help center was loaded; unreachable for a loaded article.
                return ""
            }
        }
        let related = article.related.compactMap { key -> RelatedLink? in
            guard let target = help.article(language, key: key) else { return nil }
            return RelatedLink(title: target.title, url: page.link(to: path(target)),
                               panel: target.panel == article.panel ? nil : panelName(target.panel))
        }
        let model = ArticleModel(summary: article.summary, toc: toc(markdown.headings, page: page),
                                 hasToc: markdown.headings.filter { $0.level == 2 }.count >= 2,
                                 body: body, related: related, hasRelated: !related.isEmpty,
                                 pager: pager(article, page: page))
        let column = try renderer.renderBody(template: "help-article", model: model, lang: lang)
        var wrapped = HTMLBuilder()
        wrapped.open("div", [("class", "help-columns")])
        wrapped.append(sidebar(article, page: page))
        wrapped.open("div", [("class", "help-article")])
        wrapped.append(column)
        wrapped.close("div")
        wrapped.close("div")
        let meta = PageMeta(title: article.title,
                            breadcrumbs: [helpCrumb, (panelName(article.panel), SitePaths.helpPanel(language, article.panel.rawValue))],
                            alternate: alternate(page), subtitle: panelName(article.panel), pageClass: "page-help-article")
        try emit(page, try renderer.layout(page, body: wrapped.html, meta: meta, lang: lang))
    }

    /// "On this page": the h2 headings, each with its h3 headings.
    func toc(_ headings: [MarkdownArticle.Heading], page: SitePath) -> TrustedHTML {
        var html = HTMLBuilder()
        html.open("nav", [("class", "toc"), ("id", "toc"), ("aria-label", lang.t("help.article.toc"))])
        html.element("p", [("class", "toc-title")], text: lang.t("help.article.toc"))
        html.open("ol")
        var openSub = false
        var openItem = false
        for heading in headings {
            if heading.level == 2 {
                if openSub { html.close("ol"); openSub = false }
                if openItem { html.close("li") }
                html.open("li")
                openItem = true
                html.link(page.link(to: page, fragment: heading.id), text: heading.text)
            } else {
                if !openItem { html.open("li"); openItem = true }
                if !openSub { html.open("ol"); openSub = true }
                html.open("li")
                html.link(page.link(to: page, fragment: heading.id), text: heading.text)
                html.close("li")
            }
        }
        if openSub { html.close("ol") }
        if openItem { html.close("li") }
        html.close("ol")
        html.close("nav")
        return html.html
    }

    /// Previous and next article of the same panel, by `order`.
    func pager(_ article: HelpCenter.Article, page: SitePath) -> TrustedHTML {
        let siblings = help.articles(language, article.panel)
        guard let index = siblings.firstIndex(where: { $0.slug == article.slug }) else { return .empty }
        let previous = index > 0 ? siblings[index - 1] : nil
        let next = index + 1 < siblings.count ? siblings[index + 1] : nil
        guard previous != nil || next != nil else { return .empty }
        var html = HTMLBuilder()
        html.open("nav", [("class", "pager"), ("id", "pager"), ("aria-label", lang.t("help.article.pager"))])
        if let previous {
            html.open("a", [("class", "pager-prev"), ("rel", "prev")], href: page.link(to: path(previous)))
            html.element("span", [("class", "pager-label")], text: lang.t("help.article.previous"))
            html.element("span", [("class", "pager-title")], text: previous.title)
            html.close("a")
        }
        if let next {
            html.open("a", [("class", "pager-next"), ("rel", "next")], href: page.link(to: path(next)))
            html.element("span", [("class", "pager-label")], text: lang.t("help.article.next"))
            html.element("span", [("class", "pager-title")], text: next.title)
            html.close("a")
        }
        html.close("nav")
        return html.html
    }

    /// The panel's articles beside the article, the current one marked.
    func sidebar(_ article: HelpCenter.Article, page: SitePath) -> TrustedHTML {
        var html = HTMLBuilder()
        html.open("nav", [("class", "help-side"), ("aria-label", lang.t("help.article.inPanel", ["panel": panelName(article.panel)]))])
        html.open("p", [("class", "help-side-title")])
        html.link(page.link(to: SitePaths.helpPanel(language, article.panel.rawValue)), text: panelName(article.panel))
        html.close("p")
        html.open("ol")
        for sibling in help.articles(language, article.panel) {
            if sibling.slug == article.slug {
                html.open("li", [("class", "current")])
                html.element("span", [("aria-current", "page")], text: sibling.title)
            } else {
                html.open("li")
                html.link(page.link(to: path(sibling)), text: sibling.title)
            }
            html.close("li")
        }
        html.close("ol")
        html.close("nav")
        return html.html
    }

    // MARK: Search index

    /// Titles, summaries and headings of every article (never bodies), with URLs relative to `<lang>/`, the
    /// folder holding the index. docs/help-articles.md describes the format.
    struct SearchIndex {
        struct Entry {
            var title: String
            var summary: String
            var panel: String
            var url: String
            var headings: [Heading]
            /// The article's words without Markdown, searched last (a body-only match ranks below any other).
            var text: String = ""
        }
        struct Heading {
            var text: String
            var url: String
        }
        var language: String
        var articles: [Entry]

        /// The index as compact JSON with its keys sorted (what `JSONEncoder` with `.sortedKeys` and
        /// `.withoutEscapingSlashes` wrote, byte for byte); `scriptSafe` also escapes `<`, U+2028 and U+2029, so the
        /// JSON can stand as a JavaScript expression in a script file. Written directly: a tenant's index has an
        /// entry per person and invoice, and Foundation's encoder was 2–3 % of a full build's time.
        func json(scriptSafe: Bool) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(256 + articles.count * 192)
            func key(_ name: StaticString) {
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
                out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            }
            func string(_ text: String) { JSONText.appendString(text, to: &out, scriptSafe: scriptSafe) }
            out.append(UInt8(ascii: "{"))
            key("articles")
            out.append(UInt8(ascii: "["))
            for (i, entry) in articles.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                key("headings")
                out.append(UInt8(ascii: "["))
                for (j, heading) in entry.headings.enumerated() {
                    if j > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(UInt8(ascii: "{"))
                    key("text"); string(heading.text); out.append(UInt8(ascii: ","))
                    key("url"); string(heading.url)
                    out.append(UInt8(ascii: "}"))
                }
                out.append(contentsOf: [UInt8(ascii: "]"), UInt8(ascii: ",")])
                key("panel"); string(entry.panel); out.append(UInt8(ascii: ","))
                key("summary"); string(entry.summary); out.append(UInt8(ascii: ","))
                key("text"); string(entry.text); out.append(UInt8(ascii: ","))
                key("title"); string(entry.title); out.append(UInt8(ascii: ","))
                key("url"); string(entry.url)
                out.append(UInt8(ascii: "}"))
            }
            out.append(contentsOf: [UInt8(ascii: "]"), UInt8(ascii: ",")])
            key("language"); string(language)
            out.append(UInt8(ascii: "}"))
            return out
        }
    }

    func searchIndex() -> (json: [UInt8], script: [UInt8]) {
        let folder = SitePaths.searchIndexJSON(language)
        let entries = HelpLinks.Panel.allCases.flatMap { panel in
            help.articles(language, panel).map { article in
                let url = folder.link(to: path(article))
                return SearchIndex.Entry(title: article.title, summary: article.summary, panel: panelName(panel), url: url.path,
                                         headings: article.headings.map { .init(text: $0.text, url: folder.link(to: path(article), fragment: $0.id).path) },
                                         text: Self.plainText(article.body))
            }
        }
        let index = SearchIndex(language: language.rawValue, articles: entries)
        var script = Array("window.tenantsiteSearchIndex = ".utf8)
        script += index.json(scriptSafe: true)
        script += Array(";\n".utf8)
        return (index.json(scriptSafe: false) + [0x0A], script)
    }

    /// An article's Markdown as words: link targets, emphasis, heading marks, table pipes and code ticks left out.
    static func plainText(_ markdown: String) -> String {
        var text = markdown.replacing(/\]\([^)]*\)/, with: "]")
        text = text.replacing(/[#*_`|>\[\]]+/, with: " ")
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
