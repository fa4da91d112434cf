import Foundation
import TenantModel

/// One list of invoices: all of them, the last N months, a calendar year, or a `--from/--to` range.
/// Every range selects documents by their **issue date** (`invoiceDate`). docs/invoices.md explains the rules.
public enum InvoiceRange: Sendable, Hashable {
    case all
    case lastMonths(Int)
    case year(Int)
    case custom(ClosedRange<CivilDate>)

    /// The ranges published for relative periods, as in the Microsoft 365 admin center.
    public static let relative: [InvoiceRange] = [.lastMonths(3), .lastMonths(6)]

    /// The first day of "the last N months" ending on `asOf` (inclusive): go to the day after `asOf`, then
    /// back N calendar months (clamped to the month's end). On a month's last day this gives N whole months
    /// (30 April → 1 February); otherwise the day after the same day N months earlier (20 November → 21 August).
    public static func lastMonthsStart(asOf: CivilDate, months: Int) -> CivilDate {
        asOf.adding(days: 1).adding(months: -months)
    }

    /// The inclusive dates of the range, or nil for `all` (no bounds).
    public func dates(asOf: CivilDate) -> ClosedRange<CivilDate>? {
        switch self {
        case .all: return nil
        case .lastMonths(let n): return Self.lastMonthsStart(asOf: asOf, months: n)...asOf
        case .year(let y): return CivilDate(year: y, month: 1, day: 1)...CivilDate(year: y, month: 12, day: 31)
        case .custom(let range): return range
        }
    }

    public func contains(_ date: CivilDate, asOf: CivilDate) -> Bool {
        dates(asOf: asOf)?.contains(date) ?? true
    }

    /// The page's file name without extension: `index`, `last-3-months`, `2025`, `2025-01-01_2025-06-30`.
    public var fileBase: String {
        switch self {
        case .all: return "index"
        case .lastMonths(let n): return "last-\(n)-months"
        case .year(let y): return String(y)
        case .custom(let r): return "\(r.lowerBound.iso)_\(r.upperBound.iso)"
        }
    }

    public var htmlFile: String { fileBase + ".html" }

    /// The CSV beside the page; the full list is `all.csv` (a name a downloaded file can keep).
    public var csvFile: String { (self == .all ? "all" : fileBase) + ".csv" }

    /// File names (without extension) that the lists use, so no invoice's page may take them: `index`,
    /// `all`, `last-<n>-months`, four-digit years. (Custom ranges hold `_`, which slugs never do.)
    public static func isReservedFileBase(_ name: String) -> Bool {
        if name == "index" || name == "all" { return true }
        if name.utf8.count == 4, name.utf8.allSatisfy({ (0x30...0x39).contains($0) }) { return true }
        if name.hasPrefix("last-"), name.hasSuffix("-months") {
            let middle = name.dropFirst(5).dropLast(7)
            return !middle.isEmpty && middle.utf8.allSatisfy { (0x30...0x39).contains($0) }
        }
        return false
    }

    /// All list pages of a tenant, in the order the range menu shows them: all, last 3 and 6 months, each
    /// calendar year with documents (newest first), then the custom ranges (sorted, duplicates dropped).
    public static func pages(for invoices: [Invoice], customRanges: [ClosedRange<CivilDate>]) -> [InvoiceRange] {
        let years = Set(invoices.map(\.invoiceDate.year)).sorted(by: >)
        var custom: [ClosedRange<CivilDate>] = []
        for range in customRanges.sorted(by: { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) })
        where !custom.contains(range) {
            custom.append(range)
        }
        return [.all] + relative + years.map(InvoiceRange.year) + custom.map(InvoiceRange.custom)
    }

    /// Where to look when this range is empty: the wider ranges, as the admin center suggests.
    public func widerRanges(among pages: [InvoiceRange]) -> [InvoiceRange] {
        switch self {
        case .all: return []
        case .lastMonths(let n):
            return pages.filter { if case .lastMonths(let m) = $0 { return m > n } else { return false } } + [.all]
        case .year, .custom:
            return InvoiceRange.relative + [.all]
        }
    }
}
