import Foundation
import TenantModel

/// Money, numbers and dates the way a Polish or English reader expects them, byte for byte.
///
/// Why not `FormatStyle`: the output must not drift with the ICU data a machine has, and a 10,000-page build
/// formats hundreds of thousands of amounts. The rules are CLDR's (pl: `12 345,68 zł` with U+00A0; en-GB:
/// `€1,234.56`) with one deliberate difference: Polish groups from four digits (`1 836,70 zł`), not from five as
/// CLDR's minimum grouping does (`1836,70 zł`), so amounts in a column line up digit for digit — the accounting
/// style Polish invoices and spreadsheets use. The tests compare with Foundation's formatter, that difference aside.
public struct LocaleFormat: Sendable {
    public let language: Language

    public init(_ language: Language) { self.language = language }

    static let nbsp = "\u{00A0}"

    // MARK: Numbers

    /// Groups the integer digits from four up: `1 234`, `12 345` / `1,234`.
    func groupDigits(_ digits: Substring) -> String {
        let separator = language == .pl ? Self.nbsp : ","
        guard digits.count >= 4 else { return String(digits) }
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.append(digits[start..<end])
            end = start
        }
        return groups.reversed().joined(separator: separator)
    }

    /// A whole number: `12 345` / `12,345`.
    public func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + groupDigits(Substring(digits))
    }

    /// A decimal with exactly `scale` fraction digits, rounded half-up: `1234,50` / `1,234.50`.
    public func decimal(_ value: Amount, scale: Int = 2) -> String {
        if let (negative, digits) = fastDecimal(value, scale: scale) { return negative ? "-" + digits : digits }
        return generalDecimal(value, scale: scale)
    }

    /// `decimal` for any value, through the amount's text (the reference the fast path is tested against).
    func generalDecimal(_ value: Amount, scale: Int) -> String {
        let rounded = value.roundedHalfUp(scale: scale)
        let (negative, integerPart, fraction) = Self.digits(of: rounded, scale: scale)
        var out = negative ? "-" : ""
        out += groupDigits(Substring(integerPart))
        if scale > 0 { out += (language == .pl ? "," : ".") + fraction }
        return out
    }

    /// Whether the rounded value is below zero, and its magnitude written out (`12 345,68`), in 64-bit integer
    /// arithmetic; nil when the rounded magnitude needs more than 64 bits.
    func fastDecimal(_ value: Amount, scale: Int) -> (negative: Bool, digits: String)? {
        let (negative, count) = value.scaled(to: scale)
        guard let scaled = UInt64(exactly: count) else { return nil }
        var divisor: UInt64 = 1
        for _ in 0..<scale { divisor *= 10 }
        let integerPart = scaled / divisor, fractionPart = scaled % divisor

        let pl = language == .pl
        // Written backwards from the end of a stack buffer: fraction digits, separator, grouped integer digits.
        let text = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer -> String in
            var at = buffer.count
            func put(_ byte: UInt8) {
                at -= 1
                buffer[at] = byte
            }
            var fraction = fractionPart
            for _ in 0..<scale {
                put(UInt8(ascii: "0") + UInt8(fraction % 10))
                fraction /= 10
            }
            if scale > 0 { put(pl ? UInt8(ascii: ",") : UInt8(ascii: ".")) }
            let grouped = integerPart >= 1_000
            var rest = integerPart
            var written = 0
            repeat {
                if grouped, written > 0, written % 3 == 0 {
                    if pl {
                        put(0xA0)  // U+00A0 is C2 A0 in UTF-8; written backwards
                        put(0xC2)
                    } else {
                        put(UInt8(ascii: ","))
                    }
                }
                put(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
                written += 1
            } while rest > 0
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[at...]), as: UTF8.self)
        }
        return (negative, text)
    }

    /// A quantity: no fraction digits when whole (`3`), else as many as needed up to four (`1,5`).
    public func quantity(_ value: Amount) -> String {
        if value.isWhole { return decimal(value, scale: 0) }
        var text = decimal(value, scale: 4)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// Splits an already-rounded decimal into sign, integer digits and `scale` fraction digits, exactly, through
    /// `Amount.description` (exact and plain, no exponent, for values of money size). The general path: small
    /// values take `fastDecimal`, which is tested against this.
    static func digits(of value: Amount, scale: Int) -> (negative: Bool, integer: String, fraction: String) {
        let negative = value < 0
        let magnitude = negative ? -value : value
        var text = "\(magnitude)"
        if text.hasPrefix(".") { text = "0" + text }
        let parts = text.split(separator: ".", maxSplits: 1)
        let integer = String(parts.first ?? "0")
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        if fraction.count < scale { fraction += String(repeating: "0", count: scale - fraction.count) }
        if fraction.count > scale { fraction = String(fraction.prefix(scale)) }
        return (negative && (integer != "0" || fraction.contains(where: { $0 != "0" })), integer, fraction)
    }

    // MARK: Money

    public func money(_ money: Money) -> String { self.money(money.amount, money.currency) }

    /// A difference: `+12,50 zł`, `-3,00 zł` (rounded half-up to the grosz first; a zero is unsigned).
    public func signedMoney(_ money: Money) -> String {
        let rounded = money.amount.roundedHalfUp()
        return (rounded > 0 ? "+" : "") + self.money(rounded, money.currency)
    }

    /// `1234,56 zł`, `-12 345,68 zł`, `1234,56 €` in Polish; `PLN 1,234.56`, `€1,234.56`, `-€5.00` in English.
    public func money(_ amount: Amount, _ currency: String) -> String {
        let number: String, sign: String
        if let (negative, digits) = fastDecimal(amount, scale: 2) {
            (number, sign) = (digits, negative ? "-" : "")
        } else {
            number = decimal(amount < 0 ? -amount : amount)
            sign = amount.roundedHalfUp() < 0 ? "-" : ""
        }
        switch language {
        case .pl:
            return sign + number + Self.nbsp + Self.polishSymbol(currency)
        case .en:
            if let symbol = Self.englishSymbol(currency) { return sign + symbol + number }
            return sign + currency + Self.nbsp + number
        }
    }

    static func polishSymbol(_ currency: String) -> String {
        switch currency {
        case "PLN": return "zł"
        case "EUR": return "€"
        default: return currency
        }
    }

    static func englishSymbol(_ currency: String) -> String? {
        switch currency {
        case "EUR": return "€"
        case "GBP": return "£"
        case "USD": return "US$"
        default: return nil
        }
    }

    // MARK: Dates

    static let polishMonthsGenitive = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
                                       "września", "października", "listopada", "grudnia"]
    static let polishMonthsNominative = ["styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień",
                                         "wrzesień", "październik", "listopad", "grudzień"]
    static let polishMonthsShort = ["sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                                "October", "November", "December"]

    /// `5 marca 2025` / `5 March 2025`.
    public func longDate(_ date: CivilDate) -> String {
        switch language {
        case .pl: return "\(date.day) \(Self.polishMonthsGenitive[date.month - 1]) \(date.year)"
        case .en: return "\(date.day) \(Self.englishMonths[date.month - 1]) \(date.year)"
        }
    }

    /// `5.03.2025` / `5 Mar 2025`: Polish readers write day.month.year; an English reader on either side of the
    /// Atlantic reads `05/03/2025` differently, so English names the month.
    public func shortDate(_ date: CivilDate) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        switch language {
        case .pl: return "\(date.day).\(two(date.month)).\(date.year)"
        case .en: return "\(date.day) \(Self.englishMonths[date.month - 1].prefix(3)) \(date.year)"
        }
    }

    /// A month as a heading: `marzec 2025` / `March 2025`.
    public func monthHeading(year: Int, month: Int) -> String {
        switch language {
        case .pl: return "\(Self.polishMonthsNominative[month - 1]) \(year)"
        case .en: return "\(Self.englishMonths[month - 1]) \(year)"
        }
    }

    /// A short month label for charts: `mar 2025` / `Mar 2025`.
    public func shortMonth(year: Int, month: Int) -> String {
        switch language {
        case .pl: return "\(Self.polishMonthsShort[month - 1]) \(year)"
        case .en: return "\(Self.englishMonths[month - 1].prefix(3)) \(year)"
        }
    }

    /// A timestamp on Warsaw's clock: `20 listopada 2026, 08:30` / `20 November 2026, 08:30`.
    public func dateTime(_ timestamp: Timestamp) -> String {
        let local = timestamp.civil(in: .warsaw)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(longDate(local.date)), \(two(local.hour)):\(two(local.minute))"
    }

    /// The Warsaw calendar date of a timestamp.
    public func date(_ timestamp: Timestamp) -> CivilDate { timestamp.civil(in: .warsaw).date }

    /// `2–4 lutego 2026`-style ranges are not needed; a range is `5 marca 2025 – 4 kwietnia 2025`.
    public func dateRange(_ from: CivilDate, _ to: CivilDate) -> String {
        "\(longDate(from)) – \(longDate(to))"
    }
}

// MARK: - Plural rules

public enum PluralCategory: String, Sendable, CaseIterable {
    case one, few, many, other
}

public enum PluralRules {
    /// CLDR plural category of a whole number (or a fraction, which is `other` in both languages).
    public static func category(_ n: Int, _ language: Language) -> PluralCategory {
        switch language {
        case .en:
            return n == 1 ? .one : .other
        case .pl:
            let i = n.magnitude
            if i == 1 { return .one }
            if (2...4).contains(i % 10) && !(12...14).contains(i % 100) { return .few }
            return .many
        }
    }

    public static func category(_ value: Amount, _ language: Language) -> PluralCategory {
        if let n = value.wholeValue { return category(n, language) }
        return .other
    }

    /// The categories a language's string table must give for every plural entry.
    public static func required(_ language: Language) -> [PluralCategory] {
        switch language {
        case .pl: return [.one, .few, .many, .other]
        case .en: return [.one, .other]
        }
    }
}
