import Foundation
import Glibc
import Testing
@testable import SiteBuild
@testable import SiteRender
import TenantModel

/// The holes found by attacking a build (issue "Reliability"), one test each, and the classes behind them.
@Suite(.serialized) struct ReliabilityTests {
    static let templates = repoRoot.appendingPathComponent("templates")

    /// The demo content with one tenant's snapshot changed by `edit` on its text.
    func contentWith(_ slug: String = "kwiaciarnia-lakowa", _ edit: (String) -> String) throws -> URL {
        let content = try copyOfDemoContent()
        let file = demoSnapshotFile(in: content, slug)
        let text = try String(contentsOf: file, encoding: .utf8)
        let changed = edit(text)
        #expect(changed != text, "the edit changed nothing")
        try changed.write(to: file, atomically: true, encoding: .utf8)
        return content
    }

    func problems(_ run: () throws(BuildFailure) -> Void) -> [String] {
        do {
            try run()
            return []
        } catch {
            switch error {
            case .invalidInput(let diagnostics): return diagnostics.map(\.description)
            case .io(let message): return [message]
            }
        }
    }

    func check(_ content: URL, templates: URL = templates) -> [String] {
        problems { () throws(BuildFailure) in
            _ = try SiteBuilder.build(BuildOptions(content: content.path, templates: templates.path, output: "/nonexistent", dryRun: true))
        }
    }

    // MARK: 1. Numbers

