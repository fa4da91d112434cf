import Foundation
import Glibc
import Testing
import TenantModel
@testable import SiteBuild

/// Incremental builds (docs/scaling.md): a build into an output that holds an earlier build reuses what did not change,
/// and its site is byte for byte the site a build into an empty folder makes — for every kind of change.
@Suite struct IncrementalBuildTests {
    struct Workspace {
        let root: URL
        let content: URL
        let templates: URL
        let output: URL

        init() throws {
            root = try temporaryFolder("tenantsite-incremental")
            content = root.appendingPathComponent("content")
            templates = root.appendingPathComponent("templates")
            output = root.appendingPathComponent("site")
            try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("content"), to: content)
            try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("templates"), to: templates)
        }

        @discardableResult
        func build(into folder: URL? = nil, settings: BuildSettings = BuildSettings()) throws -> BuildReport {
            try SiteBuilder.build(BuildOptions(content: content.path, templates: templates.path, output: (folder ?? output).path,
                                               settings: settings, jobs: 2))
        }

        /// A build into an empty folder, for comparison: its files, and (as a file named after each folder with a
        /// trailing slash) its folders, so that a folder left empty by an incremental build is a difference too.
        func fresh(_ name: String, settings: BuildSettings = BuildSettings()) throws -> [String: Data] {
            let folder = root.appendingPathComponent("fresh-" + name)
            try build(into: folder, settings: settings)
            defer { try? FileManager.default.removeItem(at: folder); try? FileManager.default.removeItem(at: root.appendingPathComponent(".fresh-\(name).tenantsite")) }
            return IncrementalBuildTests.site(folder)
        }

        func edit(_ relative: String, _ change: (String) -> String) throws {
            let url = content.deletingLastPathComponent().appendingPathComponent(relative)
            let text = try String(contentsOf: url, encoding: .utf8)
            let changed = change(text)
            #expect(changed != text, "\(relative): the edit changed nothing")
            try Data(changed.utf8).write(to: url)
        }
    }

    /// A site's files by path, and its folders as `path/` → nothing.
    static func site(_ output: URL) -> [String: Data] {
        var entries = tree(output)
        let root = output.resolvingSymlinksInPath().standardizedFileURL.path + "/"
        let enumerator = FileManager.default.enumerator(at: output.resolvingSymlinksInPath(), includingPropertiesForKeys: [.isDirectoryKey])
        while let url = enumerator?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                entries[String(url.standardizedFileURL.path.dropFirst(root.count)) + "/"] = Data()
            }
        }
        return entries
    }

    /// The files that differ between two sites, by path.
    static func differences(_ a: [String: Data], _ b: [String: Data]) -> [String] {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
    }

    @Test func everyKindOfChangeGivesTheSiteAFullBuildGives() throws {
        let w = try Workspace()
        defer { cleanUp(w.root) }
        let first = try w.build()
        #expect(first.reusedTenants == 0)
        // Nothing changed: every tenant reused, no file written.
        let again = try w.build()
        #expect(again.reusedTenants == 3 && again.pages == first.pages)
        let unchanged = try w.build()
        #expect(unchanged.filesWritten == 0, "an unchanged build wrote \(unchanged.filesWritten) files")
        #expect(Self.differences(Self.site(w.output), try w.fresh("none")).isEmpty)

        // Each change, then an incremental build, compared with a build into an empty folder.
        let changes: [(name: String, reused: Int?, apply: () throws -> Void)] = [
            ("a snapshot edited", 2, {
                try w.edit("content/tenants/northwind-gmbh/2026-11-20.json") { $0.replacingOccurrences(of: "Emily Carter", with: "Emily Carter-Smith") }
            }),
            ("a snapshot added to a history", 2, {
                let folder = w.content.appendingPathComponent("tenants/biuro-rachunkowe-abakus")
                let last = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().last!
                var text = try String(contentsOf: folder.appendingPathComponent(last), encoding: .utf8)
                text = text.replacingOccurrences(of: "\"capturedDateTime\": \"2026-11-20T", with: "\"capturedDateTime\": \"2026-11-27T")
                try Data(text.utf8).write(to: folder.appendingPathComponent("2026-11-27.json"))
            }),
            ("an invoice taken out of a snapshot (its page and e-mail go)", 2, {
                let url = w.content.appendingPathComponent("tenants/northwind-gmbh/2026-11-20.json")
                var snapshot = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
                var invoices = snapshot["invoices"] as! [Any]
                #expect(!invoices.isEmpty)
                invoices.removeLast()
                snapshot["invoices"] = invoices
                try JSONSerialization.data(withJSONObject: snapshot, options: [.prettyPrinted, .sortedKeys]).write(to: url)
            }),
            ("a tenant deleted", 2, {
                try FileManager.default.removeItem(at: w.content.appendingPathComponent("tenants/northwind-gmbh"))
            }),
            ("a page template edited", 0, {
                try w.edit("templates/pages/people.md") { $0 + "\n{{t.people.costHeading}}\n" }
            }),
            ("the strings edited", 0, {
                try w.edit("templates/strings/en/people.json") { $0.replacingOccurrences(of: "\"people.costHeading\": \"", with: "\"people.costHeading\": \"Monthly ") }
            }),
            ("the stylesheet edited", 0, {
                try w.edit("templates/assets/style.css") { $0 + "\n/* edited */\n" }
            }),
            ("a help article edited", 0, {
                let folder = w.content.appendingPathComponent("help/home-pl/en")
                let name = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().first { $0.hasSuffix(".md") }!
                try w.edit("content/help/home-pl/en/" + name) { $0 + "\nOne more line.\n" }
            }),
        ]
        for change in changes {
            try change.apply()
            let report = try w.build()
            if let reused = change.reused { #expect(report.reusedTenants == reused, "\(change.name): \(report.reusedTenants) tenants reused") }
            let diff = Self.differences(Self.site(w.output), try w.fresh(change.name.replacingOccurrences(of: " ", with: "-")))
            #expect(diff.isEmpty, "\(change.name): \(diff.count) files differ from a full build: \(diff.prefix(5))")
        }

        // A build option: another language set and another "today" are other sites.
        for (name, settings) in [("one language", BuildSettings(languages: [.pl])), ("as of a date", BuildSettings(asOf: CivilDate(iso: "2026-12-01")!))] {
            let report = try w.build(settings: settings)
            #expect(report.reusedTenants == 0, "\(name): \(report.reusedTenants) tenants reused")
            let diff = Self.differences(Self.site(w.output), try w.fresh(name.replacingOccurrences(of: " ", with: "-"), settings: settings))
            #expect(diff.isEmpty, "\(name): \(diff.count) files differ from a full build: \(diff.prefix(5))")
        }
    }

    @Test func oneTenantChangedRewritesOnlyItsOwnFilesAndTheSiteWideOnes() throws {
        let w = try Workspace()
        defer { cleanUp(w.root) }
        try w.build()
        try w.build()
        try w.edit("content/tenants/northwind-gmbh/2026-11-20.json") { $0.replacingOccurrences(of: "Emily Carter", with: "Emily Carter-Smith") }
        let report = try w.build()
        #expect(report.reusedTenants == 2)
        // The served tree's files that changed are Northwind's own and the site-wide pages that list it.
        let written = report.filesWritten
        let northwind = tree(w.output).keys.filter { $0.contains("/tenants/northwind-gmbh/") }.count
        #expect(written <= northwind + 20, "\(written) files written for one tenant of \(northwind) files")
    }

    @Test func aTreeLeftHalfWrittenIsClearedAndTheServedSiteNeverChanges() throws {
        let w = try Workspace()
        defer { cleanUp(w.root) }
        try w.build()
        try w.build()
        let served = tree(w.output)
        // A build killed while writing leaves the tree it was writing without its manifest, with odd files in it.
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: w.output.path)
        let other = w.root.appendingPathComponent(link.hasSuffix("/a") ? ".site.tenantsite/b" : ".site.tenantsite/a")
        let manifest = other.path + ".manifest"
        #expect(unlink(manifest) == 0)
        try Data("half".utf8).write(to: other.appendingPathComponent("pl/index.html"))
        try Data("stray".utf8).write(to: other.appendingPathComponent("pl/half-written.html"))
        #expect(tree(w.output) == served)
        try w.edit("content/tenants/northwind-gmbh/2026-11-20.json") { $0.replacingOccurrences(of: "Emily Carter", with: "Emily Carter-Smith") }
        try w.build()
        #expect(Self.differences(Self.site(w.output), try w.fresh("after-kill")).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: w.output.appendingPathComponent("pl/half-written.html").path))
        // A file someone removed from the served site comes back whole (from the other tree, or made anew).
        try FileManager.default.removeItem(at: w.output.appendingPathComponent("pl/tenants/kwiaciarnia-lakowa/index.html"))
        try w.build()
        #expect(Self.differences(Self.site(w.output), try w.fresh("after-removal")).isEmpty)
        try FileManager.default.removeItem(at: w.output.appendingPathComponent("en/tenants/kwiaciarnia-lakowa/index.html"))
        try w.build()
        try w.build()
        #expect(Self.differences(Self.site(w.output), try w.fresh("after-second-removal")).isEmpty)
    }
}
