import Foundation
import SiteBuild
import Testing
import TenantImport
import TenantModel

/// The promise of the command, end to end: the imported snapshot passes `tenantsite check` and builds, with the
/// repository's templates and help articles.
@Suite("Imported snapshots check and build", .serialized)
struct ImportBuildTests {
    static let scenarios: [(name: String, files: [String], options: Importer.Options)] = [
        ("graph-only", Fixture.graph, options(channel: .direct, slug: "glina-graph")),
        ("graph-and-partner-center", Fixture.graph + Fixture.partnerCenter, options(slug: "glina-partner")),
        ("without-organization", Fixture.graph.filter { $0 != "graph-organization.json" },
         options(channel: .homePl, name: "Glina", domain: "glina-ceramika.pl", country: "PL", slug: "glina-homepl")),
    ]

    @Test("import, check, build", arguments: scenarios.map(\.name))
    func importCheckBuild(_ name: String) throws {
        let scenario = try #require(Self.scenarios.first { $0.name == name })
        let imported = try Importer.importFiles(Fixture.files(scenario.files), options: scenario.options).get()
        let slug = imported.snapshot.slug

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsite-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("tenants"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixture.repositoryRoot.appendingPathComponent("content/help"), to: content.appendingPathComponent("help"))
        try Data(imported.bytes).write(to: content.appendingPathComponent("tenants/\(slug).json"))
        let templates = Fixture.repositoryRoot.appendingPathComponent("templates").path
        let output = root.appendingPathComponent("site")

        func run(dryRun: Bool) -> BuildReport? {
            do {
                return try SiteBuilder.build(BuildOptions(content: content.path, templates: templates, output: output.path, jobs: 2, dryRun: dryRun))
            } catch {
                if case .invalidInput(let problems) = error { Issue.record("\(dryRun ? "check" : "build") failed:\n\(problems.text)") }
                else { Issue.record("\(dryRun ? "check" : "build") failed: \(error)") }
                return nil
            }
        }
        let check = try #require(run(dryRun: true))
        #expect(check.tenants == 1)
        let build = try #require(run(dryRun: false))
        #expect(build.tenants == 1 && build.pages > 0)
        for language in ["pl", "en"] {
            let page = output.appendingPathComponent("\(language)/tenants/\(slug)/index.html").path
            #expect(FileManager.default.fileExists(atPath: page), "\(page)")
        }
    }
}

/// A tenant saved the way admins save it (`Fixtures/lagging-tenant`): `subscribedSkus` and `directory/subscriptions`
/// saved minutes apart with purchases in between (Exchange Online in one list only, Visio in the other), two
/// purchases of one sku, Microsoft's free, viral and trial skus (10,000 Power Automate Free, 1,000,000 Fabric
/// (Free), 10,000,000 communication credits, Teams Exploratory), a group still assigning Power BI Pro that the
/// tenant no longer has (members in Error, CountViolation), Partner Center billing 22 licences where Graph has 20
/// and calling a subscription suspended that Graph has enabled, users on two pages.
@Suite("A lagging, disagreeing tenant imports, checks and builds", .serialized)
struct LaggingTenantTests {
    static let files = ["organization.json", "subscribedSkus.json", "directory-subscriptions-1.json", "directory-subscriptions-2.json",
                        "users-1.json", "users-2.json", "pc-subscriptions.json", "groups.json"].map { "lagging-tenant/" + $0 }

