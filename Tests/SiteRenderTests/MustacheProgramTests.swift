import Foundation
import Mustache
import Testing
@testable import SiteRender

/// `MustacheProgram` renders like swift-mustache, the reference: the same output for generated templates
/// (standalone lines, blanks, CRLF, nested and inverted sections, dotted names, comments, pragmas) and
/// generated values, and every shipped template takes the fast path.
@Suite struct MustacheProgramTests {
    /// A small seeded generator, so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }
    }

    static let texts = ["a", "b c", " ", "  ", "\t", "\n", "\r\n", "x\n", "{", "}", "{x}", "| ", "- ", "# ", "ż", "e\u{301}", "<&>", "\n\n"]
    static let variables = ["a", "b", "c", "flag", "obj.a", "missing", ".a", " a ", "obj.missing", "list.a"]
    static let sections = ["a", "flag", "list", "empty", "obj", "missing", "texts", "b", "off", "blank"]

    static func template(_ r: inout Random, depth: Int = 0) -> String {
        var out = ""
        for _ in 0..<(1 + r.next(6)) {
            switch r.next(10) {
            case 0, 1, 2: out += r.pick(texts)
            case 3: out += "{{" + r.pick(variables) + "}}"
            case 4: out += r.pick(["{{{a}}}", "{{&a}}", "{{{ c }}}", "{{& obj.a}}"])
            case 5: out += r.pick(["{{! note }}", "{{!\nlong\n}}", "\n{{! alone }}\n", "  {{!x}}  \n"])
            case 6, 7, 8 where depth < 3:
                let name = r.pick(sections)
                let open = r.next(2) == 0 ? "#" : "^"
                let inner = name == "texts" && open == "#" ? r.pick(["{{.}}", "[{{.}}]\n", "\n{{.}}\n"]) : template(&r, depth: depth + 1)
                let before = r.pick(["", "\n", "  ", "\n  ", "x "])
                let after = r.pick(["", "\n", "  \n", " y", "\r\n"])
                out += before + "{{" + open + name + "}}" + after + inner + r.pick(["", "\n", "  "]) + "{{/" + name + "}}" + r.pick(["", "\n", " \n", "z"])
            default: out += r.pick(texts)
            }
        }
        return out
    }

    static func value(_ r: inout Random, depth: Int = 0) -> TemplateValue {
        func text() -> TemplateValue { .text(r.pick(["", "x", "<&>", "y'\"", "Łąka | *b*"])) }
        var members: [String: TemplateValue] = [
            "a": text(),
            "b": .url(SiteURL.internalLink(r.pick(["", "../x.html", "a&b.html"]))),
            "c": .html(TrustedHTML(unsafeRendered: r.pick(["", "<b>x</b>"]))),
            "flag": .bool(r.next(2) == 0),
            "off": .bool(false),
            "blank": .text(""),
            "empty": .list([]),
            "texts": .list((0..<r.next(3)).map { _ in text() }),
        ]
        if depth < 2 {
            members["list"] = .list((0..<r.next(4)).map { _ in value(&r, depth: depth + 1) })
            members["obj"] = value(&r, depth: depth + 1)
        }
        if r.next(4) == 0 { members["a"] = nil }
        return .object(members)
    }

    static func reference(_ source: String, _ value: TemplateValue) -> String? {
        guard let template = try? MustacheTemplate(string: source) else { return nil }
        return template.render(HTMLTemplate.context(for: value))
    }

    @Test func rendersLikeSwiftMustacheOnGeneratedTemplates() {
        var r = Random(state: 2026)
        var compared = 0
        for round in 0..<3000 {
            var source = Self.template(&r)
            if round % 5 == 0 { source = "{{% CONTENT_TYPE: TEXT}}" + source }
            let value = Self.value(&r)
            guard let expected = Self.reference(source, value) else {
                #expect((try? MustacheProgram(source)) == nil, "swift-mustache refuses \(source.debugDescription)")
                continue
            }
            guard let program = try? MustacheProgram(source) else {
                Issue.record("no program for \(source.debugDescription)")
                continue
            }
            let actual = program.render(value) { EscapedLeaf(value: $0).renderText }
            #expect(actual == expected, "\(source.debugDescription)")
            // The flat form that HTML and text templates render from gives the same bytes.
            var flat: [UInt8] = []
            var unknown: [MustacheProgram.Name] = []
            FlatProgram(program.nodes).render(value, into: &flat, unknown: &unknown) { value, escaped, out in
                let text = EscapedLeaf(value: value).renderText
                if escaped { HTML.appendEscaped(text, to: &out) } else { out.appendUTF8(text) }
            }
            #expect(String(decoding: flat, as: UTF8.self) == expected, "flat: \(source.debugDescription)")
            compared += 1
        }
        #expect(compared > 2500)
    }

    @Test func standaloneLinesAsInTheSpec() {
        let cases: [(String, TemplateValue)] = [
            ("| This Is\n{{#t}}\n|\n{{/t}}\n| A Line\n", .object(["t": .bool(true)])),
            ("| This Is\n  {{#t}}\n|\n  {{/t}}\n| A Line\n", .object(["t": .bool(true)])),
            ("|\r\n{{#t}}\r\n{{/t}}\r\n|", .object(["t": .bool(true)])),
            ("  {{#t}}\n#{{/t}}\n/", .object(["t": .bool(true)])),
            ("#{{#t}}\n/\n  {{/t}}", .object(["t": .bool(true)])),
            (" | {{#t}} {{/t}} | \n", .object(["t": .bool(true)])),
            ("{{#list}}{{a}},{{/list}}", .object(["list": .list([.object(["a": .text("1")]), .object(["a": .text("2")])])])),
            ("{{^empty}}none{{/empty}}{{^full}}x{{/full}}", .object(["empty": .list([]), "full": .list([.text("q")])])),
            ("{{#o}}{{o.a}}{{a}}{{/o}}", .object(["o": .object(["a": .text("<1>")])])),
            ("  {{! c }}\n{{a}}\n  ", .object(["a": .text("x")])),
        ]
        for (source, value) in cases {
            let expected = Self.reference(source, value)
            let actual = (try? MustacheProgram(source))?.render(value) { EscapedLeaf(value: $0).renderText }
            #expect(actual == expected, "\(source.debugDescription)")
        }
    }

    @Test func whatItDoesNotRenderIsRefusedWithItsPlace() {
        let cases: [(source: String, line: Int, words: String)] = [
            ("{{> partial}}", 1, "partials"), ("x\n{{> /etc/passwd}}", 2, "partials"), ("{{=<% %>=}}<%a%>", 1, "set delimiters"),
            ("a\nb\n{{uppercased(a)}}", 3, "transforms"), ("{{$block}}x{{/block}}", 1, "blocks"), ("{{<parent}}{{/parent}}", 1, "blocks"),
            ("\n{{#a}}", 2, "not closed"), ("{{a", 1, "not closed"),
        ]
        for (source, line, words) in cases {
            do {
                _ = try MustacheProgram(source)
                Issue.record("\(source.debugDescription) was accepted")
            } catch {
                #expect(MustacheProgram.line(of: error.position, in: source) == line, "\(source.debugDescription)")
                #expect(error.reason.contains(words), "\(source.debugDescription): \(error.reason)")
            }
        }
    }

    @Test func aNameFoundNowhereIsReportedWithItsLine() throws {
        let program = try MustacheProgram("{{known}}\n{{#list}}{{item}}{{nosuch}}{{/list}}\n{{^absent}}shown{{/absent}}\n{{t.no.such.key}}")
        var out = ""
        var unknown: [MustacheProgram.Name] = []
        program.render(.object(["known": .text("k"), "list": .list([.object(["item": .text("i")])]), "absent": .absent,
                                "t": .object(["a": .text("b")])]), into: &out, unknown: &unknown) { value, _, _, out in
            if case .text(let t) = value { out += t }
        }
        #expect(out == "k\ni\nshown\n")
        #expect(unknown.map(\.text) == ["nosuch", "t.no.such.key"])
        #expect(unknown.map(\.line) == [2, 4])
    }

    @Test func everyShippedTemplateTakesTheFastPath() throws {
        let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("templates")
        var files = try FileManager.default.contentsOfDirectory(atPath: templates.appendingPathComponent("pages").path)
            .filter { $0.hasSuffix(".md") }.map { "pages/" + $0 }
        files += try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".html") }
        #expect(files.count > 5)
        for file in files {
            let source = try String(contentsOf: templates.appendingPathComponent(file), encoding: .utf8)
            let program = try? MustacheProgram(file.hasSuffix(".html") ? "{{% CONTENT_TYPE: TEXT}}" + source : source)
            #expect(program != nil, "\(file) uses what the renderer does not take")
        }
    }
}
