@_exported import TestHelpers
import Foundation
import Testing
@testable import SiteBuild
import TenantModel

/// The repository's root, found from this file's place in it.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh temporary folder, removed by the caller with `cleanUp`.

/// Builds a site with the repository's templates.
@discardableResult
func buildSite(content: URL, output: URL, settings: BuildSettings = BuildSettings(), jobs: Int = 2,
               templates: URL = repoRoot.appendingPathComponent("templates")) throws(BuildFailure) -> BuildReport {
    try SiteBuilder.build(BuildOptions(content: content.path, templates: templates.path, output: output.path, settings: settings, jobs: jobs))
}

/// Every file under a folder, as relative path → bytes; without the output marker, the build's own list of those
/// files (`OutputWriterTests` checks it).
func tree(_ given: URL) -> [String: Data] {
    var files: [String: Data] = [:]
    // The output is a link to the tree being served: read that tree.
    let root = given.resolvingSymlinksInPath()
    guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return files }
    let base = root.standardizedFileURL.path + "/"
    for case let url as URL in enumerator {
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
        let relative = String(url.standardizedFileURL.path.dropFirst(base.count))
        if relative == OutputWriter.markerName { continue }
        files[relative] = try? Data(contentsOf: url)
    }
    return files
}

/// Copies the demo content into a temporary folder so a test can change it.
func copyOfDemoContent() throws -> URL {
    let folder = try temporaryFolder("tenantsite-content")
    try FileManager.default.removeItem(at: folder)
    try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("content"), to: folder)
    return folder
}

/// A demo snapshot as the build reads it: with its KSeF invoice files from `content/ksef/<slug>/`.
func demoSnapshot(_ slug: String) throws -> Snapshot {
    let file = repoRoot.appendingPathComponent(demoSnapshotPath(slug, root: repoRoot))
    return try SnapshotDecoder.decode(Array(try Data(contentsOf: file)), file: file.path, slug: slug, ksefFiles: demoKSeFFiles(slug)).get()
}

/// The demo's KSeF invoice files of a tenant.
func demoKSeFFiles(_ slug: String) -> KSeFFiles {
    KSeFFiles(folder: repoRoot.appendingPathComponent("content/ksef/\(slug)").path)
}

/// Copies the demo's KSeF invoice files into a content folder a test made (beside its `tenants/`).
func copyDemoKSeF(to content: URL) throws {
    let target = content.appendingPathComponent("ksef")
    if !FileManager.default.fileExists(atPath: target.path) {
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("content/ksef"), to: target)
    }
}

/// The newest snapshot of a demo tenant in a copy of the demo content (`copyOfDemoContent`).
func demoSnapshotFile(in content: URL, _ slug: String) -> URL {
    content.deletingLastPathComponent().appendingPathComponent(
        demoSnapshotPath(slug, root: repoRoot).replacingOccurrences(of: "content/", with: content.lastPathComponent + "/"))
}
