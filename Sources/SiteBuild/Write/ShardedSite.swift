import Foundation
import TenantModel

/// What comes after the shards of a sharded build (docs/scaling.md): their output folders copied into one,
/// then `sitemap.xml`, the one file that needs every page of the site.
public enum ShardedSite {
    /// Writes `sitemap.xml` (and `sitemap-N.xml` for big sites) for every HTML page under `site`, exactly as a
    /// single-machine build with `--base-url` writes it. Returns how many pages it lists.
    @discardableResult
    public static func writeSitemap(site: String, baseURL: String) throws -> Int {
        let fm = FileManager.default
        // A built output is a link to the tree being served: the sitemap goes into that tree.
        let root = URL(fileURLWithPath: site).standardizedFileURL.resolvingSymlinksInPath()
        guard InputFile.kind(root.path) == .folder else { throw OutputWriter.Failure.io("\(site): not a folder") }
        var pages: [SitePath] = []
        FolderWalk.walk(root.path) { relative, isFolder in
            if isFolder { return true }
            guard relative.hasSuffix(".html") else { return false }
            let components = relative.split(separator: "/").map(String.init)
            if components.allSatisfy(SitePath.isSafeComponent) { pages.append(SitePath(components)) }
            return false
        }
        let files = Sitemap.files(baseURL: baseURL, pages: pages)
        let names = Set(files.map(\.path.description))
        // Sitemaps of an earlier run are replaced; anyone else's are kept, and one in the way stops the command.
        var earlier: [String] = []
        for name in InputFile.names(in: root.path) ?? [] where name.hasPrefix("sitemap") && name.hasSuffix(".xml") {
            let path = root.path + "/" + name
            if Sitemap.isOurs(path: path) {
                earlier.append(path)
            } else if names.contains(name) {
                throw OutputWriter.Failure.io("\(path) was not written by tenantsite; move it away or merge it by hand (it is left as it is)")
            }
        }
        for path in earlier { try fm.removeItem(atPath: path) }
        for file in files {
            let url = root.appendingPathComponent(file.path.description)
            guard fm.createFile(atPath: url.path, contents: Data(file.bytes)) else { throw OutputWriter.Failure.io("\(url.path): cannot write") }
        }
        return pages.count
    }
}
