import Foundation
import Testing
@testable import SiteBuild
import TenantModel

/// Templates own the pages: a copied template set changes a table's columns with no change to the program
/// (the example in docs/templates.md).
@Suite struct TemplateOwnershipTests {
    @Test func aCopiedTemplateSetDropsAColumnAndAddsOne() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let templates = root.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("templates"), to: templates)

        // The invoice list without its VAT column: the header's cell, one delimiter cell and the row's cell.
        let invoices = templates.appendingPathComponent("pages/invoices.md")
        var list = try String(contentsOf: invoices, encoding: .utf8)
        let before = list
        list = list.replacingOccurrences(of: "| {{t.invoices.col.net}} | {{t.invoices.col.vat}} | {{t.invoices.col.gross}} | {{t.invoices.col.paid}} | {{t.invoices.col.status}} |",
                                         with: "| {{t.invoices.col.net}} | {{t.invoices.col.gross}} | {{t.invoices.col.paid}} | {{t.invoices.col.status}} |")
            .replacingOccurrences(of: "|---|---|---|---|---:|---:|---:|---:|---|", with: "|---|---|---|---|---:|---:|---:|---|")
            .replacingOccurrences(of: "| {{net}} | {{vat}} | {{gross}} |", with: "| {{net}} | {{gross}} |")
        #expect(list != before)
        try list.write(to: invoices, atomically: true, encoding: .utf8)

        // The holders table with each person's department, under a heading word of the user's own.
        let subscription = templates.appendingPathComponent("pages/subscription.md")
        var page = try String(contentsOf: subscription, encoding: .utf8)
        page = page.replacingOccurrences(of: "| {{t.subscription.col.person}} |", with: "| {{t.subscription.col.person}} | {{t.my.department}} |")
            .replacingOccurrences(of: "|---|---|---|---|---|\n{{#holders}}", with: "|---|---|---|---|---|---|\n{{#holders}}")
            .replacingOccurrences(of: "| {{name}}{{#uncertain}} \\*{{/uncertain}} |", with: "| {{name}}{{#uncertain}} \\*{{/uncertain}} | {{department}} |")
        try page.write(to: subscription, atomically: true, encoding: .utf8)
        for (language, word) in [("pl", "Dział"), ("en", "Department")] {
            try "{\"my.department\": \"\(word)\"}\n".write(to: templates.appendingPathComponent("strings/\(language)/my.json"), atomically: true, encoding: .utf8)
        }

        let output = root.appendingPathComponent("site")
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: output, templates: templates)
        let listHTML = try String(contentsOf: output.appendingPathComponent("en/tenants/kwiaciarnia-lakowa/invoices/index.html"), encoding: .utf8)
        // The documents table lost its VAT column; the totals table below keeps its own.
        let start = try #require(listHTML.range(of: ">Number</th>"))
        let documents = try #require(listHTML[start.lowerBound...].components(separatedBy: "</table>").first)
        #expect(documents.contains("<th class=\"align-right\">Net</th>") && !documents.contains(">VAT</th>"))
        #expect(listHTML.components(separatedBy: ">VAT</th>").count == 2)
        // Every row has one cell fewer: 8 columns.
        let firstRow = try #require(listHTML.range(of: "<tbody>\n<tr>\n").map { listHTML[$0.upperBound...] }?.components(separatedBy: "</tr>").first)
        #expect(firstRow.components(separatedBy: "<td").count - 1 == 8)

        let subscriptions = output.appendingPathComponent("pl/tenants/kwiaciarnia-lakowa/subscriptions")
        let pages = try FileManager.default.contentsOfDirectory(atPath: subscriptions.path).map {
            try String(contentsOf: subscriptions.appendingPathComponent($0), encoding: .utf8)
        }
        #expect(pages.contains { $0.contains("<th>Dział</th>") && $0.contains("<td>Zarząd</td>") })
    }

    /// The invoice's e-mail-safe styles are the template's: a copied `email-styles.json` restyles the document, and a
    /// style the template names but the sheet lacks fails `check` naming the template's file and line.
    @Test func theInvoiceStylesComeFromTheTemplates() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let templates = root.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("templates"), to: templates)
        let sheet = templates.appendingPathComponent("email-styles.json")
        let original = try String(contentsOf: sheet, encoding: .utf8)
        try original.replacingOccurrences(of: "\"h1\": \"font-family:Arial,Helvetica,sans-serif;",
                                          with: "\"h1\": \"font-family:Georgia,serif;").write(to: sheet, atomically: true, encoding: .utf8)
        let output = root.appendingPathComponent("site")
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: output, settings: BuildSettings(languages: [.pl]), templates: templates)
        let page = try String(contentsOf: output.appendingPathComponent("pl/tenants/kwiaciarnia-lakowa/invoices/fv-2026-11-09670.html"), encoding: .utf8)
        #expect(page.contains("<h1 style=\"font-family:Georgia,serif;"))

        try original.replacingOccurrences(of: "\"thLeft\"", with: "\"thLetf\"").write(to: sheet, atomically: true, encoding: .utf8)
        do {
            _ = try SiteBuilder.build(BuildOptions(content: repoRoot.appendingPathComponent("content").path, templates: templates.path,
                                                   output: "/nonexistent", dryRun: true))
            Issue.record("a misspelt style was accepted")
        } catch {
            guard case .invalidInput(let problems) = error else { Issue.record("\(error)"); return }
            let lines = problems.map(\.description)
            let template = templates.appendingPathComponent("pages/invoice.html").path
            #expect(lines.contains { $0.hasPrefix("\(template): ") && $0.hasSuffix(": {{s.thLeft}}: there is no style \"thLeft\" in \(sheet.path)") }, "\(lines)")
        }
    }

    /// The invoice document is its template: a copied `pages/invoice.html` rewords a heading and drops the VAT rate
    /// from the lines, and `pages/invoice.txt` changes the e-mail's text, with no Swift change.
    @Test func theInvoiceDocumentIsItsTemplate() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let templates = root.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("templates"), to: templates)
        let html = templates.appendingPathComponent("pages/invoice.html")
        var source = try String(contentsOf: html, encoding: .utf8)
        source = source.replacingOccurrences(of: "{{t.invoice.lines}}</h2>", with: "Usługi i licencje</h2>")
        source = source.replacingOccurrences(of: " · {{t.invoice.col.vatRate}}</div>", with: "</div>")
        source = source.replacingOccurrences(of: " · <span style=\"{{s.nowrap}}\">{{t.invoice.line.vat}} {{rate}}: {{vat}}</span>", with: "")
        try source.write(to: html, atomically: true, encoding: .utf8)
        let text = templates.appendingPathComponent("pages/invoice.txt")
        try (try String(contentsOf: text, encoding: .utf8)).replacingOccurrences(of: "{{t.invoice.email.greeting}}", with: "Szanowni Państwo,")
            .write(to: text, atomically: true, encoding: .utf8)
        let output = root.appendingPathComponent("site")
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: output, settings: BuildSettings(languages: [.pl]), templates: templates)
        let folder = output.appendingPathComponent("pl/tenants/kwiaciarnia-lakowa/invoices")
        let page = try String(contentsOf: folder.appendingPathComponent("fv-2026-03-02314.html"), encoding: .utf8)
        #expect(page.contains("Usługi i licencje</h2>"))
        #expect(!page.contains(">Pozycje</h2>"))
        // The lines say no VAT rate; the VAT summary keeps its rate column.
        let linesTable = page.components(separatedBy: "Usługi i licencje</h2>")[1].components(separatedBy: "</table>")[0]
        #expect(linesTable.components(separatedBy: "<th ").count - 1 == 3)
        #expect(!linesTable.contains("Stawka VAT") && !linesTable.contains("23%"))
        #expect(page.contains("Stawka VAT"))
        let mail = try String(contentsOf: folder.appendingPathComponent("fv-2026-03-02314.eml"), encoding: .utf8)
        #expect(mail.contains("Szanowni Pa=C5=84stwo,"))
        #expect(!mail.contains("Dzie=C5=84 dobry,"))
    }
}
