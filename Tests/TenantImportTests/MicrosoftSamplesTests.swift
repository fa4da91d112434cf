import Foundation
import Testing
import TenantImport
import TenantModel

/// Microsoft's documented example responses, verbatim (../shared/microsoft-samples from the repository root).
/// They are documentation, with placeholders and quirks: each must be recognised, or fail with a clear message.
enum MicrosoftSamples {
    static let folder = Fixture.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/microsoft-samples")
    static var present: Bool { FileManager.default.fileExists(atPath: folder.path) }

    static func file(_ name: String) -> (name: String, bytes: [UInt8]) {
        (name, [UInt8](FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data()))
    }

    /// What each sample is: its kind (nil = rejected) and words its first error or a warning must contain.
    static let expected: [String: (kind: ResponseKind?, errors: Int, words: String?)] = [
        "graph-v1-subscribedSkus-list-response.json": (.graphSubscribedSkus, 0, nil),
        "graph-v1-directory-subscriptions-list-response.json": (.graphDirectorySubscriptions, 0, nil),
        "graph-v1-directory-subscription-get-response.json": (.graphDirectorySubscriptions, 0, nil),
        "graph-v1-user-licenseDetails-list-response.json": (.graphLicenseDetails, 0, nil),
        // A user object without id, displayName, userPrincipalName or licenseAssignmentStates: recognised, not importable.
        "graph-v1-user-assignLicense-response.json": (.graphUsers, 3, "$select=id,displayName,userPrincipalName"),
        // Beta, and without @odata.context.
        "graph-beta-cloudLicensing-allotments-list-response.json": (nil, 1, "#microsoft.graph.cloudLicensing.allotment"),
        "partnercenter-v1-customer-subscriptions-list-response.json": (.partnerCenterSubscriptions, 0, "has spaces inside; read as 2015-11-25T06:41:12Z"),
        "partnercenter-v1-customer-subscription-get-addon-response.json": (.partnerCenterSubscriptions, 0, nil),
        "partnercenter-v1-invoices-list-response.json": (.partnerCenterInvoices, 0, nil),
        "partnercenter-v1-invoice-lineitems-office-billing-response.json": (.partnerCenterLicenseBasedLineItems, 0, nil),
        "partnercenter-v1-invoice-lineitems-onetime-billing-seeknext-response.json": (.partnerCenterOneTimeLineItems, 0, nil),
        "entra-docs-user-licenseAssignmentStates-response.NOT-STRICT-JSON.txt": (nil, 1, "1:1: expected a value, found 'H' (the file starts with an HTTP status line"),
        "partnercenter-v1-subscription-nce-patch-body.NOT-STRICT-JSON.txt": (nil, 1, "10:20: expected a quoted key, found '/' (JSON has no comments"),
    ]
}

@Suite("Microsoft's verbatim samples", .enabled(if: MicrosoftSamples.present, "../shared/microsoft-samples is not next to the repository: nothing to check"))
struct MicrosoftSamplesTests {
    @Test("every sample in the folder has an expectation here (a new sample is a new shape to learn)")
    func allCovered() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: MicrosoftSamples.folder.path).filter { $0 != "README.md" }
        #expect(Set(names) == Set(MicrosoftSamples.expected.keys))
    }

    @Test("each sample on its own", arguments: MicrosoftSamples.expected.keys.sorted())
    func sample(_ name: String) throws {
        let want = try #require(MicrosoftSamples.expected[name])
        let file = MicrosoftSamples.file(name)
        let inspection = Importer.inspect(name: file.name, bytes: file.bytes)
        #expect(inspection.response?.kind == want.kind)
        #expect(inspection.errors.count == want.errors, "\(inspection.errors.text)")
        if want.kind == nil {
            let error = try #require(inspection.errors.first)
            #expect(error.file == name)
            guard case .lineColumn = error.location else {
                Issue.record("a file that cannot be read is reported at a line and column, not \(error.location)")
                return
            }
        }
        if let words = want.words {
            #expect(!(inspection.errors + inspection.warnings).mentioning(words).isEmpty, "\((inspection.errors + inspection.warnings).text)")
        }
    }

    @Test("the Graph samples together: they come from unrelated examples, and the importer says which joins fail")
    func graphSamplesTogether() {
        let names = ["graph-v1-subscribedSkus-list-response.json", "graph-v1-directory-subscriptions-list-response.json",
                     "graph-v1-directory-subscription-get-response.json", "graph-v1-user-licenseDetails-list-response.json"]
        let result = Importer.importFiles(names.map(MicrosoftSamples.file),
                                          options: options(channel: .direct, name: "Contoso", domain: "contoso.com", country: "US"))
        // The lists lag behind each other in real tenants too: each join that fails is a warning and a recorded
        // disagreement, not a refusal.
        let warnings = result.problems.warnings
        #expect(!warnings.mentioning("sku ENTERPRISEPREMIUM (c7df2760-2c81-4ef7-b578-5b5392b571df) has 25 licences, 14 assigned, but no subscription").isEmpty, "\(warnings.text)")
        #expect(!warnings.mentioning("sku CRMSTANDARD").isEmpty)
        #expect(!warnings.mentioning("graph-v1-directory-subscriptions-list-response.json: value[0].skuId: warning: sku MyPartNumber is in no GET /subscribedSkus file").isEmpty)
        let errors = result.errors
        // The list and the single GET of the same subscription agree: no duplicate error.
        #expect(errors.mentioning("different values").isEmpty)
    }

    @Test("Graph and Partner Center samples of different tenants: an error naming both tenants")
    func differentTenants() {
        let names = ["graph-v1-subscribedSkus-list-response.json", "partnercenter-v1-customer-subscription-get-addon-response.json"]
        let result = Importer.importFiles(names.map(MicrosoftSamples.file), options: options(name: "Contoso", domain: "contoso.com", country: "US"))
        let conflict = result.errors.mentioning("one tenant at a time")
        #expect(conflict.count == 1)
        #expect(conflict.first?.description.contains("4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04") == true)
        #expect(conflict.first?.description.contains("48a80680-7326-48cd-9935-b556b81d3a4e") == true)
    }
}
