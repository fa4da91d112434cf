import Testing
@testable import SiteRender

/// Help article bodies: heading anchors, links seen with their place in the source, destinations chosen by
/// the caller, and cmark's safe mode kept.
@Suite struct MarkdownArticleTests {
    /// A stand-in for `Slug.make` (which lives in SiteBuild): lower-case, spaces to dashes.
    static func anchor(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }

    @Test func headingsGetUniqueIDsAvoidingReservedOnes() {
        let article = MarkdownArticle("""
        Intro.

        ## Krok po kroku

        ### Details

        ## Krok po kroku

        ## Main

        #### Too deep for the table of contents
        """, anchor: Self.anchor, reservedIDs: ["main"])
        #expect(article.headings.map(\.id) == ["krok-po-kroku", "details", "krok-po-kroku-2", "main-2"])
        #expect(article.headings.map(\.level) == [2, 3, 2, 2])
        #expect(article.headings.map(\.line) == [3, 5, 7, 9])
        let html = article.html { $0.destination }.markup
        #expect(html.contains(#"<h2 id="krok-po-kroku">Krok po kroku</h2>"#))
        #expect(html.contains(#"<h3 id="details">Details</h3>"#))
        #expect(html.contains(#"<h2 id="krok-po-kroku-2">Krok po kroku</h2>"#))
        #expect(html.contains(#"<h2 id="main-2">Main</h2>"#))
        #expect(html.contains("<h4>Too deep"))
    }

    @Test func headingTextFlattensInlineMarkup() {
        let article = MarkdownArticle("## The `Enabled` state and **more**\n", anchor: Self.anchor)
        #expect(article.headings.first?.text == "The Enabled state and more")
        #expect(article.headings.first?.id == "the-enabled-state-and-more")
    }

    @Test func headingTagsInTextOrCodeAreNotTouched() {
        let article = MarkdownArticle("""
        Text with <h2> in it and `<h3>` in code.

        ```
        <h2>not a heading</h2>
        ```

        ## Real
        """, anchor: Self.anchor)
        let html = article.html { $0.destination }.markup
        #expect(html.contains(#"<h2 id="real">Real</h2>"#))
        #expect(html.components(separatedBy: "<h2").count == 2)
        #expect(html.contains("&lt;h2&gt;not a heading"))
    }

    @Test func linksAreReportedWithLineAndColumnAndRewritten() {
        let article = MarkdownArticle("""
        First line.
        See [the sync article](force-sync.md) and [Microsoft](https://admin.microsoft.com).

        | A | B |
        |---|---|
        | [x](../../az-pl/pl/invoices.md#faktury) | y |
        """, anchor: Self.anchor)
        #expect(article.links.map(\.destination) == ["force-sync.md", "https://admin.microsoft.com", "../../az-pl/pl/invoices.md#faktury"])
        #expect(article.links.map(\.line) == [2, 2, 6])
        #expect(article.links[0].column == 5)
        let html = article.html { link in
            link.destination.hasSuffix(".md") ? String(link.destination.dropLast(3)) + ".html" : link.destination.replacing(".md#", with: ".html#")
        }.markup
        #expect(html.contains(#"<a href="force-sync.html">the sync article</a>"#))
        #expect(html.contains(#"<a href="https://admin.microsoft.com">Microsoft</a>"#))
        #expect(html.contains(#"<a href="../../az-pl/pl/invoices.html#faktury">x</a>"#))
    }

    @Test func safeModeStaysOn() {
        let article = MarkdownArticle("""
        <script>alert(1)</script>

        [x](javascript:alert(1)) <b>bold</b> ![i](data:text/html,x)
        """, anchor: Self.anchor)
        // The caller sees the destination as written (and refuses it); passed through, it is still emptied.
        #expect(article.links.first?.destination == "javascript:alert(1)")
        let html = article.html { $0.destination }.markup
        #expect(html.contains(#"<a href="">x</a>"#))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("javascript:"))
        #expect(html.contains("raw HTML omitted"))
    }

    @Test func levelOneHeadingsAreFound() {
        let article = MarkdownArticle("Intro\n\n# Title again\n\n## Section\n", anchor: Self.anchor)
        #expect(article.topLevelHeadingLines == [3])
        #expect(article.headings.map(\.id) == ["section"])
    }
}
