import Foundation
import Testing
@testable import TenantModel

/// `Amount` against Foundation's `Decimal` as the reference: reading, text, sums, products (after rounding),
/// quotients (to ten places) and rounding give Foundation's values.
@Suite struct AmountTests {
    static func reference(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

    static func rounded(_ value: Decimal, _ scale: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }

    static func same(_ amount: Amount, _ decimal: Decimal) -> Bool { amount.description == "\(decimal)" }

    /// Numbers of every shape a snapshot may hold: up to 12 integer and 10 fraction digits, both signs (seeded).
    static func texts(count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next(_ n: UInt64) -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return (state >> 17) % n }
        var out = ["0", "-0", "0.00", "0.5", "-0.5", "2.5", "-2.5", "0.005", "-0.005", "999999999999.9999999999",
                   "-999999999999.9999999999", "0.0000000001", "54.40", "-120.00", "1e3", "1.25E-2", "007"]
        for _ in 0..<count {
            let integer = String(next([10, 1000, 1_000_000, 1_000_000_000_000][Int(next(4))]))
            let places = Int(next(11))
            var fraction = ""
            for _ in 0..<places { fraction += String(next(10)) }
            out.append((next(3) == 0 ? "-" : "") + integer + (places > 0 ? "." + fraction : ""))
        }
        return out
    }

    @Test func readsAndWritesNumbersExactly() {
        for text in Self.texts(count: 3000, seed: 1) {
            guard let amount = Amount(exactly: text) else { Issue.record("\(text) refused"); continue }
            #expect(Self.same(amount, Self.reference(text)), "\(text): \(amount)")
        }
        #expect(Amount.parse("0.00000000001") == .failure(.tooManyFractionDigits))
        #expect(Amount.parse("1e-11") == .failure(.tooManyFractionDigits))
        #expect(Amount.parse("1.50000000000") == .success(Amount(exactly: "1.5")!))
        #expect(Amount.parse("1e40") == .failure(.tooLarge))
        for bad in ["", "-", ".5", "5.", "1..2", "0x10", "1e", "++1", "1,5"] { #expect(Amount.parse(bad) == .failure(.notANumber), "\(bad)") }
    }

    @Test func arithmeticIsFoundations() {
        let texts = Self.texts(count: 300, seed: 7)
        for (i, a) in texts.enumerated() {
            for b in texts[i...].prefix(30) {
                let x = Amount(exactly: a)!, y = Amount(exactly: b)!
                let p = Self.reference(a), q = Self.reference(b)
                #expect(Self.same(x + y, p + q), "\(a) + \(b)")
                #expect(Self.same(x - y, p - q), "\(a) - \(b)")
                #expect((x < y) == (p < q), "\(a) < \(b)")
                // A product keeps ten places, cut toward zero: rounded to fewer, it is the full product rounded.
                for scale in [0, 2, 4] {
                    #expect(Self.same((x * y).roundedHalfUp(scale: scale), Self.rounded(p * q, scale)), "\(a) × \(b) to \(scale)")
                }
            }
            let x = Amount(exactly: a)!, p = Self.reference(a)
            for n in [1, 3, 7, 12, 36, -5] {
                #expect(Self.same(x / n, Self.rounded(p / Decimal(n), 10)), "\(a) / \(n)")
                #expect(Self.same(x * n, p * Decimal(n)), "\(a) × \(n)")
            }
            for scale in [0, 1, 2, 4, 10] {
                #expect(Self.same(x.roundedHalfUp(scale: scale), Self.rounded(p, scale)), "\(a) to \(scale)")
            }
            #expect(x.isWhole == (p == Self.rounded(p, 0)), "\(a)")
        }
        #expect(Amount(exactly: "2.345")!.roundedHalfUp() == Amount(exactly: "2.35")!)
        #expect(Amount(exactly: "-2.345")!.roundedHalfUp() == Amount(exactly: "-2.35")!)
    }

    @Test func productsBeyondAnySnapshotStopInsteadOfTrapping() {
        let huge = Amount(units: .max / 2)
        #expect(huge * huge == Amount(units: .max))
        #expect(huge * -3 == Amount(units: .min + 1))
        #expect(Amount(exactly: "999999999999.9999999999")! * Amount(exactly: "999999999999.9999999999")! > Amount(exactly: "999999999999")!)
    }
}