    @Test func importsChecksAndShowsPaidLicencesAndEveryDisagreement() throws {
        let imported = try Importer.importFiles(Fixture.files(Self.files), options: Importer.Options(capturedDateTime: Timestamp(rfc3339: "2026-12-04T09:30:00Z")!, slug: "kreska")).get()
        let snapshot = imported.snapshot
        // Check: the written bytes read back.
        let reread = try SnapshotDecoder.decode(imported.bytes, file: "kreska.json", slug: "kreska").get()
        #expect(reread.disagreements == snapshot.disagreements)

        // By hand, from the paid skus alone: Business Premium 20 (18 assigned), Business Basic 3 + 2 (5), Exchange
        // Online (Plan 1) 3 (1, listed only by subscribedSkus), Visio Plan 2 2 (not in subscribedSkus: 0 known assigned).
        let plan = TenantPlan(snapshot, settings: BuildSettings())
        #expect(plan.licences.usable == 30)
        #expect(plan.licences.assigned == 24)
        #expect(Set(plan.apart.map(\.skuPartNumber)) == ["FLOW_FREE", "POWER_BI_STANDARD", "MCOPSTNC", "TEAMS_EXPLORATORY"])

        // Every disagreement recorded with both values.
        let fields = snapshot.disagreements.map { "\($0.subject.rawValue) \($0.name) \($0.field): " + $0.claims.map(\.value).joined(separator: " / ") }
        #expect(fields.sorted() == [
            "sku EXCHANGESTANDARD listed: 3 / —",
            "subscription Microsoft 365 Business Basic status: Enabled / suspended",
            "subscription Microsoft 365 Business Premium licences: 20 / 22",
            "subscription VISIOCLIENT listed: 2 / —",
            "user Ewa Kreska licence: Error, CountViolation / —",
            "user Piotr Linijka licence: Error, CountViolation / —",
        ], "\(fields)")
        // GET /groups names the groups that assign a licence (only those).
        #expect(snapshot.groups.map(\.displayName) == ["Projektanci – Business Premium"])
        // The group's dead licence is not the person's: Ewa keeps her other two.
        #expect(snapshot.users.first { $0.displayName == "Ewa Kreska" }?.licenseAssignmentStates.count == 2)

        // No channel is stated unless a file says it: only the two subscriptions Partner Center knows are the partner's.
        let channels = Dictionary(grouping: snapshot.subscriptions, by: \.purchaseChannel).mapValues(\.count)
        #expect(channels == [.partner: 2, .unknown: 7], "\(channels)")
        #expect(snapshot.subscriptions.first { $0.skuPartNumber == "EXCHANGESTANDARD" }?.createdDateTime == nil)

        // Build: the overview shows the paid numbers, the free ones apart, and each disagreement with both values.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsite-lagging-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("tenants"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixture.repositoryRoot.appendingPathComponent("content/help"), to: content.appendingPathComponent("help"))
        try Data(imported.bytes).write(to: content.appendingPathComponent("tenants/kreska.json"))
        let output = root.appendingPathComponent("site")
        _ = try SiteBuilder.build(BuildOptions(content: content.path, templates: Fixture.repositoryRoot.appendingPathComponent("templates").path,
                                               output: output.path, jobs: 2, dryRun: false))
        let overview = try String(contentsOf: output.appendingPathComponent("pl/tenants/kreska/index.html"), encoding: .utf8)
        #expect(overview.contains("<strong>Licencje do użytku</strong> 30"))
        #expect(overview.contains("<strong>Przypisane</strong> 24"))
        #expect(overview.contains("Licencje bezpłatne i próbne"))
        #expect(overview.contains("Microsoft Graph GET /directory/subscriptions: 20; Partner Center subscriptions: 22"))
        #expect(overview.contains("Microsoft Graph GET /directory/subscriptions: Enabled; Partner Center subscriptions: suspended"))
        #expect(overview.contains("Microsoft Graph GET /subscribedSkus: 3; Microsoft Graph GET /directory/subscriptions: —"))
        // And on the subscription's own page.
        let premium = try #require(snapshot.subscriptions.first { $0.skuPartNumber == "SPB" })
        let page = try String(contentsOf: output.appendingPathComponent("pl/tenants/kreska/subscriptions/\(premium.id).html"), encoding: .utf8)
        #expect(page.contains("Partner Center subscriptions: 22"))
        // A person's disputed licence is of no subscription: not on this page, though she holds a licence here.
        #expect(page.contains("Ewa Kreska") && !page.contains("Źródła podają co innego: Ewa Kreska"))
    }
}
