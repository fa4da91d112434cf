import Testing
@testable import SiteRender

/// `HTML.appendEscapedHref` into bytes (with its copy-whole fast path) writes what the String version writes.
@Suite struct HrefEscapeTests {
    static let hostile = [
        "../invoices/fv-2026-11-00123.html", "index.html#x", "a&b", "it's", "\"quoted\"", "<script>", "{{t.x}}", "a|b", "line\nbreak",
        "\u{202E}evil", "😀", "Żółć & Gęś", "a b", "%41", "", "~/x?y=1;z=2", "a\u{0}b", "\u{7F}", "tab\there", "[x]", "\\", "`", "^",
    ]

    @Test(arguments: hostile)
    func bytesMatchTheString(url: String) {
        var bytes: [UInt8] = [UInt8(ascii: ">")]
        HTML.appendEscapedHref(url, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == ">" + HTML.escapeHref(url))
    }

    @Test func unsafeBytesAreEscaped() {
        var bytes: [UInt8] = []
        HTML.appendEscapedHref("a\"b<c> &'é", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "a%22b%3Cc%3E%20&amp;&#x27;%C3%A9")
    }
}
