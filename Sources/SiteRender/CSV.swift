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
    private var out = "\u{FEFF}"

    public init(language: Language) {
        separator = language == .pl ? ";" : ","
        decimalComma = language == .pl
    }

    public enum Field {
        /// Words and identifiers; a leading `=`, `+`, `-`, `@` gets a `'` so a spreadsheet never runs it as a formula.
        case text(String)
        /// An amount, written plainly with two decimals: `-1234,50` / `-1234.50`.
        case amount(Decimal)
        /// A date, `YYYY-MM-DD`, which every spreadsheet recognises in any locale.
        case date(CivilDate?)
    }

    public mutating func row(_ fields: [Field]) {
        out += fields.map(encode).joined(separator: String(separator))
        out += "\r\n"
    }

    public mutating func header(_ names: [String]) { row(names.map { .text($0) }) }

    public var bytes: [UInt8] { Array(out.utf8) }
    public var text: String { out }

    func encode(_ field: Field) -> String {
        switch field {
        case .text(var text):
            if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
            return quoteIfNeeded(text)
        case .amount(let value):
            let (negative, integer, fraction) = LocaleFormat.digits(of: value.roundedHalfUp(), scale: 2)
            return (negative ? "-" : "") + integer + (decimalComma ? "," : ".") + fraction
        case .date(let date):
            return date?.iso ?? ""
        }
    }

    func quoteIfNeeded(_ text: String) -> String {
        guard text.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
