import Testing
@testable import SiteRender

/// The pointer-writing quoted-printable encoder gives the bytes of the first, array-appending one (kept here
/// as the reference) on generated text: long lines, dots and "From " in column one, trailing blanks, CR/LF/CRLF,
/// `=`, multi-byte UTF-8.
@Suite struct QuotedPrintableFastPathTests {
    enum Reference {
        static func quotedPrintable(_ text: String) -> String {
            var out: [UInt8] = []
            let bytes = Array(text.utf8)
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
}
