import Testing
@testable import SiteBuild
import TenantModel

private func d(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }

/// "Last N months" and the other invoice ranges (docs/invoices.md).
struct InvoiceRangeTests {
    /// The first day of "the last N months" on `asOf`: (asOf + 1 day) − N months, clamped to the month's end.
    @Test(arguments: [
        // an ordinary day: the day after the same day N months earlier
        ("2026-11-20", 3, "2026-08-21"), ("2026-11-20", 6, "2026-05-21"),
        // a month's last day: N whole calendar months
        ("2026-04-30", 3, "2026-02-01"), ("2026-05-31", 3, "2026-03-01"), ("2026-11-30", 6, "2026-06-01"),
        ("2025-02-28", 3, "2024-12-01"), ("2026-12-31", 6, "2026-07-01"), ("2026-12-31", 3, "2026-10-01"),
        // 29 February as "today" (a month's last day in a leap year)
        ("2024-02-29", 3, "2023-12-01"), ("2024-02-29", 6, "2023-09-01"),
        // windows that reach back into a February
        ("2024-05-30", 3, "2024-02-29"), ("2024-05-29", 3, "2024-02-29"), ("2024-05-28", 3, "2024-02-29"),
        ("2024-05-27", 3, "2024-02-28"), ("2025-05-30", 3, "2025-02-28"), ("2025-05-27", 3, "2025-02-28"),
        ("2024-08-29", 6, "2024-02-29"), ("2024-08-30", 6, "2024-02-29"), ("2024-08-31", 6, "2024-03-01"),
        // across a year
        ("2026-01-15", 3, "2025-10-16"), ("2026-02-28", 6, "2025-09-01"),
        // the examples of docs/invoices.md
        ("2024-05-30", 6, "2023-11-30"), ("2024-08-30", 3, "2024-05-31"), ("2026-04-30", 6, "2025-11-01"),
    ])
    func lastMonthsStart(asOf: String, months: Int, expected: String) {
        #expect(InvoiceRange.lastMonthsStart(asOf: d(asOf), months: months) == d(expected))
    }

    @Test func theWindowIncludesItsFirstDayAndTodayAndNothingOutside() {
        let asOf = d("2024-05-31")
        let last3 = InvoiceRange.lastMonths(3)
        #expect(last3.dates(asOf: asOf) == d("2024-03-01")...d("2024-05-31"))
        #expect(!last3.contains(d("2024-02-29"), asOf: asOf))
        #expect(last3.contains(d("2024-03-01"), asOf: asOf))
        #expect(last3.contains(d("2024-05-31"), asOf: asOf))
        #expect(!last3.contains(d("2024-06-01"), asOf: asOf), "a document dated after today is in no relative range")
        #expect(InvoiceRange.lastMonths(6).contains(d("2023-12-01"), asOf: asOf))
        #expect(!InvoiceRange.lastMonths(6).contains(d("2023-11-30"), asOf: asOf))
    }

    /// As N grows, the window only grows, and never skips a day: windows on consecutive days overlap.
    @Test func windowsAreMonotoneAndGapless() {
        var day = d("2023-01-01")
        var previousStart = InvoiceRange.lastMonthsStart(asOf: day, months: 3)
        while day < d("2025-12-31") {
            day = day.adding(days: 1)
            let start = InvoiceRange.lastMonthsStart(asOf: day, months: 3)
            #expect(start >= previousStart, "\(day)")
            #expect(start.days(until: day) >= 88 && start.days(until: day) <= 92, "\(day): \(start)")
            #expect(InvoiceRange.lastMonthsStart(asOf: day, months: 6) <= start)
            previousStart = start
        }
    }

    @Test func yearsAndCustomRangesAreInclusive() {
        let asOf = d("2026-11-20")
        #expect(InvoiceRange.year(2024).contains(d("2024-01-01"), asOf: asOf))
        #expect(InvoiceRange.year(2024).contains(d("2024-12-31"), asOf: asOf))
        #expect(!InvoiceRange.year(2024).contains(d("2025-01-01"), asOf: asOf))
        let custom = InvoiceRange.custom(d("2025-01-01")...d("2025-06-30"))
        #expect(custom.contains(d("2025-01-01"), asOf: asOf) && custom.contains(d("2025-06-30"), asOf: asOf))
        #expect(!custom.contains(d("2024-12-31"), asOf: asOf) && !custom.contains(d("2025-07-01"), asOf: asOf))
        #expect(InvoiceRange.all.contains(d("1999-01-01"), asOf: asOf))
    }

    @Test func fileNamesFollowTheContract() {
        #expect(InvoiceRange.all.htmlFile == "index.html")
        #expect(InvoiceRange.all.csvFile == "all.csv")
        #expect(InvoiceRange.lastMonths(3).htmlFile == "last-3-months.html")
        #expect(InvoiceRange.lastMonths(6).csvFile == "last-6-months.csv")
        #expect(InvoiceRange.year(2025).htmlFile == "2025.html")
        #expect(InvoiceRange.custom(d("2025-01-01")...d("2025-06-30")).htmlFile == "2025-01-01_2025-06-30.html")
    }

    @Test func pagesAreOrderedAndCustomRangesDeduplicated() {
        let invoice = { (date: String) in
            Invoice(id: date, documentType: .invoice, invoiceDate: d(date), dueDate: d(date), currencyCode: "PLN",
                    seller: Party(name: "S", addressLines: []), buyer: Party(name: "B", addressLines: []), lines: [], totalCharges: 0, paidAmount: 0)
        }
        let ranges = InvoiceRange.pages(for: [invoice("2025-03-01"), invoice("2026-01-01"), invoice("2025-12-31")],
                                        customRanges: [d("2026-01-01")...d("2026-06-30"), d("2025-01-01")...d("2025-06-30"), d("2026-01-01")...d("2026-06-30")])
        #expect(ranges.map(\.fileBase) == ["index", "last-3-months", "last-6-months", "2026", "2025", "2025-01-01_2025-06-30", "2026-01-01_2026-06-30"])
        #expect(InvoiceRange.lastMonths(3).widerRanges(among: ranges) == [.lastMonths(6), .all])
        #expect(InvoiceRange.lastMonths(6).widerRanges(among: ranges) == [.all])
        #expect(InvoiceRange.year(2025).widerRanges(among: ranges) == [.lastMonths(3), .lastMonths(6), .all])
    }

    /// An invoice numbered like a list page never takes the list's file name.
    @Test func invoiceSlugsAvoidTheListsFileNames() {
        #expect(InvoiceRange.isReservedFileBase("index") && InvoiceRange.isReservedFileBase("all"))
        #expect(InvoiceRange.isReservedFileBase("2025") && InvoiceRange.isReservedFileBase("last-3-months") && InvoiceRange.isReservedFileBase("last-12-months"))
        #expect(!InvoiceRange.isReservedFileBase("fv-2025") && !InvoiceRange.isReservedFileBase("20250") && !InvoiceRange.isReservedFileBase("last-x-months"))
        let slugs = Slug.unique(["2025", "Index", "ALL", "last 3 months", "FV/2025/1"], reserved: InvoiceRange.isReservedFileBase)
        #expect(slugs == ["2025": "2025-2", "Index": "index-2", "ALL": "all-2", "last 3 months": "last-3-months-2", "FV/2025/1": "fv-2025-1"])
    }
}
