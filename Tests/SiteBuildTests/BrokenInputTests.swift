import Foundation
import Testing
@testable import SiteBuild
import TenantModel

/// Broken snapshot files: cut short, wrong types, missing fields, invalid UTF-8, byte-order marks, duplicate keys,
/// 20 MB of whitespace, deep nesting, JSON that is not quite JSON, special files and bad file names. Each is put
/// beside a valid tenant and built over a previous site: the build must refuse (every problem naming the file and a
/// JSON path or line:column) and leave the previous site byte for byte as it was, with nothing left beside it.
@Suite(.serialized) struct BrokenInputTests {
    struct Broken: CustomStringConvertible {
        var name: String
        var file: String = "broken.json"
        var bytes: [UInt8]
        /// What the problems must point at: `.lineColumn` (syntax), `.path` (structure) or `.wholeFile` (the file).
        var expect: Expect
        var description: String { name }
    }

    enum Expect { case syntax, structure, file, structureOrSuccess }

    static let demo = DemoTenant.all.min { $0.bytes.count < $1.bytes.count }!

    // MARK: - The broken files

    static func cutShort() -> [Broken] {
        let bytes = demo.bytes
        let end = bytes.lastIndex { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }!
        var cuts = [0, 1, 2, 10, 100, end / 4, end / 3, end / 2, 2 * end / 3, end - 1, end]
        var generator = SplitMix(seed: 8)
        for _ in 0..<20 { cuts.append(Int(generator.next() % UInt64(end))) }
        return Set(cuts).sorted().map { Broken(name: "cut at byte \($0) of \(bytes.count)", bytes: Array(bytes[..<$0]), expect: .syntax) }
    }

    /// Every kind of value (a JSON path without indices) replaced by a value of another type, in its first place.
    static func wrongTypes() -> [Broken] {
        var cases: [Broken] = []
        var seen = Set<String>()
        for (path, node) in allNodes(demo.root) where seen.insert(kindOf(path)).inserted {
            let replacement: JSONNode.Value
            switch node.value {
            case .string: replacement = .number("42")
            case .number: replacement = .string("42")
            case .bool: replacement = .string("true")
            case .null: replacement = .array([])
            case .array: replacement = .object([])
            case .object: replacement = .array([])
            }
            var swapped = node
            swapped.value = replacement
            let document = replacingNode(demo.root, at: path[...], with: swapped)
            cases.append(Broken(name: "\(kindOf(path).isEmpty ? "(top level)" : kindOf(path)): \(node.kindName) → other type", bytes: jsonBytes(document), expect: .structure))
        }
        return cases
    }

    /// Every member kind removed from its first object: refused when required, built when optional.
    static func missingFields() -> [Broken] {
        var cases: [Broken] = []
        var seen = Set<String>()
        for (path, _) in allNodes(demo.root) where !path.isEmpty {
            guard case .key = path.last!, seen.insert(kindOf(path)).inserted else { continue }
            let document = removingMember(demo.root, at: path[...])
            cases.append(Broken(name: "without \(kindOf(path))", bytes: jsonBytes(document), expect: .structureOrSuccess))
        }
        return cases
    }

    static func invalidUTF8() -> [Broken] {
        let sequences: [(String, [UInt8])] = [
            ("0xFF", [0xFF]), ("a lone continuation byte", [0x80]), ("C3 28", [0xC3, 0x28]), ("overlong slash C0 AF", [0xC0, 0xAF]),
            ("an encoded surrogate ED A0 80", [0xED, 0xA0, 0x80]), ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
            ("a cut sequence E2 82", [0xE2, 0x82]),
        ]
        let text = demo.bytes
        let name = Array("\"displayName\": \"".utf8)
        let inString = firstIndex(of: name, in: text)! + name.count + 2
        let inKey = firstIndex(of: Array("\"tenant\"".utf8), in: text)! + 3
        let inWhitespace = firstIndex(of: Array("\n".utf8), in: text)!
        var cases: [Broken] = []
        for (what, bytes) in sequences {
            for (place, at) in [("a string", inString), ("a key", inKey), ("whitespace", inWhitespace)] {
                var broken = text
                broken.insert(contentsOf: bytes, at: at)
                cases.append(Broken(name: "invalid UTF-8 (\(what)) in \(place)", bytes: broken, expect: .syntax))
            }
        }
        cases.append(Broken(name: "invalid UTF-8 at the very end", bytes: text + [0xC3], expect: .syntax))
        return cases
    }

