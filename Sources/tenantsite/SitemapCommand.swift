import ArgumentParser
import Foundation
import SiteBuild

/// `tenantsite sitemap`: the last step after merging the outputs of a sharded build.
struct SitemapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sitemap",
        abstract: "Write sitemap.xml for a site merged from the outputs of `build --shard` (docs/scaling.md).",
        discussion: "The result is the sitemap a single `tenantsite build --base-url URL` writes."
    )

    @Option(help: "The merged output folder.")
    var site: String

    @Option(help: "Absolute URL the site will be published at.")
    var baseURL: String

    func validate() throws {
        guard baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://") else { throw ValidationError("--base-url must start with https:// or http://") }
    }

    func run() throws {
        do {
            let count = try ShardedSite.writeSitemap(site: site, baseURL: baseURL)
            print("tenantsite: sitemap of \(count) pages → \(site)/sitemap.xml")
        } catch {
            FileHandle.standardError.write(Data("tenantsite sitemap: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
