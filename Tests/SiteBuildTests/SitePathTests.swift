import Testing
@testable import SiteBuild

@Suite struct SitePathTests {
    @Test(arguments: [
        ("index.html", "pl/index.html", "pl/index.html"),
        ("pl/index.html", "index.html", "../index.html"),
        ("pl/tenants/a/index.html", "assets/style.css", "../../../assets/style.css"),
        ("pl/tenants/a/invoices/x.html", "pl/tenants/a/index.html", "../index.html"),
        ("pl/tenants/a/invoices/x.html", "pl/tenants/a/invoices/y.html", "y.html"),
        ("pl/tenants/a/subscriptions/s.html", "pl/tenants/a/invoices/y.html", "../invoices/y.html"),
        ("pl/tenants/a/index.html", "en/tenants/a/index.html", "../../../en/tenants/a/index.html"),
        ("pl/help/home-pl/force-sync.html", "pl/tenants/a/index.html", "../../tenants/a/index.html"),
    ])
    func linksAreRelativeToThePageThatHoldsThem(from: String, to: String, expected: String) {
        let link = SitePath(from.split(separator: "/").map(String.init)).link(to: SitePath(to.split(separator: "/").map(String.init)))
        #expect(link.path == expected)
        #expect(!link.path.hasPrefix("/"))
    }

    @Test func fragments() {
        #expect(SitePath("pl", "a.html").link(to: SitePath("pl", "b.html"), fragment: "x").path == "b.html#x")
    }

    @Test func unsafeComponentsAreRefused() {
        #expect(!SitePath.isSafeComponent(".."))
        #expect(!SitePath.isSafeComponent("a/b"))
        #expect(!SitePath.isSafeComponent(".hidden"))
        #expect(!SitePath.isSafeComponent(""))
        #expect(SitePath.isSafeComponent("fv-2026-11-00123.html"))
    }

    @Test func slugs() {
        #expect(Slug.make("FV/2026/11/00123") == "fv-2026-11-00123")
        #expect(Slug.make("Żółć & Gęś") == "zolc-ges")
        #expect(Slug.make("../../etc/passwd") == "etc-passwd")
        #expect(Slug.make("///") == "x")
        let unique = Slug.unique(["A/1", "a-1", "a 1"])
        #expect(Set(unique.values).count == 3)
        // Collisions are numbered in sorted order of the ids, so the result depends only on the set of ids.
        #expect(unique["A/1"] == "a-1")
        #expect(unique["a 1"] == "a-1-2")
        #expect(unique["a-1"] == "a-1-3")
    }

    /// Hostile ids and components: the byte-level fast paths must agree with the general ones.
    static let hostile = [
        "FV/2026/11/00123", "fv-2026-11-00123.html", "<script>", "a&b", "\"quoted\"", "it's", "{{t.x}}", "a|b", "line\nbreak", "tab\there",
        "\u{202E}evil", "😀", "Żółć & Gęś", "ĄĆĘŁŃÓŚŹŻ", "--a--", "...", ".hidden", "a:b", "a\\b", "a*b?", " x ", "", "-", "x", "MiXeD-Case_99",
        String(repeating: "a-", count: 60), String(repeating: "Ab1/", count: 40), "e\u{301}", "ß", "\u{0}", "\u{7F}", "~tilde", "a\r\nb",
    ]

    @Test(arguments: hostile)
    func asciiSlugsMatchTheGeneralOne(id: String) {
        for maxLength in [80, 5, 1] {
            #expect(Slug.make(id, maxLength: maxLength) == Slug.makeUnicode(id, maxLength: maxLength))
            if let ascii = Slug.makeASCII(id, maxLength: maxLength) {
                #expect(ascii == Slug.makeUnicode(id, maxLength: maxLength))
            }
        }
        #expect((Slug.makeASCII(id, maxLength: 80) == nil) == id.utf8.contains { $0 >= 0x80 })
    }

    @Test(arguments: hostile)
    func safeComponentsAreCheckedOnScalars(component: String) {
        let byScalars = !component.isEmpty && component.utf8.count <= 255 && !component.hasPrefix(".")
            && component.unicodeScalars.allSatisfy { s in
                s.value > 0x20 && s.value < 0x7F && !"/\\:\"<>?*|".unicodeScalars.contains(s)
            }
        #expect(SitePath.isSafeComponent(component) == byScalars)
    }
}

