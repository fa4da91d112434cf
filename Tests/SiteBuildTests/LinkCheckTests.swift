import Foundation
import Testing
@testable import SiteBuild
import TenantModel

/// Every link of the whole built site resolves: each `href`, `src` and `data-index` of every HTML page (and
/// each `url(…)` of the stylesheets) points at a file the build wrote, and at an `id` in it when it has a
/// `#fragment`. No link starts with `/`; the only external links are `https:` and `mailto:`. Runs over the
/// demo content, so every page kind anyone adds is checked as soon as it is registered.
@Suite struct LinkCheckTests {
    @Test func everyLinkOfTheDemoSiteResolves() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let site = root.appendingPathComponent("site")
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: site,
                      settings: BuildSettings(customRanges: [CivilDate(iso: "2026-01-01")!...CivilDate(iso: "2026-06-30")!],
                                              baseURL: "https://reports.example.com/m365"))
        let files = tree(site)
        let report = LinkChecker(files: files).check()
        print("link check: \(report.pages) HTML pages, \(report.links) links")
        #expect(report.pages > 50, "only \(report.pages) HTML pages checked")
        #expect(report.links > 1000, "only \(report.links) links checked")
        expectNoBrokenLinks(report, in: files)

        // sitemap.xml lists every HTML page and nothing else.
        let sitemap = String(decoding: files["sitemap.xml"] ?? Data(), as: UTF8.self)
        let listed = Set(sitemap.matches(of: /<loc>https:\/\/reports\.example\.com\/m365\/([^<]*)<\/loc>/).map { String($0.1) })
        let pages = Set(files.keys.filter { $0.hasSuffix(".html") })
        #expect(listed == pages, "not listed: \(pages.subtracting(listed).sorted().prefix(5)); listed but missing: \(listed.subtracting(pages).sorted().prefix(5))")
    }

    @Test(arguments: [Language.pl, .en])
    func everyLinkResolvesWhenOnlyOneLanguageIsBuilt(_ language: Language) throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let site = root.appendingPathComponent("site")
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: site, settings: BuildSettings(languages: [language]))
        let files = tree(site)
        #expect(!files.keys.contains { $0.hasPrefix(language == .pl ? "en/" : "pl/") })
        let report = LinkChecker(files: files).check()
        #expect(report.pages > 20)
        expectNoBrokenLinks(report, in: files)
    }

    @Test func theCheckerCatchesBrokenLinks() {
        let page = #"""
        <a href="/abs.html">a</a> <a href="http://x.example">b</a> <a href="javascript:alert(1)">c</a>
        <a href="missing.html">d</a> <a href="b.html#nowhere">e</a> <a href="#nope">f</a> <a href="">g</a>
        <img src="../../up.png"> <a href="b.html#here">ok</a> <a href="https://x.example/?a=1&amp;b=2">ok</a>
        <a href="mailto:a@b.pl">ok</a> <a href="sub/c%20d.html">ok</a> <span id="top"></span><a href="#top">ok</a>
        """#
        let files: [String: Data] = [
            "pl/a.html": Data(page.utf8),
            "pl/b.html": Data(#"<h2 id="here">x</h2>"#.utf8),
            "pl/sub/c d.html": Data("x".utf8),
            "assets/style.css": Data("a { background: url(missing.png) } b { background: url(\"../pl/b.html\") }".utf8),
        ]
        let report = LinkChecker(files: files).check()
        #expect(report.problems.count == 9, "\(report.problems.joined(separator: "\n"))")
        for expected in ["/abs.html", "http://x.example", "javascript:alert(1)", "missing.html", "b.html#nowhere", "#nope", "\"\"", "../../up.png", "missing.png"] {
            #expect(report.problems.contains { $0.contains(expected) }, "\(expected) not reported")
        }
    }
}

/// Page folders that other pages may already link to while their own page kind is still being built (by another
/// issue). A broken link into one of them is a known issue only while the site has no page there at all; remove
/// the entry when the pages land.
let pagesNotBuiltYet: [String] = []

/// Fails on every broken link, except links into `pagesNotBuiltYet` folders of which no page exists yet.
func expectNoBrokenLinks(_ report: LinkChecker.Report, in files: [String: Data], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let pending = pagesNotBuiltYet.filter { folder in !files.keys.contains { $0.contains("/\(folder)/") } }
    let ahead = report.problems.filter { problem in problem.contains("no such file") && pending.contains { problem.contains("/\($0)/") } }
    let broken = report.problems.filter { !ahead.contains($0) }
    #expect(broken.isEmpty, "\(broken.count) broken links:\n\(broken.prefix(40).joined(separator: "\n"))", sourceLocation: sourceLocation)
    if !ahead.isEmpty {
        withKnownIssue("links into pages not built yet (\(pending.joined(separator: ", ")))", isIntermittent: true) {
            Issue.record("\(ahead.count) links point at pages not built yet, e.g. \(ahead[0])", sourceLocation: sourceLocation)
        }
    }
}

/// Checks the links of a built site held in memory (relative path → bytes).
struct LinkChecker {
    let files: [String: Data]

    struct Report {
        var pages = 0
        var links = 0
        var problems: [String] = []
    }

    func check() -> Report {
        var report = Report()
        var ids: [String: Set<String>] = [:]
        func idsOf(_ path: String) -> Set<String> {
            if let known = ids[path] { return known }
            let html = String(decoding: files[path] ?? Data(), as: UTF8.self)
            let found = Set(html.matches(of: /\sid="([^"]*)"/).map { String($0.1) })
            ids[path] = found
            return found
        }
        for path in files.keys.sorted() {
            let text = String(decoding: files[path]!, as: UTF8.self)
            var targets: [String] = []
            if path.hasSuffix(".html") {
                report.pages += 1
                targets = text.matches(of: /\s(?:href|src|data-index)="([^"]*)"/).map { Self.decodeEntities(String($0.1)) }
            } else if path.hasSuffix(".css") {
                targets = text.matches(of: /url\(\s*["']?([^"')]*)["']?\s*\)/).map { String($0.1) }
            } else {
                continue
            }
            for target in targets {
                report.links += 1
                if let problem = problem(target, from: path, ids: idsOf) {
                    report.problems.append("\(path): \(target.isEmpty ? "\"\"" : target): \(problem)")
                }
            }
        }
        return report
    }

    func problem(_ target: String, from page: String, ids: (String) -> Set<String>) -> String? {
        if target.isEmpty { return "empty link" }
        if target.hasPrefix("/") { return "starts with /" }
        let lower = target.lowercased()
        if let colon = lower.firstIndex(of: ":"), !lower[..<colon].contains("/"), !lower[..<colon].contains("#") {
            if lower.hasPrefix("https://") || lower.hasPrefix("mailto:") { return nil }
            return "external links must be https: or mailto:"
        }
        var rest = Substring(target)
        var fragment: String?
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") { rest = rest[..<question] }
        var resolved: String
        if rest.isEmpty {
            resolved = page
        } else {
            guard let decoded = String(rest).removingPercentEncoding else { return "bad percent-encoding" }
            var components = page.split(separator: "/").dropLast().map(String.init)
            for part in decoded.split(separator: "/", omittingEmptySubsequences: false) {
                switch part {
                case ".": continue
                case "..":
                    if components.isEmpty { return "climbs out of the site" }
                    components.removeLast()
                case "": return "empty path segment"
                default: components.append(String(part))
                }
            }
            resolved = components.joined(separator: "/")
        }
        guard files[resolved] != nil else { return "no such file (\(resolved))" }
        if let fragment, !fragment.isEmpty, resolved.hasSuffix(".html"), !ids(resolved).contains(fragment) {
            return "no id=\"\(fragment)\" in \(resolved)"
        }
        return nil
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#x27;", with: "'")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
