import Foundation
import Synchronization
import Testing
@testable import SiteBuild
import TenantModel

/// Hostile values in every string field of the demo snapshots. Each case builds a one-tenant site in-process and
/// must either be refused (exit 1 material: every problem names the snapshot file and a JSON path or line) or
/// produce pages whose element structure equals the same build with a harmless marker in that field, with no
/// event-handler attribute, no script URL, nothing written outside the output folder, and CSV, e-mail and JSON
/// files of the same shape.
///
/// Coverage: `everyFieldKindTakesEveryHostileString` puts every hostile string, one at a time, into one field of
/// every field *kind* (the JSON path without indices, e.g. `users[].displayName`; the instance is taken from the
/// smallest demo tenant that has the kind). `everyFieldAtOnce` then puts each string into *every* instance of
/// every kind that accepts it, all at once, in each demo tenant.
///
/// A whole build of even the smallest tenant renders some forty files (a quarter of a second in a debug build),
/// so by default not every pair is built: every (kind, string) pair is decoded and every refusal is checked (the
/// first two of each kind through a whole build), and the pairs the decoder accepts are built for one string in
/// `sampleStride`, rotating with the kind so that each string is built in several kinds; `everyFieldAtOnce` uses `everywhereStrings`. `TENANTSITE_HOSTILE=full swift test
/// --filter HostileInputTests` (or `make test-hostile-full`) builds every pair and every string everywhere.
@Suite struct HostileInputTests {
    static let strings: [(name: String, value: String)] = [
        ("script", "<script>alert(1)</script>"),
        ("img onerror", "<img src=x onerror=alert(1)>"),
        ("attribute breakout", "\"><svg onload=alert(1)>"),
        ("single-quote breakout", "'><iframe src=javascript:alert(1)></iframe>"),
        ("unquoted attribute", " onmouseover=alert(1) x="),
        ("closing tags", "</td></tr></table></main><h1>pwned</h1>"),
        ("comment", "<!-- x --> <!--"),
        ("cdata", "]]><![CDATA[<b>x</b>"),
        ("entities", "&lt;script&gt; &amp; &#x3C;b&#x3E; &#60;i&#62; &nbsp;"),
        ("meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">"),
        ("base", "<base href=\"https://evil.example/\">"),
        ("style", "<style>body{display:none}</style><div style=\"position:fixed\">x</div>"),
        ("anchor", "<a href=\"https://evil.example\">click</a>"),
        ("javascript url", "javascript:alert(1)"),
        ("javascript url mixed case", "  JaVaScRiPt:alert(document.domain)"),
        ("javascript url entity", "&#106;avascript&colon;alert(1)"),
        ("data url", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
        ("vbscript url", "vbscript:msgbox(1)"),
        ("markdown link", "[click me](javascript:alert(1)) [x](https://evil.example)"),
        ("markdown image", "![x](https://evil.example/pixel.png)"),
        ("markdown reference", "[ref]: https://evil.example\n[ref]"),
        ("autolink", "<https://evil.example> www.evil.example evil@evil.example"),
        ("heading", "# Heading"),
        ("newline heading", "x\n\n# Heading\n\n---\n"),
        ("setext", "x\n===\ny\n---"),
        ("ordered list", "2024. Faktura"),
        ("bullet and quote", "* item\n- item\n> quote"),
        ("emphasis", "**bold** _em_ ~~gone~~ `code` <b>b</b>"),
        ("code fence", "```js\nalert(1)\n```"),
        ("indented code", "\n\n    code block"),
        ("table pipes", "a | b | c"),
        ("table row", "| x | y |\n|---|---|\n| 1 | 2 |"),
        ("escaped pipe", "a \\| b \\\\| c"),
        ("html block", "<div>\n\n*x*\n\n</div>"),
        ("mustache", "{{t.site.name}} {{{body}}}"),
        ("mustache section", "{{#rows}}x{{/rows}}{{^empty}}y{{/empty}}{{> partial}}"),
        ("mustache delimiters", "{{=<% %>=}}<% body %>{{! comment }}"),
        ("other templates", "${7*7} #{7*7} <%= 7*7 %> {% raw %}"),
        ("slot token", "\u{E000}0\u{E001}\u{E000}1\u{E001}"),
        ("slot url marker", "tenantsite-slot-0-url tenantsite-slot-1-url"),
        ("dot-dot path", "../../../../etc/passwd"),
        ("backslash path", "..\\..\\windows\\win.ini"),
        ("absolute path", "/etc/passwd"),
        ("encoded path", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
        ("dot segments", "a/./b/../../c/."),
        ("NUL", "a\u{0}b"),
        ("control characters", "bell\u{7} escape\u{1B}[31mred\u{1B}[0m"),
        ("C1 control", "csi\u{9B}2J next-line\u{85}"),
        ("CRLF header", "name\r\nBcc: victim@evil.example\r\n\r\nbody"),
        ("bare CR", "one\rtwo"),
        ("tab", "a\tb\t"),
        ("bidi override", "invoice \u{202E}fdp.exe"),
        ("bidi isolate", "\u{2066}x\u{2069} \u{2067}y"),
        ("zero width", "a\u{200B}b\u{FEFF}c\u{200D}"),
        ("line separators", "a\u{2028}b\u{2029}c"),
        ("combining and emoji", "Z\u{337}a\u{338}l\u{335}g\u{336}o 👩‍👩‍👧 𝕏"),
        ("quotes and backticks", "\"'`\\"),
        ("csv formula", "=HYPERLINK(\"https://evil.example\",\"x\")"),
        ("csv formula plus", "+cmd|' /C calc'!A0"),
        ("csv formula at", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("csv formula minus", "-2+3+cmd|' /C calc'!A0"),
        ("encoded word", "=?utf-8?q?=41=42?= =?utf-8?b?QUI=?="),
        ("mail addresses", "x@evil.example>, <y@evil.example"),
        ("xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"e\">]>&e;"),
        ("svg", "<svg><script>alert(1)</script></svg>"),
        ("long word", String(repeating: "W", count: 4000)),
        ("at the value limit", String(repeating: "|*_<&", count: 4096 / 5)),
        ("over the value limit", String(repeating: "<b>", count: 1366)),
        ("100 KB", String(repeating: "A", count: 100_000)),
        ("100 KB of markup", String(repeating: "<i>*[", count: 20_000)),
        ("whitespace only", "   "),
    ]

    static let marker = "Hostile marker zażółć"

    static let full = ProcessInfo.processInfo.environment["TENANTSITE_HOSTILE"] == "full"
    static let sampleStride = full ? 1 : 8
    /// One string of each class, for the all-at-once builds of the default run.
    static let everywhereStrings: Set<String> = [
        "attribute breakout", "closing tags", "newline heading", "table row", "mustache section", "dot-dot path", "CRLF header",
        "csv formula", "at the value limit",
    ]

    // MARK: - One field at a time

    struct FieldKind: CustomTestStringConvertible, Sendable {
        var kind: String
        var tenant: DemoTenant
        var leaf: StringLeaf
        var testDescription: String { kind }
    }

    /// Every field kind of the demo snapshots, each with one instance from the smallest tenant that has it.
    static let fieldKinds: [FieldKind] = {
        var chosen: [String: FieldKind] = [:]
        for tenant in DemoTenant.all.sorted(by: { $0.bytes.count < $1.bytes.count }) {
            for leaf in stringLeaves(tenant.root) where chosen[leaf.kind] == nil {
                chosen[leaf.kind] = FieldKind(kind: leaf.kind, tenant: tenant, leaf: leaf)
            }
        }
        return chosen.values.sorted { $0.kind < $1.kind }
    }()

    @Test(arguments: fieldKinds.indices)
    func everyFieldKindTakesEveryHostileString(_ kindIndex: Int) throws {
        let field = Self.fieldKinds[kindIndex]
        let workspace = try Workspace()
        // Built when first needed: the same build with a harmless marker in the field, or, for a field that refuses a
        // marker (an id, a date, an enumeration), the demo tenant itself.
        let markerBytes = jsonBytes(replacing(field.tenant.root, at: field.leaf.path[...], with: Self.marker))
        var markerRefused = false
        if case .failure = SnapshotDecoder.decode(markerBytes, file: "x.json", slug: field.tenant.slug, ksefFiles: demoKSeFFiles(field.tenant.slug)) { markerRefused = true }
        var baselines: [Language: SiteShape] = [:]
        func baseline(_ language: Language) throws -> SiteShape? {
            if let known = baselines[language] { return known }
            let shape: SiteShape?
            if markerRefused {
                shape = try DemoTenant.baseline(field.tenant, language)
            } else if case .built(let built) = try HostileBuild.run(markerBytes, slug: field.tenant.slug, language: language, in: workspace) {
                #expect(built.problems.isEmpty, "\(field.kind) with the marker: \(built.problems.prefix(3))")
                shape = built
            } else {
                Issue.record("\(field.kind): the marker is refused by the build but not by the decoder")
                shape = nil
            }
            baselines[language] = shape
            return shape
        }

        var tally = Tally()
        for (index, hostile) in Self.strings.enumerated() {
            let language = Language.allCases[index % 2]
            let document = replacing(field.tenant.root, at: field.leaf.path[...], with: hostile.value)
            // The decoder decides every pair; a sample of both verdicts also goes through a whole build (see above and
            // `HostileBuild.run`).
            let bytes = jsonBytes(document)
            let decodes: Bool
            if case .success = SnapshotDecoder.decode(bytes, file: "x.json", slug: field.tenant.slug, ksefFiles: demoKSeFFiles(field.tenant.slug)) { decodes = true } else { decodes = false }
            // Accepted pairs: one in `sampleStride` is built. Refused pairs: the first of each language is refused by a
            // whole build, the others by the decoder (the build's first step, with the same messages).
            let sampled = decodes ? (index + kindIndex) % Self.sampleStride == 0 : (Self.full || tally.refused < 2)
            if decodes && !sampled { tally.decodedOnly += 1; continue }
            let outcome = try HostileBuild.run(bytes, slug: field.tenant.slug, language: language, in: workspace, fullBuild: sampled)
            let base: SiteShape? = if case .built = outcome { try baseline(language) } else { nil }
            tally.record(outcome, baseline: base, mutated: field.leaf.path, what: "\(field.kind) = \(hostile.name) [\(language)]")
        }
        HostileBuild.report("\(field.kind) (\(field.leaf.display) in \(field.tenant.slug)): \(Self.strings.count) strings: \(tally)"
                            + (markerRefused ? "; marker refused, compared with the demo value" : ""))
    }

    // MARK: - Every field at once

    @Test(arguments: strings.indices.filter { full || everywhereStrings.contains(strings[$0].name) })
    func everyFieldAtOnce(_ index: Int) throws {
        let workspace = try Workspace()
        let hostile = Self.strings[index]
        let language = Language.allCases[index % 2]
        var tally = Tally()
        var instances = 0
        for tenant in DemoTenant.all {
            let leaves = stringLeaves(tenant.root)
            func documents(_ kinds: Set<String>, firstOnly: Bool) -> (hostile: [UInt8], marker: [UInt8], count: Int) {
                var hostileDocument = tenant.root
                var markerDocument = tenant.root
                var count = 0
                var seen = Set<String>()
                for leaf in leaves where kinds.contains(leaf.kind) && (!firstOnly || seen.insert(leaf.kind).inserted) {
                    hostileDocument = replacing(hostileDocument, at: leaf.path[...], with: hostile.value)
                    // One marker everywhere, as the hostile string is one value everywhere: pages that group equal
                    // values (products by name, users by department) then group the same way in both.
                    markerDocument = replacing(markerDocument, at: leaf.path[...], with: Self.marker)
                    count += 1
                }
                return (jsonBytes(hostileDocument), jsonBytes(markerDocument), count)
            }
            func kindsNamed(_ bytes: [UInt8]) -> Set<String> {
                guard case .failure(let invalid) = SnapshotDecoder.decode(bytes, file: "x.json", slug: tenant.slug, ksefFiles: demoKSeFFiles(tenant.slug)) else { return [] }
                return Set(invalid.diagnostics.compactMap { d -> String? in
                    guard case .path(let path) = d.location else { return nil }
                    return StringLeaf(path: path.components, value: "").kind
                })
            }
            // Start from every kind and drop those the decoder names (a date cannot hold the string; two invoices
            // cannot share one number) until both documents decode, first with one instance of each kind, then with
            // all: each dropped kind was covered on its own above.
            var kinds = Set(leaves.map(\.kind))
            var attempt = documents(kinds, firstOnly: true)
            for firstOnly in [true, false] {
                attempt = documents(kinds, firstOnly: firstOnly)
                while attempt.count > 0 {
                    let named = kindsNamed(attempt.hostile).union(kindsNamed(attempt.marker))
                    guard !named.isEmpty else { break }
                    let narrowed = kinds.subtracting(named)
                    if narrowed == kinds { Issue.record("\(tenant.slug): refused for a field that is not a string leaf"); break }
                    kinds = narrowed
                    attempt = documents(kinds, firstOnly: firstOnly)
                }
            }
            guard attempt.count > 0 else { continue }
            guard case .built(let baseline) = try HostileBuild.run(attempt.marker, slug: tenant.slug, language: language, in: workspace) else {
                Issue.record("\(tenant.slug): the marker in \(attempt.count) fields is refused"); continue
            }
            let outcome = try HostileBuild.run(attempt.hostile, slug: tenant.slug, language: language, in: workspace)
            tally.record(outcome, baseline: baseline, mutated: nil, what: "\(tenant.slug): \(attempt.count) fields = \(hostile.name)")
            if case .refused(let diagnostics) = outcome { Issue.record("\(tenant.slug): refused after decoding: \(diagnostics.prefix(2))") }
            instances += attempt.count
        }
        HostileBuild.report("every field at once = \(hostile.name): \(instances) field instances in \(DemoTenant.all.count) tenants: \(tally)")
    }
}

/// A demo snapshot, parsed once.
struct DemoTenant: Sendable {
    var slug: String
    var bytes: [UInt8]
    var root: JSONNode

    private static let baselines = Mutex<[String: SiteShape]>([:])

    /// The shape of the tenant's own site in one language, built once for all tests.
    static func baseline(_ tenant: DemoTenant, _ language: Language) throws -> SiteShape? {
        let key = "\(tenant.slug)/\(language)"
        if let known = baselines.withLock({ $0[key] }) { return known }
        guard case .built(let shape) = try HostileBuild.run(tenant.bytes, slug: tenant.slug, language: language, in: Workspace()) else {
            Issue.record("the demo snapshot \(tenant.slug) is refused")
            return nil
        }
        baselines.withLock { $0[key] = shape }
        return shape
    }

    static let all: [DemoTenant] = {
        demoTenantSlugs(root: repoRoot).map { slug in
            let bytes = [UInt8](FileManager.default.contents(atPath: repoRoot.appendingPathComponent(demoSnapshotPath(slug, root: repoRoot)).path)!)
            return DemoTenant(slug: slug, bytes: bytes, root: try! JSONParser.parse(bytes))
        }
    }()
}

/// Counts what happened to the cases of one test, and records every broken promise as a test issue.
struct Tally: CustomStringConvertible {
    var built = 0
    var refused = 0
    var refusedAtThePath = 0
    var reordered = 0
    /// Accepted by the decoder and not in the sample of whole builds.
    var decodedOnly = 0

    mutating func record(_ outcome: HostileBuild.Outcome, baseline: SiteShape?, mutated: [JSONPath.Component]?, what: String) {
        switch outcome {
        case .refused(let diagnostics):
            refused += 1
            if let mutated, diagnostics.contains(where: { $0.location == .path(JSONPath(mutated)) }) { refusedAtThePath += 1 }
        case .built(let shape):
            built += 1
            #expect(shape.problems.isEmpty, "\(what): \(shape.problems.prefix(3))")
            if let baseline {
                let (problems, reorders) = shape.differences(from: baseline)
                reordered += reorders
                #expect(problems.isEmpty, "\(what): \(problems.prefix(3))")
            }
        }
    }

    var description: String {
        "\(built) built with the same structure (\(reordered) pages only reordered), "
            + (decodedOnly > 0 ? "\(decodedOnly) accepted by the decoder (not in the sample of builds), " : "")
            + "\(refused) refused (\(refusedAtThePath) at the very field)"
    }
}

/// A folder for many small builds, on a RAM disk when there is one (thousands of tiny files), removed as a whole.
final class Workspace {
    let root: URL
    private var count = 0

    init() throws {
        let shm = URL(fileURLWithPath: "/dev/shm")
        if FileManager.default.isWritableFile(atPath: shm.path) {
            root = shm.appendingPathComponent("tenantsite-hostile-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } else {
            root = try temporaryFolder("tenantsite-hostile")
        }
    }

    func next() throws -> URL {
        count += 1
        let url = root.appendingPathComponent(String(count))
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        return url
    }

    deinit { cleanUp(root) }
}

enum HostileBuild {
    enum Outcome {
        case built(SiteShape)
        case refused([Diagnostic])
    }

    static let printLock = Mutex(())

    static func report(_ line: String) {
        printLock.withLock { _ in print("hostile: \(line)") }
    }

    /// Builds one snapshot (as `tenants/<slug>.json`) in one language into a fresh folder of `workspace`, checks
    /// what a refusal says and that nothing was written outside the output folder. No help articles: they are not
    /// snapshot data (their own tests cover them), and loading them would triple the time of each of these
    /// thousands of builds.
    ///
    /// A snapshot the decoder refuses is refused by the build before anything is rendered (`SiteBuilder` decodes
    /// first); `fullBuild: false` checks such a refusal through the decoder alone, which is the same code and its
    /// same messages, without loading the templates again. Callers still run a sample of them as whole builds.
    static func run(_ snapshot: [UInt8], slug: String, language: Language, in workspace: Workspace, fullBuild: Bool = true) throws -> Outcome {
        if !fullBuild, case .failure(let invalid) = SnapshotDecoder.decode(snapshot, file: "content/tenants/\(slug).json", slug: slug, ksefFiles: demoKSeFFiles(slug)) {
            checkRefusal(invalid.diagnostics, file: "content/tenants/\(slug).json")
            return .refused(invalid.diagnostics)
        }
        let root = try workspace.next()
        let content = root.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("tenants"), withIntermediateDirectories: true)
        let file = content.appendingPathComponent("tenants/\(slug).json")
        try Data(snapshot).write(to: file)
        // The demo's KSeF invoice files, which the snapshot names (read through a link: thousands of builds).
        try FileManager.default.createSymbolicLink(at: content.appendingPathComponent("ksef"), withDestinationURL: repoRoot.appendingPathComponent("content/ksef"))
        let output = root.appendingPathComponent("out")
        let site = output.appendingPathComponent("site")
        let options = BuildOptions(content: content.path, templates: repoRoot.appendingPathComponent("templates").path, output: site.path,
                                   settings: BuildSettings(languages: [language]), jobs: 1)
        let outcome: Outcome
        do {
            try SiteBuilder.build(options)
            outcome = .built(SiteShape(folder: site))
        } catch {
            guard case .invalidInput(let diagnostics) = error else {
                Issue.record("not a refusal of invalid input but \(error)")
                return .refused([])
            }
            checkRefusal(diagnostics, file: file.path)
            #expect(!FileManager.default.fileExists(atPath: site.path), "a refused build wrote its output")
            outcome = .refused(diagnostics)
        }
        // Nothing but the site and its lock beside it; nothing at all next to the content.
        let beside = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        // Nothing but the site: no lock file, no staging folder.
        let expected = FileManager.default.fileExists(atPath: site.path) ? [".site.tenantsite", "site"] : []
        #expect(beside == expected, "files outside the output folder: \(beside)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["content", "out"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: content.appendingPathComponent("tenants").path) == ["\(slug).json"])
        return outcome
    }

    /// A refusal names the file and a JSON path or line for every problem, in one printable line each.
    static func checkRefusal(_ diagnostics: [Diagnostic], file: String) {
        #expect(!diagnostics.isEmpty)
        for diagnostic in diagnostics {
            #expect(diagnostic.file == file, "a problem named another file: \(diagnostic)")
            switch diagnostic.location {
            case .path, .lineColumn: break
            default: Issue.record("a problem without a JSON path or line: \(diagnostic)")
            }
            let printed = diagnostic.description
            #expect(!printed.unicodeScalars.contains { $0.value < 0x20 || TextLimits.isControl($0) || TextLimits.isBidiControl($0) },
                    "a problem report carries control characters: \(printed.debugDescription.prefix(200))")
            #expect(printed.utf8.count < 1000, "a problem report of \(printed.utf8.count) bytes")
            #expect(!diagnostic.message.isEmpty)
        }
    }
}
