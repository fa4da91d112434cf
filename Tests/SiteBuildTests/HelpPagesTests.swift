import Foundation
import Testing
@testable import SiteBuild
import TenantModel

/// The help center pages built from the demo content: which pages exist, what an article page holds, the
/// search index, sitemap.xml, and a broken link failing the build.
@Suite struct HelpPagesTests {
    func buildDemo(_ settings: BuildSettings = BuildSettings(), content: URL = repoRoot.appendingPathComponent("content")) throws -> [String: Data] {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        try buildSite(content: content, output: root.appendingPathComponent("site"), settings: settings)
        return tree(root.appendingPathComponent("site"))
    }

    func page(_ files: [String: Data], _ path: String) -> String {
        String(decoding: files[path] ?? Data(), as: UTF8.self)
    }

    @Test func everyPanelAndArticleHasItsPageInBothLanguages() throws {
        let files = try buildDemo()
        let help = try HelpCenter.load(folder: repoRoot.appendingPathComponent("content/help").path).get()
        for language in ["pl", "en"] {
            #expect(files["\(language)/help/index.html"] != nil)
            #expect(files["\(language)/search-index.json"] != nil)
            #expect(files["\(language)/search-index.js"] != nil)
            for panel in HelpLinks.Panel.allCases {
                #expect(files["\(language)/help/\(panel.rawValue)/index.html"] != nil)
            }
        }
        for article in help.articles {
            #expect(files["\(article.language.rawValue)/help/\(article.panel.rawValue)/\(article.slug).html"] != nil, "\(article.file)")
        }
        #expect(files["assets/site.js"] != nil)
        #expect(files["sitemap.xml"] == nil, "sitemap.xml needs --base-url")
    }

    @Test func anArticlePageHasBreadcrumbsContentsPagerRelatedAndLanguageSwitch() throws {
        let files = try buildDemo()
        let html = page(files, "pl/help/home-pl/force-sync.html")
        // Breadcrumbs: Help › home.pl › (this article).
        #expect(html.contains(#"<li><a href="../index.html">Pomoc</a></li><li><a href="index.html">home.pl</a></li><li aria-current="page">Jak wymusić synchronizację danych w panelu home.pl</li>"#))
        // Table of contents and stable anchors, Polish letters folded.
        #expect(html.contains(#"<a href="force-sync.html#skad-bierze-sie-opoznienie">Skąd bierze się opóźnienie</a>"#))
        #expect(html.contains(#"<h2 id="skad-bierze-sie-opoznienie">Skąd bierze się opóźnienie</h2>"#))
        #expect(html.contains(#"<h2 id="reczna-synchronizacja-krok-po-kroku">"#))
        // Links between articles point at the pages, relative to this one.
        #expect(html.contains(#"<a href="invoices-and-payments.html">Faktury i płatności</a>"#))
        // Related articles, one from another panel with the panel's name.
        #expect(html.contains(#"<a href="which-panel-does-what.html">Który panel do czego służy – home.pl i Microsoft</a>"#))
        #expect(html.contains(#"<a href="../m365-admin-center/where-each-task-lives.html">"#))
        #expect(html.contains("· Centrum administracyjne Microsoft 365"))
        // Previous and next within the panel, by order (4 and 6 around 5).
        #expect(html.contains(#"<a href="assign-licences.html" class="pager-prev" rel="prev">"#))
        #expect(html.contains(#"<a href="invoices-and-payments.html" class="pager-next" rel="next">"#))
        // The same article in English.
        #expect(html.contains(#"<a class="lang-switch" href="../../../en/help/home-pl/force-sync.html" hreflang="en" lang="en">English</a>"#))
        // The panel's articles beside it, this one marked.
        #expect(html.contains(#"<li class="current"><span aria-current="page">Jak wymusić synchronizację danych w panelu home.pl</span></li>"#))
        #expect(html.contains(#"<main id="main" class="page-help-article">"#))

        let english = page(files, "en/help/home-pl/force-sync.html")
        #expect(english.contains(#"href="../../../pl/help/home-pl/force-sync.html" hreflang="pl" lang="pl">Polski</a>"#))
        #expect(english.contains("<h1>How to force a data sync in the home.pl panel</h1>"))
    }

    @Test func theFirstArticleHasNoPreviousAndTheLastNoNext() throws {
        let files = try buildDemo()
        let first = page(files, "en/help/partner-center/assign-and-revoke-licences.html")
        #expect(!first.contains("pager-prev"))
        #expect(first.contains(#"<a href="checkbox-states.html" class="pager-next" rel="next">"#))
        let last = page(files, "en/help/partner-center/reduce-licences.html")
        #expect(last.contains("pager-prev"))
        #expect(!last.contains("pager-next"))
    }

