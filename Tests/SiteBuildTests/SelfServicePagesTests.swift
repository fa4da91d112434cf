import Foundation
import Testing
@testable import SiteBuild
import SiteRender
import TenantModel

/// The self-service page as HTML: golden bodies for the fixture tenant and the empty case, safety of snapshot
/// strings, the words of both languages, and links that resolve in a built site.
@Suite(.serialized) struct SelfServicePagesTests {
    static let templates: TemplateSet = {
        guard case .success(let set) = TemplateSet.load(folder: repoRoot.appendingPathComponent("templates").path, requiredPages: ["self-service"])
        else { fatalError("the repository's templates do not load") }
        return set
    }()
    static let help: HelpCenter = {
        guard case .success(let center) = HelpCenter.load(folder: repoRoot.appendingPathComponent("content/help").path)
        else { fatalError("the repository's help articles do not load") }
        return center
    }()

    func context(_ snapshot: Snapshot, _ language: Language) -> TenantContext {
        TenantContext(snapshot: snapshot, lang: LanguageContext(language: language, strings: Self.templates.strings[language]!),
                      settings: BuildSettings(asOf: SelfServiceFixture.asOf), help: Self.help.links)
    }

    func body(_ snapshot: Snapshot, _ language: Language) throws -> String {
        let tenant = context(snapshot, language)
        let model = SelfServicePages.model(tenant, purchases: SelfServicePurchases(snapshot, asOf: tenant.asOf))
        return try PageRenderer(templates: Self.templates).renderBody(template: "self-service", model: model, lang: tenant.lang).markup
    }

    /// The page body against `Fixtures/self-service/<name>.html`; `UPDATE_GOLDEN=1 swift test` rewrites it.
    func expectGolden(_ html: String, _ name: String) throws {
        // One file of a folder of its own per body, through the shared helper (diff on mismatch).
        try Golden.check(["\(name).html": html], folder: repoRoot.appendingPathComponent("Tests/SiteBuildTests/Fixtures/self-service/\(name)"))
    }

    @Test(arguments: Language.allCases)
    func fixtureTenantMatchesTheGoldenBody(language: Language) throws {
        try expectGolden(try body(SelfServiceFixture.snapshot, language), "fixture-\(language.rawValue)")
    }

    @Test(arguments: Language.allCases)
    func emptyTenantMatchesTheGoldenBody(language: Language) throws {
        try expectGolden(try body(SelfServiceFixture.emptySnapshot, language), "empty-\(language.rawValue)")
    }

    @Test func theEmptyPageSaysSoAndExplains() throws {
        let pl = try body(SelfServiceFixture.emptySnapshot, .pl)
        #expect(pl.contains("Brak zakupów samoobsługowych."))
        #expect(pl.contains("Nikt w Pusta | *firma* nie kupił subskrypcji samodzielnie"))
        #expect(pl.contains("Zakup samoobsługowy to subskrypcja"))
        #expect(pl.contains("href=\"../../../help/m365-admin-center/self-service-purchases.html\""))
        #expect(!pl.contains("<table"))
        let en = try body(SelfServiceFixture.emptySnapshot, .en)
        #expect(en.contains("this tenant has no self-service purchases"))
    }

    @Test func readOnlyNoticeLinksToTheHelpArticleAndThePageHasNoControls() throws {
        for language in Language.allCases {
            let html = try body(SelfServiceFixture.snapshot, language)
            #expect(html.contains("<div class=\"notice selfservice-notice\"><p><strong>\(language == .pl ? "Tylko do odczytu." : "Read-only.")</strong>"))
            #expect(html.contains("href=\"../../../help/m365-admin-center/self-service-purchases.html\""))
            for control in ["<form", "<button", "<input", "<select", "<script"] { #expect(!html.contains(control)) }
        }
        let article = repoRoot.appendingPathComponent("content/help/m365-admin-center/pl/self-service-purchases.md")
        #expect(FileManager.default.fileExists(atPath: article.path))
    }

    @Test func snapshotStringsStayText() throws {
        let html = try body(SelfServiceFixture.snapshot, .en)
        #expect(html.contains("Eve | &lt;script&gt;alert(1)&lt;/script&gt; *x* # [a](javascript:x)"))
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<em>x</em>"))
        #expect(!html.contains("href=\"javascript"))
        // Every row of every table keeps its columns although a name holds a `|`.
        for table in html.components(separatedBy: "<table>").dropFirst() {
            let rows = table.components(separatedBy: "</table>")[0].components(separatedBy: "<tr>").dropFirst()
            let widths = Set(rows.map { row in ["<td", "<th>", "<th "].reduce(0) { $0 + row.components(separatedBy: $1).count - 1 } })
            #expect(widths.count == 1, "a row lost or gained a cell")
        }
    }

    @Test func polishPluralsAndFormats() throws {
        let html = try body(SelfServiceFixture.snapshot, .pl)
        #expect(html.contains("lukasz.nowak@fixture.pl · 2 zakupy · 4 licencje · 181,50\u{A0}zł netto / mies.") ||
                html.contains("Lukasz.Nowak@fixture.pl · 2 zakupy · 4 licencje · 181,50\u{A0}zł netto / mies."))
        #expect(html.contains("anna.lis@fixture.pl · 2 zakupy · 3 licencje · 8,00\u{A0}€ netto / mies. · 53,90\u{A0}zł netto / mies."))
        #expect(html.contains("zenon.zak@fixture.pl · 1 zakup · 2 licencje"))
        #expect(html.contains("5 płatnych, 1 próbna"))
        #expect(html.contains("2\u{A0}824,80\u{A0}zł"))
        #expect(html.contains("+ 1 licencja, której użytkownika nie ma w migawce"))
        #expect(html.contains("Zenon Żak (logowanie zablokowane)"))
        #expect(html.contains("Nie wliczono 1 zakupu bez ceny w migawce."))
        #expect(html.contains("20 listopada 2026 (dziś)"))
        #expect(html.contains("2 grudnia 2026 (za 12 dni)"))
        #expect(html.contains("okres próbny kończy się 2 grudnia 2026 (za 12 dni)"))
        #expect(html.contains("20 grudnia 2026; w migawce brak informacji, czy się wtedy odnowi (za 30 dni)"))
        #expect(html.contains("wygasła; wyłączenie 30 grudnia 2026"))
        #expect(html.contains("Usunięte zakupy (1) są na liście"))
        let en = try body(SelfServiceFixture.snapshot, .en)
        #expect(en.contains("2 purchases · 4 licences · PLN\u{A0}181.50 net / month"))
        #expect(en.contains("5 paid, 1 trial"))
        #expect(en.contains("renews on 4 December 2026 (in 14 days)"))
        #expect(en.contains("€8.00"))
    }

