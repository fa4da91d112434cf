import Foundation
import Testing
import TenantModel
import TestHelpers

@Suite("SnapshotWriter: canonical JSON of the snapshot format")
struct SnapshotWriterTests {
    /// A snapshot with every optional field set, odd text included.
    static let rich: Snapshot = {
        let seller = Party(name: "home.pl S.A.", addressLines: ["ul. Zbożowa 4", "70-653 Szczecin"], nip: "8522482321", countryCode: "PL")
        let buyer = Party(name: "Kwiaciarnia „Łąkowa” sp. z o.o.", addressLines: ["ul. Polna 1/3", "00-001 Warszawa"], nip: "6772384914",
                          vatId: "PL6772384914", countryCode: "PL")
        let line = InvoiceLine(description: "Microsoft 365 Business Standard | licencja\nmiesięczna", quantity: 3, unit: "szt.",
                               unitPrice: Amount(exactly: "19.99")!, vatRate: .percent(23), subtotal: Amount(exactly: "59.97")!,
                               taxTotal: Amount(exactly: "13.79")!, totalForCustomer: Amount(exactly: "73.76")!,
                               subscriptionId: "sub-1", chargeStartDate: CivilDate(year: 2026, month: 10, day: 1),
                               chargeEndDate: CivilDate(year: 2026, month: 10, day: 31))
        let exempt = InvoiceLine(description: "Szkolenie <b>{{x}}</b>", quantity: Amount(exactly: "0.5")!, unit: "h",
                                 unitPrice: Amount(exactly: "200")!, vatRate: .exempt, subtotal: 100, taxTotal: 0, totalForCustomer: 100)
        let invoice = Invoice(id: "FV/2026/10/0042", documentType: .invoice, invoiceDate: CivilDate(year: 2026, month: 11, day: 3),
                              saleDate: CivilDate(year: 2026, month: 10, day: 31), dueDate: CivilDate(year: 2026, month: 11, day: 17),
                              billingPeriodStartDate: CivilDate(year: 2026, month: 10, day: 1), billingPeriodEndDate: CivilDate(year: 2026, month: 10, day: 31),
                              currencyCode: "PLN", seller: seller, buyer: buyer, lines: [line, exempt], totalCharges: Amount(exactly: "173.76")!,
                              paidAmount: 0, ksefNumber: "8522482321-20261103-0A1B2C3D4E5F-C0",
                              exchangeRate: .init(rate: Amount(exactly: "4.2345")!, date: CivilDate(year: 2026, month: 11, day: 2), source: "NBP 212/A/NBP/2026"))
        let credit = Invoice(id: "KOR/2026/11/0001", documentType: .creditNote, correctedInvoiceId: "FV/2026/10/0042",
                             invoiceDate: CivilDate(year: 2026, month: 11, day: 10), dueDate: CivilDate(year: 2026, month: 11, day: 24),
                             currencyCode: "PLN", seller: seller, buyer: Party(name: "X", addressLines: []),
                             lines: [InvoiceLine(description: "Korekta", quantity: -1, unit: "szt.", unitPrice: Amount(exactly: "19.99")!, vatRate: .percent(23),
                                                 subtotal: Amount(exactly: "-19.99")!, taxTotal: Amount(exactly: "-4.60")!, totalForCustomer: Amount(exactly: "-24.59")!)],
                             totalCharges: Amount(exactly: "-24.59")!, paidAmount: Amount(exactly: "-24.59")!)
        let odd = Invoice(id: "2024. Faktura", documentType: Invoice.DocumentType(rawValue: "void_note"), invoiceDate: CivilDate(year: 2024, month: 2, day: 29),
                          dueDate: CivilDate(year: 2024, month: 3, day: 1), currencyCode: "EUR", seller: seller, buyer: buyer,
                          lines: [InvoiceLine(description: "a", quantity: 1, unit: "u", unitPrice: 0, vatRate: .reverseCharge, subtotal: 0, taxTotal: 0, totalForCustomer: 0)],
                          totalCharges: 0, paidAmount: 0)
        return Snapshot(
            slug: "kwiaciarnia-lakowa",
            capturedDateTime: Timestamp(rfc3339: "2026-11-20T07:30:00Z")!,
            tenant: Tenant(id: "57a3c380-f7a7-5995-9301-87961ed87059", displayName: "Kwiaciarnia \"Łąkowa\" \\ sp. z o.o.\u{2028}",
                           defaultDomain: "lakowa.pl", countryLetterCode: "PL", preferredLanguage: .pl, nip: "6772384914",
                           billingContact: Contact(displayName: "Księgowość", email: "ksiegowosc@lakowa.pl"),
                           management: Management(channel: .homePl, partnerName: "home.pl S.A.", panelLastSyncedDateTime: Timestamp(rfc3339: "2026-11-19T05:27:41Z"))),
            groups: [Group(id: "a3f98928-5f6a-59a5-a2f2-65d7acbc0aee", displayName: "Licencje\tStandard")],
            subscriptions: [
                Subscription(id: "sub-1", commerceSubscriptionId: "fcc905ae-e855-5a9e-a677-c76a07a97692", skuId: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
                             skuPartNumber: "O365_BUSINESS_PREMIUM", productName: "Microsoft 365 Business Standard", status: .active, isTrial: false,
                             prepaidUnits: .init(enabled: 13, suspended: 1, warning: 2, lockedOut: 3), consumedUnits: 14,
                             createdDateTime: Timestamp(rfc3339: "2023-03-06T10:14:52Z")!, nextLifecycleDateTime: Timestamp(rfc3339: "2026-12-06T00:00:00Z"),
                             billingCycle: .monthly, termDuration: "P1M", autoRenewEnabled: true, unitPrice: Amount(exactly: "54.40")!, currencyCode: "PLN",
                             purchaseChannel: .reseller),
                Subscription(id: "self-1", skuId: "3b555118-da6a-4418-894f-7df1e2096870", skuPartNumber: "O365_BUSINESS_ESSENTIALS", status: .suspended,
                             isTrial: true, prepaidUnits: .init(enabled: 0), consumedUnits: 0, createdDateTime: Timestamp(rfc3339: "2026-01-02T03:04:05Z")!,
                             autoRenewEnabled: false, purchaseChannel: .selfService,
                             purchasedBy: .init(id: "c2028b02-950c-585e-9d34-12a3d5b29a4e", displayName: "Ola", userPrincipalName: "ola@lakowa.pl")),
                Subscription(id: "self-2", skuId: "3b555118-da6a-4418-894f-7df1e2096870", skuPartNumber: "O365_BUSINESS_ESSENTIALS", status: .deleted,
                             isTrial: false, prepaidUnits: .init(enabled: 0), consumedUnits: 0, createdDateTime: Timestamp(rfc3339: "2026-01-02T03:04:05Z")!,
                             purchaseChannel: .selfService, purchasedBy: .init(displayName: "Ola", userPrincipalName: "ola@lakowa.pl")),
            ],
            users: [
                User(id: "c2028b02-950c-585e-9d34-12a3d5b29a4e", displayName: "Ola", userPrincipalName: "ola@lakowa.pl", department: "Sklep",
                     jobTitle: "Florystka", accountEnabled: true, licenseAssignmentStates: [
                        LicenseAssignment(skuId: "f245ecc8-75af-4f8e-b61f-27d8114de5f3", subscriptionId: "sub-1",
                                          assignedByGroup: "a3f98928-5f6a-59a5-a2f2-65d7acbc0aee", state: .activeWithError, error: .countViolation),
                        LicenseAssignment(skuId: "3b555118-da6a-4418-894f-7df1e2096870", state: .active),
                     ]),
                User(id: "6a1ad8bc-ee32-59af-b535-8a263f8eac39", displayName: "Bez licencji", userPrincipalName: "nikt@lakowa.pl", accountEnabled: false),
            ],
            invoices: [invoice, credit, odd])
    }()

