import Foundation
import Testing
@testable import SiteBuild

/// The invoice documents are written from their templates (`pages/invoice.html`, `pages/invoice.txt`) and
/// encoded by a fast quoted-printable writer (eight bytes at a time): a hostile value in every
/// field a document shows (names, addresses, descriptions, units, the exchange rate's source; bidi controls
/// are refused by the reader, so right-to-left text stands in for them) stays text in
/// the page and in both parts of the `.eml`, and the page keeps the structure it has with harmless values.
@Suite struct InvoiceHostileFieldsTests {
    static let hostile = "<script>alert(1)</script> & \"q\" 'a' {{t.site.name}} | *x* שלום gnp.exe \u{1F600} zażółć"
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39; {{t.site.name}} | *x* שלום gnp.exe \u{1F600} zażółć"
    static let harmless = "Zwykła nazwa"

    /// The edge-case tenant with `value` in every shown string field of every document.
    static func content(_ value: String) throws -> URL {
        let source = try Data(contentsOf: InvoicePagesTests.fixtureContent.appendingPathComponent("tenants/faktury-brzegowe.json"))
        var root = try JSONSerialization.jsonObject(with: source) as! [String: Any]
        var invoices = root["invoices"] as! [[String: Any]]
        for i in invoices.indices {
            for side in ["seller", "buyer"] {
                var party = invoices[i][side] as! [String: Any]
                party["name"] = value
                party["addressLines"] = [value, "00-001 " + value]
                invoices[i][side] = party
            }
            invoices[i]["lines"] = (invoices[i]["lines"] as! [[String: Any]]).map { line in
                var line = line
                line["description"] = value
                line["unit"] = value
                return line
            }
            if var exchange = invoices[i]["exchangeRate"] as? [String: Any] {
                exchange["source"] = value
                invoices[i]["exchangeRate"] = exchange
            }
        }
        root["invoices"] = invoices
        let folder = try temporaryFolder("tenantsite-content")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tenants"), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: root).write(to: folder.appendingPathComponent("tenants/faktury-brzegowe.json"))
        return folder
    }

    /// The element names of a page, in order: its structure without its text.
    static func tags(_ html: String) -> [Substring] {
        html.split(separator: "<").dropFirst().map { $0.prefix { $0 != " " && $0 != ">" } }
    }

    @Test func hostileValuesInEveryFieldStayText() throws {
        let hostileContent = try Self.content(Self.hostile), harmlessContent = try Self.content(Self.harmless)
        let hostileOutput = try temporaryFolder(), harmlessOutput = try temporaryFolder()
        defer { [hostileContent, harmlessContent, hostileOutput, harmlessOutput].forEach(cleanUp) }
        try buildSite(content: hostileContent, output: hostileOutput)
        try buildSite(content: harmlessContent, output: harmlessOutput)
        let folder = "pl/tenants/faktury-brzegowe/invoices"
        let documents = try FileManager.default.contentsOfDirectory(atPath: hostileOutput.appendingPathComponent(folder).path)
            .filter { $0.hasSuffix(".eml") }.map { String($0.dropLast(4)) }
        #expect(documents.count >= 5)
        for name in documents {
            let page = try String(contentsOf: hostileOutput.appendingPathComponent("\(folder)/\(name).html"), encoding: .utf8)
            let harmlessPage = try String(contentsOf: harmlessOutput.appendingPathComponent("\(folder)/\(name).html"), encoding: .utf8)
            #expect(!page.contains("<script"), "\(name).html")
            #expect(page.contains(Self.escaped), "\(name).html")
            #expect(Self.tags(page) == Self.tags(harmlessPage), "\(name).html: the structure changed")
            let eml = hostileOutput.appendingPathComponent("\(folder)/\(name).eml")
            let mail = try InvoicePagesTests.decodedHTMLPart(eml)
            #expect(!mail.contains("<script") && mail.contains(Self.escaped), "\(name).eml")
            let harmlessMail = try InvoicePagesTests.decodedHTMLPart(harmlessOutput.appendingPathComponent("\(folder)/\(name).eml"))
            #expect(Self.tags(mail) == Self.tags(harmlessMail), "\(name).eml: the structure changed")
            // The plain-text part is text: the value as written.
            let text = try InvoicePagesTests.python("""
            import email, email.policy, sys
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
            sys.stdout.write(m.get_body(('plain',)).get_content())
            """, [eml.path])
            #expect(text.status == 0 && text.output.contains(Self.hostile), "\(name).eml: text part")
        }
    }
}
