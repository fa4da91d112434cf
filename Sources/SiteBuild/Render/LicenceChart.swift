import SiteRender

/// A horizontal bar chart of assigned vs available licences per product: an SVG file of its own beside the overview,
/// which the template shows as an image (`![alt](url)`) above its own table of the same numbers. No script; coloured
/// by presentation attributes (a stylesheet does not reach into an image).
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

    static let width = 1000
    static let barLeft = 280
    static let barWidth = 600
    static let rowHeight = 30
    static let top = 34
    static let maxLabelCharacters = 34

    static func render(_ bars: [Bar], words: Words) -> TrustedHTML {
        let height = top + bars.count * rowHeight + 6
        let scale = max(1, bars.map { max($0.usable, $0.assigned) }.max() ?? 1)
        func x(_ n: Int) -> Int { n * barWidth / scale }

        var b = HTMLBuilder()
        b.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("role", "img"),
                       ("aria-labelledby", "licence-chart-title licence-chart-desc"),
                       ("viewBox", "0 0 \(width) \(height)"), ("width", "\(width)"), ("height", "\(height)")])
        b.element("title", [("id", "licence-chart-title")], text: words.title)
        b.element("desc", [("id", "licence-chart-desc")], text: words.description)

        // Legend.
        var legendX = barLeft
        for (cls, fill, label) in [("bar-assigned", "#0f5cc0", words.assigned), ("bar-free", "#c9d8ee", words.available),
                                   ("bar-over", "#b42318", words.over)] {
            b.selfClosing("rect", [("class", cls), ("fill", fill), ("x", "\(legendX)"), ("y", "6"), ("width", "12"), ("height", "12"), ("rx", "2")])
            b.element("text", [("class", "chart-legend"), ("x", "\(legendX + 17)"), ("y", "16"), ("font-size", "12"), ("fill", "#505a6e")], text: label)
            legendX += 30 + label.count * 7
        }

        for (i, bar) in bars.enumerated() {
            let y = top + i * rowHeight
            let baseline = y + 15
            b.element("text", [("class", "chart-label"), ("x", "0"), ("y", "\(baseline)"), ("font-size", "13"), ("fill", "#1d2433")],
                      text: shortened(bar.label))
            let inPool = min(bar.assigned, bar.usable)
            let free = max(0, bar.usable - bar.assigned)
            let over = max(0, bar.assigned - bar.usable)
            // Track: the whole scale, so bars of different products compare.
            b.selfClosing("rect", [("class", "bar-track"), ("fill", "#eef1f5"), ("x", "\(barLeft)"), ("y", "\(y + 2)"),
                                   ("width", "\(barWidth)"), ("height", "16"), ("rx", "3")])
            var cursor = barLeft
            for (cls, fill, n) in [("bar-assigned", "#0f5cc0", inPool), ("bar-free", "#c9d8ee", free), ("bar-over", "#b42318", over)] where n > 0 {
                let w = max(2, x(n))
                b.selfClosing("rect", [("class", cls), ("fill", fill), ("x", "\(cursor)"), ("y", "\(y + 2)"), ("width", "\(w)"), ("height", "16")])
                cursor += w
            }
            b.element("text", [("class", over > 0 ? "chart-value chart-value-over" : "chart-value"), ("x", "\(barLeft + barWidth + 10)"),
                               ("y", "\(baseline)"), ("font-size", "13"), ("fill", over > 0 ? "#b42318" : "#1d2433")],
                      text: words.value(bar))
        }
        b.close("svg")
        return b.html
    }

    /// Long product names are cut for the chart (the description and the table carry them whole).
    static func shortened(_ label: String) -> String {
        label.count <= maxLabelCharacters ? label : String(label.prefix(maxLabelCharacters - 1)) + "…"
    }
}
