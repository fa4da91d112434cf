import Foundation
import Testing
@testable import SiteRender

/// `JSONText.appendString` writes what Foundation's `JSONEncoder` writes for a string (the search indexes were encoded
/// with it, byte for byte), and with `scriptSafe` nothing a script file or a `<script>` element could trip on.
@Suite struct JSONTextTests {
    struct Box: Encodable { var s: String }

    static func foundation(_ text: String) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = Array(try encoder.encode(Box(s: text)))
        return Array(json.dropFirst(5).dropLast())  // {"s":…}
    }

    static func ours(_ text: String, scriptSafe: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        JSONText.appendString(text, to: &out, scriptSafe: scriptSafe)
        return out
    }

    static let samples = ["", "plain", "Zażółć gęślą jaźń", "quote \" and \\ backslash", "a/b/c", "tab\tnew\nline\rcr",
                          "\u{08}\u{0C}\u{00}\u{01}\u{1F}\u{7F}", "</script><!--", "line\u{2028}para\u{2029}end", "emoji 🇵🇱 👍🏽",
                          "\u{E2}", "€ – — …"]

    @Test func writesWhatJSONEncoderWrites() throws {
        for sample in Self.samples { #expect(Self.ours(sample) == (try Self.foundation(sample)), "\(sample.debugDescription)") }
        // Every scalar below U+0800 and a few beyond, one at a time and together.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let scalars = (0..<Int.random(in: 0...40, using: &generator)).map { _ -> Character in
                let pick = Int.random(in: 0..<10, using: &generator)
                let value = pick < 3 ? UInt32.random(in: 0..<0x80, using: &generator)
                    : pick < 6 ? UInt32.random(in: 0x80..<0x800, using: &generator)
                    : pick < 8 ? [0x2028, 0x2029, 0x3C, 0x22, 0x5C][Int.random(in: 0..<5, using: &generator)]
                    : UInt32.random(in: 0x1F300..<0x1F600, using: &generator)
                return Character(Unicode.Scalar(value)!)
            }
            let text = String(scalars)
            #expect(Self.ours(text) == (try Self.foundation(text)), "\(text.debugDescription)")
        }
    }

    @Test func scriptSafeEscapesAngleBracketsAndLineSeparators() throws {
        let text = "</script> a\u{2028}b\u{2029}c ‚ok’"
        let json = String(decoding: Self.ours(text, scriptSafe: true), as: UTF8.self)
        #expect(json == #""\u003c/script> a\u2028b\u2029c ‚ok’""#)
        // Still the same string to a JSON reader.
        let decoded = try JSONDecoder().decode(String.self, from: Data(json.utf8))
        #expect(decoded == text)
    }
}
