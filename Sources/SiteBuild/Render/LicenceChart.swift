import SiteRender

/// A horizontal bar chart of assigned vs available licences per product: an SVG file of its own beside the overview,
/// which the template shows as an image (`![alt](url)`) above its own table of the same numbers. No script. Each
/// product's name and numbers are on a line above its bar, so the chart is narrow enough for a phone
/// (`ChartStyle`); colours follow the reader's light or dark mode.
struct LicenceChart {
    struct Bar {
        var label: String
        var usable: Int
        var assigned: Int
    }

    struct Words {
        var title: String
        var description: String
        var assigned: String
        var available: String
        var over: String
        /// "{assigned} of {usable}" for the number beside each bar.
        var value: (Bar) -> String
    }

    static let rowHeight = 48.0
    static let barHeight = 14.0

    static func render(_ bars: [Bar], words: Words) -> TrustedHTML {
        let n = SpendChart.oneDecimal
        let width = ChartStyle.width
        let scale = Double(max(1, bars.map { max($0.usable, $0.assigned) }.max() ?? 1))
        func x(_ count: Int) -> Double { Double(count) / scale * width }

        var legend = HTMLBuilder()
        let legendHeight = ChartStyle.legend(&legend, entries: [(.primary, words.assigned), (.free, words.available), (.over, words.over)],
                                             left: 0, top: 0)
        let top = legendHeight + 8
        let height = top + Double(bars.count) * rowHeight

        var b = HTMLBuilder()
        b.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("role", "img"),
                       ("aria-labelledby", "licence-chart-title licence-chart-desc"),
                       ("viewBox", "0 0 \(Int(width)) \(Int(height))"), ("width", "\(Int(width))"), ("height", "\(Int(height))")])
        b.element("title", [("id", "licence-chart-title")], text: words.title)
        b.element("desc", [("id", "licence-chart-desc")], text: words.description)
        ChartStyle.style(&b)
        b.append(legend.html)

        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            let over = max(0, bar.assigned - bar.usable)
            let value = words.value(bar)
            b.element("text", ChartStyle.fill(over > 0 ? .over : .ink) + [("x", n(width)), ("y", n(y + 16)), ("text-anchor", "end"),
                                                                          ("font-size", n(ChartStyle.fontSize))], text: value)
            let room = width - ChartStyle.textWidth(value) - 12
            b.element("text", ChartStyle.fill(.ink) + [("x", "0"), ("y", n(y + 16)), ("font-size", n(ChartStyle.fontSize))],
                      text: ChartStyle.fitted(bar.label, width: room))
            let barY = n(y + 24)
            // Track: the whole scale, so bars of different products compare.
            b.selfClosing("rect", ChartStyle.fill(.track) + [("x", "0"), ("y", barY), ("width", n(width)), ("height", n(barHeight)), ("rx", "3")])
            var cursor = 0.0
            for (colour, count) in [(ChartStyle.Colour.primary, min(bar.assigned, bar.usable)), (.free, max(0, bar.usable - bar.assigned)),
                                    (.over, over)] where count > 0 {
                let w = max(2, x(count))
                b.selfClosing("rect", ChartStyle.fill(colour) + [("x", n(cursor)), ("y", barY), ("width", n(w)), ("height", n(barHeight))])
                cursor += w
            }
        }
        b.close("svg")
        return b.html
    }
}
