import Foundation
import Testing
import SiteRender
@testable import SiteBuild

/// `InvoiceDocumentPages.BodyShapes` (the invoice template rendered once per shape, texts escaped into it)
/// gives the bytes of rendering the template for each document, whatever the texts hold.
@Suite struct InvoiceBodyShapeTests {
    static let texts = ["Faktura VAT nr FV/2026/07/001", "<script>alert(1)</script>", "a & b", "\"q\" 'a'", "{{t.site.name}}",
                        "| a | b |", "*x* _y_ `z`", "# nagłówek", "1. lista", "line\nbreak", "\u{202E}abc\u{202C}", "שלום",
                        "\u{1F600} zażółć gęślą jaźń", "[link](https://example.com)", "<!--tenantsite-block-1-->",
                        "\u{F8F0}tenantsite-text-0\u{F8F1}", "   spaces   ", "\\", "---", "Kwoty w EUR."]

    @Test func shapesRenderLikeTheTemplate() throws {
        let source = try String(contentsOf: repoRoot.appendingPathComponent("templates/pages/invoice.md"), encoding: .utf8)
        let template = try MarkdownTemplate(name: "invoice.md", source: source)
        let strings: TemplateValue = .object(["invoice": .object([
            "lines": .text("Pozycje"), "vatSummary": .text("Podsumowanie VAT"), "corrects": .text("Koryguje"),
            "correctedBy": .text("Skorygowana przez")])])
        let generated = "Wygenerowano z migawki <3 & \"co\""
        var shapes = InvoiceDocumentPages.BodyShapes(template: template, strings: strings, generated: generated)
        var state: UInt64 = 7
        func pick() -> String {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Self.texts[Int((state >> 33) % UInt64(Self.texts.count))]
        }
        var fast = 0
        for round in 0..<300 {
            let model = InvoiceDocumentPages.Model(heading: pick(), corrects: nil, correctedBy: [], amountsIn: pick(),
                                                   notes: (0..<(round % 3)).map { _ in pick() }, generated: generated, blocks: [])
            let expected = try template.renderHTML(model.templateValue(strings)).bytes
            if let body = shapes.body(model) {
                fast += 1
                #expect(body.bytes == expected, "\(model.heading.debugDescription) \(model.amountsIn.debugDescription) \(model.notes)")
            }
        }
        #expect(fast > 200)
    }
}
