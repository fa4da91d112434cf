import Foundation
import Testing
@testable import SiteBuild
import TenantModel
import TenantSynth

/// `--jobs` and `--shard`: whatever the threads and however the tenants are split over machines, the merged
/// output is the single-machine build, byte for byte.
@Suite(.serialized) struct ShardTests {
    /// Synthetic tenants plus the repository's help articles, so every kind of page is there.
    static func content(in root: URL, tenants: Int = 7) throws -> URL {
        let content = root.appendingPathComponent("content")
        try SynthWriter.write(SynthSpec(tenants: tenants, invoicesPerTenant: 6, seed: 11), content: content.path)
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("content/help"), to: content.appendingPathComponent("help"))
        return content
    }

    static func build(_ content: URL, _ output: URL, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, shard: Shard? = nil,
                      baseURL: String? = "https://partner.example/sites/") throws -> BuildReport {
        try SiteBuilder.build(BuildOptions(content: content.path, templates: repoRoot.appendingPathComponent("templates").path,
                                           output: output.path, settings: BuildSettings(baseURL: baseURL), jobs: jobs, shard: shard))
    }

    @Test func shardsAreParsedAndSplitTheTenantsExactlyOnce() {
        #expect(Shard("2/4") == Shard(index: 2, count: 4))
        for bad in ["0/4", "5/4", "1/0", "1", "a/b", "1/2/3", "-1/2", ""] { #expect(Shard(bad) == nil, "\(bad)") }
        for count in 1...6 {
            for position in 0..<20 {
                let owners = (1...count).filter { Shard(index: $0, count: count)!.owns(position: position) }
                #expect(owners.count == 1)
            }
        }
    }

    @Test func jobsOneAndAllCoresWriteTheSameBytes() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let content = try Self.content(in: root)
        try Self.build(content, root.appendingPathComponent("one"), jobs: 1)
        try Self.build(content, root.appendingPathComponent("all"))
        try Self.build(content, root.appendingPathComponent("many"), jobs: 16)
        let one = tree(root.appendingPathComponent("one"))
        #expect(one.count > 100)
        #expect(one == tree(root.appendingPathComponent("all")))
        #expect(one == tree(root.appendingPathComponent("many")))
    }

    @Test(arguments: [3, 10])
    func copyingTheShardsTogetherGivesTheSingleBuild(count: Int) throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let content = try Self.content(in: root)
        let single = root.appendingPathComponent("single")
        let full = try Self.build(content, single)

        let merged = root.appendingPathComponent("merged")
        try FileManager.default.createDirectory(at: merged, withIntermediateDirectories: true)
        var rendered = 0
        for index in 1...count {
            let output = root.appendingPathComponent("shard-\(index)")
            let report = try Self.build(content, output, jobs: 1 + index % 2, shard: Shard(index: index, count: count))
            #expect(report.tenants == full.tenants)
            rendered += report.renderedTenants
            #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("sitemap.xml").path))
            try copyTree(output, into: merged)
        }
        #expect(rendered == full.tenants)
        try ShardedSite.writeSitemap(site: merged.path, baseURL: "https://partner.example/sites/")

        let expected = tree(single)
        let actual = tree(merged)
        #expect(expected["sitemap.xml"] != nil)
        #expect(Set(actual.keys).symmetricDifference(expected.keys).sorted().prefix(10) == [])
        for path in expected.keys.sorted() where actual[path] != expected[path] {
            Issue.record("\(path) differs from the single build")
        }
    }

    @Test func anInvalidSnapshotFailsEveryShard() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let content = try Self.content(in: root, tenants: 4)
        let files = try FileManager.default.contentsOfDirectory(atPath: content.appendingPathComponent("tenants").path).sorted()
        try Data("{".utf8).write(to: content.appendingPathComponent("tenants").appendingPathComponent(files[0]))
        for index in 1...2 {
            #expect(throws: BuildFailure.self) {
                try Self.build(content, root.appendingPathComponent("shard-\(index)"), shard: Shard(index: index, count: 2))
            }
        }
    }

    /// `cp -a shard/. merged/`: files from every shard; the site-wide ones, written by all, must agree.
    func copyTree(_ from: URL, into target: URL) throws {
        for (path, data) in tree(from) {
            let url = target.appendingPathComponent(path)
            if let existing = try? Data(contentsOf: url) {
                #expect(existing == data, "\(path) differs between shards")
                continue
            }
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
    }
}
