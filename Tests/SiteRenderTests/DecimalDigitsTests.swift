import Foundation
import Testing
@testable import SiteRender
import TenantModel

/// Formatting takes a decimal's digits from integer arithmetic; they must be the digits its description
/// gives (`generalDecimal`), for every sign, scale and size, and what the integers cannot hold takes the description.
@Suite struct DecimalDigitsTests {
    @Test func valuesBeyondTheIntegersTakeTheDescription() {
        let pl = LocaleFormat(.pl), en = LocaleFormat(.en)
        func grouped(_ text: String) -> String { text.replacingOccurrences(of: " ", with: "\u{A0}") }
        let huge = Amount(exactly: "12345678901234567890123456")!
        #expect(pl.decimal(huge, scale: 2) == grouped("12 345 678 901 234 567 890 123 456,00"))
        #expect(en.decimal(huge, scale: 2) == "12,345,678,901,234,567,890,123,456.00")
        #expect(pl.decimal(Amount(exactly: "-99999999999999999999.995")!, scale: 2) == grouped("-100 000 000 000 000 000 000,00"))
        #expect(pl.decimal(Amount(exactly: "1e25")!, scale: 0) == grouped("10 000 000 000 000 000 000 000 000"))
        #expect(pl.decimal(Amount(exactly: "0.000001")!, scale: 2) == "0,00")
        #expect(pl.money(Amount(exactly: "-0.004")!, "PLN") == "0,00\u{A0}zł")
        #expect(pl.money(Amount(exactly: "-12345.675")!, "PLN") == "-12\u{A0}345,68\u{A0}zł")
    }

    /// `decimal` and `money` write digits straight from the decimal's parts; they must equal the general path.
    @Test func fastFormattingIsTheGeneralFormatting() {
        var state: UInt64 = 5
        func next(_ n: UInt64) -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return (state >> 20) % n }
        var fast = 0
        for _ in 0..<20000 {
            let magnitude = [10, 1000, 1_000_000, 10_000_000_000, 1_000_000_000_000_000][Int(next(5))]
            let significand = Int128(next(UInt64(magnitude))) * (next(2) == 0 ? -1 : 1)
            let value = Amount(units: significand * (0..<(10 + Int(next(9)) - 6)).reduce(Int128(1)) { p, _ in p * 10 })
            for language in [Language.pl, .en] {
                let format = LocaleFormat(language)
                for scale in [0, 2, 4] {
                    if format.fastDecimal(value, scale: scale) != nil { fast += 1 }
                    #expect(format.decimal(value, scale: scale) == format.generalDecimal(value, scale: scale), "\(value) at \(scale) in \(language)")
                }
            }
        }
        #expect(fast > 100_000)
        let pl = LocaleFormat(.pl), en = LocaleFormat(.en)
        #expect(pl.money(Amount(exactly: "-0.004")!, "PLN") == "0,00\u{A0}zł")
        #expect(pl.money(Amount(exactly: "1234567.895")!, "PLN") == "1\u{A0}234\u{A0}567,90\u{A0}zł")
        #expect(pl.decimal(Amount(exactly: "1234")!, scale: 0) == "1\u{A0}234")
        #expect(pl.decimal(Amount(exactly: "999")!, scale: 0) == "999")
        #expect(pl.decimal(Amount(exactly: "12345")!, scale: 0) == "12\u{A0}345")
        #expect(en.money(Amount(exactly: "-1234.5")!, "EUR") == "-€1,234.50")
        #expect(en.decimal(Amount(exactly: "999.999")!, scale: 2) == "1,000.00")
    }
}
