import Foundation
import Testing
@testable import SiteBuild
import TenantModel

/// Loading the help center: front matter, the checks across articles, links between articles, and which
/// article the reports link to.
@Suite struct HelpCenterTests {
    /// A help folder with the given files (`panel/lang/slug.md` → text).
    func helpFolder(_ files: [String: String]) throws -> URL {
        let root = try temporaryFolder("tenantsite-help")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    func article(title: String = "Title", order: Int = 1, topics: String = "[]", related: String = "[]", body: String = "Text.\n") -> String {
        "---\ntitle: \(title)\nsummary: A summary.\norder: \(order)\ntopics: \(topics)\nrelated: \(related)\n---\n\(body)"
    }

    /// Both languages of one article.
    func pair(_ panel: String, _ slug: String, order: Int = 1, topics: String = "[]", related: String = "[]", pl: String = "Tekst.\n", en: String = "Text.\n") -> [String: String] {
        ["\(panel)/pl/\(slug).md": article(order: order, topics: topics, related: related, body: pl),
         "\(panel)/en/\(slug).md": article(order: order, topics: topics, related: related, body: en)]
    }

    func load(_ files: [String: String]) throws -> Result<HelpCenter, InvalidInput> {
        let folder = try helpFolder(files)
        defer { cleanUp(folder) }
        return HelpCenter.load(folder: folder.path).mapError { invalid in
            // Paths relative to the temporary folder, so the tests can compare them.
            InvalidInput(invalid.diagnostics.map { d in
                Diagnostic(file: String(d.file.dropFirst(folder.path.count + 1)), location: d.location,
                           message: d.message.replacingOccurrences(of: folder.path + "/", with: ""))
            })
        }
    }

    func problems(_ files: [String: String]) throws -> [String] {
        switch try load(files) {
        case .success: return []
        case .failure(let invalid): return invalid.diagnostics.map(\.description)
        }
    }

    @Test func theDemoHelpCenterLoadsWithEveryPanelInBothLanguages() throws {
        let help = try HelpCenter.load(folder: repoRoot.appendingPathComponent("content/help").path).get()
        for language in Language.allCases {
            for panel in HelpLinks.Panel.allCases {
                #expect(help.articles(language, panel).count >= 4, "\(panel) in \(language)")
            }
        }
        #expect(help.articles.count >= 32)
        #expect(Set(help.articles.filter { $0.language == .pl }.map(\.key)) == Set(help.articles.filter { $0.language == .en }.map(\.key)))
    }

    @Test func aBrokenLinkNamesTheFileAndItsLine() throws {
        var files = pair("home-pl", "a", pl: "Tekst.\n\nZobacz [b](b.md) i [brak](missing.md).\n")
        files.merge(pair("home-pl", "b", order: 2)) { $1 }
        let found = try problems(files)
        // The body starts on line 8 of the file (7 lines of front matter); the link is on its line 3.
        #expect(found == [#"home-pl/pl/a.md: 10:20: the link "missing.md" points to no article: home-pl/pl/missing.md does not exist"#])
    }

    @Test func linksAcrossPanelsAndToHeadingsAreChecked() throws {
        var files = pair("home-pl", "a", pl: """
        [ok](../../az-pl/pl/b.md#krok-po-kroku) [zły nagłówek](../../az-pl/pl/b.md#nie-ma) [tu](#sekcja) [nie tu](#brak)

        ## Sekcja
        """)
        files.merge(pair("az-pl", "b", pl: "## Krok po kroku\n", en: "## Step by step\n")) { $1 }
        let found = try problems(files)
        #expect(found.count == 2)
        #expect(found.contains { $0.contains(#"the link "../../az-pl/pl/b.md#nie-ma" points to no heading of"#) && $0.contains("#krok-po-kroku") })
        #expect(found.contains { $0.contains(##"the link "#brak" points to no heading of this article; its anchors are #sekcja"##) })
    }

    @Test func onlyHttpsMailtoAndArticleLinksAreAllowed() throws {
        let files = pair("home-pl", "a", pl: """
        [a](http://example.com) [b](javascript:alert(1)) [c](/absolute.md) [d](page.html) [e](https://example.com) [f](mailto:a@b.pl)
        www.example.com ![img](pic.png) [g](../../../x.md)
        """)
        let found = try problems(files)
        #expect(found.count == 7)
        #expect(found.contains { $0.contains(#""http://example.com" uses http:; use https:"#) })
        #expect(found.contains { $0.contains(#""javascript:alert(1)" uses javascript:"#) })
        #expect(found.contains { $0.contains(#""/absolute.md" is absolute"#) })
        #expect(found.contains { $0.contains(#""page.html" is neither an article (.md), https: nor mailto:"#) })
        #expect(found.contains { $0.contains(#""http://www.example.com" uses http:"#) })
        #expect(found.contains { $0.contains("images are not supported") })
        #expect(found.contains { $0.contains("climbs out of the help folder") })
    }

    @Test func everyArticleMustExistInBothLanguages() throws {
        var files = pair("home-pl", "a")
        files["home-pl/pl/only-polish.md"] = article(order: 2)
        let found = try problems(files)
        #expect(found == ["home-pl/pl/only-polish.md: -: has no English version: add home-pl/en/only-polish.md"])
    }

    @Test func orderAndTopicsMustAgreeBetweenLanguages() throws {
        let files = [
            "home-pl/pl/a.md": article(order: 1, topics: "[sync]"),
            "home-pl/en/a.md": article(order: 2, topics: "[invoices]"),
        ]
        let found = try problems(files)
        #expect(found.contains("home-pl/en/a.md: 4: order is 2 here but 1 in home-pl/pl/a.md; the versions must agree"))
        #expect(found.contains("home-pl/en/a.md: 5: topics are [invoices] here but [sync] in home-pl/pl/a.md; the versions must agree"))
    }

    @Test func twoArticlesCannotShareAPlace() throws {
        var files = pair("home-pl", "a", order: 3)
        files.merge(pair("home-pl", "b", order: 3)) { $1 }
        let found = try problems(files)
        #expect(found.contains("home-pl/pl/b.md: 4: order 3 is also used by home-pl/pl/a.md; give each article of a panel its own place"))
    }

    @Test func relatedArticlesMustExist() throws {
        var files = pair("home-pl", "a", related: "[home-pl/b, az-pl/missing, home-pl/a]")
        files.merge(pair("home-pl", "b", order: 2)) { $1 }
        files.merge(pair("home-pl", "c", order: 3, related: "[nonsense]")) { $1 }
        let found = try problems(files)
        #expect(found.contains { $0.hasPrefix("home-pl/pl/a.md: 6: related article az-pl/missing does not exist") })
        #expect(found.contains { $0.hasPrefix("home-pl/pl/a.md: 6: an article is not related to itself") })
        #expect(found.contains { $0.hasPrefix("home-pl/pl/c.md: 6: related article \"nonsense\" must be written panel/article") })
    }

    @Test func frontMatterProblemsAreClear() throws {
        let files = [
            "home-pl/pl/a.md": "---\ntitle: [unclosed\nsummary: x\n---\nText\n",
            "home-pl/pl/b.md": "---\nsummary: x\norder: first\ntopics: [sync, nonsense]\ncolour: blue\n---\n",
            "home-pl/pl/c.md": "No front matter\n",
            "home-pl/pl/d.md": "---\ntitle: T\nsummary: S\norder: 1\n\nText without a closing line\n",
            "home-pl/pl/e.md": "---\ntitle: T\nsummary: S\norder: 4\n---\n# A second title\n",
        ]
        let found = try problems(files)
        #expect(found.contains { $0.hasPrefix("home-pl/pl/a.md: 3:") && $0.contains("front matter is not valid YAML") })
        #expect(found.contains("home-pl/pl/b.md: 1: front matter field \"title\" is missing"))
        #expect(found.contains("home-pl/pl/b.md: 3: \"order\" must be a whole number, 0 or more (the article's place in its panel)"))
        #expect(found.contains { $0.hasPrefix("home-pl/pl/b.md: 4: unknown topic \"nonsense\"") })
        #expect(found.contains { $0.hasPrefix("home-pl/pl/b.md: 5: unknown front matter field \"colour\"") })
        #expect(found.contains { $0.hasPrefix("home-pl/pl/c.md: 1: an article starts with front matter") })
        #expect(found.contains { $0.hasPrefix("home-pl/pl/d.md: 1: the front matter is not closed") })
        #expect(found.contains { $0.hasPrefix("home-pl/pl/e.md: 6: a level-1 heading") })
    }

    @Test func strayFilesAndFoldersAreReported() throws {
        var files = pair("home-pl", "a")
        files["home-pl/de/a.md"] = article()
        files["home-pl/pl/notes.txt"] = "x"
        files["other-panel/pl/a.md"] = article()
        files["home-pl/pl/Bad Name.md"] = article()
        let found = try problems(files)
        #expect(found.contains { $0.hasPrefix("home-pl/de: -: not a language folder") })
        #expect(found.contains { $0.hasPrefix("home-pl/pl/notes.txt: -: not an article") })
        #expect(found.contains { $0.hasPrefix("other-panel: -: not a panel") })
        #expect(found.contains { $0.hasPrefix("home-pl/pl/Bad Name.md: -: an article's file name must match") })
    }

    // MARK: Which article the reports link to

    @Test func reportsLinkToTheLowestOrderArticleOfTheTenantsPanel() throws {
        var files = pair("partner-center", "later", order: 5, topics: "[assign-licences]")
        files.merge(pair("partner-center", "first", order: 2, topics: "[assign-licences, remove-licences]")) { $1 }
        files.merge(pair("partner-center", "a-also-first", order: 3, topics: "[assign-licences]")) { $1 }
        files.merge(pair("m365-admin-center", "states", order: 1, topics: "[subscription-states]")) { $1 }
        let links = try load(files).get().links
        #expect(links.article(topic: "assign-licences", channel: .partner, language: .pl)?.description == "pl/help/partner-center/first.html")
        #expect(links.article(topic: "remove-licences", channel: .partner, language: .en)?.description == "en/help/partner-center/first.html")
        // Not in the partner's panel: the Microsoft 365 admin center's article.
        #expect(links.article(topic: "subscription-states", channel: .partner, language: .en)?.description == "en/help/m365-admin-center/states.html")
        // Nowhere: no link.
        #expect(links.article(topic: "sync", channel: .partner, language: .pl) == nil)
    }

    @Test func theDemoArticlesCoverWhatTheReportsLinkTo() throws {
        let links = try HelpCenter.load(folder: repoRoot.appendingPathComponent("content/help").path).get().links
        // Topics every channel can link to (own panel or the Microsoft 365 admin center).
        for channel in [Management.Channel.homePl, .azPl, .partner, .direct] {
            for topic in ["assign-licences", "remove-licences", "buy-licences", "self-service", "subscription-states", "invoices", "panels-overview"] {
                #expect(links.article(topic: topic, channel: channel, language: .pl) != nil, "\(topic) for \(channel)")
            }
        }
        #expect(links.article(topic: "sync", channel: .homePl, language: .pl)?.description == "pl/help/home-pl/force-sync.html")
        #expect(links.article(topic: "assign-licences", channel: .azPl, language: .en)?.description == "en/help/az-pl/assign-licence-to-existing-user.html")
        #expect(links.article(topic: "assign-licences", channel: .partner, language: .en)?.description == "en/help/partner-center/assign-and-revoke-licences.html")
        #expect(links.article(topic: "self-service", channel: .partner, language: .pl)?.description == "pl/help/m365-admin-center/self-service-purchases.html")
    }
}