    static func byteOrderMarks() -> [Broken] {
        let text = String(decoding: demo.bytes, as: UTF8.self)
        let utf16LE: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let utf16BE: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { unit -> [UInt8] in [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let utf32LE: [UInt8] = [0xFF, 0xFE, 0x00, 0x00] + text.unicodeScalars.flatMap { s -> [UInt8] in (0..<4).map { UInt8((s.value >> (8 * UInt32($0))) & 0xFF) } }
        return [
            Broken(name: "UTF-8 byte-order mark", bytes: [0xEF, 0xBB, 0xBF] + demo.bytes, expect: .syntax),
            Broken(name: "UTF-16 LE with its mark", bytes: utf16LE, expect: .syntax),
            Broken(name: "UTF-16 BE with its mark", bytes: utf16BE, expect: .syntax),
            Broken(name: "UTF-32 LE with its mark", bytes: utf32LE, expect: .syntax),
            Broken(name: "UTF-16 LE without a mark", bytes: Array(utf16LE.dropFirst(2)), expect: .syntax),
            Broken(name: "a byte-order mark in the middle", bytes: insert([0xEF, 0xBB, 0xBF], after: "{", in: demo.bytes), expect: .syntax),
        ]
    }

    static func duplicateKeys() -> [Broken] {
        let text = String(decoding: demo.bytes, as: UTF8.self)
        func duplicate(_ key: String) -> [UInt8] {
            let range = text.range(of: "\"\(key)\": ")!
            return Array(text.replacingCharacters(in: range, with: "\"\(key)\": null, \"\(key)\": ").utf8)
        }
        return [
            Broken(name: "duplicate top-level key", bytes: duplicate("tenant"), expect: .syntax),
            Broken(name: "duplicate nested key", bytes: duplicate("displayName"), expect: .syntax),
            Broken(name: "duplicate key in an array element", bytes: duplicate("userPrincipalName"), expect: .syntax),
            Broken(name: "duplicate key spelled with an escape", bytes: Array(text.replacingCharacters(in: text.range(of: "\"tenant\": ")!, with: "\"tenant\": null, \"tenan\\u0074\": ").utf8), expect: .syntax),
        ]
    }

    static func hugeWhitespace() -> [Broken] {
        let pad = [UInt8](repeating: 0x20, count: 20 * 1024 * 1024)
        return [
            Broken(name: "20 MB of spaces after the document", bytes: demo.bytes + pad, expect: .file),
            Broken(name: "20 MB of spaces before the document", bytes: pad + demo.bytes, expect: .file),
            Broken(name: "20 MB of newlines inside the document", bytes: insert([UInt8](repeating: 0x0A, count: 20 * 1024 * 1024), after: "{", in: demo.bytes), expect: .file),
            Broken(name: "16 MB and one byte", bytes: demo.bytes + [UInt8](repeating: 0x20, count: SnapshotDecoder.maxFileBytes + 1 - demo.bytes.count), expect: .file),
        ]
    }

    static func deepNesting() -> [Broken] {
        func nested(_ depth: Int, closed: Bool, object: Bool) -> [UInt8] {
            let open: [UInt8] = object ? Array("{\"a\":".utf8) : [UInt8(ascii: "[")]
            let close: [UInt8] = object ? [UInt8(ascii: "}")] : [UInt8(ascii: "]")]
            var out: [UInt8] = []
            out.reserveCapacity(depth * 6)
            for _ in 0..<depth { out += open }
            out += Array("0".utf8)
            if closed { for _ in 0..<depth { out += close } }
            return out
        }
        let text = String(decoding: demo.bytes, as: UTF8.self)
        let range = text.range(of: "\"displayName\": ")!
        return [65, 1000, 100_000].flatMap { depth in [
            Broken(name: "\(depth) nested arrays", bytes: nested(depth, closed: true, object: false), expect: .syntax),
            Broken(name: "\(depth) nested objects, never closed", bytes: nested(depth, closed: false, object: true), expect: .syntax),
            Broken(name: "\(depth) nested arrays as a name", bytes: Array(text.replacingCharacters(in: range, with: "\"displayName\": " + String(decoding: nested(depth, closed: true, object: false), as: UTF8.self)).utf8), expect: .syntax),
        ] } + [
            Broken(name: "63 nested arrays as a name (within the parser's limit)", bytes: Array(text.replacingCharacters(in: range, with: "\"displayName\": " + String(decoding: nested(61, closed: true, object: false), as: UTF8.self)).utf8), expect: .structure),
        ]
    }

    static func notQuiteJSON() -> [Broken] {
        let text = String(decoding: demo.bytes, as: UTF8.self)
        func edit(_ find: String, _ replace: String) -> [UInt8] { Array(text.replacingCharacters(in: text.range(of: find)!, with: replace).utf8) }
        let schema = "\"schemaVersion\": \(Snapshot.currentSchemaVersion)"
        return [
            Broken(name: "empty file", bytes: [], expect: .syntax),
            Broken(name: "only whitespace", bytes: Array(" \n\t\r\n".utf8), expect: .syntax),
            Broken(name: "null", bytes: Array("null".utf8), expect: .structure),
            Broken(name: "an array", bytes: Array("[]".utf8), expect: .structure),
            Broken(name: "a string", bytes: Array("\"snapshot\"".utf8), expect: .structure),
            Broken(name: "an empty object", bytes: Array("{}".utf8), expect: .structure),
            Broken(name: "two documents", bytes: demo.bytes + demo.bytes, expect: .syntax),
            Broken(name: "a trailing comma", bytes: edit(schema, schema + ",,"), expect: .syntax),
            Broken(name: "a comment", bytes: edit(schema, "// version\n" + schema), expect: .syntax),
            Broken(name: "single quotes", bytes: edit(schema, "'schemaVersion': 1"), expect: .syntax),
            Broken(name: "an unquoted key", bytes: edit(schema, "schemaVersion: 1"), expect: .syntax),
            Broken(name: "NaN", bytes: edit(schema, "\"schemaVersion\": NaN"), expect: .syntax),
            Broken(name: "Infinity", bytes: edit(schema, "\"schemaVersion\": -Infinity"), expect: .syntax),
            Broken(name: "a leading zero", bytes: edit(schema, "\"schemaVersion\": 01"), expect: .syntax),
            Broken(name: "a plus sign", bytes: edit(schema, "\"schemaVersion\": +1"), expect: .syntax),
            Broken(name: "a hexadecimal number", bytes: edit(schema, "\"schemaVersion\": 0x1"), expect: .syntax),
            Broken(name: "a 70-digit number", bytes: edit(schema, "\"schemaVersion\": " + String(repeating: "9", count: 70)), expect: .syntax),
            Broken(name: "an exponent of a million", bytes: edit(schema, "\"schemaVersion\": 1e1000000"), expect: .structure),
            Broken(name: "a fraction for a version", bytes: edit(schema, "\"schemaVersion\": 1.5"), expect: .structure),
            Broken(name: "an unknown schema version", bytes: edit(schema, "\"schemaVersion\": \(Snapshot.currentSchemaVersion + 1)"), expect: .structure),
            Broken(name: "an escaped NUL in a name", bytes: edit("\"displayName\": \"", "\"displayName\": \"\\u0000"), expect: .structure),
            Broken(name: "a lone surrogate escape", bytes: edit("\"displayName\": \"", "\"displayName\": \"\\ud800"), expect: .syntax),
            Broken(name: "a reversed surrogate pair", bytes: edit("\"displayName\": \"", "\"displayName\": \"\\udc00\\ud800"), expect: .syntax),
            Broken(name: "an unknown escape", bytes: edit("\"displayName\": \"", "\"displayName\": \"\\x41"), expect: .syntax),
            Broken(name: "a raw tab in a string", bytes: edit("\"displayName\": \"", "\"displayName\": \"\t"), expect: .syntax),
            Broken(name: "a raw line break in a string", bytes: edit("\"displayName\": \"", "\"displayName\": \"\n"), expect: .syntax),
            Broken(name: "a raw NUL byte between tokens", bytes: edit(schema, schema + "\u{0}"), expect: .syntax),
            Broken(name: "an unknown key", bytes: edit(schema, schema + ", \"extra\": true"), expect: .structure),
            Broken(name: "an unknown key with control characters", bytes: edit(schema, schema + ", \"\\u001b[2J\\u202e\": true"), expect: .structure),
            Broken(name: "a string of 5000 bytes", bytes: edit("\"displayName\": \"", "\"displayName\": \"" + String(repeating: "x", count: 5000)), expect: .structure),
        ]
    }

    static var allCases: [Broken] {
        cutShort() + wrongTypes() + missingFields() + invalidUTF8() + byteOrderMarks() + duplicateKeys() + hugeWhitespace() + deepNesting() + notQuiteJSON()
    }

    // MARK: - Tests

    @Test func everyBrokenSnapshotIsRefusedAndThePreviousSiteStays() throws {
        let bench = try Bench()
        defer { cleanUp(bench.root) }
        var refused = 0
        var builtWithoutOptional = 0
        let cases = Self.allCases
        for broken in cases {
            switch try bench.build(broken) {
            case .refused: refused += 1
            case .built: builtWithoutOptional += 1
            }
        }
        print("broken snapshots: \(cases.count) files tried: \(refused) refused, \(builtWithoutOptional) built (an optional field left out)")
        #expect(cases.count >= 200)
        #expect(builtWithoutOptional < 40)
    }

    @Test func specialFilesAndBadNamesAreRefused() throws {
        let bench = try Bench()
        defer { cleanUp(bench.root) }
        // A folder and a pipe named like snapshots: reading the pipe would block the build forever.
        try bench.build(Broken(name: "a folder", file: "folder.json", bytes: [], expect: .file)) { url in
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        }
        try bench.build(Broken(name: "a named pipe", file: "pipe.json", bytes: [], expect: .file)) { url in
            #expect(mkfifo(url.path, 0o644) == 0)
        }
        try bench.build(Broken(name: "a link to /dev/zero", file: "zero.json", bytes: [], expect: .file)) { url in
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: "/dev/zero")
        }
        try bench.build(Broken(name: "a dangling link", file: "gone.json", bytes: [], expect: .file)) { url in
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: "/nonexistent/x.json")
        }
        for name in ["Capital.json", "-dash.json", "under_score.json", "zażółć.json", ".hidden.json", "two.dots.json", "sp ace.json",
                     String(repeating: "a", count: 65) + ".json", "..json", "x%2e%2e.json"] {
            let outcome = try bench.build(Broken(name: "file name \(name)", file: name, bytes: Self.demo.bytes, expect: .file))
            guard case .refused(let diagnostics) = outcome else { continue }
            #expect(diagnostics.contains { $0.message.contains("slug") }, "\(name): \(diagnostics)")
        }
    }

