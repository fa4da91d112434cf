import SiteRender

/// What every chart shares: a 400-unit-wide drawing with text at 15 units, so a phone (about 340 px for the chart)
/// still shows its labels at 12.75 px and a desktop shows them at 15 px; and colours by class, light by presentation
/// attribute (what a mail client or a viewer without CSS shows) and light or dark by a stylesheet.
///
/// A chart that is an SVG file carries its stylesheet (`styleElement`): an image follows the reader's
/// `prefers-color-scheme` itself. The spend chart, drawn inside the invoice list, is styled by `style.css` with
/// the same classes (the page's CSP forbids a `<style>` in the page).
enum ChartStyle {
    static let width = 400.0
    /// The smallest text any chart draws, in chart units.
    static let fontSize = 15.0
    /// An average glyph's advance at `fontSize`, for laying out legends and cutting labels (system-ui, Latin).
    static let glyphWidth = 8.4

    enum Colour: String, CaseIterable {
        case ink, soft, grid, axis, track, primary, secondary, free, over, negative

        /// (light, dark), the site's palette (style.css's variables).
        var values: (light: String, dark: String) {
            switch self {
            case .ink: return ("#1d2433", "#e6e9ef")
            case .soft: return ("#505a6e", "#b4bccb")
            case .grid: return ("#e5e7eb", "#38404f")
            case .axis: return ("#6b7280", "#8b95a7")
            case .track: return ("#eef1f5", "#2a3140")
            case .primary: return ("#0f5cc0", "#8ab4ff")
            case .secondary: return ("#b45309", "#f2c35b")
            case .free: return ("#c9d8ee", "#3b5275")
            case .over: return ("#b42318", "#ff9b91")
            case .negative: return ("#b45309", "#f2c35b")
            }
        }
        var light: String { values.light }
        /// The class that paints a shape's fill (`c-…`) or a line's stroke (`s-…`).
        var fillClass: String { "c-" + rawValue }
        var strokeClass: String { "s-" + rawValue }
    }

    /// Fill and class of a shape or a text.
    static func fill(_ colour: Colour) -> [(StaticString, String)] { [("class", colour.fillClass), ("fill", colour.light)] }
    static func stroke(_ colour: Colour) -> [(StaticString, String)] { [("class", colour.strokeClass), ("stroke", colour.light)] }

    /// The stylesheet of an SVG file (its colours, then their dark twins), as a `<style>` element.
    static func style(_ b: inout HTMLBuilder) { b.element("style", text: stylesheet) }

    static let stylesheet: String = {
        func rules(_ pick: (Colour) -> String) -> String {
            Colour.allCases.map { ".\($0.fillClass){fill:\(pick($0))}.\($0.strokeClass){stroke:\(pick($0))}" }.joined()
        }
        return "text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}"
            + rules(\.values.light) + "@media (prefers-color-scheme: dark){" + rules(\.values.dark) + "}"
    }()

    /// About how wide `text` is drawn at `size` units.
    static func textWidth(_ text: String, size: Double = fontSize) -> Double { Double(text.count) * glyphWidth * size / fontSize }

    /// `text` cut with "…" to fit `width` units.
    static func fitted(_ text: String, width: Double) -> String {
        let most = max(4, Int(width / glyphWidth))
        return text.count <= most ? text : String(text.prefix(most - 1)) + "…"
    }

    /// Legend entries (a swatch and its words) laid out in lines that fit the chart; returns the height used.
    static func legend(_ b: inout HTMLBuilder, entries: [(colour: Colour, label: String)], left: Double, top: Double) -> Double {
        let n = SpendChart.oneDecimal
        var x = left, y = top
        for entry in entries {
            let wide = 20 + textWidth(entry.label)
            if x > left, x + wide > width { x = left; y += 22 }
            b.selfClosing("rect", fill(entry.colour) + [("x", n(x)), ("y", n(y + 3)), ("width", "13"), ("height", "13"), ("rx", "2")])
            b.element("text", fill(.soft) + [("x", n(x + 18)), ("y", n(y + 15)), ("font-size", n(fontSize))], text: entry.label)
            x += wide + 16
        }
        return y + 22 - top
    }
}
