import Foundation
import SiteRender
import TenantModel

/// The monthly spend chart of the invoice index: an SVG bar chart per currency (never mixing currencies),
/// made with `HTMLBuilder`, no script, drawn inside the page. Laid out for a phone by `ChartStyle`; colours are
/// presentation attributes with `ChartStyle`'s classes, which style.css turns dark at night (the site's strict CSP
/// forbids `style=""` and a `<style>` in the page). A data table under each chart says the same in words.
enum SpendChart {
    static let plotHeight = 160.0
    static let top = 10.0, right = 4.0, bottom = 44.0

    static func render(_ spend: MonthlySpend, lang: LanguageContext) -> TrustedHTML {
        let f = lang.format
        let width = ChartStyle.width, height = top + plotHeight + bottom
        let months = spend.months
        let values = months.map { $0.net.doubleValue }  // geometry only, never money
        let (low, high, step) = scale(min: values.min() ?? 0, max: values.max() ?? 0)
        var gridValues: [Double] = []
        var v = low
        while v <= high + step / 2 { gridValues.append(v); v += step }
        let gridLabels = gridValues.map { f.decimal(Amount(Int(exactly: $0.rounded()) ?? 0), scale: 0) }  // Int(exactly:): never a trap
        let left = (gridLabels.map { ChartStyle.textWidth($0) }.max() ?? 0) + 10
        let plotWidth = width - left - right
        func y(_ v: Double) -> Double { top + (high - v) / (high - low) * plotHeight }
        func n(_ v: Double) -> String { oneDecimal(v) }

        // Each month's words and amount once: the bars' tooltips and the table both show them.
        let headings = months.map { f.monthHeading(year: $0.year, month: $0.month) }
        let amounts = months.map { f.money($0.net, spend.currency) }
        let shortNames = (1...12).map { shortMonthName($0, lang.language) }
        let first = headings.first ?? ""
        let last = headings.last ?? ""
        let titleId = "spend-chart-\(spend.currency.lowercased())"
        var b = HTMLBuilder()
        b.open("figure", [("class", "chart spend-chart")])
        b.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(Int(width)) \(Int(height))"),
                       ("width", "\(Int(width))"), ("height", "\(Int(height))"),
                       ("role", "img"), ("aria-labelledby", titleId), ("font-family", "system-ui, sans-serif")])
        b.element("title", [("id", titleId)], text: lang.t("invoices.chart.label", ["currency": spend.currency, "from": first, "to": last]))

        // Grid lines and amounts on the left.
        for (value, label) in zip(gridValues, gridLabels) {
            let gy = n(y(value))
            b.selfClosing("line", ChartStyle.stroke(value == 0 ? .axis : .grid) + [("x1", n(left)), ("x2", n(width - right)),
                                                                                  ("y1", gy), ("y2", gy), ("stroke-width", "1")])
            b.element("text", ChartStyle.fill(.soft) + [("x", n(left - 6)), ("y", n(y(value) + 5)), ("text-anchor", "end"),
                                                        ("font-size", n(ChartStyle.fontSize))], text: label)
        }

        // One bar per month. Under the bars, every `every`-th month's name (as many as fit), and the year under the
        // first one named and under each January named.
        let slot = plotWidth / Double(max(months.count, 1))
        let barWidth = min(slot * 0.7, 40)
        let widestName = shortNames.map { ChartStyle.textWidth($0) }.max() ?? 0
        let every = max(1, Int((widestName + 6) / slot) + 1)
        // The same for every bar: formatted once.
        let barWidthText = n(barWidth), monthY = n(top + plotHeight + 18), yearY = n(top + plotHeight + 37), size = n(ChartStyle.fontSize)
        var namedYear: Int?
        for (i, month) in months.enumerated() {
            let x = left + slot * Double(i) + (slot - barWidth) / 2
            let barTop = y(max(values[i], 0)), barBottom = y(min(values[i], 0))
            b.open("rect", ChartStyle.fill(values[i] < 0 ? .negative : .primary)
                   + [("x", n(x)), ("y", n(barTop)), ("width", barWidthText), ("height", n(max(barBottom - barTop, values[i] == 0 ? 0 : 1)))])
            b.element("title", text: "\(headings[i]): \(amounts[i])")
            b.close("rect")
            guard i % every == 0 else { continue }
            let cx = n(left + slot * (Double(i) + 0.5))
            b.element("text", ChartStyle.fill(.ink) + [("x", cx), ("y", monthY), ("text-anchor", "middle"), ("font-size", size)],
                      text: shortNames[month.month - 1])
            if namedYear != month.year {
                b.element("text", ChartStyle.fill(.soft) + [("x", cx), ("y", yearY), ("text-anchor", "middle"), ("font-size", size)],
                          text: String(month.year))
                namedYear = month.year
            }
        }
        b.close("svg")
        b.element("figcaption", text: lang.t("invoices.chart.caption", ["currency": spend.currency]))
        b.close("figure")

        // The same numbers as a table, for screen readers and for anyone who wants the exact amounts.
        dataTable(&b, summary: lang.t("invoices.chart.data") + " (\(spend.currency))", rowHeading: lang.t("invoices.chart.month"),
                  rows: headings, columns: [(lang.t("invoices.chart.net"), amounts)])
        return b.html
    }

    /// A chart's values as a table under it, folded in `<details>`: a row per point (its heading first), a numeric
    /// column per series. The spend chart and the trend charts share it.
    static func dataTable(_ b: inout HTMLBuilder, summary: String, rowHeading: String, rows: [String], columns: [(heading: String, cells: [String])]) {
        b.open("details", [("class", "chart-data")])
        b.element("summary", text: summary)
        b.open("table")
        b.open("thead")
        b.open("tr")
        b.element("th", [("scope", "col")], text: rowHeading)
        for column in columns { b.element("th", [("scope", "col"), ("class", "num")], text: column.heading) }
        b.close("tr")
        b.close("thead")
        b.open("tbody")
        for i in rows.indices {
            b.open("tr")
            b.element("td", text: rows[i])
            for column in columns { b.element("td", [("class", "num")], text: column.cells[i]) }
            b.close("tr")
        }
        b.close("tbody")
        b.close("table")
        b.close("details")
    }

    /// `String(format: "%.1f", v)`, the same bytes, without the C formatter (thousands of instructions a number,
    /// and a chart has hundreds). Like printf it rounds the exact binary value of `v` to tenths, ties to even:
    /// `v × 10 = p + e` exactly (`e` from a fused multiply-add), so whether `v × 10` lies above, below or on the
    /// halfway point between two integers is decided without rounding error. `SpendChartTests` compares the two.
    static func oneDecimal(_ v: Double) -> String {
        guard v.isFinite, v.magnitude < 1e12 else { return String(format: "%.1f", v) }
        let p = v * 10
        let e = (-p).addingProduct(v, 10)  // v × 10 − p, exact
        let below = p.rounded(.down)
        let half = below + 0.5
        let offset = (p - half) + e  // its sign is that of the exact v × 10 − half
        var tenths = Int(below)
        if offset > 0 || (offset == 0 && tenths % 2 != 0) { tenths += 1 }
        return tenthsText(tenths.magnitude, negative: v.sign == .minus)
    }

    /// `-123.4` for 1234 tenths, written backwards into a small buffer (no `String` arithmetic per number).
    private static func tenthsText(_ tenths: UInt, negative: Bool) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var at = buffer.count
            func put(_ byte: UInt8) {
                at -= 1
                buffer[at] = byte
            }
            put(UInt8(ascii: "0") + UInt8(tenths % 10))
            put(UInt8(ascii: "."))
            var whole = tenths / 10
            repeat {
                put(UInt8(ascii: "0") + UInt8(whole % 10))
                whole /= 10
            } while whole > 0
            if negative { put(UInt8(ascii: "-")) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[at...]), as: UTF8.self)
        }
    }

    static func shortMonthName(_ month: Int, _ language: Language) -> String {
        let f = LocaleFormat(language)
        // `shortMonth` gives "mar 2025"; the chart wants the month alone.
        return String(f.shortMonth(year: 2000, month: month).split(separator: " ").first ?? "")
    }

    /// A round step (1, 2 or 5 × 10ⁿ, at least 1) giving about four grid lines, and the axis ends on steps.
    static func scale(min: Double, max: Double) -> (low: Double, high: Double, step: Double) {
        let lo = Swift.min(min, 0), hi = Swift.max(max, 0)
        let span = hi - lo
        guard span > 0 else { return (0, 1, 1) }
        let raw = span / 4
        let magnitude = pow(10, floor(log10(raw)))
        let step = Swift.max(1, [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude)
        return ((lo / step).rounded(.down) * step, (hi / step).rounded(.up) * step, step)
    }
}
