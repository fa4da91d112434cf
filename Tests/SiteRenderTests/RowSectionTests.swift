import Foundation
import Testing
@testable import SiteRender

/// Tables whose rows come from a row section (`{{#rows}}` + one `| … |` line under a table's delimiter row) are drawn
/// row by row from the row's compiled template; the page must be byte for byte what Markdown of all the rows gives.
@Suite struct RowSectionTests {
    static let hostile = ["x", "", "a | b", "**b**", "<script>alert(1)</script>", "[l](javascript:x)", "2024. x", "# h", "\\|", "`c`",
                          "ż ó ł", "\u{301}x", "{{x}}", "a\nb", "www.example.com", "&amp;", " lead", "trail ", "|", "- x"]

    static let template = """
    ## Lines {#lines}

    | {{t.a}} | B | C |
    |---|:-:|---:|
    {{#rows}}
    | [{{name}}]({{url}}){{#note}} · {{note}}{{/note}} | {{#strong}}**{{b}}**{{/strong}}{{^strong}}{{b}}{{/strong}} | {{c}} |
    {{/rows}}
    {{#total}}
    | **{{label}}** | | **{{c}}** |
    {{/total}}

    | Flat | Row |
    |---|---|
    {{#flat}}
    | {{x}} | {{y}} |
    {{/flat}}

    After.
    """

    static func value(_ n: Int, seed: Int) -> TemplateValue {
        var rows: [TemplateValue] = []
        var flat: [TemplateValue] = []
        for i in 0..<n {
            let word = hostile[(i * 7 + seed) % hostile.count]
            var row: [String: TemplateValue] = ["name": .text(word), "url": .url(.internalLink("p/\(i).html")), "b": .text("b\(i)"),
                                                "c": .text(hostile[(i + seed) % hostile.count]), "strong": .bool(i % 3 == 0)]
            row["note"] = i % 2 == 0 ? .text(word) : .absent
            rows.append(.object(row))
            // Some flat rows lack a value: another shape of the same row.
            flat.append(.object(["x": .text(word), "y": i % 4 == 0 ? .absent : .text("\(i)")]))
        }
        return .object(["t": .object(["a": .text("A|a")]), "rows": .list(rows), "flat": .list(flat),
                        "total": n % 2 == 0 ? .object(["label": .text("Total"), "c": .text("9")]) : .absent])
    }

    @Test func drawnRowsAreWhatMarkdownOfAllTheRowsGives() throws {
        let template = try MarkdownTemplate(name: "t.md", source: Self.template)
        for n in [0, 1, 2, 5, 40] {
            for seed in 0..<6 {
                let value = Self.value(n, seed: seed)
                #expect(try template.render(value) == Reference.markdown(Self.template, value), "rows \(n) seed \(seed)")
            }
        }
        // A page's row count costs no parse: after the first pages, only new shapes of rows are compiled.
        let before = template.compiledVariants
        for n in [3, 7, 11, 13, 17] { _ = try template.render(Self.value(n, seed: 0)) }
        #expect(template.compiledVariants - before <= 2)
    }

    @Test func headingsTakeTheirIdFromTheTemplate() throws {
        let template = try MarkdownTemplate(name: "t.md", source: "## {{title}} {#attention}\n\n### Costs {#costs}\n\n## Plain {not an id}\n")
        let html = try template.render(.object(["title": .text("Needs <attention> (3)")]))
        #expect(html == "<h2 id=\"attention\">Needs &lt;attention&gt; (3)</h2>\n<h3 id=\"costs\">Costs</h3>\n<h2>Plain {not an id}</h2>\n")
    }

    @Test func aValueCannotMakeAHeadingId() throws {
        let template = try MarkdownTemplate(name: "t.md", source: "## {{title}}\n")
        let html = try template.render(.object(["title": .text("x {#evil}")]))
        #expect(html == "<h2>x {#evil}</h2>\n")
    }
}
