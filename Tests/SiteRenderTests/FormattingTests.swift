import Foundation
import Testing
import PropertyBased
import TenantModel
@testable import SiteRender

@Suite struct FormattingTests {
    let pl = LocaleFormat(.pl)
    let en = LocaleFormat(.en)
    func d(_ s: String) -> Amount { Amount(exactly: s)! }

    @Test func polishMoneyBytes() {
        #expect(pl.money(d("1234.56"), "PLN") == "1\u{00A0}234,56\u{00A0}zł")
        #expect(pl.money(d("999.99"), "PLN") == "999,99\u{00A0}zł")
        #expect(pl.money(d("12345.678"), "PLN") == "12\u{00A0}345,68\u{00A0}zł")
        #expect(pl.money(d("1234567.5"), "PLN") == "1\u{00A0}234\u{00A0}567,50\u{00A0}zł")
        #expect(pl.money(d("-54.4"), "PLN") == "-54,40\u{00A0}zł")
        #expect(pl.money(d("0.005"), "PLN") == "0,01\u{00A0}zł")
        #expect(pl.money(d("-0.004"), "PLN") == "0,00\u{00A0}zł")
        #expect(pl.money(d("99.9"), "EUR") == "99,90\u{00A0}€")
        #expect(Array(pl.money(d("12345.68"), "PLN").utf8) == [0x31, 0x32, 0xC2, 0xA0, 0x33, 0x34, 0x35, 0x2C, 0x36, 0x38, 0xC2, 0xA0, 0x7A, 0xC5, 0x82])
    }

    @Test func englishMoneyBytes() {
        #expect(en.money(d("1234.56"), "EUR") == "€1,234.56")
        #expect(en.money(d("-5"), "EUR") == "-€5.00")
        #expect(en.money(d("1234.56"), "PLN") == "PLN\u{00A0}1,234.56")
        #expect(en.money(d("999"), "GBP") == "£999.00")
    }

    @Test func moneyIsExactForSums() {
        let price = d("19.99")
        #expect(pl.money(price * 3, "PLN") == "59,97\u{00A0}zł")
    }

    /// Our formatter agrees with Foundation's ICU-based one for Polish złoty (CLDR pl) on random amounts, except
    /// that it groups four-digit amounts too (accounting style: `1 836,70 zł` lines up under `22 040,40 zł`).
    @Test func agreesWithFoundationForPolishZlotyButGroupsFourDigits() async {
        let style = Decimal.FormatStyle.Currency(code: "PLN", locale: Locale(identifier: "pl_PL")).rounded(rule: .toNearestOrAwayFromZero)
        await propertyCheck(count: 300, input: Gen.int(in: -99_999_999...99_999_999)) { cents in
            var foundation = (Decimal(cents) / 100).formatted(style)
            // CLDR's minimum grouping leaves exactly four integer digits ungrouped: "1836,70 zł", "-1836,70 zł".
            let integerDigits = foundation.prefix { $0 != "," }.filter(\.isNumber)
            if integerDigits.count == 4, let first = foundation.firstIndex(where: \.isNumber) {
                foundation.insert("\u{00A0}", at: foundation.index(after: first))
            }
            #expect(pl.money(Amount(cents) / 100, "PLN") == foundation)
        }
    }

    @Test func dates() {
        let date = CivilDate(iso: "2025-03-05")!
        #expect(pl.longDate(date) == "5 marca 2025")
        #expect(en.longDate(date) == "5 March 2025")
        #expect(pl.shortDate(date) == "5.03.2025")
        #expect(en.shortDate(date) == "5 Mar 2025")
        #expect(en.shortDate(CivilDate(iso: "2026-11-09")!) == "9 Nov 2026")
        #expect(pl.monthHeading(year: 2025, month: 3) == "marzec 2025")
        #expect(en.monthHeading(year: 2025, month: 3) == "March 2025")
        #expect(pl.dateTime(Timestamp(rfc3339: "2025-03-31T23:30:00Z")!) == "1 kwietnia 2025, 01:30")
        #expect(en.dateTime(Timestamp(rfc3339: "2026-11-20T07:30:00Z")!) == "20 November 2026, 08:30")
    }

    @Test func polishDatesAgreeWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .warsaw
        for month in 1...12 {
            let date = calendar.date(from: DateComponents(year: 2025, month: month, day: 5, hour: 12))!
            let foundation = date.formatted(Date.FormatStyle(date: .long, time: .omitted, locale: Locale(identifier: "pl_PL"), calendar: calendar, timeZone: .warsaw))
            #expect(pl.longDate(CivilDate(year: 2025, month: month, day: 5)) == foundation)
        }
    }

    @Test func numbers() {
        #expect(pl.integer(1234) == "1\u{00A0}234")
        #expect(pl.integer(999) == "999")
        #expect(pl.integer(12345) == "12\u{00A0}345")
        #expect(en.integer(1234) == "1,234")
        #expect(pl.quantity(d("1.5")) == "1,5")
        #expect(pl.quantity(d("-2")) == "-2")
        #expect(en.decimal(d("1234.5")) == "1,234.50")
    }

    @Test(arguments: [
        (1, "1 licencja"), (2, "2 licencje"), (4, "4 licencje"), (5, "5 licencji"), (12, "12 licencji"), (13, "13 licencji"),
        (21, "21 licencji"), (22, "22 licencje"), (0, "0 licencji"), (112, "112 licencji"), (104, "104 licencje"), (1001, "1\u{00A0}001 licencji"),
    ])
    func polishPlurals(count: Int, expected: String) {
        let table = StringTable(language: .pl, file: "pl", entries: [
            "licences": .plural([.one: "{n} licencja", .few: "{n} licencje", .many: "{n} licencji", .other: "{n} licencji"]),
        ])
        #expect(table.plural("licences", count) == expected)
    }

    @Test func fractionsAreOtherInPolish() {
        #expect(PluralRules.category(Amount(exactly: "1.5")!, .pl) == .other)
        #expect(PluralRules.category(1, .en) == .one)
        #expect(PluralRules.category(2, .en) == .other)
    }

    @Test func missingKeysAreRecorded() {
        let table = StringTable(language: .en, file: "en", entries: ["a": .text("A {x}")])
        #expect(table.text("a", ["x": "1"]) == "A 1")
        #expect(table.text("nope") == "nope")
        #expect(table.missingKeys == ["nope"])
    }

    @Test func keysMissingInOneLanguageAreReported() {
        let pl = StringTable(language: .pl, file: "templates/strings/pl", entries: ["a": .text("A"), "b": .text("B")])
        let en = StringTable(language: .en, file: "templates/strings/en", entries: ["a": .text("A")])
        #expect(StringTable.compareKeys([pl, en]).map(\.description) == ["templates/strings/en: b: the key is missing here but present in pl"])
    }
}
