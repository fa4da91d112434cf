import Foundation
import Testing
@testable import SiteBuild
@testable import SiteRender
import TenantModel

/// The invoice lists, the e-mailable invoice pages, their `.eml` and CSV files — on the demo content and on
/// `Fixtures/invoices/content`, a tenant made of edge cases (docs/invoices.md).
@Suite(.serialized) struct InvoicePagesTests {
    static let fixtureContent = repoRoot.appendingPathComponent("Tests/SiteBuildTests/Fixtures/invoices/content")
    static let fixtureExpected = repoRoot.appendingPathComponent("Tests/SiteBuildTests/Fixtures/invoices/expected")
    static let fixtureRanges = [CivilDate(iso: "2024-02-29")!...CivilDate(iso: "2024-03-01")!, CivilDate(iso: "2023-01-01")!...CivilDate(iso: "2023-06-30")!]

    static func fixtureSnapshot() throws -> Snapshot {
        let file = fixtureContent.appendingPathComponent("tenants/faktury-brzegowe.json")
        return try SnapshotDecoder.decode(Array(try Data(contentsOf: file)), file: file.path, slug: "faktury-brzegowe").get()
    }

    static func invoice(_ snapshot: Snapshot, _ id: String) -> Invoice { snapshot.invoices.first { $0.id == id }! }

    // MARK: Facts

    @Test func todayIsTheCaptureDateOnWarsawsClock() throws {
        // Captured 2024-05-31T21:30Z = 23:30 in Warsaw: still 31 May.
        let snapshot = try Self.fixtureSnapshot()
        let context = TenantContext(snapshot: snapshot, lang: try Self.language(.pl), settings: BuildSettings(), help: HelpLinks())
        #expect(context.asOf == CivilDate(iso: "2024-05-31")!)
        var later = snapshot
        later.capturedDateTime = Timestamp(rfc3339: "2024-05-31T22:30:00Z")!  // 00:30 on 1 June in Warsaw
        #expect(TenantContext(snapshot: later, lang: try Self.language(.pl), settings: BuildSettings(), help: HelpLinks()).asOf == CivilDate(iso: "2024-06-01")!)
    }

    @Test func statuses() throws {
        let snapshot = try Self.fixtureSnapshot()
        let facts = InvoiceFacts(snapshot.invoices, asOf: CivilDate(iso: "2024-05-31")!)
        func status(_ id: String) -> InvoiceStatus { facts.status(Self.invoice(snapshot, id)) }
        #expect(status("A/2023/11/30") == .paid)
        #expect(status("A/2024/02/29") == .overdue)            // outstanding and due 14 March
        #expect(facts.isPartlyPaid(Self.invoice(snapshot, "A/2024/02/29")))
        #expect(status("A/2024/03/01") == .credited)           // paid, and K/2024/05/01 corrects it
        #expect(status("E/2024/04/15") == .unpaid)             // due today: not yet overdue
        #expect(InvoiceFacts(snapshot.invoices, asOf: CivilDate(iso: "2024-06-01")!).status(Self.invoice(snapshot, "E/2024/04/15")) == .overdue)
        #expect(status("K/2024/05/01") == .paid)               // a settled credit note
        #expect(status("KOR/2024/05/02") == .unpaid)
        #expect(facts.correctedBy["A/2024/02/29"]?.map(\.id) == ["KOR/2024/05/02"])
    }

    /// Sums per VAT rate are the sums of the lines' own (already rounded) amounts, in the Polish order.
    @Test func totalsPerVATRate() throws {
        let invoice = Self.invoice(try Self.fixtureSnapshot(), "A/2024/02/29")
        let rates = VATRateTotal.of(invoice)
        #expect(rates.map(\.rate.code) == ["23", "8", "5", "0", "zw", "np"])
        #expect(rates[0] == VATRateTotal(rate: .percent(23), net: Amount(exactly: "31.49")!, vat: Amount(exactly: "7.25")!, gross: Amount(exactly: "38.74")!))
        // 23% of 31.49 is 7.2427 → 7.24: the document charges 6.90 + 0.35 = 7.25, and the summary must agree with it.
        #expect((rates[0].net * Amount(exactly: "0.23")!).roundedHalfUp() == Amount(exactly: "7.24")!)
        #expect(rates[2].vat == Amount(exactly: "0.51")!)      // 10.10 × 5% = 0.505 → 0.51 (half-even would give 0.50)
        #expect(rates.reduce(Amount(0)) { $0 + $1.gross } == invoice.totalCharges)
        #expect(rates.reduce(Amount(0)) { $0 + $1.vat } == Amount(exactly: "8.76")!)
    }

