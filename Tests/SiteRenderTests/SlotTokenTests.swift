import Testing
@testable import SiteRender

/// The fast renderer writes slot tokens scalar by scalar; they must be `SlotToken.make`'s, and need no escaping.
@Suite struct SlotTokenTests {
    @Test func appendedTokensAreTheMadeOnes() {
        for index in Array(0...1100) + [9_999, 10_000, 99_999, 123_456, 1_000_000] {
            var out = "x"
            SlotToken.append(index, to: &out)
            #expect(out == "x" + SlotToken.make(index))
            #expect(!HTML.needsEscaping(out))
        }
    }

    @Test func pagesRenderAsThroughSwiftMustache() throws {
        let source = """
            # {{title}}

            {{#rows}}
            - [{{label}}]({{url}}) {{{note}}} {{&note}}
            {{/rows}}

            | a | b |
            |---|---|
            {{#rows}}
            | {{label}} | {{note}} |
            {{/rows}}
            """
        let template = try MarkdownTemplate(name: "t.md", source: source)
        let hostile = ["<script>", "a & b", "\"q\" 'q'", "{{x}}", "a|b", "line\nbreak", "\u{202E}x", "😀", "Żółć", "# h", "*e*", "\u{E000}1\u{E001}"]
        let rows: [TemplateValue] = hostile.map { .object(["label": .text($0), "url": .url(SiteURL.internalLink("a.html")), "note": .text($0)]) }
        let value = TemplateValue.object(["title": .text("<b>&</b>"), "rows": .list(rows)])
        #expect(String(decoding: try template.renderBytes(value), as: UTF8.self) == (try Reference.markdown(source, value)))
    }
}
