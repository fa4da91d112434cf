import Foundation
import Testing
@testable import SiteRender
import TenantModel

/// The header fields written over UTF-8 bytes (words cut at the space byte, plainness tested on bytes, folding
/// into a byte buffer) give the text of the first, `String`-based versions (kept here as the reference).
@Suite struct HeaderBytesTests {
    enum Reference {
        static func mixedWords(_ text: String, isPlain: (Substring) -> Bool) -> [String] {
            var out: [String] = []
            var run: [Substring] = []
            func flush() {
                if !run.isEmpty { out += MIME.encodedWords(run.joined(separator: " ")) }
                run = []
            }
            for scalars in text.unicodeScalars.split(separator: " ", omittingEmptySubsequences: true) {
                let word = Substring(scalars)
                if isPlain(word) {
                    flush()
                    out.append(String(word))
                } else {
                    run.append(word)
                }
            }
            flush()
            return out
        }

        static func isPlainUnstructured(_ word: Substring) -> Bool {
            word.utf8.count <= MIME.maxLineLength - 12 && word.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
                && !MIME.hasEncodedWordStart(word)
        }

        static func isAtom(_ word: Substring) -> Bool {
            word.utf8.count <= MIME.maxLineLength - 12 && !MIME.hasEncodedWordStart(word) && word.unicodeScalars.allSatisfy { s in
                (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(s)
            }
        }

        static func fold(_ name: String, _ words: [String]) -> String {
            var out = name + ":"
            var lineLength = out.utf8.count
            for word in words {
                if lineLength + 1 + word.utf8.count > MIME.maxLineLength, lineLength > name.utf8.count + 1 {
                    out += MIME.crlf
                    lineLength = 0
                }
                out += " " + word
                lineLength += 1 + word.utf8.count
            }
            return out
        }

        static func unstructuredHeader(_ name: String, _ value: String) -> String {
            fold(name, mixedWords(MIME.singleLine(value), isPlain: isPlainUnstructured))
        }
    }

    static let parts = ["Faktura", "E000005671", "—", "Microsoft", "Ireland", " ", "  ", "=?UTF-8?B?x?=", "=?", "zażółć", "\u{1F600}",
                        "\u{202E}", "שלום", "a\u{301}", " \u{301}", "<x>", "\"q\"", "'a'", "{{t}}", "|", "\n", "\r\n", "\t", "\u{7F}",
                        String(repeating: "x", count: 70), String(repeating: "ł", count: 40), "a.b", "Ltd.", "sp. z o.o.", "!#$%"]

    @Test func headersMatchTheStringVersions() {
        var state: UInt64 = 13
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var text = ""
            for _ in 0..<Int((state >> 40) % 12) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += Self.parts[Int((state >> 33) % UInt64(Self.parts.count))]
                if (state >> 20) & 1 == 0 { text += " " }
            }
            #expect(MIME.unstructuredHeader("Subject", text) == Reference.unstructuredHeader("Subject", text), "\(text.debugDescription)")
            var bytes: [UInt8] = []
            MIME.appendUnstructuredHeader("Subject", text, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == Reference.unstructuredHeader("Subject", text))
            let single = MIME.singleLine(text)
            #expect(MIME.mixedWords(single, isPlain: MIME.isAtom) == Reference.mixedWords(single, isPlain: Reference.isAtom), "\(text.debugDescription)")
        }
    }

    /// The first, interpolating version of `MIME.dateTime`.
    static func referenceDateTime(_ date: CivilDate, hour: Int, minute: Int, in timeZone: TimeZone) -> String {
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let approximate = Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch * 86400 + hour * 3600 + minute * 60))
        let offset = timeZone.secondsFromGMT(for: approximate)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let weekday = weekdays[((date.daysSinceEpoch % 7) + 7) % 7]
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset) / 60
        return "\(weekday), \(two(date.day)) \(months[date.month - 1]) \(date.year) \(two(hour)):\(two(minute)):00 \(sign)\(two(magnitude / 60))\(two(magnitude % 60))"
    }

    @Test func datesMatchTheFirstVersion() {
        for days in stride(from: -1000, through: 30000, by: 7) {
            let date = CivilDate(daysSinceEpoch: days)
            for zone in [TimeZone.warsaw, TimeZone(identifier: "America/St_Johns")!, TimeZone(identifier: "UTC")!] {
                #expect(MIME.dateTime(date, hour: 8, minute: 5, in: zone) == Self.referenceDateTime(date, hour: 8, minute: 5, in: zone))
            }
        }
    }
}