    @Test func vatInZlotyOnAForeignCurrencyInvoice() throws {
        let invoice = Self.invoice(try Self.fixtureSnapshot(), "E/2024/04/15")
        let rate = VATRateTotal.of(invoice)[0]
        // 28.38 EUR × 4.3215 = 122.64417 → 122.64 zł
        #expect(rate.vatInPLN(invoice.exchangeRate!) == Amount(exactly: "122.64")!)
    }

    @Test func totalsPerCurrencyAreNeverAddedTogether() throws {
        let totals = CurrencyTotal.of(try Self.fixtureSnapshot().invoices)
        #expect(totals.map(\.currency) == ["EUR", "PLN"])
        #expect(totals[0].count == 1 && totals[0].gross == Amount(exactly: "151.78")! && totals[0].outstanding == Amount(exactly: "151.78")!)
        #expect(totals[1].count == 8)
        // PLN: every document but the EUR one, the credit note counted negative.
        #expect(totals[1].gross == Amount(exactly: "1041.43")!)
        #expect(totals[1].net == Amount(exactly: "871.62")!)
    }

    @Test func monthlySpendFillsEmptyMonthsPerCurrency() throws {
        let spend = MonthlySpend.of(try Self.fixtureSnapshot().invoices)
        #expect(spend.map(\.currency) == ["EUR", "PLN"])
        #expect(spend[1].months.count == 8)                    // November 2023 … June 2024
        #expect(spend[1].months[0].year == 2023 && spend[1].months[0].month == 11)
        #expect(spend[1].months[1].net == Amount(exactly: "126.00")!)
        #expect(spend[1].months[5].net == 0)                   // April: only an EUR invoice
        #expect(spend[1].months[6].net == Amount(exactly: "-108.80")! + Amount(exactly: "2.00")!)  // May: credit note + correction
    }

    // MARK: Golden pages of the edge-case tenant

    /// The invoice folder of the edge-case tenant in both languages, file for file. After an intended change:
    /// `UPDATE_GOLDEN=1 swift test --filter InvoicePagesTests` and read the diff.
    @Test func edgeCasePagesMatchTheGoldenFiles() throws {
        let output = try temporaryFolder()
        defer { cleanUp(output) }
        try buildSite(content: Self.fixtureContent, output: output, settings: BuildSettings(customRanges: Self.fixtureRanges))
        var actual: [String: Data] = [:]
        for lang in Language.allCases {
            for (path, data) in tree(output.appendingPathComponent("\(lang.rawValue)/tenants/faktury-brzegowe/invoices")) {
                actual["\(lang.rawValue)/\(path)"] = data
            }
        }
        try Golden.check(actual.mapValues { _ in "" }.keys.reduce(into: [String: String]()) { result, path in
            result[path] = Golden.reviewable(path, actual[path]!)
        }, folder: Self.fixtureExpected)
        // What the golden files are about, said once more in words.
        let list = String(decoding: actual["pl/last-3-months.html"]!, as: UTF8.self)
        #expect(list.contains("A/2024/03/01") && list.contains("KOR/2024/05/02") && !list.contains("A/2024/02/29") && !list.contains("V/2024/06/01"))
        let six = String(decoding: actual["pl/last-6-months.html"]!, as: UTF8.self)
        #expect(six.contains("A/2023/12/01") && six.contains("A/2024/02/29") && !six.contains("A/2023/11/30"))
        let leap = String(decoding: actual["pl/2024-02-29_2024-03-01.html"]!, as: UTF8.self)
        #expect(leap.contains("A/2024/02/29") && leap.contains("A/2024/03/01") && leap.contains("2 dokumenty"))
        let empty = String(decoding: actual["en/2023-01-01_2023-06-30.html"]!, as: UTF8.self)
        #expect(empty.contains("No invoices were issued in this period."))
        #expect(empty.contains("href=\"last-3-months.html\"") && empty.contains("href=\"index.html\""))
        #expect(actual["pl/2024-2.html"] != nil && actual["pl/2024.html"] != nil, "the invoice numbered 2024 does not take the year page")
    }

