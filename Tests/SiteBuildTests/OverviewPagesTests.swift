import Foundation
import Testing
@testable import SiteBuild
import SiteRender
import TenantModel

/// The tenant overview, the subscription pages and the partner home (issue 3), on the demo content and on the
/// edge-case tenants in Fixtures/overview-edge (deleted subscription, several currencies, unnamed groups, pools
/// shared by a sku, values that look like Markdown or HTML, an empty tenant).
@Suite struct OverviewPagesTests {
    // MARK: Fixtures

    /// Every page of a built site as text, keyed by its path in the output.
    static func build(_ content: URL, settings: BuildSettings = BuildSettings()) -> [String: String] {
        let output = try! temporaryFolder()
        defer { cleanUp(output) }
        try! buildSite(content: content, output: output.appendingPathComponent("site"), settings: settings)
        return tree(output.appendingPathComponent("site")).mapValues { String(decoding: $0, as: UTF8.self) }
    }

    /// The demo content, built once.
    static let demo = build(repoRoot.appendingPathComponent("content"))

    /// The edge-case tenants with the demo's help center, built once.
    static let edge: [String: String] = {
        let content = try! temporaryFolder("tenantsite-edge")
        defer { cleanUp(content) }
        try! FileManager.default.copyItem(at: repoRoot.appendingPathComponent("Tests/SiteBuildTests/Fixtures/overview-edge/tenants"),
                                          to: content.appendingPathComponent("tenants"))
        try! FileManager.default.copyItem(at: repoRoot.appendingPathComponent("content/help"), to: content.appendingPathComponent("help"))
        return build(content)
    }()

    static func snapshot(_ slug: String, folder: String = "content/tenants") -> Snapshot {
        let path = folder == "content/tenants" ? demoSnapshotPath(slug, root: repoRoot) : "\(folder)/\(slug).json"
        let bytes = Array(try! Data(contentsOf: repoRoot.appendingPathComponent(path)))
        return try! SnapshotDecoder.decode(bytes, file: slug, slug: slug, ksefFiles: KSeFFiles(folder: repoRoot.appendingPathComponent("content/ksef/\(slug)").path)).get()
    }

    static let templates = try! TemplateSet.load(folder: repoRoot.appendingPathComponent("templates").path, requiredPages: []).get()
    static let help = try! HelpCenter.load(folder: repoRoot.appendingPathComponent("content/help").path).get().links

    static func context(_ snapshot: Snapshot, _ language: Language, asOf: CivilDate? = nil) -> TenantContext {
        TenantContext(snapshot: snapshot, lang: LanguageContext(language: language, strings: templates.strings[language]!),
                      settings: BuildSettings(asOf: asOf), help: help)
    }

    static let demoSlugs = ["kwiaciarnia-lakowa", "northwind-gmbh", "biuro-rachunkowe-abakus"]
    static let captured = CivilDate(iso: "2026-11-20")!

    static func page(_ site: [String: String], _ path: String) -> String {
        guard let html = site[path] else { Issue.record("no page \(path)"); return "" }
        return html
    }

    // MARK: Every status and every attention rule, on the pages

    @Test func theDemoTenantsRaiseEveryAttentionRule() {
        var seen = Set<TenantFacts.AttentionKind>()
        for slug in Self.demoSlugs {
            for item in TenantFacts.attention(Self.snapshot(slug), asOf: Self.captured) { seen.insert(item.kind) }
        }
        #expect(seen == Set(TenantFacts.AttentionKind.allCases))
    }

