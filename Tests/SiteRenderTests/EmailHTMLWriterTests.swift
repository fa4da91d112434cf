import Testing
@testable import SiteRender

/// `EmailHTML.Writer` escapes exactly like `HTML.escape`, and `EmailHTML.assemble` styles only the template's
/// own tags and replaces only real block markers: text that looks like a marker or a tag stays text.
@Suite struct EmailHTMLWriterTests {
    static let hostile = ["", "plain", "<", "&", "\"", "'", ">", "{{x}}", "a | b", "line\nbreak", "\u{202E}bidi\u{202C}", "😀👩‍👩‍👧",
                          "zażółć gęślą jaźń", "<!--tenantsite-block-0-->", "<p>x</p>", "&amp;&lt;", "=3D", "\u{0}\u{7F}"]

    @Test(arguments: hostile)
    func writerEscapesLikeHTMLEscape(_ text: String) {
        var writer = EmailHTML.Writer()
        let tag = EmailHTML.Tag("td", "color:#111827;", attributes: " colspan=\"2\"")
        writer.element(tag, text: text)
        writer.text(text + text)
        let block = writer.takeBlock()
        var out: [UInt8] = []
        EmailHTML.assemble(EmailHTML.marker(0), EmailHTML.StyleSheet([:]), blocks: [block], into: &out)
        let expected = "<td colspan=\"2\" style=\"color:#111827;\">" + HTML.escape(text) + "</td>" + HTML.escape(text + text)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test func assembleStylesTheTemplateAndSplicesOnlyRealMarkers() {
        var writer = EmailHTML.Writer()
        writer.element(EmailHTML.Tag("p", "margin:0;"), text: "<!--tenantsite-block-1--> <p>")
        let block = writer.takeBlock()
        let skeleton = TrustedHTML(unchecked: "<h1>T &lt;!--tenantsite-block-0--&gt;</h1>\n" + EmailHTML.marker(0).markup + "<p>after</p><!--tenantsite-block-9-->")
        var out: [UInt8] = []
        EmailHTML.assemble(skeleton, EmailHTML.StyleSheet(["h1": "font-size:20px;", "p": "margin:1px;"]), blocks: [block], into: &out)
        #expect(String(decoding: out, as: UTF8.self) ==
            "<h1 style=\"font-size:20px;\">T &lt;!--tenantsite-block-0--&gt;</h1>\n"
            + "<p style=\"margin:0;\">&lt;!--tenantsite-block-1--&gt; &lt;p&gt;</p>"
            + "<p style=\"margin:1px;\">after</p><!--tenantsite-block-9-->")
    }
}