    @Test func amountsOutOfRangeAreRefusedAtTheirPathAndTheLargestAcceptedBuild() throws {
        // 9.3e18 passed the old exponent check and trapped in the spend chart.
        for huge in ["9300000000000000000", "-9300000000000000000", "1000000000000", "0.00000000001"] {
            let content = try contentWith { $0.replacingOccurrences(of: "\"totalCharges\": 1014.75", with: "\"totalCharges\": \(huge)") }
            defer { cleanUp(content) }
            let found = check(content)
            #expect(found.contains { $0.contains("invoices[0].totalCharges") && ($0.contains("out of range") || $0.contains("digits after the point")) },
                    "\(huge): \(found.prefix(3))")
        }
        // Every amount and count at the edge of what the decoder accepts (totals summed past it, a superset of what a
        // file can hold), negative ones too: every page of the tenant renders.
        let snapshot = try SnapshotDecoder.decode(Array(try Data(contentsOf: repoRoot.appendingPathComponent(demoSnapshotPath("kwiaciarnia-lakowa", root: repoRoot)))),
                                                  file: "k.json", slug: "kwiaciarnia-lakowa", ksefFiles: demoKSeFFiles("kwiaciarnia-lakowa")).get()
        let edge = Amount(exactly: NumberLimits.maxMagnitudeText)!
        var extreme = snapshot
        extreme.subscriptions = extreme.subscriptions.enumerated().map { i, s in
            var s = s
            s.unitPrice = i % 2 == 0 ? edge : -edge
            s.prepaidUnits.enabled = 100_000_000
            return s
        }
        extreme.invoices = extreme.invoices.enumerated().map { i, invoice in
            var invoice = invoice
            invoice.lines = invoice.lines.map { line in
                var line = line
                line.quantity = edge
                line.unitPrice = i % 2 == 0 ? edge : -edge
                line.subtotal = line.unitPrice
                line.totalForCustomer = line.unitPrice
                return line
            }
            invoice.totalCharges = invoice.lines.reduce(0) { $0 + $1.totalForCustomer }
            invoice.paidAmount = 0
            return invoice
        }
        let plan = TenantPlan(extreme, settings: BuildSettings())
        let set = try TemplateSet.load(folder: Self.templates.path, requiredPages: []).get()
        let renderer = PageRenderer(templates: set)
        var pages = 0
        try SiteBuilder.renderTenant(plan, languages: [LanguageContext(language: .pl, strings: set.strings[.pl]!)], settings: BuildSettings(),
                                     helpLinks: HelpLinks(), renderer: renderer, timer: PhaseTimer()) { _, _ in pages += 1 }
        #expect(pages > 10)
    }

    // MARK: 2. Front matter

    @Test func yamlAliasesAndAnchorsAreRefusedWhereTheyStand() throws {
        let laughs = """
        ---
        title: x
        summary: y
        order: 1
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        ---
        Body.
        """
        let result = HelpCenter.parse(laughs, file: "a.md", panel: .homePl, language: .pl, slug: "a")
        guard case .failure(let invalid) = result else { Issue.record("accepted"); return }
        #expect(invalid.diagnostics.map(\.description) == ["a.md: 5:4: front matter cannot use anchors (&name); write each value out"])
        for (yaml, words) in [("title: *x", "aliases"), ("title: x\nrelated: [*x]", "aliases"), ("<<: {a: 1}", "fields of its own"),
                              ("title: [a, [b]]", "must be text"), ("title: x\ntitle: y", "written twice")] {
            let result = HelpCenter.parse("---\n\(yaml)\n---\nBody.\n", file: "a.md", panel: .homePl, language: .pl, slug: "a")
            guard case .failure(let invalid) = result else { Issue.record("\(yaml) accepted"); continue }
            #expect(invalid.diagnostics.contains { $0.message.contains(words) }, "\(yaml): \(invalid.diagnostics)")
        }
    }

    @Test func helpTextsFollowTheSnapshotsCharacterRules() {
        for title in ["\"Esc \\e[31m\"", "\"a\\u202Eb\"", "\"two\\nlines\""] {
            let text = "---\ntitle: \(title)\nsummary: s\norder: 1\n---\nBody.\n"
            guard case .failure(let invalid) = HelpCenter.parse(text, file: "a.md", panel: .homePl, language: .pl, slug: "a") else {
                Issue.record("\(title) accepted")
                continue
            }
            #expect(invalid.diagnostics.contains { $0.location == .line(2) && $0.message.contains("control character") }, "\(invalid.diagnostics)")
        }
    }

    // MARK: 3 and 9. Only our files are ever removed

    @Test func aWebRootHoldingACopiedSiteIsNeverReplaced() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let site = root.appendingPathComponent("site")
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: site, settings: BuildSettings(languages: [.pl]))
        // `cp -a site/. webroot/` beside a blog: the marker comes along, yet the blog is not ours.
        let webroot = root.appendingPathComponent("webroot")
        try FileManager.default.copyItem(at: site.resolvingSymlinksInPath(), to: webroot)
        try Data("blog".utf8).write(to: webroot.appendingPathComponent("blog.html"))
        try FileManager.default.createDirectory(at: webroot.appendingPathComponent("pl/uploads"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: webroot.appendingPathComponent("pl/uploads/photo.jpg"))
        let found = problems { () throws(BuildFailure) in _ = try buildSite(content: repoRoot.appendingPathComponent("content"), output: webroot) }
        #expect(found.count == 1 && found[0].contains("did not write (blog.html, pl/uploads/)"), "\(found)")
        #expect(FileManager.default.fileExists(atPath: webroot.appendingPathComponent("pl/uploads/photo.jpg").path))
        // A file removed from a site is no reason to refuse; the site is rebuilt whole.
        try FileManager.default.removeItem(at: site.appendingPathComponent("pl/index.html"))
        try FileManager.default.removeItem(at: site.appendingPathComponent("pl/tenants/northwind-gmbh/index.html"))
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: site, settings: BuildSettings(languages: [.pl]))
        // The marker lists every file and folder of the build, and nothing else.
        let marker = try String(contentsOf: site.appendingPathComponent(OutputWriter.markerName), encoding: .utf8)
        let listed = marker.split(separator: "\n").dropFirst(2).filter { !$0.hasSuffix("/") }.map(String.init)
        #expect(Set(listed) == Set(tree(site).keys))
    }

    @Test func sitemapRemovesOnlySitemapsItWrote() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let site = root.appendingPathComponent("site")
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: site, settings: BuildSettings(languages: [.pl]))
        try Data("<urlset>mine</urlset>".utf8).write(to: site.appendingPathComponent("sitemap-blog.xml"))
        #expect(try ShardedSite.writeSitemap(site: site.path, baseURL: "https://example.com/") > 10)
        #expect(try String(contentsOf: site.appendingPathComponent("sitemap-blog.xml"), encoding: .utf8) == "<urlset>mine</urlset>")
        // Run again: its own sitemap is replaced.
        #expect(try ShardedSite.writeSitemap(site: site.path, baseURL: "https://example.org/") > 10)
        #expect(try String(contentsOf: site.appendingPathComponent("sitemap.xml"), encoding: .utf8).contains("https://example.org/"))
        // A hand-written sitemap.xml stops the command and stays.
        try Data("<urlset>hand</urlset>".utf8).write(to: site.appendingPathComponent("sitemap.xml"))
        #expect(throws: OutputWriter.Failure.self) { try ShardedSite.writeSitemap(site: site.path, baseURL: "https://example.com/") }
        #expect(try String(contentsOf: site.appendingPathComponent("sitemap.xml"), encoding: .utf8) == "<urlset>hand</urlset>")
    }

    // MARK: 4. Cost linear in the input

    /// The plan's indexes give what the per-subscription scans gave (`make bench-scale` measures the growth).
    @Test func planIndexesAgreeWithTheDefinitions() throws {
        for slug in demoTenantSlugs(root: repoRoot) {
            let snapshot = try demoSnapshot(slug)
            let plan = TenantPlan(snapshot, settings: BuildSettings())
            let items = TenantFacts.attention(snapshot, asOf: plan.asOf)
            for s in snapshot.subscriptions {
                // Holders, by definition: every user's assignment naming s, or naming only its sku.
                let others = snapshot.subscriptions.filter { $0.skuId == s.skuId && $0.id != s.id }
                var expected: [(String, Bool)] = []
                for user in snapshot.users {
                    for a in user.licenseAssignmentStates where a.skuId == s.skuId {
                        if let named = a.subscriptionId { if named == s.id { expected.append((user.id, false)) } } else { expected.append((user.id, !others.isEmpty)) }
                    }
                }
                let holders = plan.holders(of: s)
                #expect(holders.map(\.user.id) == expected.map(\.0) && holders.map(\.poolUncertain) == expected.map(\.1), "\(slug) \(s.id)")
                // Attention, by definition: items naming s, and people items narrowed to its holders.
                let ids = Set(holders.map(\.user.id))
                let mine = items.compactMap { item -> [String]? in
                    if let id = item.subscriptionId { return id == s.id ? ["\(item.kind)"] : nil }
                    let people = item.userIds.filter { id in
                        ids.contains(id) && (item.kind != .licenceErrors || holders.contains { $0.user.id == id && $0.assignment.hasError })
                    }
                    return people.isEmpty ? nil : ["\(item.kind)"] + people
                }
                #expect(plan.attention(about: s).map { ["\($0.kind)"] + ($0.subscriptionId == nil ? $0.userIds : []) } == mine, "\(slug) \(s.id)")
            }
        }
    }

    // MARK: 5. What cmark-gfm is asked to build

    @Test func tablesThatWouldPadToMillionsOfCellsAreRefusedWithTheirLine() {
        let n = 3000
        let table = "|" + String(repeating: "a|", count: n) + "\n|" + String(repeating: "-|", count: n) + "\n" + String(repeating: "x\n", count: n)
        let article = "---\ntitle: t\nsummary: s\norder: 1\n---\nIntro.\n\n" + table
        guard case .failure(let invalid) = HelpCenter.parse(article, file: "a.md", panel: .homePl, language: .pl, slug: "a") else {
            Issue.record("accepted")
            return
        }
        #expect(invalid.diagnostics.map(\.description) == ["a.md: 9: a table of \(n + 2) columns; the limit is 64"])
        // Many narrow rows add up too.
        let long = "|a|b|\n|-|-|\n" + String(repeating: "|x|y|\n", count: 30_000)
        #expect(MarkdownLimits.check(long)?.message.contains("more than 50000 cells") == true)
        #expect(MarkdownLimits.check(String(repeating: ">", count: 40) + " deep") != nil)
        // A template is held to the same bounds.
        #expect(throws: TemplateError.self) { try MarkdownTemplate(name: "t.md", source: table) }
        // Ordinary tables pass.
        #expect(MarkdownLimits.check("| a | b |\n|---|--:|\n| 1 | 2 |\n\n- list\n  - nested\n> quote\n") == nil)
    }

    // MARK: 6. The fallback swap

    @Test func aSiteMovedAsideByAnInterruptedSwapIsPutBackNeverDeleted() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let site = root.appendingPathComponent("site")
        let content = repoRoot.appendingPathComponent("content")
        // A plain output folder, as versions before the two trees wrote it.
        let built = root.appendingPathComponent("built")
        try buildSite(content: content, output: built, settings: BuildSettings(languages: [.pl]))
        try FileManager.default.copyItem(at: built.resolvingSymlinksInPath(), to: site)
        try FileManager.default.removeItem(at: built)
        try FileManager.default.removeItem(at: root.appendingPathComponent(".built.tenantsite"))
        let before = tree(site)
        // A kill between the two renames of the fallback swap leaves exactly this.
        let aside = root.appendingPathComponent(".site.tenantsite-previous")
        try FileManager.default.moveItem(at: site, to: aside)
        // The next build fails (a broken snapshot), and still puts the site back, as it says.
        let broken = try contentWith { _ in "{" }
        defer { cleanUp(broken) }
        let found = problems { () throws(BuildFailure) in _ = try buildSite(content: broken, output: site) }
        #expect(!found.isEmpty)
        #expect(tree(site) == before)
        #expect(!FileManager.default.fileExists(atPath: aside.path))

        // Through the binary, with the exchange switched off: the two-rename path replaces the plain folder with the
        // link to the trees, and leaves nothing else beside.
        let binary = try tenantsiteBinary()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["build", "--content", content.path, "--templates", Self.templates.path, "--output", site.path, "--lang", "pl"]
        process.environment = ["TENANTSITE_NO_RENAME_EXCHANGE": "1", "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(tree(site) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == [".site.tenantsite", "site"])
        #expect(InputFile.kind(site.path) == .symbolicLink)
    }

    // MARK: 7. CRLF

    @Test func helpArticlesWithWindowsLineEndsLoadLikeTheirUnixTwins() throws {
        let lf = "---\ntitle: Tytuł\nsummary: Opis.\norder: 1\ntopics: []\n---\n## Krok\n\nTekst.\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try HelpCenter.parse(lf, file: "a.md", panel: .homePl, language: .pl, slug: "a").get()
        let b = try HelpCenter.parse(crlf, file: "a.md", panel: .homePl, language: .pl, slug: "a").get()
        #expect(a.title == b.title && a.summary == b.summary && a.order == b.order && a.headings == b.headings)
        #expect(b.title == "Tytuł")
    }

    // MARK: 8. The fuzz target's own check

    /// A value that starts with a combining mark joins the `>` before it into one Character; the structure check
    /// reads tags on scalars, so such a value keeps the page's structure and is no finding.
    @Test func aValueStartingWithACombiningMarkKeepsTheStructure() throws {
        let template = try MarkdownTemplate(name: "t.md", source: "| {{a}} | {{b}} |\n|---|---:|\n")
        let plain = try template.render(.object(["a": .text("word"), "b": .text("word")]))
        let marked = try template.render(.object(["a": .text("\u{301}x"), "b": .text("\u{301}")]))
        func tags(_ html: String) -> [Substring] { html.matches(of: /<\/?[a-zA-Z][^>]*>/.matchingSemantics(.unicodeScalar)).map(\.output) }
        #expect(tags(plain) == tags(marked))
        // On Characters the same check would have failed: the fuzzer's false alarm.
        func characterTags(_ html: String) -> [Substring] { html.matches(of: /<\/?[a-zA-Z][^>]*>/).map(\.output) }
        #expect(characterTags(plain) != characterTags(marked))
    }

    // MARK: 10. Caps before reading

    @Test func sizeCapsAreCheckedBeforeAByteIsRead() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let huge = root.appendingPathComponent("huge.md")
        FileManager.default.createFile(atPath: huge.path, contents: nil)
        let fd = open(huge.path, O_WRONLY)
        #expect(ftruncate(fd, 2 << 30) == 0)  // 2 GiB, sparse: nothing to read quickly if it were read
        close(fd)
        #expect(throws: InputFile.Failure.tooBig(size: 2 << 30, limit: 1024)) { try InputFile.read(huge.path, limit: 1024) }
        // A link is refused, not followed; so is a pipe, without blocking.
        let link = root.appendingPathComponent("link.md")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/etc/passwd")
        #expect(throws: InputFile.Failure.symbolicLink) { try InputFile.read(link.path, limit: 1024) }
        let pipe = root.appendingPathComponent("pipe.md")
        #expect(mkfifo(pipe.path, 0o644) == 0)
        #expect(throws: InputFile.Failure.notRegular) { try InputFile.read(pipe.path, limit: 1024) }

        // Through a build: a huge help article and a linked asset are named, and nothing is published.
        let content = try copyOfDemoContent()
        defer { cleanUp(content) }
        try FileManager.default.moveItem(at: huge, to: content.appendingPathComponent("help/home-pl/pl/huge.md"))
        let templates = root.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: Self.templates, to: templates)
        try FileManager.default.createSymbolicLink(atPath: templates.appendingPathComponent("assets/secret.txt").path, withDestinationPath: "/etc/passwd")
        let found = check(content, templates: templates)
        #expect(found.contains { $0.contains("assets/secret.txt: -: is a symbolic link") }, "\(found)")
        let foundHelp = check(content)
        #expect(foundHelp.contains { $0.hasSuffix("huge.md: -: the file is \(2 << 30) bytes; the limit is \(MarkdownArticle.maxBytes) bytes") }, "\(foundHelp)")
    }

    // MARK: 11. The output folder's mode, owner and ACLs

    @Test func theOutputFoldersModeGroupAndACLsAreKept() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let site = root.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        #expect(chmod(site.path, 0o2750) == 0)
        let group: gid_t = getuid() == 0 ? 4 : getgid()  // `adm` on Debian when root
        #expect(chown(site.path, getuid(), group) == 0)
        let setfacl = FileManager.default.isExecutableFile(atPath: "/usr/bin/setfacl")
        #expect(setfacl, "setfacl is missing: `make test` installs Debian's acl")
        if setfacl {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setfacl")
            process.arguments = ["-m", "u:nobody:rx,d:u:nobody:rx", site.path]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        /// `getfacl`'s text of the folder's ACL (without the comment lines that name the file).
        func acl(_ path: String) throws -> String {
            guard setfacl else { return "" }
            let process = Process()
            let pipe = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/getfacl")
            process.arguments = ["-c", "-p", path]
            process.standardOutput = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text
        }
        let aclBefore = try acl(site.path)
        #expect(!setfacl || aclBefore.contains("user:nobody:r-x"))
        for _ in 0..<2 {  // into the empty folder, then over the site
            try buildSite(content: repoRoot.appendingPathComponent("content"), output: site, settings: BuildSettings(languages: [.pl]))
            var info = stat()
            #expect(stat(site.path, &info) == 0)
            #expect(info.st_mode & 0o7777 == 0o2750)
            #expect(info.st_gid == group)
            #expect(try acl(site.path) == aclBefore)
            // Files inside take the folder's group, as they would have if written there.
            #expect(stat(site.appendingPathComponent("pl/index.html").path, &info) == 0)
            #expect(info.st_gid == group)
        }
    }

    // MARK: Also seen

    @Test func templateTyposFailCheckWithTheirLine() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        for (edit, expected) in [("{{nosuchvar}}", "{{nosuchvar}} names nothing this page has"), ("{{t.no.such.key}}", "there is no string \"no.such.key\""),
                                 ("{{> /etc/passwd}}", "partials")] {
            let templates = root.appendingPathComponent("t-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: Self.templates, to: templates)
            let page = templates.appendingPathComponent("pages/tenants.md")
            let original = try String(contentsOf: page, encoding: .utf8)
            try (original + "\n\(edit)\n").write(to: page, atomically: true, encoding: .utf8)
            let line = original.split(separator: "\n", omittingEmptySubsequences: false).count + 1
            let found = check(repoRoot.appendingPathComponent("content"), templates: templates)
            #expect(found.contains { $0.hasPrefix("\(page.path): \(line): ") && $0.contains(expected) }, "\(edit): \(found)")
        }
    }

    /// A full disk is a fault of the output (named, with its reason), not a problem of the snapshot being written.
    @Test(.enabled(if: getuid() == 0, "mounts a small tmpfs")) func aFullDiskIsAnOutputFault() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        #expect(mount("tmpfs", root.path, "tmpfs", 0, "size=200k") == 0, "mount: \(String(cString: strerror(errno)))")
        defer { umount(root.path) }
        let site = root.appendingPathComponent("site")
        let found = problems { () throws(BuildFailure) in _ = try buildSite(content: repoRoot.appendingPathComponent("content"), output: site) }
        #expect(found.count == 1 && found[0].contains("No space left on device") && found[0].contains(".site.tenantsite/")
                && !found[0].contains(".json"), "\(found)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
    }

    @Test func aLinkAsTheOutputIsRefusedWithAPlainMessage() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let link = root.appendingPathComponent("site")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: root.appendingPathComponent("nowhere").path)
        let found = problems { () throws(BuildFailure) in _ = try buildSite(content: repoRoot.appendingPathComponent("content"), output: link) }
        #expect(found.count == 1 && found[0].contains("is a symbolic link") && found[0].contains("which does not exist"), "\(found)")
        let slash = problems { () throws(BuildFailure) in _ = try buildSite(content: repoRoot.appendingPathComponent("content"), output: URL(fileURLWithPath: "/")) }
        #expect(slash.count == 1 && slash[0].contains("/ cannot be an output folder"), "\(slash)")
        #expect(!FileManager.default.fileExists(atPath: "/.tenantsite-lock") && !FileManager.default.fileExists(atPath: "/..tenantsite-lock"))
    }

    @Test func aFileWithThousandsOfProblemsReportsAThousandAndACount() {
        var users: [String] = []
        for i in 0..<3000 { users.append("{\"id\": \(i)}") }
        let text = "{\"schemaVersion\": 1, \"users\": [\(users.joined(separator: ","))]}"
        guard case .failure(let invalid) = SnapshotDecoder.decode(Array(text.utf8), file: "x.json", slug: "x") else {
            Issue.record("accepted")
            return
        }
        #expect(invalid.diagnostics.count == Diagnostic.keptPerFile + 1)
        #expect(invalid.diagnostics.last?.message.hasSuffix("more problems in this file are not listed") == true)
        let printed = Diagnostic.printout(invalid.diagnostics + invalid.diagnostics)
        #expect(printed.split(separator: "\n").count == Diagnostic.printed + 1)
        #expect(printed.hasSuffix("… and \(invalid.diagnostics.count * 2 - Diagnostic.printed) more problems\n"))
    }
}
