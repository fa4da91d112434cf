import Foundation
import Testing
@testable import SiteRender
import TenantModel

/// `CSVWriter` writes bytes and checks quoting byte by byte; these compare it with the `String` writer it
/// replaced (kept here) on hostile fields.
@Suite struct CSVWriterTests {
    /// The writer before: `Character`s, `String` concatenation.
    struct StringCSV {
        let separator: Character
        let decimalComma: Bool
        var out = "\u{FEFF}"

        init(language: Language) {
            separator = language == .pl ? ";" : ","
            decimalComma = language == .pl
        }

        mutating func row(_ fields: [CSVWriter.Field]) {
            out += fields.map(encode).joined(separator: String(separator))
            out += "\r\n"
        }

        func encode(_ field: CSVWriter.Field) -> String {
            switch field {
            case .text(var text):
                if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
                guard text.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
                return "\"" + text.replacing("\"", with: "\"\"") + "\""
            case .amount(let value):
                let (negative, integer, fraction) = LocaleFormat.digits(of: value.roundedHalfUp(), scale: 2)
                return (negative ? "-" : "") + integer + (decimalComma ? "," : ".") + fraction
            case .date(let date):
                return date?.iso ?? ""
            }
        }
    }

    static let hostile = [
        "", "plain", "a;b", "a,b", "say \"hi\"", "\"", "\"\"", "two\nlines", "cr\rhere", "crlf\r\nhere", "=SUM(A1)", "+48 600", "-5", "@home",
        "\tTab", "\rCR first", "<script>&amp;</script>", "{{x}} | y", "\u{202E}bidi\u{202C}", "👩‍💻 emoji; with separator", "Zażółć gęślą jaźń",
        "'quoted'", "ends with ;", ";", ",", "\u{FEFF}bom",
    ]

    @Test(arguments: Language.allCases)
    func bytesAreTheStringWriters(_ language: Language) {
        var fast = CSVWriter(language: language)
        var slow = StringCSV(language: language)
        let amounts = ["0", "-0.004", "0.005", "-1234.5", "1234567.891", "99999999999.995", "-0.01"].map { Amount(exactly: $0)! }
        for (i, text) in Self.hostile.enumerated() {
            let fields: [CSVWriter.Field] = [
                .text(text), .text(Self.hostile[(i + 1) % Self.hostile.count] + text), .amount(amounts[i % amounts.count]),
                .date(i % 3 == 0 ? nil : CivilDate(year: 2024, month: 2, day: 29)), .text(text + "x"),
            ]
            fast.row(fields)
            slow.row(fields)
            // A line encoded once and appended is the same line.
            #expect(fast.encodedRow(fields) == Array(slow.encode(fields[0]).utf8) + Array(String(slow.separator).utf8)
                + Array(slow.encode(fields[1]).utf8) + Array(String(slow.separator).utf8) + Array(slow.encode(fields[2]).utf8)
                + Array(String(slow.separator).utf8) + Array(slow.encode(fields[3]).utf8) + Array(String(slow.separator).utf8)
                + Array(slow.encode(fields[4]).utf8) + [0x0D, 0x0A])
        }
        #expect(fast.text == slow.out)
        #expect(fast.bytes == Array(slow.out.utf8))
    }

    /// Amounts by integer arithmetic against Foundation's rounding and digits, around every rounding edge.
    @Test(arguments: Language.allCases)
    func amountsAreFoundations(_ language: Language) {
        let fast = CSVWriter(language: language)
        let slow = StringCSV(language: language)
        var amounts = ["0", "-0", "0.005", "-0.005", "0.0049999", "-0.0049999", "0.015", "-2.675", "1e3", "-1.5e-1", "12345678901234567.895",
                       "-99999999999999999.995", "922337203685477580.7", "12345678901234567890123456", "0.0000000001"]
            .map { Amount(exactly: $0)! }
        // Seeded (SplitMix64 steps): the same 5,000 amounts on every run, so a failure can be replayed.
        struct Seeded: RandomNumberGenerator {
            var state: UInt64
            mutating func next() -> UInt64 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
        }
        var generator = Seeded(state: 2026)
        for _ in 0..<5_000 {
            let significand = Int64.random(in: -10_000_000_000...10_000_000_000, using: &generator)
            let exponent = Int.random(in: -6...3, using: &generator)
            amounts.append(Amount(units: Int128(significand) * (0..<(10 + exponent)).reduce(Int128(1)) { p, _ in p * 10 }))
        }
        for amount in amounts {
            var line: [UInt8] = []
            fast.encode(.amount(amount), into: &line)
            #expect(line == Array(slow.encode(.amount(amount)).utf8), "\(amount)")
        }
    }

    @Test func datesAreISO() {
        let dates = [CivilDate(year: 2024, month: 2, day: 29), CivilDate(year: 5, month: 1, day: 9), CivilDate(year: 999, month: 12, day: 31),
                     CivilDate(year: 10_000, month: 1, day: 1), CivilDate(year: 1970, month: 10, day: 10)]
        for date in dates {
            var line: [UInt8] = []
            CSVWriter.appendISO(date, to: &line)
            #expect(line == Array(date.iso.utf8), "\(date.iso)")
        }
    }

    /// The one difference, on purpose: a separator or quote followed by a combining mark is one `Character`, which
    /// the string writer did not see as a separator, so the field split in two in a spreadsheet.
    @Test func aSeparatorUnderACombiningMarkIsStillQuoted() {
        var pl = CSVWriter(language: .pl)
        pl.row([.text("a;\u{0301}b"), .text("q\"\u{0301}")])
        #expect(pl.text == "\u{FEFF}\"a;\u{0301}b\";\"q\"\"\u{0301}\"\r\n")
    }
}
