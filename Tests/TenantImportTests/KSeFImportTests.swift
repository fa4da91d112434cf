import Foundation
import SiteBuild
import SiteRender
import Testing
import TestHelpers
import TenantImport
import TenantModel

/// FA(3) invoices in, verifiable pages and e-mails out. The fixtures in `Fixtures/ksef/kinds/` are one per invoice kind
/// and annotation (each validated against the Ministry's schema, `fa3-local.xsd`, when written): VAT with gross-priced
/// lines and split payment, VAT in EUR with P_14_1W and reverse charge, VAT with cash accounting, self-billing and an
/// exempt line with its legal basis, ZAL, ROZ, UPR, KOR_ZAL, KOR_ROZ (with lines before and after), and a VAT invoice
/// whose lines do not add up to its sums and whose KSeF number is not known (OFFLINE).
@Suite("KSeF invoices: import, pages, e-mails", .serialized)
struct KSeFImportTests {
    static let kinds = Fixture.folder.appendingPathComponent("ksef/kinds")
    static let slug = "kwiaciarnia-lakowa"

    static func kindFiles() throws -> [(name: String, bytes: [UInt8])] {
        try FileManager.default.contentsOfDirectory(atPath: kinds.path).filter { $0.hasSuffix(".xml") }.sorted().map {
            ("ksef/kinds/" + $0, [UInt8](try Data(contentsOf: kinds.appendingPathComponent($0))))
        }
    }

