import Foundation
import Testing
import PropertyBased
@testable import TenantModel

@Suite struct ValuesTests {
    @Test func decimalsAreExact() {
        let price = Amount(exactly: "19.99")!
        #expect(price * 3 == Amount(exactly: "59.97")!)
        #expect("\(price * 3)" == "59.97")
    }

    @Test(arguments: [
        ("0.005", "0.01"), ("0.015", "0.02"), ("0.025", "0.03"), ("2.675", "2.68"), ("-0.005", "-0.01"),
        ("1.004", "1"), ("12.345", "12.35"), ("-12.345", "-12.35"),
    ])
    func roundingIsHalfUpToTheGrosz(input: String, expected: String) {
        #expect(Amount(exactly: input)!.roundedHalfUp() == Amount(exactly: expected)!)
    }

    @Test func civilDateParsingChecksTheCalendar() {
        #expect(CivilDate(iso: "2024-02-29") != nil)
        #expect(CivilDate(iso: "2025-02-29") == nil)
        #expect(CivilDate(iso: "2025-04-31") == nil)
        #expect(CivilDate(iso: "2025-4-1") == nil)
        #expect(CivilDate(iso: "2025-13-01") == nil)
    }

    @Test(arguments: [
        ("2025-05-31", -3, "2025-02-28"), ("2024-05-31", -3, "2024-02-29"), ("2025-03-31", -1, "2025-02-28"),
        ("2025-01-15", -6, "2024-07-15"), ("2024-02-29", 12, "2025-02-28"), ("2025-12-31", 1, "2026-01-31"),
    ])
    func monthArithmeticClampsToMonthEnd(from: String, months: Int, expected: String) {
        #expect(CivilDate(iso: from)!.adding(months: months).iso == expected)
    }

    @Test func daysSinceEpochRoundTrips() async {
        await propertyCheck(input: Gen.int(in: -800_000...800_000)) { days in
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CivilDate(iso: "1970-01-01")!.daysSinceEpoch == 0)
        #expect(CivilDate(iso: "2026-11-20")!.daysSinceEpoch == 20777)
    }

    @Test func timestampsConvertToWarsawDates() {
        // 23:30 UTC on 31 March is already 1 April in Poland (summer time, UTC+2).
        let t = Timestamp(rfc3339: "2025-03-31T23:30:00Z")!
        let local = t.civil(in: .warsaw)
        #expect(local.date.iso == "2025-04-01")
        #expect(local.hour == 1 && local.minute == 30)
        // Winter time: UTC+1.
        let w = Timestamp(rfc3339: "2025-12-31T23:30:00Z")!.civil(in: .warsaw)
        #expect(w.date.iso == "2026-01-01" && w.hour == 0)
        #expect(Timestamp(rfc3339: "2026-11-20T08:30:00+01:00") == Timestamp(rfc3339: "2026-11-20T07:30:00Z"))
        #expect(Timestamp(rfc3339: "2026-11-20T07:30:00.123Z") == Timestamp(rfc3339: "2026-11-20T07:30:00Z"))
        #expect(Timestamp(rfc3339: "2015-11-25T06: 41: 12Z") == nil)
        #expect(Timestamp(rfc3339: "2026-11-20") == nil)
        #expect(Timestamp(rfc3339: "2026-11-20T07:30:00Z")!.description == "2026-11-20T07:30:00Z")
    }

    @Test func nipCheckDigit() {
        #expect(NIP.isValid("5260250274"))
        #expect(!NIP.isValid("5260250275"))
        #expect(!NIP.isValid("526025027"))
        #expect(!NIP.isValid("52602502a4"))
        #expect(NIP.formatted("5260250274") == "526-025-02-74")
    }

    @Test func moneyTotalsNeverMixCurrencies() {
        var totals = MoneyTotals()
        totals.add(Money(10, "PLN"))
        totals.add(Money(5, "EUR"))
        totals.add(Money(Amount(exactly: "0.01")!, "PLN"))
        #expect(totals.sorted == [Money(5, "EUR"), Money(Amount(exactly: "10.01")!, "PLN")])
    }

    /// Every haystack of up to 7 bytes and every needle of up to 3 over {a, b}: the search agrees with a naive one.
    @Test func byteSearchAgreesWithANaiveOne() {
        func words(upTo length: Int) -> [[UInt8]] {
            var all: [[UInt8]] = [[]], frontier: [[UInt8]] = [[]]
            for _ in 0..<length {
                frontier = frontier.flatMap { [$0 + [97], $0 + [98]] }
                all += frontier
            }
            return all
        }
        for haystack in words(upTo: 7) {
            for needle in words(upTo: 3) {
                var naive = needle.isEmpty
                if !naive, needle.count <= haystack.count {
                    naive = (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
                }
                #expect(haystack.contains(bytes: needle) == naive, "\(haystack) \(needle)")
            }
        }
    }
}