    @Test("decode(encode(x)) is x: the re-encoding is byte for byte the same, and check passes")
    func roundTrip() throws {
        let bytes = SnapshotWriter.encode(Self.rich)
        let decoded = SnapshotDecoder.decode(bytes, file: "kwiaciarnia-lakowa.json", slug: "kwiaciarnia-lakowa")
        #expect(decoded.errors.isEmpty, "\(decoded.problems.text)\n\(String(decoding: bytes, as: UTF8.self))")
        let snapshot = try decoded.get()
        #expect(SnapshotWriter.encode(snapshot) == bytes)
        // Spot checks of values, not only of bytes.
        #expect(snapshot.tenant.displayName == Self.rich.tenant.displayName)
        #expect(snapshot.invoices[0].lines[0].description == "Microsoft 365 Business Standard | licencja\nmiesięczna")
        #expect(snapshot.invoices[0].lines[0].unitPrice == Amount(exactly: "19.99"))
        #expect(snapshot.invoices[0].exchangeRate?.rate == Amount(exactly: "4.2345"))
        #expect(snapshot.invoices[2].documentType.rawValue == "void_note")
        #expect(snapshot.subscriptions[1].purchasedBy?.id == "c2028b02-950c-585e-9d34-12a3d5b29a4e")
        #expect(snapshot.subscriptions[2].purchasedBy?.id == nil)
        #expect(snapshot.users[1].licenseAssignmentStates.isEmpty)
    }

