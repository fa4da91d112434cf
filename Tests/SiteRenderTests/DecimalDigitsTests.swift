import Foundation
import Testing
@testable import SiteRender
import TenantModel

/// Formatting takes a decimal's digits from integer arithmetic; they must be the digits its description
/// gives, for every sign, scale and size (and the fallback must take what the integers cannot).
@Suite struct DecimalDigitsTests {
    @Test func integerDigitsAreTheDescribedDigits() {
        var state: UInt64 = 99
        func next(_ n: UInt64) -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return (state >> 20) % n }
        var fast = 0
        for _ in 0..<20000 {
            let scale = Int(next(5))
            let magnitude = [10, 1000, 1_000_000, 10_000_000_000, 1_000_000_000_000_000][Int(next(5))]
            let raw = Decimal(sign: next(2) == 0 ? .minus : .plus, exponent: -Int(next(6)), significand: Decimal(next(UInt64(magnitude))))
            let value = raw.roundedHalfUp(scale: scale)
            let described = LocaleFormat.describedDigits(of: value, scale: scale)
            if let exact = LocaleFormat.integerDigits(of: value, scale: scale) {
                fast += 1
                #expect(exact == described, "\(value) at scale \(scale)")
            }
            #expect(LocaleFormat.digits(of: value, scale: scale) == described)
        }
        #expect(fast > 19000)
        for text in ["123456789012345678901234567", "-99999999999999999.99", "1e30", "0.000001"] {
            let value = Decimal(string: text)!
            #expect(LocaleFormat.digits(of: value, scale: 2) == LocaleFormat.describedDigits(of: value, scale: 2), "\(text)")
        }
        #expect(LocaleFormat(.pl).money(Decimal(string: "-12345.675")!, "PLN") == "-12\u{A0}345,68\u{A0}zł")
    }

    /// `decimal` and `money` write digits straight from the decimal's parts; they must equal the general path.
    @Test func fastFormattingIsTheGeneralFormatting() {
        var state: UInt64 = 5
        func next(_ n: UInt64) -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return (state >> 20) % n }
        var fast = 0
        for _ in 0..<20000 {
            let magnitude = [10, 1000, 1_000_000, 10_000_000_000, 1_000_000_000_000_000][Int(next(5))]
            let value = Decimal(sign: next(2) == 0 ? .minus : .plus, exponent: Int(next(9)) - 6, significand: Decimal(next(UInt64(magnitude))))
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
        #expect(pl.money(Decimal(string: "-0.004")!, "PLN") == "0,00\u{A0}zł")
        #expect(pl.money(Decimal(string: "1234567.895")!, "PLN") == "1\u{A0}234\u{A0}567,90\u{A0}zł")
        #expect(pl.decimal(Decimal(string: "1234")!, scale: 0) == "1234")
        #expect(pl.decimal(Decimal(string: "12345")!, scale: 0) == "12\u{A0}345")
        #expect(en.money(Decimal(string: "-1234.5")!, "EUR") == "-€1,234.50")
        #expect(en.decimal(Decimal(string: "999.999")!, scale: 2) == "1,000.00")
    }
}
