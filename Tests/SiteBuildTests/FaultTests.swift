import Foundation
import Testing
@testable import SiteBuild
import TenantModel

/// Faults around the output folder, with the real `tenantsite` binary: builds killed at many moments, two builds at
/// once, byte-identical output whatever the jobs, clock zone or locale; and the writer's own guards.
@Suite(.serialized) struct FaultTests {
    /// Two versions of the demo content (B renames one tenant and drops another), so that after a kill the output
    /// can be told apart: it must be exactly the site of A or exactly the site of B, never a mix.
    struct TwoContents {
        let root: URL
        let a: URL
        let b: URL

        init() throws {
            root = try temporaryFolder("tenantsite-faults")
            a = root.appendingPathComponent("content-a")
            b = root.appendingPathComponent("content-b")
            for folder in [a, b] {
                try FileManager.default.createDirectory(at: folder.appendingPathComponent("tenants"), withIntermediateDirectories: true)
                // A copy, not a link: links inside content/ are refused.
                try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("content/help"), to: folder.appendingPathComponent("help"))
                try copyDemoKSeF(to: folder)
                for tenant in DemoTenant.all {
                    var bytes = tenant.bytes
                    if folder == b {
                        if tenant.slug == DemoTenant.all[0].slug { continue }
                        let text = String(decoding: bytes, as: UTF8.self)
                        bytes = Array(text.replacingCharacters(in: text.range(of: "\"displayName\": \"")!, with: "\"displayName\": \"Renamed ").utf8)
                    }
                    try Data(bytes).write(to: folder.appendingPathComponent("tenants/\(tenant.slug).json"))
                }
            }
        }
    }

    static func buildArguments(_ content: URL, _ output: URL, jobs: Int = 2) -> [String] {
        ["build", "--content", content.path, "--templates", repoRoot.appendingPathComponent("templates").path, "--output", output.path, "--jobs", String(jobs)]
    }

    static func leftovers(beside output: URL) throws -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)) ?? [])
            .filter { $0.hasPrefix(".\(output.lastPathComponent).tenantsite-") && !$0.hasSuffix("-lock") }
            // The trees the output links to are the site itself, not something left behind.
    }

    @Test func aBuildKilledAtAnyMomentLeavesThePreviousSite() throws {
        let binary = try tenantsiteBinary()
        let contents = try TwoContents()
        defer { cleanUp(contents.root) }
        let site = contents.root.appendingPathComponent("out/site")
        let clock = ContinuousClock()

        // The two possible sites, and how long a build takes here.
        let refA = contents.root.appendingPathComponent("ref/a"), refB = contents.root.appendingPathComponent("ref/b")
        let started = clock.now
        #expect(try runTenantsite(binary, Self.buildArguments(contents.a, refA)).status == 0)
        let buildTime = clock.now - started
        #expect(try runTenantsite(binary, Self.buildArguments(contents.b, refB)).status == 0)
        let siteA = tree(refA), siteB = tree(refB)
        #expect(siteA.count > 100 && siteA != siteB)

        #expect(try runTenantsite(binary, Self.buildArguments(contents.a, site)).status == 0)
        var current = siteA
        var generator = SplitMix(seed: 30)
        var killedBefore = 0, finished = 0
        let points = 32
        for point in 0..<points {
            // Spread over the whole build and a little past it: early (loading), rendering, writing, the swap.
            let fraction = (Double(point) + Double(generator.next() % 1000) / 1000) / Double(points) * 1.15
            let delay = buildTime * fraction
            let next = current == siteA ? contents.b : contents.a
            let process = Process()
            process.executableURL = binary
            process.arguments = Self.buildArguments(next, site)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = tree(site)
            if now == current {
                killedBefore += 1
            } else if now == (current == siteA ? siteB : siteA) {
                finished += 1
                current = now
            } else {
                Issue.record("kill point \(point) (\(delay)): the output is neither the previous site nor the next one")
                current = now
            }
        }
        print("faults: \(points) kill points over \(buildTime) builds: \(killedBefore) left the previous site, \(finished) had finished; never a mix")
        #expect(killedBefore >= points / 2)

        // The next build cleans up what the killed ones left and succeeds.
        let target = current == siteA ? contents.b : contents.a
        let result = try runTenantsite(binary, Self.buildArguments(target, site))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(tree(site) == (current == siteA ? siteB : siteA))
        #expect(try Self.leftovers(beside: site).isEmpty)
    }

    @Test func aSecondBuildWaitsForTheFirstAndNeverMixes() throws {
        let binary = try tenantsiteBinary()
        let contents = try TwoContents()
        defer { cleanUp(contents.root) }
        let site = contents.root.appendingPathComponent("out/site")
        let refB = contents.root.appendingPathComponent("ref/b")
        #expect(try runTenantsite(binary, Self.buildArguments(contents.b, refB)).status == 0)

        let capture = contents.root.appendingPathComponent("first.err")
        FileManager.default.createFile(atPath: capture.path, contents: nil)
        let first = Process()
        first.executableURL = binary
        first.arguments = Self.buildArguments(contents.a, site, jobs: 1)
        first.standardOutput = FileHandle.nullDevice
        first.standardError = try FileHandle(forWritingTo: capture)
        try first.run()
        // Wait until the first holds the lock (its lock file exists).
        let deadline = Date().addingTimeInterval(30)
        let lockFile = site.deletingLastPathComponent().appendingPathComponent(".site.tenantsite-lock").path
        while !FileManager.default.fileExists(atPath: lockFile) && Date() < deadline && first.isRunning { Thread.sleep(forTimeInterval: 0.005) }
        #expect(first.isRunning, "the first build ended before the second started; make the content bigger")

        let second = try runTenantsite(binary, Self.buildArguments(contents.b, site))
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("another tenantsite build is writing \(site.path); waiting for it to finish"), "\(second.stderr)")
        // The second build ran after the first and its site is the one in place, whole.
        #expect(tree(site) == tree(refB))
        #expect(try Self.leftovers(beside: site).isEmpty)
    }

    @Test func buildsAreByteIdenticalAcrossRunsJobsZonesAndLocales() throws {
        let binary = try tenantsiteBinary()
        let root = try temporaryFolder("tenantsite-determinism")
        defer { cleanUp(root) }
        let content = repoRoot.appendingPathComponent("content")
        var sites: [[String: Data]] = []
        let runs: [(jobs: Int, environment: [String: String])] = [
            (1, ["TZ": "UTC", "LANG": "C"]),
            (2, ["TZ": "Pacific/Kiritimati", "LANG": "pl_PL.UTF-8", "LC_ALL": "pl_PL.UTF-8"]),
            (4, ["TZ": "America/Los_Angeles", "LANG": "en_US.UTF-8"]),
            (2, ["TZ": "Europe/Warsaw"]),
        ]
        for (i, run) in runs.enumerated() {
            // Each run from its own working folder, with relative paths, as on another machine.
            let cwd = root.appendingPathComponent("machine-\(i)")
            try FileManager.default.createDirectory(at: cwd, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: cwd.appendingPathComponent("content"), withDestinationURL: content)
            try FileManager.default.createSymbolicLink(at: cwd.appendingPathComponent("templates"), withDestinationURL: repoRoot.appendingPathComponent("templates"))
            let process = Process()
            process.executableURL = binary
            process.arguments = ["build", "--output", "site", "--jobs", String(run.jobs), "--from", "2026-01-01", "--to", "2026-06-30"]
            process.currentDirectoryURL = cwd
            process.environment = run.environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            sites.append(tree(cwd.appendingPathComponent("site")))
        }
        #expect(sites[0].count > 100)
        for (i, site) in sites.enumerated().dropFirst() {
            let differing = Set(site.keys).symmetricDifference(sites[0].keys).union(site.keys.filter { site[$0] != sites[0][$0] }).sorted()
            #expect(differing.isEmpty, "run \(i) differs from run 0 in \(differing.prefix(5))")
        }
    }

    // MARK: - The writer's guards

    @Test func theWriterReplacesOnlyASiteItWrote() throws {
        let root = try temporaryFolder("tenantsite-writer")
        defer { cleanUp(root) }
        let fm = FileManager.default
        func attempt(_ output: URL) -> String? {
            do { _ = try OutputWriter(output: output); return nil } catch { return "\(error)" }
        }
        // Missing and empty folders are fine.
        #expect(attempt(root.appendingPathComponent("new")) == nil)
        try fm.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        #expect(attempt(root.appendingPathComponent("empty")) == nil)
        // A folder with someone's files, or a file, is never replaced.
        let home = root.appendingPathComponent("home")
        try fm.createDirectory(at: home.appendingPathComponent("Documents"), withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: home.appendingPathComponent("notes.txt"))
        #expect(attempt(home)?.contains("holds files that tenantsite did not write (Documents, notes.txt)") == true)
        #expect(fm.fileExists(atPath: home.appendingPathComponent("notes.txt").path))
        try Data().write(to: root.appendingPathComponent("file"))
        #expect(attempt(root.appendingPathComponent("file"))?.contains("exists and is not a folder") == true)
        // A generator tag in a page proves nothing: a built site copied with `cp -r site/* webroot/` beside a blog
        // carries the tag but not the marker, and the blog would go with the swap.
        let webroot = root.appendingPathComponent("webroot")
        try fm.createDirectory(at: webroot.appendingPathComponent("uploads"), withIntermediateDirectories: true)
        try Data("<!DOCTYPE html>\n<meta name=\"generator\" content=\"tenantsite\">".utf8).write(to: webroot.appendingPathComponent("index.html"))
        try Data("blog".utf8).write(to: webroot.appendingPathComponent("blog.html"))
        #expect(attempt(webroot)?.contains("holds files that tenantsite did not write (blog.html, index.html, uploads)") == true)
        #expect(try fm.contentsOfDirectory(atPath: webroot.path).sorted() == ["blog.html", "index.html", "uploads"])
        // Through the builder, a refused output is an I/O failure and the folder is untouched.
        do {
            try SiteBuilder.build(BuildOptions(content: repoRoot.appendingPathComponent("content").path, templates: repoRoot.appendingPathComponent("templates").path,
                                               output: home.path, settings: BuildSettings(languages: [.pl])))
            Issue.record("a foreign folder was replaced")
        } catch {
            guard case .io(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("choose an empty or new folder"))
        }
        #expect(try fm.contentsOfDirectory(atPath: home.path).sorted() == ["Documents", "notes.txt"])
    }

    @Test func theWriterStaysInsideItsFolder() throws {
        let root = try temporaryFolder("tenantsite-writer")
        defer { cleanUp(root) }
        let output = root.appendingPathComponent("site")
        // What a killed build leaves is cleared by the next one (which holds the lock).
        let stale = root.appendingPathComponent(".site.tenantsite-staging-999999")
        try FileManager.default.createDirectory(at: stale.appendingPathComponent("pl"), withIntermediateDirectories: true)
        let writer = try OutputWriter(output: output)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        try writer.write(SitePath("pl", "tenants", "acme", "index.html"), Array("x".utf8))
        // The same file twice is an error, not a silent overwrite (two page kinds claiming one URL).
        #expect(throws: OutputWriter.Failure.self) { try writer.write(SitePath("pl", "tenants", "acme", "index.html"), Array("y".utf8)) }
        try writer.commit()
        #expect(try String(contentsOf: output.appendingPathComponent("pl/tenants/acme/index.html"), encoding: .utf8) == "x")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == [".site.tenantsite", "site"])

        // Path pieces that could climb out or hide are not components of a site path.
        for bad in ["..", ".", "", "a/b", "a\\b", "../x", ".hidden", "c:", "x\u{0}y", "tab\t", "é", String(repeating: "a", count: 256)] {
            #expect(!SitePath.isSafeComponent(bad), "\(bad.debugDescription)")
        }
        // Tenant slugs come only from checked file names.
        for slug in ["..", "a/b", "A", "-x", "x_y", "", String(repeating: "a", count: 65)] {
            #expect(!SnapshotDecoder.isValidSlug(slug), "\(slug)")
        }
    }

    @Test func aSitePathThatClimbsOutStopsTheProgram() async {
        await #expect(processExitsWith: .failure) {
            _ = SitePath(["pl", "..", "..", "etc", "passwd"])
        }
    }
}
