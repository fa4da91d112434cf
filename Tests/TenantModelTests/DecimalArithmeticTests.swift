import Foundation
import Testing
@testable import TenantModel

/// `plus`, `minus`, `times`, `sameValue`, `roundedHalfUp` and `isWhole` take integer paths for small decimals;
/// every result must be Foundation's: the same value, the same description, the same exponent.
@Suite struct DecimalArithmeticTests {
    static func foundationRounded(_ value: Decimal, _ scale: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }

    static func expectSame(_ fast: Decimal, _ slow: Decimal, _ what: @autoclosure () -> String) {
        #expect(fast == slow, "\(what()): \(fast) vs \(slow)")
        #expect(fast.description == slow.description, "\(what()): \(fast.description) vs \(slow.description)")
        if !slow.isZero {
            #expect(fast.exponent == slow.exponent, "\(what()): exponent \(fast.exponent) vs \(slow.exponent)")
            #expect(fast.isSignMinus == slow.isSignMinus, "\(what())")
        }
    }

    /// Values of every shape the fast paths meet, and some they must refuse (huge significands).
    static func values(count: Int, seed: UInt64) -> [Decimal] {
        var state = seed
        func next(_ n: UInt64) -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return (state >> 17) % n }
        let magnitudes: [UInt64] = [10, 1000, 100_000, 10_000_000_000, 1_000_000_000_000_000_000]
        var out: [Decimal] = []
        for _ in 0..<count {
            let significand = next(magnitudes[Int(next(UInt64(magnitudes.count)))])
            let exponent = Int(next(9)) - 6
            out.append(Decimal(sign: next(2) == 0 ? .minus : .plus, exponent: exponent, significand: Decimal(significand)))
        }
        out += ["0", "-0", "0.00", "0.5", "-0.5", "2.5", "-2.5", "0.005", "-0.005", "123456789012345678901234.56",
                "-98765432109876543.21", "9223372036854775807", "9223372036854775808"].map { Decimal(string: $0)! }
        return out
    }

    @Test func theLayoutIsUnderstoodOnThisMachine() {
        // Without it every operation would be correct but slow: a silent loss this test makes loud.
        #expect(Decimal(string: "-1234.56")!.small == Decimal.Small(negative: true, significand: 123456, exponent: -2))
        #expect(Decimal(string: "123456789012345678901234.5")!.small == nil)
    }

    @Test func sumsDifferencesAndProductsAreFoundations() {
        let values = Self.values(count: 400, seed: 7)
        var fastPaths = 0
        for (i, a) in values.enumerated() {
            for b in values[i...].prefix(40) {
                if a.small != nil && b.small != nil { fastPaths += 1 }
                Self.expectSame(a.plus(b), a + b, "\(a) + \(b)")
                Self.expectSame(a.minus(b), a - b, "\(a) - \(b)")
                Self.expectSame(a.times(b), a * b, "\(a) × \(b)")
                #expect(a.sameValue(as: b) == (a == b), "\(a) == \(b)")
                #expect(a.sameValue(as: a.plus(0)), "\(a)")
            }
        }
        #expect(fastPaths > 10_000)
    }

    @Test func roundingIsFoundationsHalfUp() {
        for value in Self.values(count: 3000, seed: 11) {
            for scale in [0, 1, 2, 4] {
                Self.expectSame(value.roundedHalfUp(scale: scale), Self.foundationRounded(value, scale), "\(value) to \(scale)")
            }
            #expect(value.isWhole == (value == Self.foundationRounded(value, 0)), "\(value)")
        }
        #expect(Decimal(string: "2.345")!.roundedHalfUp() == Decimal(string: "2.35")!)
        #expect(Decimal(string: "-2.345")!.roundedHalfUp() == Decimal(string: "-2.35")!)
        #expect(Decimal(string: "2.3449")!.roundedHalfUp() == Decimal(string: "2.34")!)
    }

    @Test func totalsAddExactly() {
        let values = Self.values(count: 500, seed: 3)
        #expect(Decimal.total(values) == values.reduce(0, +))
        #expect(Decimal.total([]) == 0)
    }
}

/// The decoder finds forbidden characters from their UTF-8 bytes; it must agree with the definitions by scalar.
@Suite struct ForbiddenCharacterTests {
    @Test func bytesAgreeWithScalars() {
        let alphabet: [String] = ["a", " ", "ą", "–", "„", "”", "€", "\t", "\n", "\r", "\u{0}", "\u{1B}", "\u{7F}", "\u{80}", "\u{9B}",
                                  "\u{9F}", "\u{A0}", "\u{200E}", "\u{200F}", "\u{2029}", "\u{202A}", "\u{202E}", "\u{202F}",
                                  "\u{2065}", "\u{2066}", "\u{2069}", "\u{206A}", "😀", "\u{C2}"]
        var state: UInt64 = 23
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        var forbidden = 0
        for _ in 0..<5000 {
            var text = (0..<next(6)).map { _ in alphabet[next(alphabet.count)] }.joined()
            let expected = text.unicodeScalars.contains {
                ($0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r") || TextLimits.isControl($0) || TextLimits.isBidiControl($0)
            }
            if expected { forbidden += 1 }
            #expect(text.withUTF8(TextLimits.hasForbiddenCharacter) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(forbidden > 1000)
    }
}

@Suite struct DecimalNaNTests {
    @Test func notANumberIsNeverSmall() {
        #expect(Decimal.nan.small == nil)
        #expect(Decimal.nan.plus(1).isNaN)
        #expect(Decimal(1).times(.nan).isNaN)
        #expect(!Decimal.nan.sameValue(as: 0))
    }
}
