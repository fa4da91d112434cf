import Testing
import PropertyBased
@testable import SiteRender

/// The law of this project: no string from a snapshot can change a page's structure.
///
/// Each test renders a template once with a harmless marker and once with the hostile value; the hostile
/// output must be exactly the marker output with the marker replaced by the value, HTML-escaped. So the value
/// added no element, attribute, link, heading or list, and broke no table row.
@Suite struct SafeInterpolationTests {
    static let template = """
    # {{title}}

    {{intro}}

    | Item | Amount |
    |---|---:|
    {{#rows}}
    | {{name}} | {{amount}} |
    {{/rows}}

    - {{note}}

    [{{name}}]({{url}}) and `{{code}}`
    """

    static let hostile: [String] = [
        "a | b | c", "|", "\\|", "`code`", "```", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))", "[x]: javascript:alert(1)", "![i](data:text/html,x)", "2024. Faktura", "1) x",
        "\n# Heading", "line\n\n- item", "* item", "+ item", "> quote", "---", "===", "**bold** _em_ ~~del~~",
        "www.evil.example", "https://evil.example", "mailto:a@b.c", "<https://x>", "&amp; &lt; &#x3C;", "&", "\"quoted\" 'single'",
        "{{x}}", "{{{x}}}", "{{#rows}}x{{/rows}}", "{{> partial}}", "\u{202E}evil\u{202C}", "\u{200F}rtl", "\u{E000}0\u{E001}",
        "tenantsite-slot-0-url", "\t\ttabbed", "\\", "\\\\*", "<!-- comment -->", "<div>", "]]>", "javascript:alert(1)",
        "    indented code", "| --- | --- |", "Ą | Ł |\n|---|", String(repeating: "x", count: 100_000), String(repeating: "|", count: 500),
        String(repeating: "[", count: 2000), String(repeating: "*", count: 3000), "a\rb", "\u{0}",
    ]

    func model(_ value: String) -> TemplateValue {
        .object([
            "title": .text(value), "intro": .text(value), "note": .text(value), "code": .text(value),
            "url": .url(.internalLink("page.html")), "name": .text(value),
            "rows": .list([.object(["name": .text(value), "amount": .text("1 234,56 zł")]),
                           .object(["name": .text("plain"), "amount": .text(value)])]),
        ])
    }

    static let marker = "MARKERVALUE"

    func assertSafe(_ value: String, _ template: MarkdownTemplate) throws {
        let reference = try template.render(model(Self.marker))
        let actual = try template.render(model(value))
        let expected = reference.replacingOccurrences(of: Self.marker, with: HTML.escape(value))
        #expect(actual == expected, "value \(value.prefix(80).debugDescription) changed the page")
        #expect(!actual.contains("<script"))
        #expect(!actual.contains("<img"))
        #expect(!actual.lowercased().contains("href=\"javascript"))
    }

    @Test func hostileStringsStayText() throws {
        let template = try MarkdownTemplate(name: "t.md", source: Self.template)
        for value in Self.hostile { try assertSafe(value, template) }
    }

    @Test func randomStringsStayText() async throws {
        let template = try MarkdownTemplate(name: "t.md", source: Self.template)
        let markdownish = Gen<Character?>.element(of: Array("|`*_#[]()<>!\\&\"'{}-+.:;=~\n\r\t 1aĄł\u{202E}\u{E000}\u{E001}") as [Character]).map { $0! }
        await propertyCheck(count: 300, input: markdownish.string(of: 0...40)) { value in
            #expect(throws: Never.self) { try assertSafe(value, template) }
        }
        await propertyCheck(count: 200, input: Gen.unicodeScalar(in: "\u{1}"..."\u{2FFF}").map { Character($0) }.string(of: 0...30)) { value in
            #expect(throws: Never.self) { try assertSafe(value, template) }
        }
    }

    @Test func tableRowKeepsItsAmountColumn() throws {
        let template = try MarkdownTemplate(name: "t.md", source: "| A | B |\n|---|---:|\n| {{name}} | {{amount}} |\n")
        let html = try template.render(.object(["name": .text("Licencja | 999 zł"), "amount": .text("54,40 zł")]))
        #expect(html.contains("<td>Licencja | 999 zł</td>"))
        #expect(html.contains("<td class=\"align-right\">54,40 zł</td>"))
    }

    @Test func textCannotBeALinkDestination() throws {
        let template = try MarkdownTemplate(name: "t.md", source: "[x]({{target}})\n")
        #expect(throws: TemplateError.self) { try template.render(.object(["target": .text("javascript:alert(1)")])) }
        let ok = try template.render(.object(["target": .url(.internalLink("../a b.html"))]))
        #expect(ok == "<p><a href=\"../a%20b.html\">x</a></p>\n")
    }

    @Test func placeholdersInsideRawHTMLAreATemplateError() throws {
        let template = try MarkdownTemplate(name: "pages/x.md", source: "<span title=\"{{name}}\">x</span>\n")
        #expect(throws: TemplateError.self) { try template.render(.object(["name": .text("x")])) }
    }

    @Test func trustedMarkupAloneInAParagraphIsNotWrapped() throws {
        let template = try MarkdownTemplate(name: "t.md", source: "Intro\n\n{{chart}}\n\nAfter {{inline}}\n")
        let chart = TrustedHTML(static: "<figure>c</figure>")
        let html = try template.render(.object(["chart": .html(chart), "inline": .html(TrustedHTML(static: "<b>x</b>"))]))
        #expect(html == "<p>Intro</p>\n<figure>c</figure><p>After <b>x</b></p>\n")
    }

    @Test func templateSyntaxErrorNamesFileAndLine() {
        do {
            _ = try MarkdownTemplate(name: "templates/pages/x.md", source: "line one\n{{#open}}\nno close\n")
            Issue.record("accepted")
        } catch {
            #expect(error.file == "templates/pages/x.md")
            #expect(error.line != nil)
        }
    }

    @Test func sameShapeReusesTheCompiledFragment() throws {
        let template = try MarkdownTemplate(name: "t.md", source: Self.template)
        for value in ["a", "b | c", "# d", "<e>"] { _ = try template.render(model(value)) }
        // One parse of the page and one of its table's row, whatever the values.
        #expect(template.compiledVariants == 2)
    }

    /// A template error names the tag that printed the value and its line, without rendering again.
    @Test func aTextValueAsALinkIsAnErrorWithItsTagAndLine() throws {
        let template = try MarkdownTemplate(name: "t.md", source: "# Title\n\nSee [the page]({{name}}).\n")
        do {
            _ = try template.render(.object(["name": .text("https://evil.example")]))
            Issue.record("a text value became a link")
        } catch {
            #expect(error.line == 3)
            #expect(error.message.contains("{{name}} is text, not a link made by the site"))
        }
    }

    /// The same in a table's row section, also after rows of the same shape were drawn from the cache.
    @Test func aTextValueAsALinkInATableRowIsAnErrorWithItsTagAndLine() throws {
        let template = try MarkdownTemplate(name: "t.md", source: "| A |\n|---|\n{{#rows}}\n| [{{label}}]({{target}}) |\n{{/rows}}\n")
        let good = TemplateValue.object(["label": .text("ok"), "target": .url(.internalLink("a.html"))])
        let bad = TemplateValue.object(["label": .text("bad"), "target": .text("https://evil.example")])
        _ = try template.render(.object(["rows": .list([good])]))  // the row's shape is now cached
        do {
            _ = try template.render(.object(["rows": .list([good, bad])]))
            Issue.record("a text value became a link")
        } catch {
            #expect(error.line == 4)
            #expect(error.message.contains("{{target}} is text, not a link made by the site"), "\(error.message)")
        }
    }

    @Test func emptyTextIsFalsyInSections() throws {
        let template = try MarkdownTemplate(name: "t.md", source: "{{#ksef}}KSeF: {{ksef}}{{/ksef}}{{^ksef}}none{{/ksef}}\n")
        #expect(try template.render(.object(["ksef": .text("")])) == "<p>none</p>\n")
        #expect(try template.render(.object(["ksef": .text("1-2")])) == "<p>KSeF: 1-2</p>\n")
    }
}

/// The byte escaper copies runs between special characters; it must give exactly what the character-by-character
/// escaper gives, for any text.
@Suite struct ByteEscapingTests {
    @Test func bytesEscapeLikeText() {
        let alphabet: [String] = ["a", "Z", "0", " ", "&", "<", ">", "\"", "'", "ą", "Ł", "„", "”", "€", "\u{202E}", "😀", "\n", "{{", "|", "=", ";", "#"]
        var state: UInt64 = 17
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        for _ in 0..<3000 {
            let text = (0..<next(24)).map { _ in alphabet[next(alphabet.count)] }.joined()
            var bytes: [UInt8] = [0x2A]
            HTML.appendEscaped(text, to: &bytes)
            var string = "*"
            HTML.appendEscaped(text, to: &string)
            #expect(bytes == Array(string.utf8), "\(text)")
        }
    }
}