    @Test(arguments: Language.allCases)
    func everyAttentionRuleIsShownWithAHelpLink(_ language: Language) {
        let strings = Self.templates.strings[language]!
        let pages = Self.demoSlugs.map { Self.page(Self.demo, "\(language.rawValue)/tenants/\($0)/index.html") }.joined()
        for kind in TenantFacts.AttentionKind.allCases {
            // A title that names its subject (`{name}`) is checked up to the name.
            let title = HTML.escape(strings.text("attention.\(kind.rawValue).title"))
            let shown = title.contains("{name}") ? "<strong>" + title.components(separatedBy: "{name}")[0] : "<strong>\(title).</strong>"
            #expect(pages.contains(shown), "\(kind) is not shown in \(language)")
        }
        // Each item ends with a link to a help article (one list item per line of Markdown).
        let kwiaciarnia = Self.page(Self.demo, "\(language.rawValue)/tenants/kwiaciarnia-lakowa/index.html")
        let attention = kwiaciarnia.components(separatedBy: "<h2 id=\"attention\">")[1].components(separatedBy: "<h2")[0]
        let items = attention.components(separatedBy: "<li><strong>").dropFirst()
        #expect(items.count == 13)
        for item in items { #expect(item.contains("href=\"../../help/"), "an attention item without help: \(item.prefix(80))") }
    }

    /// Every attention item on every demo page (overviews, subscription pages, people's pages, both languages) links to
    /// a help article of the tenant's own panel.
    @Test func everyAttentionItemLinksToItsOwnPanelsArticle() {
        let panels = ["kwiaciarnia-lakowa": "home-pl", "biuro-rachunkowe-abakus": "az-pl", "northwind-gmbh": "partner-center"]
        var items = 0
        for (path, html) in Self.demo where path.hasSuffix(".html") && path.contains("/tenants/") {
            let slug = path.split(separator: "/")[2]
            guard let panel = panels[String(slug)], let section = html.components(separatedBy: "<h2 id=\"attention\">").dropFirst().first else { continue }
            let list = section.components(separatedBy: "<h2")[0]
            for item in list.components(separatedBy: "<li><strong>").dropFirst() {
                items += 1
                let links = item.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }.filter { $0.contains("/help/") }
                #expect(links.contains { $0.contains("/help/\(panel)/") }, "\(path): \(item.prefix(120))")
            }
        }
        #expect(items > 50)
    }

