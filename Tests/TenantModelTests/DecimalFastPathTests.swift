import Foundation
import Testing
@testable import TenantModel

/// `Decimal(exactly:)` reads plain numbers without Foundation's scanner; the result must be the scanner's,
/// value and representation alike (the representation shows in `description` and `exponent`).
@Suite struct DecimalFastPathTests {
    static func scanner(_ text: String) -> Decimal? { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }

    static func expectSame(_ text: String) {
        let fast = Decimal.plainDecimal(text)
        let slow = scanner(text)
        #expect(fast != nil, "\(text) should take the fast path")
        guard let fast, let slow else { return }
        #expect(fast == slow, "\(text): \(fast) vs \(slow)")
        #expect(fast.description == slow.description, "\(text): \(fast.description) vs \(slow.description)")
        #expect(fast.exponent == slow.exponent, "\(text): exponent \(fast.exponent) vs \(slow.exponent)")
        #expect(fast.significand == slow.significand, "\(text)")
        #expect(fast.isSignMinus == slow.isSignMinus, "\(text)")
    }

    @Test func handPickedNumbers() {
        for text in ["0", "-0", "-0.00", "0.5", "-0.005", "3", "100", "54.40", "-120.00", "19.99", "4.2384",
                     "1000000", "0.0001", "9999999999999999999", "-9999999999999999.999", "1.10", "10.01", "007", "00.10"] {
            Self.expectSame(text)
        }
    }

    @Test func manyGeneratedNumbers() {
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 11 }
        for _ in 0..<5000 {
            let integer = String(next() % 10_000_000)
            let places = Int(next() % 5)
            var fraction = ""
            for _ in 0..<places { fraction += String(next() % 10) }
            let text = (next() % 3 == 0 ? "-" : "") + integer + (places > 0 ? "." + fraction : "")
            Self.expectSame(text)
        }
    }

    @Test func otherShapesTakeTheScanner() {
        for text in ["1e3", "1.5E-2", "12345678901234567890123", "", "-", ".5", "5.", "1.2.3", "+1", "0x10", " 1", "0.00"] {
            #expect(Decimal.plainDecimal(text) == nil, "\(text)")
        }
        #expect(Decimal(exactly: "1e3") == 1000)
        #expect(Decimal(exactly: "0.00")?.exponent == Self.scanner("0.00")?.exponent)
        #expect(Decimal(exactly: "12345678901234567890123") == Self.scanner("12345678901234567890123"))
    }
}
