import Foundation
import Testing
import TestHelpers
@testable import TenantModel

/// A small valid snapshot; tests break one thing at a time.
let sampleSnapshot = #"""
{
  "schemaVersion": 1,
  "capturedDateTime": "2026-11-20T07:30:00Z",
  "tenant": {
    "id": "6b1f3c2e-9d4a-4e1b-8c2f-1a2b3c4d5e6f",
    "displayName": "Próbna Firma sp. z o.o.",
    "defaultDomain": "probna.pl",
    "countryLetterCode": "PL",
    "preferredLanguage": "pl",
    "nip": "5260250274",
    "billingContact": {"displayName": "Księgowość", "email": "ksiegowosc@probna.pl"},
    "management": {"channel": "home.pl", "partnerName": "home.pl S.A.", "panelLastSyncedDateTime": "2026-11-19T05:00:00Z"}
  },
  "subscriptions": [
    {
      "id": "sub-1",
      "skuId": "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
      "skuPartNumber": "O365_BUSINESS_PREMIUM",
      "status": "active",
      "isTrial": false,
      "prepaidUnits": {"enabled": 3, "suspended": 0, "warning": 0, "lockedOut": 0},
      "consumedUnits": 1,
      "createdDateTime": "2025-01-10T10:00:00Z",
      "nextLifecycleDateTime": "2027-01-10T10:00:00Z",
      "billingCycle": "monthly",
      "termDuration": "P1Y",
      "autoRenewEnabled": true,
      "unitPrice": 54.40,
      "currencyCode": "PLN",
      "purchaseChannel": "reseller"
    }
  ],
  "users": [
    {
      "id": "0c8e2f9a-1b2c-4d3e-8f4a-5b6c7d8e9f00",
      "displayName": "Zażółć Gęślą",
      "userPrincipalName": "zazolc@probna.pl",
      "accountEnabled": true,
      "licenseAssignmentStates": [
        {"skuId": "f245ecc8-75af-4f8e-b61f-27d8114de5f3", "assignedByGroup": null, "state": "Active", "error": "None"}
      ]
    }
  ],
  "invoices": [
    {
      "id": "FV/2026/11/0001",
      "documentType": "invoice",
      "invoiceDate": "2026-11-02",
      "saleDate": "2026-10-31",
      "dueDate": "2026-11-16",
      "currencyCode": "PLN",
      "seller": {"name": "home.pl S.A.", "addressLines": ["ul. Zbożowa 4", "70-653 Szczecin"], "nip": "8522482321"},
      "buyer": {"name": "Próbna Firma sp. z o.o.", "addressLines": ["ul. Długa 1", "31-147 Kraków"], "nip": "5260250274"},
      "lines": [
        {"description": "Microsoft 365 Business Standard", "quantity": 3, "unit": "szt.", "unitPrice": 54.40, "vatRate": "23",
         "subtotal": 163.20, "taxTotal": 37.54, "totalForCustomer": 200.74, "subscriptionId": "sub-1"}
      ],
      "totalCharges": 200.74,
      "paidAmount": 0
    }
  ]
}
"""#

func decode(_ text: String, file: String = "t.json", slug: String = "probna") -> Result<Snapshot, InvalidInput> {
    SnapshotDecoder.decode(Array(text.utf8), file: file, slug: slug)
}

func problems(_ text: String) -> [String] {
    switch decode(text) {
    case .success: return []
    case .failure(let invalid): return invalid.diagnostics.map(\.description)
    }
}

@Suite struct SnapshotDecoderTests {
    @Test func sampleIsValid() throws {
        let snapshot = try decode(sampleSnapshot).get()
        #expect(snapshot.tenant.displayName == "Próbna Firma sp. z o.o.")
        #expect(snapshot.subscriptions[0].unitPrice == Amount(exactly: "54.40"))
        #expect(snapshot.invoices[0].lines[0].taxTotal == Amount(exactly: "37.54"))
        #expect(snapshot.users[0].licenseAssignmentStates[0].assignedByGroup == nil)
    }

    @Test func cutInHalfNamesFileAndLineColumn() {
        let half = String(sampleSnapshot.prefix(sampleSnapshot.count / 2))
        let found = problems(half)
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("t.json: "))
        #expect(found[0].range(of: #"^t\.json: \d+:\d+: "#, options: .regularExpression) != nil)
    }

    @Test func everyProblemIsReportedWithItsPath() {
        var text = sampleSnapshot
        text = text.replacingOccurrences(of: #""unitPrice": 54.40, "vatRate""#, with: #""unitPrice": "54.40", "vatRate""#)
        text = text.replacingOccurrences(of: #""consumedUnits": 1"#, with: #""consumedUnits": -1"#)
        text = text.replacingOccurrences(of: #""status": "active""#, with: #""status": "Enabled""#)
        text = text.replacingOccurrences(of: "\"currencyCode\": \"PLN\",\n      \"seller\"", with: "\"currencyCode\": \"ZZZ\",\n      \"seller\"")
        let found = problems(text)
        #expect(found.contains("t.json: invoices[0].lines[0].unitPrice: expected a number, found a string"))
        #expect(found.contains { $0.hasPrefix("t.json: subscriptions[0].consumedUnits: expected a whole number") })
        #expect(found.contains { $0.hasPrefix("t.json: subscriptions[0].status: \"Enabled\" is not one of") })
        #expect(found.contains("t.json: invoices[0].currencyCode: \"ZZZ\" is not an ISO 4217 currency code"))
        #expect(found.count == 4)
    }

    @Test func crossChecks() {
        var text = sampleSnapshot
        // A user holding an unknown sku.
        text = text.replacingOccurrences(of: #"{"skuId": "f245ecc8-75af-4f8e-b61f-27d8114de5f3", "assignedByGroup""#,
                                         with: #"{"skuId": "00000000-0000-0000-0000-000000000001", "assignedByGroup""#)
        // An invalid NIP check digit.
        text = text.replacingOccurrences(of: #""nip": "8522482321""#, with: #""nip": "8522482322""#)
        // A line that does not add up (VAT off by one grosz) and a total that does not match.
        text = text.replacingOccurrences(of: #""taxTotal": 37.54"#, with: #""taxTotal": 37.55"#)
        let found = problems(text)
        #expect(found.contains { $0.hasPrefix("t.json: users[0].licenseAssignmentStates[0].skuId: the user holds sku 00000000-0000-0000-0000-000000000001") })
        #expect(found.contains { $0.hasPrefix("t.json: invoices[0].seller.nip: \"8522482322\" is not a valid NIP") })
        #expect(found.contains { $0.hasPrefix("t.json: invoices[0].lines[0].taxTotal: is 37.55 but 23 VAT on 163.2 is 37.54") })
        #expect(found.contains { $0.hasPrefix("t.json: invoices[0].lines[0].totalForCustomer: is 200.74 but subtotal + taxTotal = 200.75") })
    }

    @Test func duplicateInvoiceNumbers() throws {
        let snapshot = try decode(sampleSnapshot).get()
        var copy = snapshot
        copy.invoices.append(snapshot.invoices[0])
        let sink = DiagnosticSink(file: "t.json")
        SnapshotValidator.crossCheck(copy, sink: sink)
        #expect(sink.diagnostics.map(\.description) == ["t.json: invoices[1].id: duplicate invoice number \"FV/2026/11/0001\""])
    }

    @Test func unknownFieldsAreCaught() {
        let text = sampleSnapshot.replacingOccurrences(of: #""isTrial": false,"#, with: #""isTrial": false, "autoRenew": true,"#)
        #expect(problems(text) == ["t.json: subscriptions[0].autoRenew: unknown field (see docs/snapshot-format.md)"])
    }

    @Test func factsAreNotErrors() {
        // Over-assigned, expired: facts the pages report, not validation errors.
        var text = sampleSnapshot.replacingOccurrences(of: #""consumedUnits": 1"#, with: #""consumedUnits": 9"#)
        text = text.replacingOccurrences(of: #""status": "active""#, with: #""status": "expired""#)
        #expect(problems(text).isEmpty)
    }

    @Test func controlCharactersAndHugeValuesAreRefused() {
        let nul = sampleSnapshot.replacingOccurrences(of: "Zażółć Gęślą", with: #"Zażółć\u0000Gęślą"#)
        #expect(problems(nul) == ["t.json: users[0].displayName: contains the control character U+0000"])
        let huge = sampleSnapshot.replacingOccurrences(of: "Zażółć Gęślą", with: String(repeating: "x", count: 100_000))
        #expect(problems(huge) == ["t.json: users[0].displayName: text of 100000 bytes; the limit is 4096 bytes"])
    }

    @Test func badSlugIsRefused() {
        guard case .failure(let invalid) = decode(sampleSnapshot, slug: "../etc") else { Issue.record("accepted"); return }
        #expect(invalid.diagnostics[0].message.contains("slug"))
    }

    @Test func demoContentIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let slugs = demoTenantSlugs(root: root)
        #expect(slugs.count >= 2)
        // Every snapshot of every demo history, each at least six.
        for slug in slugs {
            let folder = root.appendingPathComponent("content/tenants/\(slug)")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
            #expect(files.count >= 6, "\(slug)")
            for file in files {
                let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(file)))
                let result = SnapshotDecoder.decode(bytes, file: file, slug: slug,
                                                    ksefFiles: KSeFFiles(folder: root.appendingPathComponent("content/ksef/\(slug)").path))
                if case .failure(let invalid) = result { Issue.record("\(invalid)") }
            }
        }
    }
}
