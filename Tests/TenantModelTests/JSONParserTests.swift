import Testing
@testable import TenantModel

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(JSONSyntaxError) -> JSONNode { try JSONParser.parse(Array(text.utf8)) }

    func error(_ text: String) -> JSONSyntaxError? {
        do { _ = try parse(text); return nil } catch { return error }
    }

    @Test func numbersKeepTheirExactText() throws {
        let node = try parse(#"{"a": 19.99, "b": -0.005, "c": 1e3, "d": 12345678901234567890.12}"#)
        guard case .object(let members) = node.value else { Issue.record("not an object"); return }
        let texts = members.map { member -> String in
            if case .number(let t) = member.value.value { return t }
            return "?"
        }
        #expect(texts == ["19.99", "-0.005", "1e3", "12345678901234567890.12"])
    }

    @Test func cutShortFileNamesLineAndColumn() {
        let text = "{\n  \"tenant\": {\n    \"id\": \"abc"
        let e = error(text)
        #expect(e?.line == 3)
        #expect(e?.column == 11)
        #expect(e?.message.contains("never ends") == true)
    }

    @Test func missingValueAtEnd() {
        let e = error("{\"a\": [1, 2,")
        #expect(e?.message.contains("cut short") == true)
        #expect(e?.line == 1)
    }

    @Test func duplicateKeysAreRejected() {
        let e = error("{\"a\": 1,\n \"a\": 2}")
        #expect(e?.line == 2)
        #expect(e?.column == 2)
        #expect(e?.message == "duplicate key \"a\" in one object")
    }

    @Test func byteOrderMarkIsRejected() {
        do {
            _ = try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8))
            Issue.record("accepted a byte-order mark")
        } catch {
            #expect(error.message.contains("byte-order mark"))
            #expect(error.line == 1 && error.column == 1)
        }
    }

    @Test func invalidUTF8IsRejected() {
        do {
            _ = try JSONParser.parse(Array("{\"a\": \"".utf8) + [0xC3, 0x28] + Array("\"}".utf8))
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.message.contains("UTF-8"))
        }
    }

    @Test func deepNestingIsRejected() {
        let text = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(error(text)?.message.contains("nesting deeper") == true)
    }

    @Test func whitespaceOnlyIsAnError() {
        let text = String(repeating: " ", count: 1_000_000)
        #expect(error(text) != nil)
    }

    @Test func escapesAndSurrogates() throws {
        let node = try parse(#"["a\"b\\c\n", "\u0141\u00f3d\u017a", "\ud83d\ude00"]"#)
        guard case .array(let items) = node.value else { Issue.record("not an array"); return }
        let strings = items.compactMap { item -> String? in if case .string(let s) = item.value { return s }; return nil }
        #expect(strings == ["a\"b\\c\n", "Łódź", "😀"])
        #expect(error(#"["\ud83d"]"#)?.message.contains("surrogate") == true)
    }

    @Test func controlCharacterInStringIsRejected() {
        #expect(error("[\"a\u{01}b\"]")?.message.contains("control character") == true)
    }

    @Test func columnsCountCharactersNotBytes() {
        // "ł" is two bytes in UTF-8 but one column.
        let e = error("{\"ł\": x}")
        #expect(e?.line == 1)
        #expect(e?.column == 7)
    }
}
