import Foundation
import Testing
@testable import TenantImport
import TenantModel

/// FA(3) files read as they state themselves. The fixtures validate against the Ministry's schema
/// (`xmllint --noout --schema fa3-local.xsd`): the Ministry's sample (MIT, from CIRFMF/ksef-pdf-generator) and our own.
@Suite struct FA3Tests {
    static func fixture(_ name: String) -> [UInt8] { Fixture.file("ksef/" + name).bytes }
    static let correction = "8522482321-20261105-4F1A2B3C4D5E-A1.xml"

    @Test func theMinistrysSampleReadsAsItStatesItself() throws {
        let bytes = Self.fixture("sample-ksef-pdf-generator.xml")
        let invoice = try FA3Invoice.read(bytes, file: "sample.xml").get()
        #expect(invoice.kind == .vat)
        #expect(invoice.number == "FA/YUCFO-4342344706/03/2026")
        #expect(invoice.issueDate == CivilDate(iso: "2025-10-31"))
        #expect(invoice.seller.nip == "5265877635" && invoice.buyer.nip == "6808208874")
        #expect(invoice.seller.addressLines == ["ul. Kępa 332", "20-892 Tyszowce"])
        #expect(invoice.rateSums == [FA3Invoice.RateSum(field: "1", net: Amount(exactly: "27292.28")!, vat: Amount(exactly: "6277.22")!, vatInPLN: nil)])
        #expect(invoice.total == Amount(exactly: "33569.50")!)
        #expect(invoice.lines.first?.unitNetPrice == Amount(exactly: "20.41")! && invoice.lines.first?.rate == "23")
        // Wrapped descriptions are one line of text.
        #expect(invoice.lines.first?.description.contains("\n") == false)
        #expect(!invoice.annotations.splitPayment && !invoice.annotations.reverseCharge)
    }

    @Test func aCorrectionWithSplitPaymentPaymentAndPeriod() throws {
        let invoice = try FA3Invoice.read(Self.fixture(Self.correction), file: Self.correction).get()
        #expect(invoice.kind == .correction)
        #expect(invoice.corrected == [FA3Invoice.Corrected(number: "FV/2026/10/08123", issueDate: CivilDate(iso: "2026-10-03"),
                                                           ksefNumber: KSeFNumber.withChecksum("8522482321-20261003-0A1B2C3D4E5F"))])
        #expect(invoice.correctionReason == "Zmniejszenie liczby licencji od 1 października 2026")
        #expect(invoice.annotations.splitPayment && !invoice.annotations.cashAccounting)
        #expect(invoice.period?.from == CivilDate(iso: "2026-10-01") && invoice.period?.to == CivilDate(iso: "2026-10-31"))
        #expect(invoice.payment == FA3Invoice.Payment(paid: true, paidOn: CivilDate(iso: "2026-11-10"), dueDates: [], form: "6",
                                                      bankAccounts: ["61109010140000071219812874"]))
        #expect(invoice.total == Amount(exactly: "-133.82")! && invoice.lines.first?.quantity == Amount(-2))
        #expect(invoice.buyer.name == "Kwiaciarnia „Łąkowa” sp. z o.o.")
        #expect(try FA3Invoice.ksefNumber(fromFileName: "exports/" + Self.correction)?.get() == "8522482321-20261105-4F1A2B3C4D5E-A1")
    }

    @Test func whatIsNotFA3IsRefusedAtItsPlace() {
        let fa2 = String(decoding: Self.fixture(Self.correction), as: UTF8.self)
            .replacingOccurrences(of: "http://crd.gov.pl/wzor/2025/06/25/13775/", with: "http://crd.gov.pl/wzor/2023/06/29/12648/")
        let problems = FA3Invoice.read(Array(fa2.utf8), file: "fa2.xml").diagnostics
        #expect(problems == ["fa2.xml: 2: not an FA(3) invoice: the root is <Faktura> in namespace \"http://crd.gov.pl/wzor/2023/06/29/12648/\"; FA(3) is <Faktura> in http://crd.gov.pl/wzor/2025/06/25/13775/"])
        #expect(FA3Invoice.read(Array("<html><body>x</body></html>".utf8), file: "page.xml").diagnostics.first?.contains("not an FA(3) invoice") == true)
        let cut = FA3Invoice.read(Array("<Faktura>".utf8), file: "cut.xml").diagnostics
        #expect(cut.first?.hasPrefix("cut.xml: ") == true && cut.first?.contains("not well-formed XML") == true, "\(cut)")
    }

    @Test func aBadAmountOrKSeFNumberIsNamedAtItsLine() {
        let text = String(decoding: Self.fixture(Self.correction), as: UTF8.self)
        let amount = text.replacingOccurrences(of: "<P_15>-133.82</P_15>", with: "<P_15>-133,82</P_15>")
        #expect(FA3Invoice.read(Array(amount.utf8), file: "f.xml").diagnostics == ["f.xml: 44: the total due (P_15) \"-133,82\" is not an amount"])
        let ksef = text.replacingOccurrences(of: KSeFNumber.withChecksum("8522482321-20261003-0A1B2C3D4E5F"), with: "8522482321-20261003-0A1B2C3D4E5F-00")
        #expect(FA3Invoice.read(Array(ksef.utf8), file: "f.xml").diagnostics.first?.contains("NrKSeFFaKorygowanej 8522482321-20261003-0A1B2C3D4E5F-00: its checksum is 00") == true)
        let named = FA3Invoice.ksefNumber(fromFileName: "8522482321-20261105-4F1A2B3C4D5E-A2.xml")
        if case .failure(let invalid)? = named {
            #expect(invalid.diagnostics.first?.message.contains("does not check: its checksum is A2, but the CRC-8 of its first 32 characters is A1") == true)
        } else {
            Issue.record("a wrong KSeF number in a file name was accepted")
        }
        #expect(FA3Invoice.ksefNumber(fromFileName: "faktura-listopad.xml") == nil)
    }
}