    @Test func everyStatusIsShownInWordsWithWhatItMeans() {
        let statuses: [(String, String, String)] = [
            // (badge text, meaning fragment, page)
            ("Aktywna", "użytkownicy korzystają z licencji.", "pl/tenants/kwiaciarnia-lakowa/index.html"),
            ("Wersja próbna", "bezpłatna wersja próbna", "pl/tenants/kwiaciarnia-lakowa/index.html"),
            ("Wygasła", "nieodnowiona; użytkownicy pracują jeszcze do 8 grudnia 2026", "pl/tenants/kwiaciarnia-lakowa/index.html"),
            ("Zawieszona", "użytkownicy nie mają dostępu, dopóki", "pl/tenants/kwiaciarnia-lakowa/index.html"),
            ("Disabled", "users have no access; until 30 December 2026 only admins can reach the data", "en/tenants/northwind-gmbh/index.html"),
            ("Expired", "not renewed; users keep working until 8 December 2026", "en/tenants/kwiaciarnia-lakowa/index.html"),
            ("Trial", "free trial", "en/tenants/kwiaciarnia-lakowa/index.html"),
            ("Suspended", "users have no access until it is reactivated", "en/tenants/kwiaciarnia-lakowa/index.html"),
        ]
        for (badge, meaning, path) in statuses {
            let html = Self.page(Self.demo, path)
            #expect(html.contains("\">\(badge)</a> \(meaning)"), "\(badge) in \(path)")
        }
        // Deleted is not in the demo: the edge tenant has one.
        let edge = Self.page(Self.edge, "pl/tenants/sklep-testowy/index.html")
        #expect(edge.contains("<a href=\"../../help/home-pl/licences-and-renewal.html\" class=\"badge badge-muted\""))
        #expect(edge.contains(">Usunięta</a> usunięta; jej licencji i danych nie można już użyć."))
        // The badge links to the help on subscription states in the tenant's own panel.
        #expect(Self.page(Self.demo, "en/tenants/kwiaciarnia-lakowa/index.html")
            .contains("<a href=\"../../help/home-pl/licences-and-renewal.html\" class=\"badge badge-warn\""))
    }

    // MARK: Licences and costs

    static func subscription(enabled: Int, warning: Int = 0, consumed: Int, status: Subscription.Status = .active,
                             price: Amount? = 10, currency: String = "PLN", cycle: Subscription.BillingCycle? = .monthly,
                             trial: Bool = false) -> Subscription {
        Subscription(id: "s", skuId: "00000000-0000-4000-8000-000000000001", skuPartNumber: "SPB", status: status, isTrial: trial,
                     prepaidUnits: .init(enabled: enabled, warning: warning), consumedUnits: consumed,
                     createdDateTime: Timestamp(rfc3339: "2026-01-01T00:00:00Z")!, billingCycle: cycle,
                     unitPrice: price, currencyCode: price == nil ? nil : currency, purchaseChannel: .reseller)
    }

    static func tenant(_ subscriptions: [Subscription]) -> Snapshot {
        Snapshot(slug: "t", capturedDateTime: Timestamp(rfc3339: "2026-11-20T07:30:00Z")!,
                 tenant: Tenant(id: "00000000-0000-4000-8000-000000000000", displayName: "T", defaultDomain: "t.example",
                                countryLetterCode: "PL", preferredLanguage: .pl, management: Management(channel: .homePl)),
                 subscriptions: subscriptions)
    }

    @Test func anExpiredPoolInGraceIsNotOverAssigned() {
        // Microsoft moves an expired pool's licences from enabled to warning; its users keep working.
        let visio = Self.subscription(enabled: 0, warning: 2, consumed: 2, status: .expired)
        #expect(TenantFacts.usableUnits(visio) == 2)
        #expect(TenantFacts.freeUnits(visio) == 0)
        let kinds = TenantFacts.attention(Self.tenant([visio]), asOf: Self.captured).map(\.kind)
        #expect(kinds == [.expired])

        let tooMany = Self.subscription(enabled: 0, warning: 2, consumed: 3, status: .expired)
        #expect(TenantFacts.attention(Self.tenant([tooMany]), asOf: Self.captured).map(\.kind) == [.overAssigned, .expired])
        // A suspended or disabled pool is not "over-assigned": its own rule says users have no access.
        let disabled = Self.subscription(enabled: 0, consumed: 2, status: .disabled)
        #expect(TenantFacts.attention(Self.tenant([disabled]), asOf: Self.captured).map(\.kind) == [.disabled])
    }

    @Test func costsAreExactAndKeptPerCurrency() {
        let annual = Self.subscription(enabled: 10, consumed: 7, price: Amount(exactly: "295.20")!, cycle: .annual)
        #expect(TenantFacts.monthlyCost(annual) == Money(246, "PLN"))
        #expect(TenantFacts.yearlyCost(annual) == Money(Amount(exactly: "2952")!, "PLN"))
        #expect(TenantFacts.unassignedMonthlyCost(annual) == Money(Amount(exactly: "73.8")!, "PLN"))
        let triennial = Self.subscription(enabled: 2, consumed: 1, price: 700, currency: "EUR", cycle: .triennial)
        #expect(TenantFacts.monthlyCost(triennial)!.amount.roundedHalfUp() == Amount(exactly: "38.89")!)
        // Nothing is billed for trials, deleted subscriptions, or without a price or a cycle.
        #expect(TenantFacts.monthlyCost(Self.subscription(enabled: 25, consumed: 2, price: nil, trial: true)) == nil)
        #expect(TenantFacts.monthlyCost(Self.subscription(enabled: 5, consumed: 0, status: .deleted)) == nil)
        #expect(TenantFacts.monthlyCost(Self.subscription(enabled: 5, consumed: 0, cycle: nil)) == nil)
        #expect(TenantFacts.monthlyCost(Self.subscription(enabled: 5, consumed: 0, cycle: Subscription.BillingCycle.none)) == nil)

        let spend = TenantFacts.monthlySpend([annual, triennial])
        #expect(spend.sorted.map(\.currency) == ["EUR", "PLN"])
        // On the page: one total per currency, never added together.
        let edge = Self.page(Self.edge, "pl/tenants/sklep-testowy/index.html")
        #expect(edge.contains("<strong>38,89\u{A0}€ · 502,50\u{A0}zł</strong>"))
        #expect(edge.contains("<strong>466,67\u{A0}€ · 6\u{A0}030,00\u{A0}zł</strong>"))
        let demo = Self.page(Self.demo, "en/tenants/northwind-gmbh/index.html")
        #expect(demo.contains("<strong>€224.08</strong>"))
        #expect(!demo.contains("PLN"))
    }

    @Test func theDemoOverviewCostsAddUp() {
        let pl = Self.page(Self.demo, "pl/tenants/kwiaciarnia-lakowa/index.html")
        // 13 × 54,40 + 10 × 295,20 / 12 + 3 × 92,50 + … (every live subscription with a price and a cycle).
        #expect(pl.contains("</strong> 1\u{A0}836,70\u{A0}zł</li>"))
        #expect(pl.contains("</strong> 22\u{A0}040,40\u{A0}zł</li>"))
        #expect(pl.contains("opłacone i nieużywane: 73,80\u{A0}zł netto / mies."))
        #expect(pl.contains("<td class=\"align-right\">295,20\u{A0}zł / rok</td>"))
        #expect(pl.contains("Microsoft 365 Business Basic: wolne 3, koszt 73,80\u{A0}zł netto miesięcznie."))
    }

    // MARK: Dates told honestly

    @Test func theNextDateSaysRenewsOnlyWhenAutoRenewIsOn() {
        let snapshot = Self.snapshot("kwiaciarnia-lakowa")
        var s = snapshot.subscriptions[0]
        s.nextLifecycleDateTime = Timestamp(rfc3339: "2026-12-06T00:00:00Z")
        for (language, expected) in [(Language.pl, ["odnawia się 6 grudnia 2026 (za 16 dni)", "kończy się 6 grudnia 2026, bez odnowienia (za 16 dni)",
                                                    "6 grudnia 2026 — czy się odnowi: brak w migawce (za 16 dni)", "brak w migawce"]),
                                     (.en, ["renews on 6 December 2026 (in 16 days)", "ends on 6 December 2026, not renewed (in 16 days)",
                                            "6 December 2026 — whether it renews is not in the snapshot (in 16 days)", "not in the snapshot"])] {
            let words = SubscriptionWords(Self.context(snapshot, language))
            s.autoRenewEnabled = true
            #expect(words.nextDate(s) == expected[0])
            s.autoRenewEnabled = false
            #expect(words.nextDate(s) == expected[1])
            s.autoRenewEnabled = nil
            #expect(words.nextDate(s) == expected[2])
            var undated = s
            undated.nextLifecycleDateTime = nil
            #expect(words.nextDate(undated) == expected[3])
        }
        let en = SubscriptionWords(Self.context(snapshot, .en))
        s.status = .expired
        #expect(en.nextDate(s) == "disabled on 6 December 2026 (in 16 days)")
        s.status = .disabled
        #expect(en.nextDate(s) == "deleted on 6 December 2026 (in 16 days)")
        s.status = .deleted
        #expect(en.nextDate(s) == "does not apply")
    }

    @Test func theEndingWindowIsThirtyDaysFromToday() {
        // Microsoft 365 Business Premium ends on 1 December 2026 without renewal.
        let snapshot = Self.snapshot("kwiaciarnia-lakowa")
        func ending(_ asOf: String) -> [String] {
            TenantFacts.attention(snapshot, asOf: CivilDate(iso: asOf)!).filter { $0.kind == .endingWithoutRenewal }.compactMap(\.subscriptionId)
        }
        #expect(ending("2026-11-01").contains("afbebe7b-988d-5f4a-8bc2-ded1686e33ea"))
        #expect(!ending("2026-10-31").contains("afbebe7b-988d-5f4a-8bc2-ded1686e33ea"))
        #expect(!ending("2026-12-02").contains("afbebe7b-988d-5f4a-8bc2-ded1686e33ea"))
        let items = TenantFacts.attention(snapshot, asOf: Self.captured)
        #expect(items.first { $0.kind == .renewalUnknown }?.daysLeft == 7)  // the Project Plan 3 trial
        #expect(items.filter { $0.kind == .endingWithoutRenewal }.map(\.daysLeft) == [11, 12])
    }

    // MARK: Chart

    @Test func theChartIsAnSVGImageWhoseTextSaysTheTablesNumbers() throws {
        let html = Self.page(Self.demo, "pl/tenants/kwiaciarnia-lakowa/index.html")
        // The page shows the chart as an image beside it; its alternative text says every number.
        let img = try #require(html.range(of: "<img src=\"licences.svg\" alt=\""))
        let alt = String(html[img.upperBound...].prefix { $0 != "\"" })
        #expect(alt.contains("Microsoft 365 Business Standard: przypisane 14, w puli 13, wolne -1."))
        let chart = Self.page(Self.demo, "pl/tenants/kwiaciarnia-lakowa/licences.svg")
        #expect(chart.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"licence-chart-title licence-chart-desc\""))
        #expect(chart.contains("<title id=\"licence-chart-title\">Licencje przypisane i wolne według produktu — Kwiaciarnia Łąkowa sp. z o.o.</title>"))
        #expect(chart.contains("class=\"c-over\""))
        // Drawn 400 units wide with no text under 15 units, so a phone shows its labels at 12 px or more.
        #expect(chart.contains("viewBox=\"0 0 400 "))
        let sizes = chart.components(separatedBy: "font-size=\"").dropFirst().map { Double($0.prefix { $0 != "\"" }) ?? 0 }
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 >= 15 }, "\(sizes)")
        #expect(!chart.contains("<script") && !chart.contains(" style="))
        // The table under the chart carries the same numbers.
        #expect(html.contains("<td>Microsoft 365 Business Standard</td>\n<td class=\"align-right\">13</td>\n<td class=\"align-right\">14</td>\n<td class=\"align-right\"><strong>-1</strong></td>"))
        // No template inserts markup built in code: no {{{…}}} in a page template.
        for file in try FileManager.default.contentsOfDirectory(atPath: repoRoot.appendingPathComponent("templates/pages").path) where file.hasSuffix(".md") {
            let text = try String(contentsOf: repoRoot.appendingPathComponent("templates/pages/\(file)"), encoding: .utf8)
            #expect(!text.contains("{{{"), "\(file)")
        }
    }

    // MARK: Subscription page

    @Test func theSubscriptionPageListsHoldersInvoicesAndTheTenantsOwnHelp() {
        let path = "pl/tenants/kwiaciarnia-lakowa/subscriptions/58802a9c-f5d6-5756-9113-b2a2bb604e7e.html"
        let html = Self.page(Self.demo, path)
        #expect(html.contains("<h1>Microsoft 365 Business Standard</h1>"))
        #expect(html.contains("przez grupę „Licencje – Microsoft 365 Business Standard”"))
        #expect(html.contains("<td>Piotr Żak</td>\n<td>piotr.zak@lakowa.pl</td>\n<td><strong>logowanie zablokowane</strong></td>"))
        #expect(html.contains("<strong>błąd: brak wolnej licencji w puli</strong>"))
        #expect(html.contains("14 osób ma licencje z tej subskrypcji. Jeszcze 1 osoba ma przypisanie z błędem (bez licencji)."))
        #expect(!html.contains("Microsoft liczy"), "Weronika's failed assignment does not take a licence")
        #expect(html.contains("<a href=\"../invoices/fv-2025-05-07385.html\">FV/2025/05/07385</a>"))
        #expect(html.contains("<a href=\"../invoices/fk-2026-06-00007.html\">FK/2026/06/00007</a> (faktura korygująca)"))
        #expect(html.contains("<a href=\"../../../help/home-pl/assign-licences.html\">Jak przypisać i odebrać licencję (panel home.pl)</a>"))
        #expect(html.contains("<li><strong>Wolne</strong> -1 — przypisano o 1 za dużo</li>"))

        // The panel that manages the tenant decides the article.
        #expect(Self.page(Self.demo, "en/tenants/biuro-rachunkowe-abakus/subscriptions/c54df623-7622-53ec-89c1-10be0c1fe7ca.html")
            .contains("href=\"../../../help/az-pl/assign-licence-to-existing-user.html\">How to assign and remove a licence (AZ.pl panel)</a>"))
        #expect(Self.page(Self.demo, "en/tenants/northwind-gmbh/subscriptions/4dcc081b-6f1e-5b57-8e4d-4803f116a6c5.html")
            .contains("href=\"../../../help/partner-center/assign-and-revoke-licences.html\">How to assign and remove a licence (Partner Center)</a>"))
    }

    @Test func theSubscriptionPageSaysWhatTheSnapshotDoesNotKnow() {
        let html = Self.page(Self.edge, "en/tenants/sklep-testowy/subscriptions/sub-1.html")
        #expect(html.contains("through the group 00000000-0000-4000-8000-000000000900 (its name is not in the snapshot)"))
        #expect(html.contains("The snapshot does not say which of this product&#39;s subscriptions this person&#39;s licence comes from"))
        #expect(html.contains("<a href=\"../invoices/kor-2026-11-1.html\">KOR/2026/11/1</a> (correction)"))
        #expect(html.contains("<li><strong>Commerce subscription id (commerceSubscriptionId)</strong> not in the snapshot</li>"))
        let proforma = Self.page(Self.edge, "en/tenants/sklep-testowy/subscriptions/sub-2.html")
        #expect(proforma.contains("<a href=\"../invoices/pro-2026-11-1.html\">PRO/2026/11/1</a> (proforma)"))
        #expect(proforma.contains("Net total of these lines: €1,400.00."))
        let unknown = Self.page(Self.edge, "en/tenants/sklep-testowy/subscriptions/sub-3.html")
        #expect(unknown.contains("<h1>CONTOSO_UNKNOWN_SKU</h1>"))
        #expect(unknown.contains("</strong> not known — tenantsite does not know this part number and the snapshot gives no name</li>"))
        let disabled = Self.page(Self.edge, "pl/tenants/sklep-testowy/subscriptions/sub-6.html")
        #expect(disabled.contains("<li><strong>Zablokowane (lockedOut)</strong> 3</li>"))
        #expect(disabled.contains("daty usunięcia nie ma w migawce"))
    }

    // MARK: Self-service, freshness

    @Test func selfServicePurchasesAreCountedAndLinked() {
        let pl = Self.page(Self.demo, "pl/tenants/kwiaciarnia-lakowa/index.html")
        #expect(pl.contains("Użytkownicy kupili samodzielnie, własną kartą, 3 subskrypcje; koszt netto: 235,40\u{A0}zł miesięcznie. <a href=\"self-service/index.html\">"))
        let en = Self.page(Self.demo, "en/tenants/northwind-gmbh/index.html")
        #expect(en.contains("Users bought 1 subscription themselves, with their own card; net cost: €28.00 a month. <a href=\"self-service/index.html\">"))
        let none = Self.page(Self.demo, "pl/tenants/biuro-rachunkowe-abakus/index.html")
        #expect(none.contains("Nikt w tej dzierżawie nie kupił subskrypcji samoobsługowo."))
        #expect(!none.contains("self-service/index.html"))
    }

    @Test func freshnessTellsWhenThePanelLastSynced() {
        let kw = Self.page(Self.demo, "pl/tenants/kwiaciarnia-lakowa/index.html")
        #expect(kw.contains("Migawkę danych wykonano 20 listopada 2026, 08:30. Panel home.pl ostatnio pobrał dane z Microsoftu 19 listopada 2026, 06:27 — 26 godzin przed migawką;"))
        #expect(kw.contains("<a href=\"../../help/home-pl/force-sync.html\">"))
        let abakus = Self.page(Self.demo, "en/tenants/biuro-rachunkowe-abakus/index.html")
        #expect(abakus.contains("The AZ.pl panel last synchronised with Microsoft on 20 November 2026, 06:34, 1 hour before the snapshot;"))
        // AZ.pl has no article on syncing, nor has the Microsoft 365 admin center: the one on which panel does what.
        #expect(abakus.contains("<a href=\"../../help/m365-admin-center/where-each-task-lives.html\">"))
        let northwind = Self.page(Self.demo, "en/tenants/northwind-gmbh/index.html")
        #expect(northwind.contains("This tenant is managed in Partner Center, Microsoft&#39;s own tool"))
        let edge = Self.page(Self.edge, "en/tenants/sklep-testowy/index.html")
        #expect(edge.contains("The home.pl panel: the time of its last synchronisation with Microsoft is not in the snapshot."))
    }

    @Test func asOfIsSaidWhenItIsNotTheSnapshotsDay() {
        let snapshot = Self.snapshot("kwiaciarnia-lakowa")
        let path = SitePaths.tenantOverview(.en, snapshot.slug)
        #expect(TenantOverviewPages.model(Self.context(snapshot, .en), path: path).freshness.asOf == nil)
        let later = TenantOverviewPages.model(Self.context(snapshot, .en, asOf: CivilDate(iso: "2026-12-03")!), path: path)
        #expect(later.freshness.asOf == "Days on this page are counted from 3 December 2026.")
    }

    // MARK: Partner home

    @Test func thePartnerHomePutsTheWeightiestChangesFirst() throws {
        let html = Self.page(Self.demo, "en/index.html")
        // Kwiaciarnia: 18 changes with new attention items; Abakus: an invoice overdue and a new one; Nordlicht: an
        // invoice issued and one paid.
        let order = ["Kwiaciarnia Łąkowa", "Biuro Rachunkowe", "Nordlicht Logistics"].map { html.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(html.contains("<a href=\"tenants/kwiaciarnia-lakowa/index.html#attention\"><strong>13 items</strong></a>: over-assigned pool, licence errors,"))
        #expect(html.contains("Net total per month, per currency: €224.08 · PLN\u{A0}1,973.30"))
        let pl = Self.page(Self.demo, "pl/index.html")
        #expect(pl.contains("<strong>13 spraw</strong>") && pl.contains("<strong>4 sprawy</strong>") && pl.contains("<strong>3 sprawy</strong>"))
        // A tenant with nothing to do comes last, whatever its name.
        let edge = Self.page(Self.edge, "en/index.html")
        #expect(edge.range(of: "Sklep")!.lowerBound < edge.range(of: "Pusta Dzierżawa")!.lowerBound)
        #expect(edge.contains("all in order"))
    }

    // MARK: The law, and links

    @Test func snapshotTextNeverBecomesStructure() {
        let html = Self.page(Self.edge, "pl/tenants/sklep-testowy/index.html")
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("Microsoft 365 Business Premium | *pogrubione* &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Sklep **Testowy** &lt;i&gt;x&lt;/i&gt; | {{t.overview.title}}"))
        #expect(!html.contains("javascript:"), "a name that looks like a link stays text")
        // Every row of the subscription table kept its six cells.
        let table = html.components(separatedBy: "<h3 id=\"costs\">")[0].components(separatedBy: "<h2>Subskrypcje</h2>")[1]
        for row in table.components(separatedBy: "<tr>").dropFirst() {
            let cells = row.components(separatedBy: "<td").count + row.components(separatedBy: "<th").count - 2
            #expect(cells == 6, "a row lost or gained a cell: \(row.prefix(120))")
        }
    }

    /// The one link checker of the tests (`LinkChecker`), on the edge-case site too (the demo's is in `LinkCheckTests`).
    @Test func everyLinkOfTheEdgeCaseSiteResolves() {
        let files = Self.edge.mapValues { Data($0.utf8) }
        let report = LinkChecker(files: files).check()
        #expect(report.links > 100)
        expectNoBrokenLinks(report, in: files)
    }

    // MARK: Golden pages of the edge-case tenants

    /// The overview, subscription and partner pages of the edge-case tenants, against Fixtures/golden/overview-edge.
    /// Regenerate with `UPDATE_GOLDEN=1 swift test --filter OverviewPagesTests` and read the diff.
    @Test func edgeCasePagesMatchTheGoldenPages() throws {
        let mine = Self.edge.filter { path, _ in
            path.wholeMatch(of: /(pl|en)\/(index\.html|tenants\/[^\/]+\/index\.html|tenants\/[^\/]+\/subscriptions\/[^\/]+\.html)/) != nil
        }
        try Golden.check(mine.mapValues { Golden.reviewable("x.html", Data($0.utf8)) },
                         folder: repoRoot.appendingPathComponent("Tests/SiteBuildTests/Fixtures/golden/overview-edge"))
    }
}
