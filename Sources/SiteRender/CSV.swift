import Foundation
import TenantModel

/// A CSV file as spreadsheets read it (RFC 4180): UTF-8 with a byte-order mark (without it Excel reads
/// UTF-8 as the system code page and mangles "ł"), CRLF line ends, fields quoted when they hold the
/// separator, a quote or a line break.
///
/// Polish files use `;` between fields and a decimal comma, which is what Excel and LibreOffice set to
/// Polish expect (their list separator is `;` because `,` is the decimal sign); English files use `,` and a
/// decimal point. Amounts carry no grouping and no currency symbol (the currency has its own column), so
/// every spreadsheet reads them as numbers.
public struct CSVWriter {
    public let separator: Character
    public let decimalComma: Bool
    private let separatorByte: UInt8
    /// The file so far, as UTF-8: the byte-order mark, then whole lines.
    private var out: [UInt8] = [0xEF, 0xBB, 0xBF]

    public init(language: Language) {
        separator = language == .pl ? ";" : ","
        separatorByte = language == .pl ? UInt8(ascii: ";") : UInt8(ascii: ",")
        decimalComma = language == .pl
    }

    public enum Field {
        /// Words and identifiers; a leading `=`, `+`, `-`, `@` gets a `'` so a spreadsheet never runs it as a formula.
        case text(String)
        /// An amount, written plainly with two decimals: `-1234,50` / `-1234.50`.
        case amount(Amount)
        /// A date, `YYYY-MM-DD`, which every spreadsheet recognises in any locale.
        case date(CivilDate?)
    }

    public mutating func row(_ fields: [Field]) { append(encodedRow: encodedRow(fields)) }

    public mutating func header(_ names: [String]) { row(names.map { .text($0) }) }

    /// One line of this writer's dialect, CRLF included, to `append` later: a row that goes into several files
    /// (an invoice is in several lists) is encoded once.
    public func encodedRow(_ fields: [Field]) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(fields.count * 12)
        for (i, field) in fields.enumerated() {
            if i > 0 { line.append(separatorByte) }
            encode(field, into: &line)
        }
        line.append(contentsOf: [0x0D, 0x0A])
        return line
    }

    /// Appends a line made by `encodedRow` of a writer of the same language.
    public mutating func append(encodedRow line: [UInt8]) { out.append(contentsOf: line) }

    public var bytes: [UInt8] { out }
    public var text: String { String(decoding: out, as: UTF8.self) }

    func encode(_ field: Field, into line: inout [UInt8]) {
        switch field {
        case .text(let text):
            let formula = text.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false
            appendQuotedIfNeeded(text, formulaGuard: formula, to: &line)
        case .amount(let value):
            if appendSmallAmount(value, to: &line) { break }
            let (negative, integer, fraction) = LocaleFormat.digits(of: value.roundedHalfUp(), scale: 2)
            if negative { line.append(UInt8(ascii: "-")) }
            line.append(contentsOf: integer.utf8)
            line.append(decimalComma ? UInt8(ascii: ",") : UInt8(ascii: "."))
            line.append(contentsOf: fraction.utf8)
        case .date(let date):
            if let date { Self.appendISO(date, to: &line) }
        }
    }

    /// An amount in 64-bit integer arithmetic: rounded half away from zero to cents like `roundedHalfUp()`, no
    /// sign on a zero. False, writing nothing, when the cents need more than 64 bits; the caller then takes the
    /// general path. A list's CSV has five amounts a line.
    func appendSmallAmount(_ value: Amount, to line: inout [UInt8]) -> Bool {
        let (negative, count) = value.scaled(to: 2)
        guard let cents = UInt64(exactly: count) else { return false }
        if negative { line.append(UInt8(ascii: "-")) }
        line.append(contentsOf: String(cents / 100).utf8)
        line.append(decimalComma ? UInt8(ascii: ",") : UInt8(ascii: "."))
        line.append(UInt8(truncatingIfNeeded: 0x30 + cents % 100 / 10))
        line.append(UInt8(truncatingIfNeeded: 0x30 + cents % 10))
        return true
    }

    /// `CivilDate.iso` (`2024-02-29`) written digit by digit: a third of a list's CSV fields are dates.
    static func appendISO(_ date: CivilDate, to line: inout [UInt8]) {
        let y = date.year, m = date.month, d = date.day
        guard (0...9999).contains(y), (1...12).contains(m), (1...31).contains(d) else {
            line.append(contentsOf: date.iso.utf8)
            return
        }
        func digit(_ n: Int) -> UInt8 { UInt8(truncatingIfNeeded: 0x30 + n) }
        line.append(digit(y / 1000))
        line.append(digit(y / 100 % 10))
        line.append(digit(y / 10 % 10))
        line.append(digit(y % 10))
        line.append(UInt8(ascii: "-"))
        line.append(digit(m / 10))
        line.append(digit(m % 10))
        line.append(UInt8(ascii: "-"))
        line.append(digit(d / 10))
        line.append(digit(d % 10))
    }

    /// The field as is, or in quotes with its quotes doubled when it holds the separator, a quote or a line
    /// break. Checked byte by byte: all four are ASCII, so a combining mark after one of them (which makes it
    /// part of a bigger `Character`) still counts.
    func appendQuotedIfNeeded(_ text: String, formulaGuard: Bool, to line: inout [UInt8]) {
        let utf8 = text.utf8
        let separator = separatorByte
        let needsQuotes = utf8.contains { $0 == separator || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        if needsQuotes { line.append(UInt8(ascii: "\"")) }
        if formulaGuard { line.append(UInt8(ascii: "'")) }
        if needsQuotes {
            for byte in utf8 {
                line.append(byte)
                if byte == UInt8(ascii: "\"") { line.append(byte) }
            }
            line.append(UInt8(ascii: "\""))
        } else {
            line.append(contentsOf: utf8)
        }
    }
}
