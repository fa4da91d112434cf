import Foundation

/// What comes after the shards of a sharded build (docs/scaling.md): their output folders copied into one,
/// then `sitemap.xml`, the one file that needs every page of the site.
public enum ShardedSite {
    /// Writes `sitemap.xml` (and `sitemap-N.xml` for big sites) for every HTML page under `site`, exactly as a
    /// single-machine build with `--base-url` writes it. Returns how many pages it lists.
    @discardableResult
    public static func writeSitemap(site: String, baseURL: String) throws -> Int {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: site).standardizedFileURL
        // Sitemaps of an earlier run are not pages and would be replaced anyway.
        for name in (try fm.contentsOfDirectory(atPath: root.path)) where name.hasPrefix("sitemap") && name.hasSuffix(".xml") {
            try fm.removeItem(at: root.appendingPathComponent(name))
        }
        var pages: [SitePath] = []
        guard let walker = fm.enumerator(atPath: root.path) else { throw OutputWriter.Failure.io("\(site): cannot be read") }
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".html") else { continue }
            let components = relative.split(separator: "/").map(String.init)
            guard components.allSatisfy(SitePath.isSafeComponent) else { continue }
            pages.append(SitePath(components))
        }
        for file in Sitemap.files(baseURL: baseURL, pages: pages) {
            let url = root.appendingPathComponent(file.path.description)
            guard fm.createFile(atPath: url.path, contents: Data(file.bytes)) else { throw OutputWriter.Failure.io("\(url.path): cannot write") }
        }
        return pages.count
    }
}
