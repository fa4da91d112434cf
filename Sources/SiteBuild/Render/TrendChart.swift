import SiteRender
import TenantModel

/// A line chart over a tenant's history (paid licences bought and assigned; monthly cost in one currency): an SVG file
/// of its own, which the changes page shows as an image whose alternative text says every value; the template has the
/// same values in a table under it. Time runs left to right in proportion, so snapshots taken at uneven intervals are drawn as they were.
/// Laid out for a phone and coloured for light or dark mode by `ChartStyle`.
struct TrendChart {
    struct Series {
        var label: String
        var colour: ChartStyle.Colour
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

    /// Plot height and margins in chart units (`ChartStyle`: 400 wide, text at 15).
    static let plotHeight = 150.0, bottom = 30.0, right = 6.0

    func render() -> TrustedHTML {
        let n = SpendChart.oneDecimal
        let width = ChartStyle.width
        let all = series.flatMap(\.values)
        let (low, high, step) = SpendChart.scale(min: all.min() ?? 0, max: all.max() ?? 0)
        var gridValues: [Double] = []
        var v = low
        while v <= high + step / 2 { gridValues.append(v); v += step }
        let gridLabels = gridValues.map { String(Int(exactly: $0.rounded()) ?? 0) }
        let left = (gridLabels.map { ChartStyle.textWidth($0) }.max() ?? 0) + 10

        var legend = HTMLBuilder()
        let top = ChartStyle.legend(&legend, entries: series.map { ($0.colour, $0.label) }, left: 0, top: 0) + 12
        let height = top + Self.plotHeight + Self.bottom
        let plotWidth = width - left - Self.right
        let first = Double(times.first?.secondsSinceEpoch ?? 0), last = Double(times.last?.secondsSinceEpoch ?? 0)
        func x(_ i: Int) -> Double {
            last > first ? left + (Double(times[i].secondsSinceEpoch) - first) / (last - first) * plotWidth : left + plotWidth / 2
        }
        func y(_ v: Double) -> Double { top + (high - v) / (high - low) * Self.plotHeight }

        var b = HTMLBuilder()
        b.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(Int(width)) \(Int(height))"),
                       ("width", "\(Int(width))"), ("height", "\(Int(height))"),
                       ("role", "img"), ("aria-labelledby", "\(id)-title \(id)-desc")])
        b.element("title", [("id", "\(id)-title")], text: title)
        b.element("desc", [("id", "\(id)-desc")], text: description)
        ChartStyle.style(&b)
        b.append(legend.html)

        for (value, label) in zip(gridValues, gridLabels) {
            let gy = n(y(value))
            b.selfClosing("line", ChartStyle.stroke(value == 0 ? .axis : .grid) + [("x1", n(left)), ("x2", n(width - Self.right)),
                                                                                  ("y1", gy), ("y2", gy), ("stroke-width", "1")])
            b.element("text", ChartStyle.fill(.soft) + [("x", n(left - 6)), ("y", n(y(value) + 5)), ("text-anchor", "end"),
                                                        ("font-size", n(ChartStyle.fontSize))], text: label)
        }
        // The first and the last date under the axis (every date is in the table).
        let dateY = n(height - 8)
        if let firstDate = dates.first {
            b.element("text", ChartStyle.fill(.ink) + [("x", n(dates.count > 1 ? left : x(0))), ("y", dateY),
                                                       ("text-anchor", dates.count > 1 ? "start" : "middle"), ("font-size", n(ChartStyle.fontSize))],
                      text: firstDate)
        }
        if dates.count > 1, let lastDate = dates.last {
            b.element("text", ChartStyle.fill(.ink) + [("x", n(width - Self.right)), ("y", dateY), ("text-anchor", "end"),
                                                       ("font-size", n(ChartStyle.fontSize))], text: lastDate)
        }

        for s in series {
            let points = s.values.indices.map { "\(n(x($0))),\(n(y(s.values[$0])))" }.joined(separator: " ")
            if s.values.count > 1 {
                b.selfClosing("polyline", ChartStyle.stroke(s.colour) + [("points", points), ("fill", "none"), ("stroke-width", "2.5")])
            }
            for i in s.values.indices {
                b.open("circle", ChartStyle.fill(s.colour) + [("cx", n(x(i))), ("cy", n(y(s.values[i]))), ("r", "4")])
                b.element("title", text: "\(dates[i]): \(s.label) \(s.cells[i])")
                b.close("circle")
            }
        }
        b.close("svg")
        return b.html
    }
}