    @Test func theSamePageWhateverTheOrderOfTheFile() throws {
        var shuffled = SelfServiceFixture.snapshot
        shuffled.subscriptions.reverse()
        shuffled.users.reverse()
        #expect(try body(shuffled, .pl) == body(SelfServiceFixture.snapshot, .pl))
    }

    /// Builds the demo site and follows every link of every self-service page. Sections of the site that this
    /// build does not make yet (help pages, subscription pages: other page kinds) are checked only once they exist.
    @Test func everyLinkResolvesInTheBuiltSite() throws {
        let out = try temporaryFolder()
        defer { cleanUp(out) }
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: out)
        let files = tree(out)
        let pages = files.keys.filter { $0.hasSuffix("/self-service/index.html") }.sorted()
        #expect(pages.count == 6, "3 demo tenants × 2 languages")
        var checked = 0
        for page in pages {
            let html = String(decoding: files[page]!, as: UTF8.self)
            for link in Self.links(in: html) {
                if link.hasPrefix("#") {
                    #expect(html.contains("id=\"\(link.dropFirst())\""), "\(page): \(link) names no element")
                    continue
                }
                #expect(!link.hasPrefix("/") && !link.contains("://"), "\(page): \(link) is not relative")
                let target = Self.resolve(link, from: page)
                // Subscription and help pages are other page kinds: checked once their folder exists in the build.
                if target.contains("/subscriptions/") || target.contains("/help/") {
                    let folder = target.split(separator: "/").dropLast().joined(separator: "/") + "/"
                    if !files.keys.contains(where: { $0.hasPrefix(folder) }) { continue }
                }
                #expect(files[target] != nil, "\(page): \(link) → \(target) does not exist")
                checked += 1
            }
        }
        #expect(checked > 30)
    }

    static func links(in html: String) -> [String] {
        html.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&") }
    }

    static func resolve(_ link: String, from page: String) -> String {
        var parts = page.split(separator: "/").map(String.init).dropLast()
        for piece in link.split(separator: "#")[0].split(separator: "/") {
            if piece == ".." { parts = parts.dropLast() } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }
}

extension SelfServicePagesTests {
    @Test func aBigPoolListsTwentyNamesAndCountsTheRest() throws {
        var snapshot = SelfServiceFixture.snapshot
        let index = snapshot.subscriptions.firstIndex { $0.id == "ss-pbi-lukasz" }!
        snapshot.subscriptions[index].prepaidUnits.enabled = 30
        snapshot.subscriptions[index].consumedUnits = 27
        for n in 1...25 {
            snapshot.users.append(SelfServiceFixture.user(String(format: "big-%02d", n), String(format: "Osoba %02d", n), "osoba\(n)@fixture.pl",
                                                          [SelfServiceFixture.licence(SelfServiceFixture.powerBI, "ss-pbi-lukasz")]))
        }
        let pl = try body(snapshot, .pl)
        #expect(pl.contains("Łukasz Nowak, Michał Jędrzejczak, Osoba 01,"))
        #expect(pl.contains("Osoba 18, + 7 innych osób</td>"))
        #expect(!pl.contains("Osoba 19"))
        let en = try body(snapshot, .en)
        #expect(en.contains("Osoba 18, + 7 more</td>"))
    }
}

extension SelfServicePagesTests {
    @Test func onlyDeletedPurchasesListThemWithoutAProductTable() throws {
        var snapshot = SelfServiceFixture.snapshot
        snapshot.subscriptions = snapshot.subscriptions.filter { $0.id == "ss-pbi-old" }
        let html = try body(snapshot, .en)
        #expect(html.contains("1 deleted purchase is listed under its buyer but not counted in the sums."))
        #expect(html.contains("<h3>Anna Lis</h3>"))
        #expect(!html.contains("By product"))
        #expect(html.contains("no paid purchases"))
    }
}