    @Test func sizeCapsAreEnforcedWithAClearMessage() throws {
        // Snapshots: the decoder's cap, with the size and the limit in the message.
        let big = Self.demo.bytes + [UInt8](repeating: 0x20, count: SnapshotDecoder.maxFileBytes)
        guard case .failure(let invalid) = SnapshotDecoder.decode(big, file: "t.json", slug: "t") else { Issue.record("accepted"); return }
        #expect(invalid.diagnostics.map(\.description) == ["t.json: -: \(SnapshotDecoder.tooBig(big.count))"])
        #expect(invalid.diagnostics[0].message.contains("16.0 MB"))

        // One value: 4096 bytes of UTF-8 pass, one more byte is refused at its path.
        for (length, accepted) in [(4096, true), (4097, false)] {
            let name = String(repeating: "ż", count: length / 2) + String(repeating: "x", count: length % 2)
            #expect(name.utf8.count == length)
            let document = replacing(Self.demo.root, at: [.key("tenant"), .key("displayName")], with: name)
            switch SnapshotDecoder.decode(jsonBytes(document), file: "t.json", slug: "t", ksefFiles: demoKSeFFiles(Self.demo.slug)) {
            case .success: #expect(accepted)
            case .failure(let invalid):
                #expect(!accepted)
                #expect(invalid.diagnostics.map(\.description) == ["t.json: tenant.displayName: text of 4097 bytes; the limit is 4096 bytes"])
            }
        }

        // Templates: 256 KB pass, one byte more is refused, naming the file.
        let templates = try temporaryFolder("tenantsite-templates")
        defer { cleanUp(templates) }
        try FileManager.default.removeItem(at: templates)
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("templates"), to: templates)
        let page = templates.appendingPathComponent("pages/tenants.md")
        let original = try String(contentsOf: page, encoding: .utf8)
        let filler = "\n\n" + String(repeating: "x", count: 80) + "\n"
        var grown = original
        while grown.utf8.count + filler.utf8.count <= 256 * 1024 { grown += filler }
        grown += String(repeating: "y", count: 256 * 1024 - grown.utf8.count)
        for (source, accepted) in [(grown, true), (grown + "z", false)] {
            try source.write(to: page, atomically: true, encoding: .utf8)
            do {
                _ = try SiteBuilder.build(BuildOptions(content: repoRoot.appendingPathComponent("content").path, templates: templates.path,
                                                       output: "/nonexistent", settings: BuildSettings(languages: [.pl]), dryRun: true))
                #expect(accepted)
            } catch {
                #expect(!accepted)
                guard case .invalidInput(let diagnostics) = error else { Issue.record("\(error)"); continue }
                #expect(diagnostics.map(\.description) == ["\(page.path): -: the file is \(256 * 1024 + 1) bytes; the limit is \(256 * 1024) bytes"])
            }
        }
        try original.write(to: page, atomically: true, encoding: .utf8)
        let layout = templates.appendingPathComponent("layout.html")
        try (try String(contentsOf: layout, encoding: .utf8) + String(repeating: " ", count: 256 * 1024)).write(to: layout, atomically: true, encoding: .utf8)
        do {
            _ = try SiteBuilder.build(BuildOptions(content: repoRoot.appendingPathComponent("content").path, templates: templates.path,
                                                   output: "/nonexistent", dryRun: true))
            Issue.record("a layout over the limit was accepted")
        } catch {
            guard case .invalidInput(let diagnostics) = error else { Issue.record("\(error)"); return }
            #expect(diagnostics.count == 1 && diagnostics[0].file == layout.path && diagnostics[0].message.contains("the limit is 262144"))
        }
    }

    // MARK: - The same, through the command line

    @Test func theCommandLineExitsOneWithFileLocationMessage() throws {
        let binary = try tenantsiteBinary()
        let bench = try Bench()
        defer { cleanUp(bench.root) }
        let picks = [Self.cutShort()[5], Self.wrongTypes()[3], Self.missingFields()[1], Self.invalidUTF8()[0], Self.byteOrderMarks()[0],
                     Self.duplicateKeys()[1], Self.hugeWhitespace()[0], Self.deepNesting()[2], Self.notQuiteJSON()[28]]
        let line = /^(?<file>[^:]+\.json): (?<location>\(top level\)|-|\d+:\d+|[A-Za-z@\["][^ ]*): (?<message>.+)$/
        for broken in picks {
            let before = tree(bench.site)
            try bench.place(broken)
            let result = try runTenantsite(binary, ["build", "--content", bench.content.path, "--templates", repoRoot.appendingPathComponent("templates").path,
                                                    "--output", bench.site.path, "--lang", "pl", "--jobs", "1"])
            #expect(result.status == 1, "\(broken): exit \(result.status)")
            var lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            #expect(lines.last?.hasPrefix("tenantsite: ") == true && lines.last?.hasSuffix("the previous output is unchanged") == true, "\(broken): \(lines.last ?? "")")
            let problems = lines.dropLast()
            #expect(!problems.isEmpty)
            for problem in problems {
                let match = problem.wholeMatch(of: line)
                #expect(match != nil, "\(broken): not FILE: LOCATION: MESSAGE: \(problem.prefix(200))")
                #expect(match.map { $0.output.file.hasSuffix("/tenants/\(broken.file)") } ?? false, "\(broken): \(problem.prefix(200))")
            }
            #expect(result.stdout.isEmpty)
            #expect(tree(bench.site) == before, "\(broken): the previous site changed")
            #expect(try bench.leftovers().isEmpty)
        }
        // Bad usage is 64, and touches nothing either.
        for arguments in [["build", "--lang", "de"], ["build", "--jobs", "0"], ["build", "--no-such-flag"], ["build", "--as-of", "2026-02-30"],
                          ["build", "--from", "2026-01-01"], ["frobnicate"]] {
            let before = tree(bench.site)
            let result = try runTenantsite(binary, arguments + ["--output", bench.site.path])
            #expect(result.status == 64, "\(arguments): exit \(result.status): \(result.stderr.prefix(200))")
            #expect(tree(bench.site) == before)
        }
    }
}

// MARK: - A previous site to protect

/// A content folder with a valid tenant, a site built from it, and the place where a broken file goes.
struct Bench {
    let root: URL
    let content: URL
    let site: URL

    init() throws {
        root = try temporaryFolder("tenantsite-broken")
        content = root.appendingPathComponent("content")
        site = root.appendingPathComponent("out/site")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("tenants"), withIntermediateDirectories: true)
        // The valid tenant sorts after the broken file, so the broken one is found first.
        try Data(BrokenInputTests.demo.bytes).write(to: content.appendingPathComponent("tenants/zz-valid.json"))
        // Its KSeF invoice files, under its name here.
        let ksef = repoRoot.appendingPathComponent("content/ksef/\(BrokenInputTests.demo.slug)")
        if FileManager.default.fileExists(atPath: ksef.path) {
            try FileManager.default.createDirectory(at: content.appendingPathComponent("ksef"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: ksef, to: content.appendingPathComponent("ksef/zz-valid"))
        }
        try SiteBuilder.build(options)
    }

    var options: BuildOptions {
        BuildOptions(content: content.path, templates: repoRoot.appendingPathComponent("templates").path, output: site.path,
                     settings: BuildSettings(languages: [.pl]), jobs: 1)
    }

    /// Puts the broken file in place of the previous one.
    func place(_ broken: BrokenInputTests.Broken, make: ((URL) throws -> Void)? = nil) throws {
        let tenants = content.appendingPathComponent("tenants")
        for name in try FileManager.default.contentsOfDirectory(atPath: tenants.path) where name != "zz-valid.json" {
            try FileManager.default.removeItem(at: tenants.appendingPathComponent(name))
        }
        let url = tenants.appendingPathComponent(broken.file)
        // The demo's KSeF invoice files under the broken file's slug too: a snapshot that loses only an optional field
        // builds.
        let ksef = repoRoot.appendingPathComponent("content/ksef/\(BrokenInputTests.demo.slug)")
        let slug = String(broken.file.dropLast(broken.file.hasSuffix(".json") ? 5 : 0))
        let target = content.appendingPathComponent("ksef/\(slug)")
        if FileManager.default.fileExists(atPath: ksef.path), !FileManager.default.fileExists(atPath: target.path), !slug.isEmpty, !slug.contains("/") {
            try? FileManager.default.copyItem(at: ksef, to: target)
        }
        if let make { try make(url) } else { try Data(broken.bytes).write(to: url) }
    }

    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: site.deletingLastPathComponent().path).filter { $0 != "site" && $0 != ".site.tenantsite" && !$0.hasSuffix("-lock") }
    }

    enum Outcome { case built, refused([Diagnostic]) }

    @discardableResult
    func build(_ broken: BrokenInputTests.Broken, make: ((URL) throws -> Void)? = nil) throws -> Outcome {
        try place(broken, make: make)
        let before = tree(site)
        let file = content.appendingPathComponent("tenants/\(broken.file)").path
        do {
            try SiteBuilder.build(options)
        } catch {
            guard case .invalidInput(let diagnostics) = error else { Issue.record("\(broken): \(error)"); return .refused([]) }
            #expect(!diagnostics.isEmpty, "\(broken)")
            for diagnostic in diagnostics {
                #expect(diagnostic.file == file, "\(broken): names another file: \(diagnostic)")
                let printed = diagnostic.description
                #expect(!printed.unicodeScalars.contains { $0.value < 0x20 || TextLimits.isControl($0) || TextLimits.isBidiControl($0) }, "\(broken): \(printed.debugDescription.prefix(200))")
                #expect(printed.utf8.count < 1000, "\(broken): \(printed.prefix(200))…")
                switch (broken.expect, diagnostic.location) {
                case (.syntax, .lineColumn), (.structure, .path), (.structureOrSuccess, .path), (.file, .wholeFile): break
                case (.syntax, .path), (.structure, .lineColumn): break  // e.g. a BOM found by the parser, a type found late
                default: Issue.record("\(broken): unexpected location in \(diagnostic)")
                }
            }
            if case .structureOrSuccess = broken.expect {
                #expect(diagnostics.contains { $0.message == "required field is missing" }, "\(broken): \(diagnostics.prefix(2))")
            }
            #expect(tree(site) == before, "\(broken): the previous site changed")
            let left = try leftovers()
            #expect(left.isEmpty, "\(broken): left \(left)")
            return .refused(diagnostics)
        }
        if case .structureOrSuccess = broken.expect { return .built }
        Issue.record("\(broken): the build succeeded")
        return .built
    }
}

