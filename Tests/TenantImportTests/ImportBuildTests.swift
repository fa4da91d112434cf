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