    /// A copy of the demo content, with the demo tenant's snapshot as the existing one.
    struct Workspace {
        let root: URL
        var content: URL { root.appendingPathComponent("content") }
        var snapshotPath: String { root.appendingPathComponent(demoSnapshotPath(KSeFImportTests.slug, root: root)).path }
        var ksefFolder: String { KSeFFiles.folder(forSnapshotAt: snapshotPath, slug: KSeFImportTests.slug) }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsite-ksef-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Fixture.repositoryRoot.appendingPathComponent("content"), to: content)
        }

        func existing() throws -> Importer.Existing {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: snapshotPath)))
            let snapshot = try SnapshotDecoder.decode(bytes, file: snapshotPath, slug: KSeFImportTests.slug, ksefFiles: KSeFFiles(folder: ksefFolder)).get()
            return Importer.Existing(snapshot: snapshot, ksefFolder: ksefFolder)
        }

        /// Imports into the existing snapshot and writes what the command writes.
        @discardableResult
        func importFiles(_ files: [(name: String, bytes: [UInt8])], nip: String? = nil) throws -> Result<Importer.Imported, InvalidInput> {
            var options = Importer.Options(capturedDateTime: Timestamp(secondsSinceEpoch: 0))
            options.nip = nip
            let result = Importer.importFiles(files, options: options, existing: try existing())
            if case .success(let imported) = result {
                try FileManager.default.createDirectory(atPath: ksefFolder, withIntermediateDirectories: true)
                for (name, bytes) in imported.ksefFiles { try Data(bytes).write(to: URL(fileURLWithPath: ksefFolder + "/" + name)) }
                try Data(imported.bytes).write(to: URL(fileURLWithPath: snapshotPath))
            }
            return result
        }

        func build(_ output: URL, languages: [Language] = [.pl]) throws {
            _ = try SiteBuilder.build(BuildOptions(content: content.path, templates: Fixture.repositoryRoot.appendingPathComponent("templates").path,
                                                   output: output.path, settings: BuildSettings(languages: languages), jobs: 2))
        }
    }

    @Test func everyKindImportsChecksAndBuildsWithTheXMLsOwnTotals() throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let files = try Self.kindFiles()
        let imported = try workspace.importFiles(files).get()
        #expect(imported.ksefFiles.count == files.count)
        let site = workspace.root.appendingPathComponent("site")
        try workspace.build(site)
        let folder = site.appendingPathComponent("pl/tenants/\(Self.slug)/invoices")
        let format = LocaleFormat(Language.pl)
        for file in files {
            let invoice = try FA3Invoice.read(file.bytes, file: file.name).get()
            let base = Slug.make(invoice.number)
            let page = try String(contentsOf: folder.appendingPathComponent(base + ".html"), encoding: .utf8)
            // The XML's own sums, each in the VAT summary, and its P_15 as the total due.
            for sum in invoice.rateSums {
                #expect(page.contains(">\(format.decimal(sum.net))</td>"), "\(file.name): P_13_\(sum.field)")
                if let vat = sum.vat { #expect(page.contains(">\(format.decimal(vat))</td>"), "\(file.name): P_14_\(sum.field)") }
                if let pln = sum.vatInPLN { #expect(page.contains(">\(format.money(pln, "PLN"))</span></td>"), "\(file.name): P_14_\(sum.field)W") }
            }
            #expect(page.contains(">\(format.money(invoice.total, invoice.currency))</td>"), "\(file.name): P_15")
            // Labelled as what it is, with its KOD I link and its file beside it, byte for byte.
            #expect(page.contains("Wizualizacja faktury"), "\(file.name)")
            let link = KSeFCode.url(sellerNIP: invoice.seller.nip!, issueDate: invoice.issueDate, file: file.bytes)
            #expect(page.contains(link), "\(file.name): KOD I")
            #expect(try Data(contentsOf: folder.appendingPathComponent(base + ".xml")) == Data(file.bytes), "\(file.name): the published XML")
        }
        // Every annotation and kind the fixtures carry is said.
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html") }
            .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined()
        for words in ["Mechanizm podzielonej płatności", "Odwrotne obciążenie", "Metoda kasowa", "Samofakturowanie",
                      "podstawa: art. 43 ust. 1 pkt 29 lit. a ustawy o VAT", "Faktura zaliczkowa nr FZ/2026/09/0003",
                      "Faktura rozliczeniowa nr FR/2026/10/0001", "Faktura uproszczona nr FU/2026/09/0001",
                      "Korekta faktury zaliczkowej nr FKZ/2026/09/0001", "Korekta faktury rozliczeniowej nr FKR/2026/10/0001",
                      "Cena jedn. brutto", "przed korektą", "Kurs waluty: 4,2617 PLN/EUR", "Zapłacono 6 sierpnia 2026", "OFFLINE",
                      "Tytuł przelewu"] {
            #expect(pages.contains(words), "no page says \(words)")
        }
        // Where the lines do not add up, the page says so beside the sums and keeps the XML's.
        let mismatch = try String(contentsOf: folder.appendingPathComponent("fv-2026-10-niezgodna.html"), encoding: .utf8)
        #expect(mismatch.contains("Pozycje w stawce 23% dają 100,00, a faktura podaje 110,00."))
        #expect(mismatch.contains(">\(format.money(Amount(exactly: "135.30")!, "PLN"))</td>"))
        // Corrections linked both ways.
        let correction = try String(contentsOf: folder.appendingPathComponent("fkz-2026-09-0001.html"), encoding: .utf8)
        #expect(correction.contains("<a href=\"fz-2026-09-0003.html\""))
        #expect(correction.contains("Numer KSeF: 8520041736-20260910-0A0000000001-AB."))
        let advance = try String(contentsOf: folder.appendingPathComponent("fz-2026-09-0003.html"), encoding: .utf8)
        #expect(advance.contains("Skorygowana dokumentem: <a href=\"fkz-2026-09-0001.html\""))

        // The e-mails: no defects, the XML attached byte for byte, KOD I as an inline PNG that reads back to the link
        // computed here from the file's bytes (Python's email and hashlib, zbarimg).
        let emls = files.map { file -> String in
            let number = (try? FA3Invoice.read(file.bytes, file: file.name).get().number) ?? ""
            return folder.appendingPathComponent(Slug.make(number) + ".eml").path
        }
        let checked = try Self.python(Self.emailCheck, emls)
        #expect(checked.hasPrefix("OK \(emls.count)"), "\(checked)")
    }

    @Test func theCodeOnThePageReadsBackAsTheLink() throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let site = workspace.root.appendingPathComponent("site")
        try workspace.build(site, languages: [.en])
        // A demo invoice: its page in Chromium, the screenshot read by zbarimg.
        let xml = [UInt8](try Data(contentsOf: URL(fileURLWithPath: workspace.ksefFolder + "/8520041736-20261109-11B948B6537E-6E.xml")))
        let link = KSeFCode.url(sellerNIP: "8520041736", issueDate: CivilDate(iso: "2026-11-09")!, file: xml)
        let page = site.appendingPathComponent("en/tenants/\(Self.slug)/invoices/fv-2026-11-09670.html")
        let shot = workspace.root.appendingPathComponent("page.png")
        _ = try runTool("chromium", ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,2600",
                                      "--screenshot=\(shot.path)", page.absoluteString])
        let decoded = try runTool("zbarimg", ["--quiet", "--raw", shot.path]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(decoded == link)
    }

    @Test func importingTheSameFilesAgainChangesNothing() throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let files = try Self.kindFiles()
        let first = try workspace.importFiles(files).get()
        let again = try workspace.importFiles(files).get()
        #expect(again.bytes == first.bytes)
        #expect(again.ksefFiles.isEmpty)
        #expect(again.warnings.isEmpty)
        // The demo's own files again: nothing new either.
        let demo = try FileManager.default.contentsOfDirectory(atPath: workspace.ksefFolder).sorted().map {
            ("ksef/" + $0, [UInt8](try Data(contentsOf: URL(fileURLWithPath: workspace.ksefFolder + "/" + $0))))
        }
        let third = try workspace.importFiles(demo).get()
        #expect(third.bytes == first.bytes && third.ksefFiles.isEmpty)
    }

    @Test func aKSeFExportsMetadataGivesTheNumberByTheFilesHash() throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let upr = [UInt8](try Data(contentsOf: Self.kinds.appendingPathComponent("8520041736-20260915-0A0000000013-C8.xml")))
        let metadata = [UInt8](try Data(contentsOf: Fixture.folder.appendingPathComponent("ksef/metadata/_metadata.json")))
        let imported = try workspace.importFiles([("faktura.xml", upr), ("_metadata.json", metadata)]).get()
        let invoice = try #require(imported.snapshot.invoices.first { $0.id == "FU/2026/09/0001" })
        #expect(invoice.ksefNumber == "8520041736-20260915-0A0000000013-C8")
        #expect(imported.ksefFiles.keys.sorted() == ["8520041736-20260915-0A0000000013-C8.xml"])
    }

    @Test func aWrongNumberAForeignBuyerAndAnotherFormAreRefusedWithFileAndPlace() throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let good = [UInt8](try Data(contentsOf: Self.kinds.appendingPathComponent("8520041736-20260915-0A0000000013-C8.xml")))
        let text = String(decoding: good, as: UTF8.self)

        // A file named by a KSeF number whose checksum is wrong.
        let wrong = try workspace.importFiles([("8520041736-20260915-0A0000000013-C9.xml", good)])
        let wrongProblems = try #require(wrong.failure).diagnostics
        #expect(wrongProblems.contains { $0.file == "8520041736-20260915-0A0000000013-C9.xml" && $0.message.contains("does not check") }, "\(wrongProblems)")

        // An invoice to another buyer.
        let other = Array(text.replacingOccurrences(of: "<NIP>6772384914</NIP>", with: "<NIP>5261040828</NIP>").utf8)
        let foreign = try #require(try workspace.importFiles([("inna.xml", other)]).failure).diagnostics
        #expect(foreign.contains { $0.file == "inna.xml" && $0.location == .line(22) && $0.message.contains("NIP 5261040828, not to the tenant's NIP 6772384914") && $0.message.contains("FU/2026/09/0001") },
                "\(foreign)")

        // FA(2): the previous form, refused at its root.
        let fa2 = Array(text.replacingOccurrences(of: "http://crd.gov.pl/wzor/2025/06/25/13775/", with: "http://crd.gov.pl/wzor/2023/06/29/12648/").utf8)
        let form = try #require(try workspace.importFiles([("fa2.xml", fa2)]).failure).diagnostics
        #expect(form.contains { $0.file == "fa2.xml" && $0.location == .line(2) && $0.message.contains("not an FA(3) invoice") }, "\(form)")

        // A document type declaration (entities that could expand without bound) is refused before parsing.
        let doctype = Array(text.replacingOccurrences(of: "<Faktura ", with: "<!DOCTYPE Faktura [<!ENTITY a \"a\">]>\n<Faktura ").utf8)
        let entity = try #require(try workspace.importFiles([("dtd.xml", doctype)]).failure).diagnostics
        #expect(entity.contains { $0.file == "dtd.xml" && $0.location == .line(2) && $0.message.contains("<!DOCTYPE>") }, "\(entity)")

        // A file that changed after its import: the snapshot names it with its SHA-256, so the build refuses.
        let folder = workspace.ksefFolder
        let name = "8520041736-20261109-11B948B6537E-6E.xml"
        var changed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        changed.append(0x0A)
        try Data(changed).write(to: URL(fileURLWithPath: folder + "/" + name))
        do throws(BuildFailure) {
            _ = try SiteBuilder.build(BuildOptions(content: workspace.content.path, templates: Fixture.repositoryRoot.appendingPathComponent("templates").path,
                                                   output: workspace.root.appendingPathComponent("site").path, settings: BuildSettings(languages: [.pl]), jobs: 2))
            Issue.record("a changed KSeF file was accepted")
        } catch {
            guard case .invalidInput(let problems) = error else { Issue.record("\(error)"); return }
            #expect(problems.contains { $0.location.description.hasSuffix(".ksef.sha256") && $0.message.contains("changed after it was imported") }, "\(problems)")
        }
    }

    @Test func markupInAnInvoiceIsText() throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let good = String(decoding: try Data(contentsOf: Self.kinds.appendingPathComponent("8520041736-20260915-0A0000000013-C8.xml")), as: UTF8.self)
        let hostile = good.replacingOccurrences(of: "<P_7>Domena .pl — odnowienie</P_7>",
                                                with: "<P_7>&lt;script&gt;alert(1)&lt;/script&gt; &amp; <![CDATA[<img src=x onerror=alert(2)>]]></P_7>")
        #expect(hostile != good)
        _ = try workspace.importFiles([("hostile.xml", Array(hostile.utf8))]).get()
        let site = workspace.root.appendingPathComponent("site")
        try workspace.build(site)
        let page = try String(contentsOf: site.appendingPathComponent("pl/tenants/\(Self.slug)/invoices/fu-2026-09-0001.html"), encoding: .utf8)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;"))
        #expect(!page.contains("<script") && !page.contains("<img"))
    }

    // MARK: - Helpers

    static let emailCheck = #"""
    import base64, email, email.policy, hashlib, re, subprocess, sys, tempfile
    bad = []
    for path in sys.argv[1:]:
        raw = open(path, 'rb').read()
        m = email.message_from_bytes(raw, policy=email.policy.default)
        for part in m.walk():
            if part.defects: bad.append(f'{path}: {part.defects}')
        if not str(m['Subject']).startswith('Wizualizacja faktury KSeF'): bad.append(f'{path}: subject {m["Subject"]}')
        attached = [p for p in m.walk() if p.get_content_type() == 'application/xml']
        images = [p for p in m.walk() if p.get_content_type() == 'image/png']
        if len(attached) != 1 or len(images) != 1: bad.append(f'{path}: {len(attached)} XML, {len(images)} PNG'); continue
        xml = attached[0].get_payload(decode=True)
        if xml != open(path[:-4] + '.xml', 'rb').read(): bad.append(f'{path}: the attached XML is not the file')
        text = xml.decode('utf-8')
        seller = re.search(r'<Podmiot1>.*?<NIP>(\d{10})</NIP>', text, re.S).group(1)
        y, mo, d = re.search(r'<P_1>(\d{4})-(\d{2})-(\d{2})</P_1>', text).groups()
        link = f'https://qr.ksef.mf.gov.pl/invoice/{seller}/{d}-{mo}-{y}/' + base64.urlsafe_b64encode(hashlib.sha256(xml).digest()).decode().rstrip('=')
        with tempfile.NamedTemporaryFile(suffix='.png') as png:
            png.write(images[0].get_payload(decode=True)); png.flush()
            read = subprocess.run(['zbarimg', '--quiet', '--raw', png.name], capture_output=True, text=True).stdout.strip()
        if read != link: bad.append(f'{path}: KOD I reads {read!r}, not {link!r}')
    print('\n'.join(bad) if bad else f'OK {len(sys.argv) - 1}')
    """#

    static func python(_ script: String, _ arguments: [String]) throws -> String {
        try runTool("python3", ["-c", script] + arguments)
    }

}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