// MARK: - Helpers

func allNodes(_ node: JSONNode, path: [JSONPath.Component] = []) -> [([JSONPath.Component], JSONNode)] {
    var out = [(path, node)]
    switch node.value {
    case .array(let items): for (i, item) in items.enumerated() { out += allNodes(item, path: path + [.index(i)]) }
    case .object(let members): for m in members { out += allNodes(m.value, path: path + [.key(m.key)]) }
    default: break
    }
    return out
}

func kindOf(_ path: [JSONPath.Component]) -> String { StringLeaf(path: path, value: "").kind }

func replacingNode(_ node: JSONNode, at path: ArraySlice<JSONPath.Component>, with new: JSONNode) -> JSONNode {
    guard let first = path.first else { return new }
    var copy = node
    switch (first, node.value) {
    case (.index(let i), .array(var items)):
        items[i] = replacingNode(items[i], at: path.dropFirst(), with: new)
        copy.value = .array(items)
    case (.key(let k), .object(var members)):
        let i = members.firstIndex { $0.key == k }!
        members[i].value = replacingNode(members[i].value, at: path.dropFirst(), with: new)
        copy.value = .object(members)
    default: preconditionFailure()
    }
    return copy
}

func removingMember(_ node: JSONNode, at path: ArraySlice<JSONPath.Component>) -> JSONNode {
    var copy = node
    switch (path.first!, node.value) {
    case (.key(let k), .object(var members)) where path.count == 1:
        members.removeAll { $0.key == k }
        copy.value = .object(members)
    case (.index(let i), .array(var items)):
        items[i] = removingMember(items[i], at: path.dropFirst())
        copy.value = .array(items)
    case (.key(let k), .object(var members)):
        let i = members.firstIndex { $0.key == k }!
        members[i].value = removingMember(members[i].value, at: path.dropFirst())
        copy.value = .object(members)
    default: preconditionFailure()
    }
    return copy
}

func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard needle.count <= haystack.count else { return nil }
    for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] && Array(haystack[i..<i + needle.count]) == needle { return i }
    return nil
}

func insert(_ bytes: [UInt8], after marker: String, in text: [UInt8]) -> [UInt8] {
    var copy = text
    copy.insert(contentsOf: bytes, at: firstIndex(of: Array(marker.utf8), in: text)! + marker.utf8.count)
    return copy
}

/// A small deterministic generator, so the tests try the same cases on every run and machine.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

