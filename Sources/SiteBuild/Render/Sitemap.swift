import SiteRender
import TenantModel

/// `sitemap.xml` for a site published at a known address (`--base-url`): every HTML page, sorted. Search
/// engines read at most 50,000 URLs per file, so a larger site gets `sitemap.xml` as an index of
/// `sitemap-1.xml`, `sitemap-2.xml`…
enum Sitemap {
    static let maxURLsPerFile = 50_000
    /// The line after the XML declaration of every sitemap tenantsite writes: `tenantsite sitemap` removes an
    /// earlier sitemap only when it carries it, never one a person wrote.
    static let signature = "<!-- written by tenantsite -->\n"
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + signature

    /// Whether the file at `path` is a sitemap tenantsite wrote (read only as far as its signature).
    static func isOurs(path: String) -> Bool {
        let signature = Array(declaration.utf8)
        return InputFile.head(path, count: signature.count).elementsEqual(signature)
    }

    static func files(baseURL: String, pages: [SitePath], maxURLsPerFile: Int = maxURLsPerFile) -> [(path: SitePath, bytes: [UInt8])] {
        let base = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        let sorted = pages.sorted()
        func urlset(_ chunk: ArraySlice<SitePath>) -> [UInt8] {
            var xml = declaration + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
            for page in chunk {
                xml += "<url><loc>"
                HTML.appendEscapedHref(base + page.description, to: &xml)
                xml += "</loc></url>\n"
            }
            xml += "</urlset>\n"
            return Array(xml.utf8)
        }
        if sorted.count <= maxURLsPerFile {
            return [(SitePath("sitemap.xml"), urlset(sorted[...]))]
        }
        var files: [(SitePath, [UInt8])] = []
        var index = declaration + "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for (number, start) in stride(from: 0, to: sorted.count, by: maxURLsPerFile).enumerated() {
            let name = "sitemap-\(number + 1).xml"
            files.append((SitePath(name), urlset(sorted[start..<min(start + maxURLsPerFile, sorted.count)])))
            index += "<sitemap><loc>"
            HTML.appendEscapedHref(base + name, to: &index)
            index += "</loc></sitemap>\n"
        }
        index += "</sitemapindex>\n"
        return [(SitePath("sitemap.xml"), Array(index.utf8))] + files
    }
}
