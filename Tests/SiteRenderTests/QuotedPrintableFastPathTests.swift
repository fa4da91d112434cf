import Testing
@testable import SiteRender

/// The pointer-writing quoted-printable encoder gives the bytes of the first, array-appending one (kept here
/// as the reference) on generated text: long lines, dots and "From " in column one, trailing blanks, CR/LF/CRLF,
/// `=`, multi-byte UTF-8.
@Suite struct QuotedPrintableFastPathTests {
    enum Reference {
        static func quotedPrintable(_ text: String) -> String { quotedPrintableBytes(Array(text.utf8)) }

        static func quotedPrintableBytes(_ bytes: [UInt8]) -> String {
            var out: [UInt8] = []
            var lineStart = 0
            var i = 0
            while i <= bytes.count {
                if i == bytes.count || bytes[i] == 10 || bytes[i] == 13 {
                    encodeLine(bytes[lineStart..<i], into: &out)
                    if i == bytes.count { break }
                    out += [13, 10]
                    if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
                    lineStart = i + 1
                }
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }

        static let hexDigits = Array("0123456789ABCDEF".utf8)

        static func encodeLine(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) {
            var column = 0
            let startsWithFrom = line.starts(with: Array("From ".utf8))
            for index in line.indices {
                let byte = line[index]
                let isLast = index == line.index(before: line.endIndex)
                let literal: Bool
                switch byte {
                case UInt8(ascii: "="): literal = false
                case UInt8(ascii: " "), UInt8(ascii: "\t"): literal = !isLast
                case 33...126: literal = true
                default: literal = false
                }
                var width = literal ? 1 : 3
                if column + width > (isLast ? 76 : 75) {
                    out += [UInt8(ascii: "="), 13, 10]
                    column = 0
                }
                let atColumnOne = column == 0 && (byte == UInt8(ascii: ".") || (index == line.startIndex && startsWithFrom))
                if literal && !atColumnOne {
                    out.append(byte)
                } else {
                    out += [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
                    width = 3
                }
                column += width
            }
        }
    }

    @Test func encodesLikeTheFirstVersion() {
        let parts = ["a", "bb ", " ", "\t", "=", ".", "From ", "ż", "€", "\n", "\r", "\r\n", "x", "<td style=\"a:b;\">",
                     String(repeating: "y", count: 70), String(repeating: "ł", count: 30), "\u{1F600}", "\0"]
        var state: UInt64 = 5
        for _ in 0..<3000 {
            var text = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for _ in 0..<Int((state >> 40) % 14) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += parts[Int((state >> 33) % UInt64(parts.count))]
            }
            #expect(MIME.quotedPrintable(text) == Reference.quotedPrintable(text), "\(text.debugDescription)")
        }
    }

    /// Long texts, where the encoder copies eight bytes at a time: words that end in a space before a line
    /// end, `=` and multi-byte characters at every distance from column 75, dots and "From " after soft breaks.
    @Test func longTextsEncodeLikeTheFirstVersion() {
        let parts = ["a", "abcdefg", "abcdefg ", " ", "  ", "\t", "=", ".", ".x", "From ", "From", "F", "ż", "€", "\n", "\r",
                     "\r\n", "\n\r", "<td style=\"a:b;\">", "\u{1F600}", "\0", "\u{7F}", "\u{202E}", "{{", "|", "&amp;",
                     String(repeating: "y", count: 70), String(repeating: "y", count: 74), String(repeating: "y", count: 75),
                     String(repeating: "ł", count: 30), String(repeating: "z ", count: 40), String(repeating: "=", count: 9)]
        var state: UInt64 = 11
        for _ in 0..<4000 {
            var text = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for _ in 0..<Int((state >> 40) % 80) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += parts[Int((state >> 33) % UInt64(parts.count))]
            }
            #expect(MIME.quotedPrintable(text) == Reference.quotedPrintable(text), "\(text.debugDescription)")
        }
    }

    /// Random bytes (not only UTF-8), with the line ends and the bytes the rules name much more often than chance.
    @Test func randomBytesEncodeLikeTheFirstVersion() {
        let favoured: [UInt8] = [0x3D, 0x20, 0x09, 0x0A, 0x0D, 0x2E, 0x46, 0x72, 0x6F, 0x6D, 0x7F, 0x80, 0xC5, 0xFF, 0x00]
        var state: UInt64 = 3
        for _ in 0..<3000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let count = Int((state >> 40) % 400)
            var bytes: [UInt8] = []
            for _ in 0..<count {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let pick = Int((state >> 33) % 100)
                bytes.append(pick < 30 ? favoured[pick % favoured.count] : pick < 80 ? UInt8(0x21 + (state >> 45) % 94) : UInt8((state >> 50) & 0xFF))
            }
            var fast: [UInt8] = []
            bytes.withUnsafeBufferPointer { MIME.appendQuotedPrintable($0, to: &fast) }
            #expect(fast == Array(Reference.quotedPrintableBytes(bytes).utf8))
        }
    }
}
