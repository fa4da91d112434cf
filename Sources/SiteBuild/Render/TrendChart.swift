import SiteRender
import TenantModel

/// A line chart over a tenant's history (paid licences bought and assigned; monthly cost in one currency): an SVG file
/// of its own, which the changes page shows as an image whose alternative text says every value; the template has the
/// same values in a table under it. Time runs left to right in proportion, so snapshots taken at uneven intervals are drawn as they were.
/// Colours are presentation attributes with classes for the stylesheet (the CSP forbids `style=""`).
struct TrendChart {
    struct Series {
        var label: String
        var cssClass: String
        var colour: String
        /// One value per point (geometry only; the words come from `cells`).
        var values: [Double]
        /// The value in words, per point, for the table and the tooltips.
        var cells: [String]
    }

    var id: String
    var title: String
    var description: String
    /// When each point was captured, oldest first, and its date in words.
    var times: [Timestamp]
    var dates: [String]
    var series: [Series]

    static let width = 760.0, height = 220.0
    static let left = 64.0, right = 16.0, top = 30.0, bottom = 34.0

    func render() -> TrustedHTML {
        let n = SpendChart.oneDecimal
        let all = series.flatMap(\.values)
        let (low, high, step) = SpendChart.scale(min: all.min() ?? 0, max: all.max() ?? 0)
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        let first = Double(times.first?.secondsSinceEpoch ?? 0), last = Double(times.last?.secondsSinceEpoch ?? 0)
        func x(_ i: Int) -> Double {
            last > first ? Self.left + (Double(times[i].secondsSinceEpoch) - first) / (last - first) * plotWidth : Self.left + plotWidth / 2
        }
        func y(_ v: Double) -> Double { Self.top + (high - v) / (high - low) * plotHeight }

        var b = HTMLBuilder()
        b.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(Int(Self.width)) \(Int(Self.height))"),
                       ("role", "img"), ("aria-labelledby", "\(id)-title \(id)-desc"), ("font-family", "system-ui, sans-serif")])
        b.element("title", [("id", "\(id)-title")], text: title)
        b.element("desc", [("id", "\(id)-desc")], text: description)

        var legendX = Self.left
        for s in series {
            b.selfClosing("rect", [("class", s.cssClass), ("fill", s.colour), ("x", n(legendX)), ("y", "6"), ("width", "12"), ("height", "12"), ("rx", "2")])
            b.element("text", [("class", "chart-legend"), ("x", n(legendX + 17)), ("y", "16"), ("font-size", "12"), ("fill", "#505a6e")], text: s.label)
            legendX += 40 + Double(s.label.count) * 7
        }

        var v = low
        while v <= high + step / 2 {
            let gy = n(y(v))
            b.selfClosing("line", [("x1", n(Self.left)), ("x2", n(Self.width - Self.right)), ("y1", gy), ("y2", gy),
                                   ("stroke", v == 0 ? "#6b7280" : "#e5e7eb"), ("stroke-width", "1")])
            b.element("text", [("x", n(Self.left - 6)), ("y", n(y(v) + 4)), ("text-anchor", "end"), ("font-size", "11"), ("fill", "#4b5563")],
                      text: String(Int(exactly: v.rounded()) ?? 0))
            v += step
        }
        // The first and the last date under the axis (every date is in the table).
        if let firstDate = dates.first {
            b.element("text", [("x", n(x(0))), ("y", n(Self.height - 10)), ("text-anchor", dates.count > 1 ? "start" : "middle"),
                               ("font-size", "11"), ("fill", "#374151")], text: firstDate)
        }
        if dates.count > 1, let lastDate = dates.last {
            b.element("text", [("x", n(x(dates.count - 1))), ("y", n(Self.height - 10)), ("text-anchor", "end"), ("font-size", "11"), ("fill", "#374151")],
                      text: lastDate)
        }

        for s in series {
            let points = s.values.indices.map { "\(n(x($0))),\(n(y(s.values[$0])))" }.joined(separator: " ")
            if s.values.count > 1 {
                b.selfClosing("polyline", [("class", s.cssClass + "-line"), ("points", points), ("fill", "none"), ("stroke", s.colour), ("stroke-width", "2")])
            }
            for i in s.values.indices {
                b.open("circle", [("class", s.cssClass), ("cx", n(x(i))), ("cy", n(y(s.values[i]))), ("r", "3.5"), ("fill", s.colour)])
                b.element("title", text: "\(dates[i]): \(s.label) \(s.cells[i])")
                b.close("circle")
            }
        }
        b.close("svg")
        return b.html
    }
}
