import Testing
@testable import SiteRender

/// `{name}` placeholders in string tables, filled on UTF-8 bytes.
@Suite struct StringFillTests {
    @Test func fillsKnownPlaceholdersAndKeepsTheRest() {
        let args = ["n": "3", "name": "Łąka „Zielona”", "x": "{n}"]
        #expect(StringTable.fill("Faktur: {n}", args) == "Faktur: 3")
        #expect(StringTable.fill("{name} — {n} licencje", args) == "Łąka „Zielona” — 3 licencje")
        #expect(StringTable.fill("żółć {missing} ąę", args) == "żółć {missing} ąę")
        #expect(StringTable.fill("{x}", args) == "{n}")
        #expect(StringTable.fill("{a{n}", args) == "{a{n}")
        #expect(StringTable.fill("no braces", args) == "no braces")
        #expect(StringTable.fill("open { only", args) == "open { only")
        #expect(StringTable.fill("{n}{n}{", args) == "33{")
        #expect(StringTable.fill("", args) == "")
    }
}
