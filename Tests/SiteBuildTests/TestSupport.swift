import Foundation
import Testing
@testable import SiteBuild
import TenantModel

/// The repository's root, found from this file's place in it.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh temporary folder, removed by the caller with `cleanUp`.
func temporaryFolder(_ name: String = "tenantsite-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func cleanUp(_ url: URL) { try? FileManager.default.removeItem(at: url) }

/// Builds a site with the repository's templates.
@discardableResult
func buildSite(content: URL, output: URL, settings: BuildSettings = BuildSettings(), jobs: Int = 2,
               templates: URL = repoRoot.appendingPathComponent("templates")) throws(BuildFailure) -> BuildReport {
    try SiteBuilder.build(BuildOptions(content: content.path, templates: templates.path, output: output.path, settings: settings, jobs: jobs))
}

/// Every file under a folder, as relative path → bytes; without the output marker, the build's own list of those
/// files (`OutputWriterTests` checks it).
func tree(_ root: URL) -> [String: Data] {
    var files: [String: Data] = [:]
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