    @Test func helpHomeAndPanelIndexListTheArticlesInOrder() throws {
        let files = try buildDemo()
        let home = page(files, "en/help/index.html")
        for panel in ["home-pl", "az-pl", "m365-admin-center", "partner-center"] {
            #expect(home.contains(#"<a href="\#(panel)/index.html">"#))
        }
        let panel = page(files, "pl/help/home-pl/index.html")
        let order = ["which-panel-does-what", "access-after-order", "install-office", "assign-licences", "force-sync", "invoices-and-payments"]
        let positions = order.map { panel.range(of: #"<a href="\#($0).html">"#)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(panel.contains(#"<li><a href="../index.html">Pomoc</a></li>"#))
        #expect(panel.contains(#"href="../../../en/help/home-pl/index.html""#))
    }

    struct SearchIndex: Decodable {
        struct Entry: Decodable {
            var title: String
            var summary: String
            var panel: String
            var url: String
            var headings: [Heading]
            var text: String
        }
        struct Heading: Decodable {
            var text: String
            var url: String
        }
        var language: String
        var articles: [Entry]
    }

    @Test func theSearchIndexHoldsTitlesSummariesHeadingsAndPlainBodies() throws {
        let files = try buildDemo()
        let json = try #require(files["pl/search-index.json"])
        let index = try JSONDecoder().decode(SearchIndex.self, from: json)
        #expect(index.language == "pl")
        #expect(index.articles.count == 26)
        let sync = try #require(index.articles.first { $0.url == "help/home-pl/force-sync.html" })
        #expect(sync.title == "Jak wymusić synchronizację danych w panelu home.pl")
        #expect(sync.panel == "home.pl")
        #expect(sync.headings.first?.text == "Skąd bierze się opóźnienie")
        #expect(sync.headings.first?.url == "help/home-pl/force-sync.html#skad-bierze-sie-opoznienie")
        for entry in index.articles {
            #expect(files["pl/" + entry.url] != nil, "\(entry.url)")
        }
        // The body is in the index as plain words (searched last): no Markdown marks, no link targets.
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("Panel home.pl odświeża informacje z Microsoftu automatycznie"))
        #expect(!index.articles.contains { $0.text.contains("**") || $0.text.contains("](") })
        // The script form is the same data, for pages opened from file://.
        let script = String(decoding: try #require(files["pl/search-index.js"]), as: UTF8.self)
        #expect(script.hasPrefix("window.tenantsiteSearchIndex = {"))
        #expect(script.hasSuffix(";\n"))
        let embedded = script.dropFirst("window.tenantsiteSearchIndex = ".count).dropLast(2)
        let fromScript = try JSONDecoder().decode(SearchIndex.self, from: Data(embedded.utf8))
        #expect(fromScript.articles.map(\.url) == index.articles.map(\.url))
    }

    @Test func everyPageCarriesTheSearchBoxAndTheScript() throws {
        let files = try buildDemo()
        let overview = page(files, "pl/tenants/kwiaciarnia-lakowa/index.html")
        #expect(overview.contains(#"<script src="../../../assets/site.js" defer></script>"#))
        #expect(overview.contains(#"data-index="../../search-index.js""#))
        #expect(overview.contains("hidden>"), "the search box stays hidden without JavaScript")
        for (path, data) in files where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            #expect(!html.contains("<script>"), "\(path) has an inline script")
            #expect(html.firstMatch(of: /\son[a-z]+="/) == nil, "\(path) has an inline event handler")
        }
    }

    @Test func sitemapListsEveryHTMLPageWhenABaseURLIsGiven() throws {
        let files = try buildDemo(BuildSettings(baseURL: "https://example.com/reports/"))
        let sitemap = page(files, "sitemap.xml")
        #expect(sitemap.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"#))
        #expect(sitemap.contains("<loc>https://example.com/reports/index.html</loc>"))
        #expect(sitemap.contains("<loc>https://example.com/reports/pl/help/home-pl/force-sync.html</loc>"))
        #expect(!sitemap.contains("search-index"))
        #expect(!sitemap.contains("style.css"))
        let count = sitemap.components(separatedBy: "<loc>").count - 1
        #expect(count == files.keys.filter { $0.hasSuffix(".html") }.count)
    }

    @Test func aLargeSitemapIsSplitWithAnIndex() {
        let pages = (0..<5).map { SitePath("pl", "p\($0).html") }
        let files = Sitemap.files(baseURL: "https://x.example", pages: pages, maxURLsPerFile: 2)
        #expect(files.map(\.path.description) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"])
        let index = String(decoding: files[0].bytes, as: UTF8.self)
        #expect(index.contains("<sitemapindex"))
        #expect(index.contains("<loc>https://x.example/sitemap-3.xml</loc>"))
        #expect(String(decoding: files[3].bytes, as: UTF8.self).contains("<loc>https://x.example/pl/p4.html</loc>"))
    }

    @Test func aBrokenLinkInAnArticleFailsTheBuildNamingFileAndLine() throws {
        let content = try copyOfDemoContent()
        defer { cleanUp(content) }
        let file = content.appendingPathComponent("help/az-pl/en/invoices.md")
        var text = try String(contentsOf: file, encoding: .utf8)
        text += "\nSee [the old page](old-invoices.md).\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let out = try temporaryFolder()
        defer { cleanUp(out) }
        do {
            try buildSite(content: content, output: out.appendingPathComponent("site"))
            Issue.record("the build succeeded with a broken link")
        } catch {
            guard case .invalidInput(let diagnostics) = error else { Issue.record("\(error)"); return }
            #expect(diagnostics.count == 1)
            #expect(diagnostics.first?.description == "\(file.path): \(lines):5: the link \"old-invoices.md\" points to no article: \(content.path)/help/az-pl/en/old-invoices.md does not exist")
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("site").path))
    }

    @Test func withoutArticlesTheHelpPagesStillExist() throws {
        let content = try copyOfDemoContent()
        defer { cleanUp(content) }
        try FileManager.default.removeItem(at: content.appendingPathComponent("help"))
        let files = try buildDemo(content: content)
        #expect(page(files, "en/help/index.html").contains("There are no articles for this panel yet."))
        #expect(page(files, "pl/help/az-pl/index.html").contains("W tym panelu nie ma jeszcze artykułów."))
        #expect(page(files, "en/search-index.json") == #"{"articles":[],"language":"en"}"# + "\n")
        expectNoBrokenLinks(LinkChecker(files: files).check(), in: files)
    }
}