    @Test("the demo content round-trips too (when content/tenants is in this checkout)")
    func demoContent() throws {
        let root = Fixture.repositoryRoot
        let newest = demoTenantSlugs(root: root).map { (slug: $0, path: demoSnapshotPath($0, root: root)) }
        #expect(!newest.isEmpty)
        for (slug, name) in newest {
            let data = try #require(FileManager.default.contents(atPath: root.appendingPathComponent(name).path))
            // Whether the demo passes check is the content's own test; here: what decodes, re-encodes to the same values.
            guard case .success(let snapshot) = SnapshotDecoder.decode([UInt8](data), file: name, slug: slug) else { continue }
            let bytes = SnapshotWriter.encode(snapshot)
            let again = try SnapshotDecoder.decode(bytes, file: name, slug: slug).get()
            #expect(SnapshotWriter.encode(again) == bytes, "\(name)")
            #expect(again.invoices.map(\.totalCharges) == snapshot.invoices.map(\.totalCharges))
            #expect(again.subscriptions.map(\.unitPrice) == snapshot.subscriptions.map(\.unitPrice))
        }
    }

    @Test("layout: two spaces, documented key order, optional fields left out, final newline")
    func layout() {
        let minimal = Snapshot(slug: "a", capturedDateTime: Timestamp(secondsSinceEpoch: 0),
                               tenant: Tenant(id: "57a3c380-f7a7-5995-9301-87961ed87059", displayName: "A", defaultDomain: "a.pl",
                                              countryLetterCode: "PL", preferredLanguage: .en, management: Management(channel: .direct)))
        let text = String(decoding: SnapshotWriter.encode(minimal), as: UTF8.self)
        #expect(text == """
        {
          "schemaVersion": 4,
          "capturedDateTime": "1970-01-01T00:00:00Z",
          "tenant": {
            "id": "57a3c380-f7a7-5995-9301-87961ed87059",
            "displayName": "A",
            "defaultDomain": "a.pl",
            "countryLetterCode": "PL",
            "preferredLanguage": "en",
            "management": {
              "channel": "direct"
            }
          },
          "subscriptions": [],
          "users": [],
          "invoices": []
        }

        """)
        let rich = String(decoding: SnapshotWriter.encode(Self.rich), as: UTF8.self)
        let subscriptionKeys = ["\"id\"", "\"commerceSubscriptionId\"", "\"skuId\"", "\"skuPartNumber\"", "\"productName\"", "\"status\"", "\"isTrial\"",
                                "\"prepaidUnits\"", "\"consumedUnits\"", "\"createdDateTime\"", "\"nextLifecycleDateTime\"", "\"billingCycle\"",
                                "\"termDuration\"", "\"autoRenewEnabled\"", "\"unitPrice\"", "\"currencyCode\"", "\"purchaseChannel\""]
        let start = rich.range(of: "\"subscriptions\"")!.upperBound
        var cursor = start
        for key in subscriptionKeys {
            let found = rich.range(of: key, range: cursor..<rich.endIndex)
            #expect(found != nil, "\(key) after the previous key")
            if let found { cursor = found.upperBound }
        }
        #expect(rich.contains("\"unitPrice\": 54.4,"))
        #expect(rich.contains("\"invoiceDate\": \"2026-11-03\""))
        #expect(rich.contains("\"vatRate\": \"zw\""))
        #expect(rich.contains("\"quantity\": 0.5,"))
        #expect(rich.contains("\"totalCharges\": -24.59,"))
    }

    @Test("decimals: their exact decimal text, never an exponent, never through Double", arguments: [
        ("19.99", "19.99"), ("0", "0"), ("-0", "0"), ("-120.00", "-120"), ("0.05", "0.05"), ("-0.5", "-0.5"), ("1234567.891", "1234567.891"),
        ("100", "100"), ("1E+3", "1000"), ("1e-10", "0.0000000001"), ("25.90", "25.9"), ("12345678901234567890.12", "12345678901234567890.12"),
        ("0.1", "0.1"), ("3.000", "3"), ("-0.0001", "-0.0001"),
    ])
    func decimalText(_ written: String, _ expected: String) throws {
        let value = try #require(Amount(exactly: written))
        #expect(SnapshotWriter.decimalText(value) == expected)
        #expect(Amount(exactly: expected) == value)
    }

    @Test("arithmetic stays exact: 19.99 × 3 is written 59.97")
    func exactArithmetic() {
        #expect(SnapshotWriter.decimalText(Amount(exactly: "19.99")! * 3) == "59.97")
        #expect(SnapshotWriter.decimalText(Amount(exactly: "0.1")! + Amount(exactly: "0.2")!) == "0.3")
    }

    @Test("many decimals read back exactly")
    func decimalsReadBack() {
        var seed: UInt64 = 0x2026_1120
        for _ in 0..<5000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let digits = String(seed >> 20)
            let scale = Int(seed % 11)  // a snapshot holds at most 10 digits after the point
            let negative = seed & 1 == 1
            var text = digits
            if scale > 0 {
                let padded = String(repeating: "0", count: max(0, scale + 1 - text.count)) + text
                text = String(padded.dropLast(scale)) + "." + String(padded.suffix(scale))
            }
            if negative { text = "-" + text }
            let value = Amount(exactly: text)!
            let written = SnapshotWriter.decimalText(value)
            #expect(Amount(exactly: written) == value, "\(text) → \(written)")
            #expect(!written.contains("e") && !written.contains("E"))
        }
    }

    @Test("strings: quotes, backslashes, control characters and U+2028/2029 escaped; the rest as UTF-8")
    func strings() {
        #expect(SnapshotWriter.jsonString("a\"b\\c/d") == #""a\"b\\c/d""#)
        #expect(SnapshotWriter.jsonString("\n\r\t\u{08}\u{0C}") == #""\n\r\t\b\f""#)
        #expect(SnapshotWriter.jsonString("\u{01}\u{1F}\u{7F}") == #""\u0001\u001f\u007f""#)
        #expect(SnapshotWriter.jsonString("x\u{2028}y\u{2029}z") == #""x\u2028y\u2029z""#)
        #expect(SnapshotWriter.jsonString("Łąkowa „kwiaty” 🌷") == "\"Łąkowa „kwiaty” 🌷\"")
        // And the project's own parser reads each back to the same text.
        for text in ["a\"b\\c", "\u{00}\u{01}\u{1F}\u{7F}", "\u{2028}\u{2029}", "zażółć 🌷", "</script>"] {
            let node = try? JSONParser.parse(Array(SnapshotWriter.jsonString(text).utf8))
            if case .string(let read)? = node?.value { #expect(read == text) } else { Issue.record("not read back: \(text)") }
        }
    }
}