    @Test func creditNotesShowWhatTheyCorrectAndNegativeAmounts() throws {
        let output = try temporaryFolder()
        defer { cleanUp(output) }
        try buildSite(content: Self.fixtureContent, output: output)
        let folder = output.appendingPathComponent("pl/tenants/faktury-brzegowe/invoices")
        let credit = try String(contentsOf: folder.appendingPathComponent("k-2024-05-01.html"), encoding: .utf8)
        #expect(credit.contains("Faktura korygująca nr K/2024/05/01"))
        #expect(credit.contains("Koryguje fakturę <a href=\"a-2024-03-01.html\""))
        #expect(credit.contains(">-108,80<") && credit.contains(">-25,02<") && credit.contains("-133,82\u{00A0}zł"))
        let corrected = try String(contentsOf: folder.appendingPathComponent("a-2024-03-01.html"), encoding: .utf8)
        #expect(corrected.contains("Skorygowana dokumentem: <a href=\"k-2024-05-01.html\""))
        // In the e-mail the link would lead nowhere: the number is there as text.
        let mail = try Self.decodedHTMLPart(folder.appendingPathComponent("k-2024-05-01.eml"))
        #expect(mail.contains("Koryguje fakturę <strong") && !mail.contains("href=\"a-2024-03-01.html\""))
        // Data stays text: the buyer's name full of Markdown and HTML is shown as written.
        #expect(credit.contains("Firma &lt;b&gt;Testowa&lt;/b&gt; | *Łódź*"))
    }

    @Test func linesThatDoNotAddUpAreAValidationError() throws {
        let content = try temporaryFolder("tenantsite-content")
        defer { cleanUp(content) }
        try FileManager.default.createDirectory(at: content.appendingPathComponent("tenants"), withIntermediateDirectories: true)
        let source = try String(contentsOf: Self.fixtureContent.appendingPathComponent("tenants/faktury-brzegowe.json"), encoding: .utf8)
        // 1.5 × 19.99 = 29.985 → 29.99; 29.98 would be half-even rounding, which Polish VAT does not use.
        try source.replacingOccurrences(of: "\"subtotal\": 29.99", with: "\"subtotal\": 29.98")
            .write(to: content.appendingPathComponent("tenants/faktury-brzegowe.json"), atomically: true, encoding: .utf8)
        do {
            _ = try SiteBuilder.build(BuildOptions(content: content.path, templates: repoRoot.appendingPathComponent("templates").path,
                                                   output: "/nonexistent", dryRun: true))
            Issue.record("accepted")
        } catch {
            guard case .invalidInput(let diagnostics) = error else { Issue.record("\(error)"); return }
            let text = diagnostics.map(\.description)
            #expect(text.contains { $0.contains("invoices[3].lines[0].subtotal: is 29.98 but quantity × unitPrice = 1.5 × 19.99 = 29.99") })
        }
    }

    // MARK: E-mailable page, .eml, CSV on the demo site