/// A KSeF export's `_metadata.json` gives each file its KSeF number: by the file's SHA-256, else by seller and number.
@Suite struct KSeFMetadataTests {
    static let correction = FA3Tests.fixture(FA3Tests.correction)

    static func metadata(_ entries: [[String: Any]]) -> [UInt8] {
        [UInt8](try! JSONSerialization.data(withJSONObject: entries))
    }

    @Test func theNumberComesByHashElseBySellerAndNumber() throws {
        let invoice = try FA3Invoice.read(Self.correction, file: "f.xml").get()
        let number = "8522482321-20261105-4F1A2B3C4D5E-A1"
        let byHash = try KSeFMetadata.read(Self.metadata([
            ["ksefNumber": number, "invoiceNumber": "something else", "seller": ["nip": "8522482321"], "invoiceHash": KSeFCode.fileHashBase64(Self.correction)],
        ]), file: "_metadata.json").get()
        #expect(byHash.ksefNumber(file: Self.correction, invoice: invoice) == number)
        let other = KSeFNumber.withChecksum("8522482321-20261106-000000000001")
        let byNumber = try KSeFMetadata.read(Self.metadata([
            ["ksefNumber": other, "invoiceNumber": "FV/1", "seller": ["nip": "8522482321"]],
            ["ksefNumber": number, "invoiceNumber": "FK/2026/11/00031", "seller": ["nip": "8522482321"], "invoiceHash": "AAAA"],
        ]), file: "_metadata.json").get()
        #expect(byNumber.ksefNumber(file: Self.correction, invoice: invoice) == number)
        // The metadata query's own answer: the same under "invoices".
        let wrapped = [UInt8](try JSONSerialization.data(withJSONObject: ["hasMore": false, "isTruncated": false,
            "invoices": [["ksefNumber": number, "invoiceNumber": "FK/2026/11/00031", "seller": ["nip": "8522482321"]]]]))
        #expect(try KSeFMetadata.read(wrapped, file: "m.json").get().entries.count == 1)
    }

    @Test func aWrongNumberOrSellerIsNamedAtItsPath() {
        let bad = KSeFMetadata.read(Self.metadata([
            ["ksefNumber": "8522482321-20261105-4F1A2B3C4D5E-A2", "invoiceNumber": "FK/2026/11/00031"],
            ["ksefNumber": "8522482321-20261105-4F1A2B3C4D5E-A1", "invoiceNumber": "FK/2026/11/00031", "seller": ["nip": "5265877635"]],
        ]), file: "_metadata.json")
        guard case .failure(let invalid) = bad else { Issue.record("accepted"); return }
        let lines = invalid.diagnostics.map(\.description)
        #expect(lines.contains("_metadata.json: [0].ksefNumber: 8522482321-20261105-4F1A2B3C4D5E-A2 is not a KSeF number: its checksum is A2, but the CRC-8 of its first 32 characters is A1: a character is wrong"), "\(lines)")
        #expect(lines.contains("_metadata.json: [1].seller.nip: the seller's NIP 5265877635 is not the one the KSeF number 8522482321-20261105-4F1A2B3C4D5E-A1 starts with"), "\(lines)")
    }
}

private extension Result where Success == FA3Invoice, Failure == InvalidInput {
    var diagnostics: [String] {
        if case .failure(let invalid) = self { return invalid.diagnostics.map(\.description) }
        return []
    }
}
