import Foundation
import Testing
@testable import SiteRender

/// The one-pass `classForAlign` gives what the six whole-document replacements it replaced gave.
@Suite struct ClassForAlignTests {
    static func reference(_ html: String) -> String {
        guard html.contains(" align=\"") else { return html }
        var out = html
        for cell in ["th", "td"] {
            for side in ["left", "center", "right"] {
                out = out.replacingOccurrences(of: "<\(cell) align=\"\(side)\"", with: "<\(cell) class=\"align-\(side)\"")
            }
        }
        return out
    }

    @Test func matchesTheReplacements() {
        let parts = ["<th align=\"left\">", "<td align=\"right\">", "<td align=\"center\"", "<td align=\"middle\">", "<tr>", "x",
                     " align=\"left\"", "<th", "<td align=\"", "ż", "</td>\n", "<t", "<td  align=\"left\">", "<th align=\"right"]
        var state: UInt64 = 7
        for _ in 0..<3000 {
            var html = ""
            for _ in 0..<Int(state % 9) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                html += parts[Int((state >> 33) % UInt64(parts.count))]
            }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            #expect(MarkdownDocument.classForAlign(html) == Self.reference(html), "\(html)")
        }
    }
}