    /// Every invoice page of the demo is one self-contained file that a mail client can show as it is.
    @Test func invoicePagesAreSelfContainedAndSmall() throws {
        let output = try temporaryFolder()
        defer { cleanUp(output) }
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: output)
        let all = tree(output)
        let pages = all.filter { $0.key.contains("/invoices/") && $0.key.hasSuffix(".html") && !Self.isListPage($0.key) }
        #expect(pages.count == 2 * (20 + 13 + 8))
        var largest = 0
        for (path, data) in pages {
            largest = max(largest, data.count)
            var html = String(decoding: data, as: UTF8.self)
            #expect(data.count < 100 * 1024, "\(path) is \(data.count) bytes")
            // A KSeF invoice's page carries KOD I: one inline SVG and the verification link, nothing else from outside.
            let isKSeF = all[String(path.dropLast(5)) + ".xml"] != nil
            if isKSeF {
                #expect(html.contains("Wizualizacja faktury") || html.contains("Visualisation of a"), "\(path)")
                let svg = try #require(html.range(of: "<svg"))
                let end = try #require(html.range(of: "</svg>", range: svg.upperBound..<html.endIndex))
                html.removeSubrange(svg.lowerBound..<end.upperBound)
                html = html.replacingOccurrences(of: "https://qr.ksef.mf.gov.pl/invoice/", with: "")
            }
            for banned in ["<script", "<link", " src=", "url(", "@import", "http://", "https://", "<img", "<svg"] {
                #expect(!html.contains(banned), "\(path) contains \(banned)")
            }
            // 600 px wide in CSS only: HTML5's obsolete width/cellpadding attributes fail the Nu HTML Checker.
            #expect(html.contains("<table role=\"presentation\" class=\"sheet\" style=\"width:100%;max-width:600px;"))
            // Every cell carries its own style (Outlook, Gmail), and the only <style> is in the head.
            let cells = html.components(separatedBy: "<td").dropFirst()
            #expect(cells.allSatisfy { $0.prefix(while: { $0 != ">" }).contains("style=\"") }, "\(path): a cell without inline style")
            #expect(html.components(separatedBy: "<style").count == 2 && html.range(of: "<style")!.lowerBound < html.range(of: "</head>")!.lowerBound)
            if !isKSeF {
                #expect(["Kopia informacyjna", "Informational copy", "Faktura spoza KSeF", "Invoice outside KSeF"].contains { html.contains($0) }, "\(path)")
            }
        }
        print("largest invoice page: \(largest) bytes")
    }

    static func isListPage(_ path: String) -> Bool {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return InvoiceRange.isReservedFileBase(name) || name.contains("_")
    }

    /// A typed invoice to a Polish buyer from a seller without a Polish NIP (Microsoft Ireland) says it is outside KSeF,
    /// on its page and in its e-mail's subject; the demo's German tenant's Dutch invoice says nothing of KSeF.
    @Test func aForeignSellersInvoiceToAPolishBuyerIsOutsideKSeF() throws {
        let content = try copyOfDemoContent()
        defer { cleanUp(content) }
        let file = demoSnapshotFile(in: content, "kwiaciarnia-lakowa")
        // The first typed invoice's seller becomes Microsoft Ireland (as JSONSerialization rewrites it, like PlanTests).
        var root = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
        var invoices = root["invoices"] as! [[String: Any]]
        #expect(invoices[0]["id"] as? String == "FV/2025/05/07385")
        invoices[0]["seller"] = ["name": "Microsoft Ireland Operations Ltd", "addressLines": ["One Microsoft Place", "Dublin 18"],
                                 "vatId": "IE8256796U", "countryCode": "IE"]
        root["invoices"] = invoices
        try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]).write(to: file)
        let output = try temporaryFolder()
        defer { cleanUp(output) }
        try buildSite(content: content, output: output)
        for (lang, words, subject) in [("pl", "Faktura spoza KSeF: wystawił ją sprzedawca zagraniczny (Microsoft Ireland Operations Ltd).", "(spoza KSeF)"),
                                       ("en", "Invoice outside KSeF: issued by a foreign seller (Microsoft Ireland Operations Ltd).", "(outside KSeF)")] {
            let folder = output.appendingPathComponent("\(lang)/tenants/kwiaciarnia-lakowa/invoices")
            let page = try String(contentsOf: folder.appendingPathComponent("fv-2025-05-07385.html"), encoding: .utf8)
            #expect(page.contains(words), "\(lang)")
            let mail = try Self.python("""
            import email, email.policy, sys
            print(email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)['Subject'])
            """, [folder.appendingPathComponent("fv-2025-05-07385.eml").path]).output
            #expect(mail.contains(subject), "\(lang): \(mail)")
            let other = try String(contentsOf: folder.appendingPathComponent("fv-2025-06-09703.html"), encoding: .utf8)
            #expect(!other.contains("KSeF:") && !other.contains("outside KSeF"), "\(lang): a home.pl invoice is not outside KSeF")
        }
        let german = try String(contentsOf: output.appendingPathComponent("en/tenants/northwind-gmbh/invoices/inv-2026-001836.html"), encoding: .utf8)
        #expect(!german.contains("KSeF"))
    }

    /// An independent parser (Python's `email`, policy.default) reads every generated .eml without a defect.
    @Test func everyEmlParsesWithoutDefects() throws {
        let output = try temporaryFolder()
        defer { cleanUp(output) }
        try buildSite(content: repoRoot.appendingPathComponent("content"), output: output.appendingPathComponent("demo"))
        try buildSite(content: Self.fixtureContent, output: output.appendingPathComponent("edge"))
        let files = tree(output).keys.filter { $0.hasSuffix(".eml") }.sorted().map { output.appendingPathComponent($0).path }
        #expect(files.count == 2 * (20 + 13 + 8) + 2 * 9)
        let result = try Self.python(Self.emlChecker, files)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.hasPrefix("OK \(files.count)"), "\(result.output)")
        // What a reader's mail client shows.
        #expect(result.output.contains("Wizualizacja faktury KSeF FK/2026/06/00007 — home.pl S.A. | \"home.pl S.A.\" <no-reply@tenantsite.invalid> | Księgowość – Kwiaciarnia Łąkowa <ksiegowosc@lakowa.pl> | Thu, 18 Jun 2026 08:00:00 +0200"))
        #expect(result.output.contains("| Nordlicht Logistics – Accounts Payable <accounts-payable@nordlicht-logistics.de> |"))
        #expect(result.output.contains("| Zażółć \"Gęślą\" Jaźń — księgowość z bardzo długą nazwą działu rozliczeń <ksiegowosc@testowa.example> |"))
        #expect(result.output.contains("Invoice INV-2026-003633 — Contoso Cloud Partners B.V. | \"Contoso Cloud Partners B.V.\" <no-reply@tenantsite.invalid>"))
    }

    /// CSV files open in spreadsheets: Python's csv module reads them back field for field.
    @Test func csvReadsBack() throws {
        let output = try temporaryFolder()
        defer { cleanUp(output) }
        try buildSite(content: Self.fixtureContent, output: output)
        let pl = output.appendingPathComponent("pl/tenants/faktury-brzegowe/invoices/all.csv")
        let en = output.appendingPathComponent("en/tenants/faktury-brzegowe/invoices/all.csv")
        let bytes = Array(try Data(contentsOf: pl))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.components(separatedBy: "\r\n").count == 1 + 9 + 1)  // header, 9 documents, nothing after the last CRLF
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let result = try Self.python(Self.csvReader, [pl.path, ";", en.path, ","])
        #expect(result.status == 0, "\(result.output)")
        let rows = result.output.split(separator: "\n").map(String.init)
        #expect(rows.count == 2 * 10)
        #expect(rows[0].hasPrefix("16|Numer|Rodzaj|Data wystawienia|Data sprzedaży|Termin płatności"))
        // Newest first: the unknown document type as written, then the correction dated "today".
        #expect(rows[1] == "16|V/2024/06/01|void_note|2024-06-01||2024-06-15|||PLN|1,00|0,23|1,23|1,23|0,00|Zapłacona||")
        #expect(rows.contains("16|K/2024/05/01|Faktura korygująca|2024-05-10||2024-05-24|||PLN|-108,80|-25,02|-133,82|-133,82|0,00|Rozliczona|A/2024/03/01|"))
        #expect(rows.contains("16|A/2024/02/29|Invoice|2024-02-29||2024-03-14|2024-02-01|2024-02-29|PLN|171.42|8.76|180.18|50.00|130.18|Overdue, partly paid||5260250274-20240229-ABCDEF012345-00"))
        #expect(rows.contains("16|E/2024/04/15|Invoice|2024-04-15||2024-05-31|||EUR|123.40|28.38|151.78|0.00|151.78|Unpaid||"))
    }

    // MARK: Helpers

    static func language(_ language: Language) throws -> LanguageContext {
        let set = try TemplateSet.load(folder: repoRoot.appendingPathComponent("templates").path, requiredPages: []).get()
        return LanguageContext(language: language, strings: set.strings[language]!)
    }

    static func decodedHTMLPart(_ eml: URL) throws -> String {
        let result = try python("""
        import email, email.policy, sys
        m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
        sys.stdout.write(m.get_body(('html',)).get_content())
        """, [eml.path])
        return result.output
    }

    static func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Parses each file with policy.default and checks what RFC 5322/2045/2046/2047 ask of a ready e-mail.
    static let emlChecker = #"""
    import email, email.policy, email.utils, re, sys
    from email.header import decode_header, make_header
    problems, shown = [], []
    for path in sys.argv[1:]:
        raw = open(path, 'rb').read()
        def bad(why): problems.append(f'{path}: {why}')
        if b'\n' in raw.replace(b'\r\n', b'') or b'\r' in raw.replace(b'\r\n', b''): bad('a line end that is not CRLF')
        if not raw.endswith(b'\r\n'): bad('no CRLF at the end')
        for n, line in enumerate(raw.split(b'\r\n')):
            if len(line) > 78: bad(f'line {n + 1} has {len(line)} characters')
        try: raw.decode('ascii')
        except UnicodeDecodeError: bad('8-bit bytes in a 7-bit message')
        m = email.message_from_bytes(raw, policy=email.policy.default)
        for part in m.walk():
            if part.defects: bad(f'{part.get_content_type()}: {part.defects}')
        for h in ['From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version']:
            if m[h] is None: bad(f'no {h}')
        alternative = m
        xml_beside = path[:-4] + '.xml'
        if m.get_content_type() == 'multipart/mixed':
            # A KSeF invoice: the XML attached as it is, KOD I as an inline PNG that reads back to its link.
            outer = [p.get_content_type() for p in m.iter_parts()]
            if outer != ['multipart/related', 'application/xml']: bad(f'mixed parts {outer}')
            related, attached = list(m.iter_parts())
            inner = [p.get_content_type() for p in related.iter_parts()]
            if inner != ['multipart/alternative', 'image/png']: bad(f'related parts {inner}')
            alternative, image = list(related.iter_parts())
            xml = attached.get_payload(decode=True)
            try:
                if xml != open(xml_beside, 'rb').read(): bad('the attached XML differs from the published file')
            except FileNotFoundError: bad('no XML beside the page')
            import base64, hashlib, subprocess, tempfile
            text_xml = xml.decode('utf-8')
            seller = re.search(r'<Podmiot1>.*?<NIP>(\d{10})</NIP>', text_xml, re.S).group(1)
            y, mo, d = re.search(r'<P_1>(\d{4})-(\d{2})-(\d{2})</P_1>', text_xml).groups()
            digest = base64.urlsafe_b64encode(hashlib.sha256(xml).digest()).decode().rstrip('=')
            expected = f'https://qr.ksef.mf.gov.pl/invoice/{seller}/{d}-{mo}-{y}/{digest}'
            if image['Content-ID'] != '<kod-i@tenantsite.invalid>': bad('image Content-ID ' + str(image['Content-ID']))
            with tempfile.NamedTemporaryFile(suffix='.png') as png:
                png.write(image.get_payload(decode=True)); png.flush()
                read = subprocess.run(['zbarimg', '--raw', '-q', png.name], capture_output=True, text=True).stdout.strip()
            if read != expected: bad(f'KOD I reads {read!r}, expected {expected!r}')
            if expected not in alternative.get_body(('html',)).get_content(): bad('the HTML part lacks the KOD I link')
            if 'cid:kod-i@tenantsite.invalid' not in alternative.get_body(('html',)).get_content(): bad('the HTML part does not show the image')
        elif m.get_content_type() != 'multipart/alternative': bad(m.get_content_type())
        parts = [p.get_content_type() for p in alternative.iter_parts()]
        if parts != ['text/plain', 'text/html']: bad(f'parts {parts}')
        for p in alternative.iter_parts():
            if p['Content-Transfer-Encoding'] not in ('quoted-printable', 'base64'): bad('body not QP/base64')
            if p.get_content_charset() != 'utf-8': bad('charset')
        if email.utils.parsedate_to_datetime(str(m['Date'])) is None: bad('Date')
        if not re.fullmatch(r'<[a-z0-9.-]+@[a-z0-9.-]+>', str(m['Message-ID'])): bad('Message-ID ' + str(m['Message-ID']))
        html = m.get_body(('html',)).get_content()
        text = m.get_body(('plain',)).get_content()
        if '<table role="presentation"' not in html or '</html>' not in html: bad('HTML part')
        number = str(m['Subject'])
        if m['Subject'] is None or not text.strip(): bad('empty')
        # What a strict RFC 2047 decoder shows (it drops the space between two encoded-words, as the RFC says;
        # policy.default's address parser keeps it, so it may show a doubled space where a long name was cut).
        legacy = email.message_from_bytes(raw, policy=email.policy.compat32)
        strict = lambda h: str(make_header(decode_header(legacy[h])))
        shown.append(f"{strict('Subject')} | {strict('From')} | {strict('To')} | {m['Date']}")
        if ' '.join(str(m['Subject']).split()) != ' '.join(strict('Subject').split()): bad('Subject decodes differently')
        if ' '.join(str(m['To']).split()).replace('"', '').replace('\\', '') != ' '.join(strict('To').split()).replace('"', ''): bad(f"To decodes differently: {m['To']} / {strict('To')}")
    if problems:
        print('\n'.join(problems)); sys.exit(1)
    print(f'OK {len(sys.argv) - 1}')
    print('\n'.join(shown))
    """#

    /// Reads CSV files as a spreadsheet would (BOM stripped, RFC 4180 quoting), one line per row: `count|fields…`.
    static let csvReader = #"""
    import csv, sys
    args = sys.argv[1:]
    for path, sep in zip(args[0::2], args[1::2]):
        with open(path, encoding='utf-8-sig', newline='') as f:
            for row in csv.reader(f, delimiter=sep, strict=True):
                print('|'.join([str(len(row))] + row))
    """#
}
