import Foundation
import Testing
import TenantImport
import TenantModel

@Suite("Each documented response shape is recognised by its content")
struct RecognitionTests {
    static let expected: [(file: String, kind: ResponseKind, single: Bool, continues: Bool, items: Int)] = [
        ("graph-subscribedSkus.json", .graphSubscribedSkus, false, false, 4),
        ("graph-subscribedSku-single.json", .graphSubscribedSkus, true, false, 1),
        ("graph-directory-subscriptions-page1.json", .graphDirectorySubscriptions, false, true, 2),
        ("graph-directory-subscriptions-page2.json", .graphDirectorySubscriptions, false, false, 4),
        ("graph-directory-subscription-single.json", .graphDirectorySubscriptions, true, false, 1),
        ("graph-users-page1.json", .graphUsers, false, true, 3),
        ("graph-users-page2.json", .graphUsers, false, false, 3),
        ("graph-user-single.json", .graphUsers, true, false, 1),
        ("graph-user-licenseDetails.json", .graphLicenseDetails, false, false, 1),
        ("graph-organization.json", .graphOrganization, false, false, 1),
        ("partnercenter-subscriptions-page1.json", .partnerCenterSubscriptions, false, true, 3),
        ("partnercenter-subscriptions-page2.json", .partnerCenterSubscriptions, false, false, 1),
        ("partnercenter-subscription-addon.json", .partnerCenterSubscriptions, true, false, 1),
        ("partnercenter-invoices-page1.json", .partnerCenterInvoices, false, true, 1),
        ("partnercenter-invoices-page2.json", .partnerCenterInvoices, false, false, 1),
        ("partnercenter-lineitems-office.json", .partnerCenterLicenseBasedLineItems, false, false, 3),
        ("partnercenter-lineitems-onetime.json", .partnerCenterOneTimeLineItems, false, false, 1),
    ]

    @Test("every fixture of a known shape", arguments: expected.map(\.file))
    func recognised(_ file: String) throws {
        let want = try #require(Self.expected.first { $0.file == file })
        let fixture = Fixture.file(file)
        let inspection = Importer.inspect(name: fixture.name, bytes: fixture.bytes)
        #expect(inspection.errors.isEmpty, "\(inspection.errors.text)")
        let response = try #require(inspection.response)
        #expect(response.kind == want.kind)
        #expect(response.isSingle == want.single)
        #expect(response.continues == want.continues)
        #expect(response.itemCount == want.items)
    }

    @Test("every good fixture is in the table above")
    func tableIsComplete() {
        let covered = Set(Self.expected.map(\.file))
        #expect(Set(Fixture.graph + Fixture.partnerCenter) == covered)
    }

    @Test("the file name plays no part: a Graph response saved as .txt under a Partner Center name")
    func notByName() {
        let fixture = Fixture.file("graph-organization.json")
        let inspection = Importer.inspect(name: "partnercenter-invoices.txt", bytes: fixture.bytes)
        #expect(inspection.response?.kind == .graphOrganization)
    }
}

@Suite("Graph files import into a snapshot that passes check")
struct GraphImportTests {
    func importGraph() throws -> Importer.Imported {
        let result = Importer.importFiles(Fixture.files(Fixture.graph), options: options(channel: .direct))
        #expect(result.errors.isEmpty, "\(result.problems.text)")
        return try result.get()
    }

    @Test func tenantComesFromOrganization() throws {
        let tenant = try importGraph().snapshot.tenant
        #expect(tenant.id == Fixture.tenantId)
        #expect(tenant.displayName == "Pracownia Ceramiki Glina sp. z o.o.")
        #expect(tenant.defaultDomain == "glina-ceramika.pl")
        #expect(tenant.countryLetterCode == "PL")
        #expect(tenant.preferredLanguage == .pl)
        #expect(tenant.management.channel == .direct)
        #expect(tenant.nip == nil && tenant.billingContact == nil, "no Graph response holds them")
    }

    @Test func passesSnapshotDecoder() throws {
        let imported = try importGraph()
        let decoded = SnapshotDecoder.decode(imported.bytes, file: "pracownia-glina.json", slug: "pracownia-glina")
        #expect(decoded.errors.isEmpty, "\(decoded.problems.text)")
        let again = try decoded.get()
        #expect(SnapshotWriter.encode(again) == imported.bytes)
        #expect(imported.snapshot.capturedDateTime == captured)
    }

    @Test func subscriptionsJoinSkusAndDirectorySubscriptions() throws {
        let s = try importGraph().snapshot
        #expect(s.subscriptions.count == 7)
        let exchange = try #require(s.subscription(Fixture.exchange))
        #expect(exchange.status == .expired, "Graph Warning → expired")
        #expect(exchange.prepaidUnits == .init(enabled: 0, warning: 2))
        #expect(exchange.consumedUnits == 2)
        let deleted = try #require(s.subscription(Fixture.appsDeleted))
        #expect(deleted.status == .deleted)
        #expect(deleted.consumedUnits == 0 && deleted.prepaidUnits == .init(enabled: 0))
        let trial = try #require(s.subscription(Fixture.premiumTrial))
        #expect(trial.isTrial)
        #expect(trial.prepaidUnits.enabled == 25 && trial.consumedUnits == 1)
        #expect(trial.createdDateTime == Timestamp(rfc3339: "2026-11-01T14:00:00Z"))
        #expect(trial.nextLifecycleDateTime == Timestamp(rfc3339: "2026-12-01T14:00:00Z"))
        // Subscriptions are written oldest first.
        #expect(s.subscriptions.map { $0.createdDateTime!.secondsSinceEpoch } == s.subscriptions.map { $0.createdDateTime!.secondsSinceEpoch }.sorted())
    }

    /// Who bought a subscription comes only from a file: ownerTenantId naming another tenant (a partner created it),
    /// Partner Center, or nothing (`unknown`).
    @Test func thePurchaseChannelComesFromEvidence() throws {
        let own = String(decoding: Fixture.file("graph-directory-subscriptions-page1.json").bytes, as: UTF8.self)
            .replacingOccurrences(of: "b7e1c9d2-3f4a-4b5c-9d6e-7f8a9b0c1d2e", with: Fixture.tenantId)
        let files = Fixture.files(Fixture.graph.filter { $0 != "graph-directory-subscriptions-page1.json" }) + [("subs-1.json", Array(own.utf8))]
        let s = try Importer.importFiles(files, options: options(channel: .homePl)).get().snapshot
        let page1 = Set(["1a6f0e52-3c1d-4b8e-9f27-6d5a4c3b2e10", "2b7a1f63-4d2e-4c9f-8a38-7e6b5d4c3f21"])
        #expect(s.subscriptions.filter { page1.contains($0.id) }.count == 2)
        for sub in s.subscriptions where page1.contains(sub.id) {
            #expect(sub.purchaseChannel == .unknown, "created by the tenant itself: an admin or a user with a card, no file says which")
        }
    }

    @Test func whatGraphDoesNotHaveStaysAbsent() throws {
        for s in try importGraph().snapshot.subscriptions {
            #expect(s.unitPrice == nil && s.currencyCode == nil, "Graph has no price")
            #expect(s.autoRenewEnabled == nil, "Graph has no auto-renew flag")
            #expect(s.billingCycle == nil && s.termDuration == nil)
            #expect(s.productName == nil, "the site's table of part numbers names them")
            #expect(s.purchaseChannel == .partner, "ownerTenantId is another tenant's: the partner tenant that created it")
        }
        #expect(try importGraph().snapshot.invoices.isEmpty)
    }

    @Test("a sku's consumed licences go to its subscriptions oldest first, with a warning")
    func consumedUnitsOfASkuWithTwoSubscriptions() throws {
        let imported = try importGraph()
        #expect(imported.snapshot.subscription(Fixture.stdMonthly)?.consumedUnits == 2)
        #expect(imported.snapshot.subscription(Fixture.stdAnnual)?.consumedUnits == 1)
        let warning = imported.warnings.mentioning("O365_BUSINESS_PREMIUM has 2 subscriptions")
        #expect(warning.count == 1)
        #expect(warning.first?.file == "graph-subscribedSkus.json")
    }

    @Test func usersKeepTheirLicenceStates() throws {
        let s = try importGraph().snapshot
        #expect(s.users.count == 7)
        #expect(s.users.map(\.userPrincipalName) == s.users.map(\.userPrincipalName).sorted())
        let ewa = try #require(s.user("ewa.lis@glina-ceramika.pl"))
        #expect(ewa.licenseAssignmentStates.count == 1)
        #expect(ewa.licenseAssignmentStates[0].state == .error)
        #expect(ewa.licenseAssignmentStates[0].error == .countViolation)
        #expect(ewa.licenseAssignmentStates[0].assignedByGroup == "d5e6f7a8-1b2c-4d3e-8f4a-5b6c7d8e9fa1")
        let anna = try #require(s.user("anna.nowak@glina-ceramika.pl"))
        #expect(anna.licenseAssignmentStates.map(\.assignedByGroup) == [nil], "null assignedByGroup = direct")
        #expect(anna.licenseAssignmentStates[0].subscriptionId == nil, "Graph does not say which pool")
        let shared = try #require(s.user("magazyn@glina-ceramika.pl"))
        #expect(!shared.accountEnabled && shared.department == nil && shared.jobTitle == nil)
        #expect(s.user("jan.mazur@glina-ceramika.pl") != nil, "the single GET /users/{id} joins the pages")
        #expect(s.groups.isEmpty, "no response names the groups")
    }

    @Test("without organization: the tenant id from the sku ids, the rest from options")
    func withoutOrganization() throws {
        let files = Fixture.graph.filter { $0 != "graph-organization.json" }
        let missing = Importer.importFiles(Fixture.files(files), options: options(channel: .direct))
        #expect(missing.errors.count == 3, "\(missing.problems.text)")
        #expect(missing.errors.allSatisfy { $0.file == "(command line)" })
        #expect(!missing.errors.mentioning("--name").isEmpty && !missing.errors.mentioning("--domain").isEmpty
            && !missing.errors.mentioning("--country").isEmpty)

        let result = Importer.importFiles(Fixture.files(files), options: options(channel: .azPl, name: "Glina", domain: "glina-ceramika.pl", country: "PL"))
        let imported = try result.get()
        #expect(imported.snapshot.tenant.id == Fixture.tenantId)
        #expect(imported.snapshot.tenant.preferredLanguage == .pl)
        #expect(!imported.warnings.mentioning("pl is used for country PL").isEmpty)
        #expect(imported.snapshot.subscriptions.allSatisfy { $0.purchaseChannel == .reseller }, "ownerTenantId is another tenant's, and az.pl manages the tenant: its reseller created them")
    }

    @Test("the channel is in no Graph response: without --channel it is an error")
    func channelNeeded() {
        let result = Importer.importFiles(Fixture.files(Fixture.graph), options: options())
        #expect(result.errors.map(\.description) == ["(command line): -: no file holds how the tenant is sold and managed: pass --channel home.pl, az.pl, partner or direct"])
    }

    @Test("subscribedSkus and directory/subscriptions are both needed")
    func bothSubscriptionResponsesNeeded() {
        let noDirectory = Fixture.graph.filter { !$0.contains("directory") }
        let r1 = Importer.importFiles(Fixture.files(noDirectory), options: options(channel: .direct))
        #expect(r1.errors.count == 1, "\(r1.problems.text)")
        #expect(!r1.errors.mentioning("add the GET /directory/subscriptions response").isEmpty)
        let noSkus = Fixture.graph.filter { !$0.contains("subscribedSku") }
        let r2 = Importer.importFiles(Fixture.files(noSkus), options: options(channel: .direct))
        #expect(!r2.errors.mentioning("add the GET /subscribedSkus response").isEmpty, "\(r2.problems.text)")
    }

    @Test("users saved with assignedLicenses only import, their licences as held directly, with a warning saying how to save the states")
    func usersWithoutStates() throws {
        let files = Fixture.graph.filter { !$0.contains("users") && !$0.contains("user-single") } + ["users-assignedLicenses-only.json"]
        let imported = try Importer.importFiles(Fixture.files(files), options: options(channel: .direct)).get()
        let warning = try #require(imported.warnings.first { $0.message.contains("not saved: the licences are read from assignedLicenses") })
        #expect(warning.location == .path(JSONPath([.key("value"), .index(0), .key("licenseAssignmentStates")])))
        #expect(warning.message.contains("$select=id,displayName,userPrincipalName,accountEnabled") == true)
        let anna = try #require(imported.snapshot.user("anna.nowak@glina-ceramika.pl"))
        #expect(anna.licenseAssignmentStates.map(\.skuId) == ["f245ecc8-75af-4f8e-b61f-27d8114de5f3"])
        #expect(anna.licenseAssignmentStates.first?.state == .active && anna.licenseAssignmentStates.first?.assignedByGroup == nil)
        // A user with neither list is still an error: Graph left both out of a plain GET /users.
        let plain = bytes("""
        {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": [{"id": "0a1b2c3d-1111-4a2b-8c3d-4e5f6a7b8c01",
         "displayName": "Anna Nowak", "userPrincipalName": "anna.nowak@glina-ceramika.pl", "accountEnabled": true}]}
        """)
        let refused = Importer.importFiles(Fixture.files(files.filter { $0 != "users-assignedLicenses-only.json" }) + [("plain.json", plain)], options: options(channel: .direct))
        #expect(refused.errors.first?.message.contains("required field is missing: Graph returns it only when asked") == true, "\(refused.errors.text)")
    }

    @Test("without users the snapshot has none, and says so")
    func withoutUsers() throws {
        let files = Fixture.graph.filter { !$0.contains("user") }
        let imported = try Importer.importFiles(Fixture.files(files), options: options(channel: .direct)).get()
        #expect(imported.snapshot.users.isEmpty)
        #expect(!imported.warnings.mentioning("no GET /users response").isEmpty)
    }

    @Test("licenseDetails confirm a user's licences; a difference is a warning")
    func licenseDetailsCrossCheck() throws {
        let imported = try Importer.importFiles(Fixture.files(Fixture.graph), options: options(channel: .direct)).get()
        #expect(imported.warnings.mentioning("licenseDetails").isEmpty, "Anna's licenseDetails agree")
        let other = bytes("""
        {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('tomasz.kaczmarek@glina-ceramika.pl')/licenseDetails",
         "value": [{"id": "x", "skuId": "3b555118-da6a-4418-894f-7df1e2096870", "skuPartNumber": "O365_BUSINESS_ESSENTIALS", "servicePlans": []}]}
        """)
        let result = Importer.importFiles(Fixture.files(Fixture.graph) + [("tomasz-licences.json", other)], options: options(channel: .direct))
        let warnings = try result.get().warnings.mentioning("licenseDetails of tomasz.kaczmarek@glina-ceramika.pl differ")
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("only there: 4b9405b0-7788-4568-add1-99614e613b69, ee02fd1b-340e-4a4b-b355-4a514e4c8943") == true)

        // Graph writes the sign-in name URL-encoded in @odata.context: `users('tomasz.kaczmarek%40glina-ceramika.pl')`.
        let encoded = bytes(String(decoding: other, as: UTF8.self).replacingOccurrences(of: "kaczmarek@glina", with: "kaczmarek%40glina"))
        let matched = try Importer.importFiles(Fixture.files(Fixture.graph) + [("tomasz-encoded.json", encoded)], options: options(channel: .direct)).get()
        #expect(matched.warnings.mentioning("licenseDetails of tomasz.kaczmarek@glina-ceramika.pl differ").count == 1)
        #expect(matched.warnings.mentioning("who is in no GET /users file").isEmpty)
    }
}

@Suite("Pages of one list in several files")
struct PagingTests {
    /// Only the last page of users saved: nothing in it says a page is missing, but the licences Microsoft counts as
    /// assigned do.
    @Test func aMissingFirstPageOfUsersIsSeenFromTheAssignedLicences() throws {
        let files = Fixture.files(Fixture.graph.filter { $0 != "graph-users-page1.json" && $0 != "graph-user-single.json" && $0 != "graph-user-licenseDetails.json" })
        let imported = try Importer.importFiles(files, options: options(channel: .direct)).get()
        let warning = imported.warnings.mentioning("licences GET /subscribedSkus counts as assigned: if a page of GET /users is missing")
        #expect(warning.count == 1, "\(imported.warnings.text)")
        // With every page, no such warning.
        let whole = try Importer.importFiles(Fixture.files(Fixture.graph), options: options(channel: .direct)).get()
        #expect(whole.warnings.mentioning("if a page of GET /users is missing").isEmpty, "\(whole.warnings.text)")
    }

    @Test func pagesJoin() throws {
        let s = try Importer.importFiles(Fixture.files(Fixture.graph), options: options(channel: .direct)).get().snapshot
        #expect(s.user("anna.nowak@glina-ceramika.pl") != nil, "page 1")
        #expect(s.user("tomasz.kaczmarek@glina-ceramika.pl") != nil, "page 2")
        #expect(s.subscription(Fixture.stdMonthly) != nil && s.subscription(Fixture.basic) != nil)
    }

    @Test("a missing last page of a Graph list: a warning naming the page that says more follow, and what is there imports")
    func missingGraphPage() throws {
        let files = Fixture.graph.filter { $0 != "graph-users-page2.json" }
        let imported = try Importer.importFiles(Fixture.files(files), options: options(channel: .direct)).get()
        let warning = imported.warnings.first { $0.message.contains("save every page") }
        #expect(warning?.file == "graph-users-page1.json")
        #expect(warning?.location == .path(JSONPath([.key("@odata.nextLink")])))
        #expect(warning?.message.contains("what is on the missing pages is not in the snapshot") == true)
    }

    @Test("the same page twice is harmless")
    func samePageTwice() throws {
        let files = Fixture.files(Fixture.graph) + [("copy-of-users-page1.json", Fixture.file("graph-users-page1.json").bytes)]
        let imported = try Importer.importFiles(files, options: options(channel: .direct)).get()
        #expect(imported.snapshot.users.count == 7)
    }

    @Test("a missing Partner Center page is a warning: what it held is just not in the snapshot")
    func missingPartnerCenterPage() throws {
        let files = Fixture.graph + Fixture.partnerCenter.filter { $0 != "partnercenter-subscriptions-page2.json" }
        let imported = try Importer.importFiles(Fixture.files(files), options: options()).get()
        #expect(imported.warnings.mentioning("partnercenter-subscriptions-page1.json: links.next").count == 1)
        #expect(imported.snapshot.subscription(Fixture.exchange)?.billingCycle == nil, "its Partner Center page is missing")
        #expect(imported.snapshot.subscription(Fixture.stdMonthly)?.billingCycle == .monthly)
    }
}

@Suite("Partner Center files join the Graph subscriptions")
struct PartnerCenterTests {
    func importAll() throws -> Importer.Imported {
        let result = Importer.importFiles(Fixture.files(Fixture.graph + Fixture.partnerCenter), options: options())
        #expect(result.errors.isEmpty, "\(result.problems.text)")
        return try result.get()
    }

    @Test func commercialTermsComeFromPartnerCenter() throws {
        let s = try importAll().snapshot
        #expect(s.tenant.management.channel == .partner, "Partner Center files mean a partner manages the tenant")
        let monthly = try #require(s.subscription(Fixture.stdMonthly))
        #expect(monthly.billingCycle == .monthly && monthly.termDuration == "P1M" && monthly.autoRenewEnabled == true)
        #expect(monthly.productName == "Microsoft 365 Business Standard")
        #expect(monthly.purchaseChannel == .partner)
        let annual = try #require(s.subscription(Fixture.stdAnnual))
        #expect(annual.billingCycle == .annual && annual.termDuration == "P1Y" && annual.autoRenewEnabled == false)
        // The legacy shape (upper-case id, no termDuration) joins by commerceSubscriptionId.
        let exchange = try #require(s.subscription(Fixture.exchange))
        #expect(exchange.billingCycle == .annual && exchange.termDuration == nil && exchange.autoRenewEnabled == false)
        #expect(exchange.productName == "Exchange Online (Plan 1)")
        // The single add-on GET.
        let archive = try #require(s.subscription(Fixture.archive))
        #expect(archive.autoRenewEnabled == true && archive.billingCycle == nil)
        // Not in Partner Center: stays without terms.
        let trial = try #require(s.subscription(Fixture.premiumTrial))
        #expect(trial.autoRenewEnabled == nil && trial.billingCycle == nil)
    }

    @Test("no prices: Partner Center's are the partner's costs, not the tenant's prices")
    func noPrices() throws {
        #expect(try importAll().snapshot.subscriptions.allSatisfy { $0.unitPrice == nil })
    }

    @Test("Graph keeps the licence count; Partner Center's other quantity is reported")
    func quantityConflict() throws {
        let imported = try importAll()
        #expect(imported.snapshot.subscription(Fixture.basic)?.prepaidUnits.enabled == 4)
        let warnings = imported.warnings.mentioning("Partner Center says 5 licences")
        #expect(warnings.count == 1)
        #expect(warnings.first?.file == "partnercenter-subscriptions-page1.json")
        #expect(warnings.first?.location == .path(JSONPath([.key("items"), .index(2), .key("quantity")])))
    }

    @Test("Partner Center invoices are the partner's bills: named in warnings, not made into tenant invoices")
    func invoicesAreNotInvented() throws {
        let imported = try importAll()
        #expect(imported.snapshot.invoices.isEmpty)
        let warnings = imported.warnings.mentioning("is Microsoft's bill to the partner")
        #expect(warnings.count == 3, "\(warnings.text)")
        #expect(!warnings.mentioning("G012345678 (invoice, 2026-10-08, 1520.44 EUR)").mentioning("2 for this tenant, 1 for other customers").isEmpty)
        #expect(!warnings.mentioning("G012400001 (Credit Note").isEmpty, "open-ended documentType kept as written")
        #expect(!warnings.mentioning("G012399999").mentioning("98.4 EUR").isEmpty, "a number written as a string")
    }

    @Test("the short API: slug from the name, captured now")
    func shortForm() throws {
        let result = Importer.importFiles(Fixture.files(Fixture.graph + Fixture.partnerCenter), slug: nil, name: nil)
        let (snapshot, warnings) = try result.get()
        #expect(snapshot.slug == "pracownia-ceramiki-glina-sp-z-o-o")
        #expect(!warnings.isEmpty)
    }
}

@Suite("Files that are not JSON, or not a known response, fail clearly")
struct RejectionTests {
    @Test func notJSON() throws {
        let result = Importer.importFiles(Fixture.files(Fixture.graph + ["bad-not-json.html"]), options: options(channel: .direct))
        let errors = result.errors
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.file == "bad-not-json.html")
        #expect(error.location == .lineColumn(line: 1, column: 1))
        #expect(error.message.contains("HTML"))
        #expect(error.description.hasPrefix("bad-not-json.html: 1:1: "))
    }

    @Test("a JSON file of an unknown kind: an error at the line and column that tells", arguments: [
        ("bad-unknown-graph-devices.json", 2, 23, "\"devices\""),
        ("bad-unknown-shape.json", 1, 1, "no known shape"),
    ])
    func unknownKind(_ file: String, _ line: Int, _ column: Int, _ words: String) throws {
        let result = Importer.importFiles(Fixture.files(Fixture.graph + [file]), options: options(channel: .direct))
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.file == file)
        #expect(error.location == .lineColumn(line: line, column: column))
        #expect(error.message.contains(words))
        #expect(error.message.contains("docs/import.md"))
    }

    @Test("not-strict JSON as Microsoft's documentation prints it: the line and column, and why")
    func documentationArtefacts() {
        let comment = Importer.inspect(name: "body.json", bytes: bytes("{\n  \"quantity\": 1, // was 10\n  \"status\": \"active\"\n}"))
        #expect(comment.errors.map(\.description) == ["body.json: 2:18: expected a quoted key, found '/' (JSON has no comments: save the response exactly as Microsoft sent it)"])
        let ellipsis = Importer.inspect(name: "u.json", bytes: bytes("{\"value\": [\n  {\"id\": \"x\"},\n  ...\n]}"))
        #expect(ellipsis.errors.first?.location == .lineColumn(line: 3, column: 3))
        #expect(ellipsis.errors.first?.message.contains("left-out text") == true)
        let trailing = Importer.inspect(name: "t.json", bytes: bytes("{\"value\": [1, 2,]}"))
        #expect(trailing.errors.first?.message.contains("comma before a closing bracket") == true)
        let http = Importer.inspect(name: "h.json", bytes: bytes("HTTP/1.1 200 OK\n{}"))
        #expect(http.errors.first?.message.contains("HTTP status line") == true)
    }

    @Test("other responses that look close: beta, Azure AD Graph, an error answer, UTF-16")
    func nearMisses() {
        let beta = Importer.inspect(name: "b.json", bytes: bytes("{\"@odata.context\": \"https://graph.microsoft.com/beta/$metadata#subscribedSkus\", \"value\": []}"))
        #expect(beta.errors.first?.message.contains("beta") == true)
        #expect(beta.errors.first?.location == .lineColumn(line: 1, column: 20))
        let aad = Importer.inspect(name: "a.json", bytes: bytes("{\"odata.metadata\": \"https://graph.windows.net/x/$metadata#directoryObjects\", \"value\": []}"))
        #expect(aad.errors.first?.message.contains("Azure AD Graph") == true)
        let denied = Importer.inspect(name: "e.json", bytes: bytes("{\"error\": {\"code\": \"Authorization_RequestDenied\", \"message\": \"Insufficient privileges to complete the operation.\"}}"))
        #expect(denied.errors.first?.message.contains("Authorization_RequestDenied: Insufficient privileges") == true)
        let utf16 = Importer.inspect(name: "ps.json", bytes: [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00])
        #expect(utf16.errors.first?.message.contains("UTF-16") == true)
        let array = Importer.inspect(name: "arr.json", bytes: bytes("[1, 2]"))
        #expect(array.errors.first?.message.contains("an item of no known shape") == true, "\(array.errors.map(\.message))")
        let emptyList = Importer.inspect(name: "v.json", bytes: bytes("{\"value\": []}"))
        #expect(emptyList.errors.first?.message.contains("empty list without @odata.context") == true)
    }

    @Test("nothing to import")
    func noFiles() {
        #expect(Importer.importFiles([], options: options()).errors.map(\.message) == ["no files to import"])
    }
}

@Suite("Conflicts between sources are reported")
struct ConflictTests {
    @Test("files of two tenants: an error naming both")
    func twoTenants() throws {
        let result = Importer.importFiles(Fixture.files(Fixture.graph + ["conflict-organization-other-tenant.json"]), options: options(channel: .direct))
        let errors = result.errors
        #expect(!errors.isEmpty)
        let error = try #require(errors.mentioning(Fixture.otherTenantId).first)
        #expect(error.description.contains(Fixture.tenantId))
        #expect(error.message.contains("one tenant at a time"))
    }

    @Test("one subscription saved twice with different values: the first kept, a warning, and both recorded")
    func changedRecord() throws {
        let imported = try Importer.importFiles(Fixture.files(Fixture.graph + ["conflict-directory-subscription-changed.json"]), options: options(channel: .direct)).get()
        let warning = try #require(imported.warnings.first { $0.file == "conflict-directory-subscription-changed.json" })
        #expect(warning.message.contains("also in graph-directory-subscriptions-page2.json: value[0] with different values (saved at different times?): the snapshot keeps the one in graph-directory-subscriptions-page2.json"))
        let recorded = try #require(imported.snapshot.disagreements.first { $0.field == "savedTwice" })
        #expect(recorded.subject == .subscription && recorded.claims.map(\.source) == ["graph-directory-subscriptions-page2.json", "conflict-directory-subscription-changed.json"])
    }

    @Test("sku counts that disagree with their subscriptions: a warning, each subscription keeps its own")
    func prepaidMismatch() throws {
        var files = Fixture.files(Fixture.graph.filter { $0 != "graph-subscribedSkus.json" })
        let skus = String(decoding: Fixture.file("graph-subscribedSkus.json").bytes, as: UTF8.self)
            .replacingOccurrences(of: "\"enabled\": 4,", with: "\"enabled\": 7,")
        files.append(("skus.json", bytes(skus)))
        let imported = try Importer.importFiles(files, options: options(channel: .direct)).get()
        #expect(imported.snapshot.subscription(Fixture.basic)?.prepaidUnits.enabled == 4)
        #expect(imported.warnings.mentioning("skus.json: value[1].prepaidUnits: warning: sku O365_BUSINESS_ESSENTIALS counts enabled 7").count == 1)
    }

    @Test("a licence of a sku no subscription has: a warning at the user's licence, the licence left out and recorded")
    func licenceOfUnknownSku() throws {
        let user = bytes("""
        {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,userPrincipalName,accountEnabled,licenseAssignmentStates)/$entity",
         "id": "0a1b2c3d-8888-4a2b-8c3d-4e5f6a7b8c08", "displayName": "Obcy", "userPrincipalName": "obcy@glina-ceramika.pl", "accountEnabled": true,
         "licenseAssignmentStates": [{"skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "state": "Active", "assignedByGroup": null, "error": null}]}
        """)
        let result = Importer.importFiles(Fixture.files(Fixture.graph) + [("stranger.json", user)], options: options(channel: .direct))
        let imported = try result.get()
        #expect(imported.warnings.map(\.description).contains("stranger.json: licenseAssignmentStates[0].skuId: warning: the user has sku 06ebc4ee-1bb5-47dd-8120-11324bc54e06 (Active), which no subscription in these files has: left out of the user's licences and recorded as a disagreement"), "\(imported.warnings.map(\.description))")
        let stranger = try #require(imported.snapshot.users.first { $0.displayName == "Obcy" })
        #expect(stranger.licenseAssignmentStates.isEmpty)
        let recorded = try #require(imported.snapshot.disagreements.first { $0.subject == .user })
        #expect(recorded.id == stranger.id && recorded.field == "licence" && recorded.claims.count == 2)
    }

    @Test("a sku left out as empty, yet held by a user (a group still assigning it): a warning at the user's licence, not an error")
    func licenceOfEmptySku() throws {
        let empty = bytes("""
        {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscribedSkus/$entity", "id": "\(Fixture.tenantId)_a403ebcc-fae0-4ca2-8c8c-7a907fd6c235",
         "skuId": "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235", "skuPartNumber": "POWER_BI_STANDARD", "capabilityStatus": "Enabled", "consumedUnits": 0,
         "prepaidUnits": {"enabled": 0, "suspended": 0, "warning": 0, "lockedOut": 0}}
        """)
        let user = bytes("""
        {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
         "id": "0a1b2c3d-8888-4a2b-8c3d-4e5f6a7b8c08", "displayName": "Ola", "userPrincipalName": "ola@glina-ceramika.pl", "accountEnabled": true,
         "licenseAssignmentStates": [{"skuId": "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235", "state": "Error", "error": "CountViolation", "assignedByGroup": null}]}
        """)
        let result = Importer.importFiles(Fixture.files(Fixture.graph) + [("pbi.json", empty), ("ola.json", user)], options: options(channel: .direct))
        #expect(result.errors.isEmpty, "\(result.errors.map(\.description))")
        #expect(result.problems.warnings.mentioning("ola.json: licenseAssignmentStates[0].skuId: warning: the user has sku a403ebcc-fae0-4ca2-8c8c-7a907fd6c235 (Error, CountViolation)").count == 1)
        #expect(result.problems.warnings.mentioning("POWER_BI_STANDARD has no licences and no subscription").count == 1)
    }

    @Test("--name over organization: used, and said")
    func optionOverOrganization() throws {
        let imported = try Importer.importFiles(Fixture.files(Fixture.graph), options: options(channel: .direct, name: "Glina")).get()
        #expect(imported.snapshot.tenant.displayName == "Glina")
        #expect(imported.warnings.mentioning("--name \"Glina\" is used instead of \"Pracownia Ceramiki Glina sp. z o.o.\"").count == 1)
    }

    @Test("errors come with every warning found so far, errors first")
    func errorsFirst() {
        let result = Importer.importFiles(Fixture.files(Fixture.graph + ["conflict-organization-other-tenant.json"]), options: options(channel: .direct))
        let problems = result.problems
        let firstWarning = problems.firstIndex { $0.message.hasPrefix("warning: ") } ?? problems.count
        #expect(problems[..<firstWarning].allSatisfy { !$0.message.hasPrefix("warning: ") })
        #expect(problems[firstWarning...].allSatisfy { $0.message.hasPrefix("warning: ") })
    }
}

@Suite("Tolerant where Microsoft's documents disagree, strict elsewhere")
struct ToleranceTests {
    static let pcSubscription = """
    {"id": "83EF9D05-4169-4EF9-9657-0E86B1EAB1DE", "offerId": "X", "quantity": "3", "status": " Active ", "autoRenewEnabled": "true",
     "billingCycle": "Monthly", "termDuration": "p1y", "creationDate": "2015-11-25T06: 41: 12Z", "commitmentEndDate": "2016-12-12T08:00:00",
     "attributes": {"objectType": "Subscription"}}
    """

    @Test("numbers and booleans as strings, padded and differently-cased enums, spaces in dates, no zone")
    func partnerCenterSubscription() {
        let inspection = Importer.inspect(name: "pc.json", bytes: bytes(Self.pcSubscription))
        #expect(inspection.errors.isEmpty, "\(inspection.errors.text)")
        #expect(inspection.warnings.map(\.description) == [
            "pc.json: creationDate: warning: \"2015-11-25T06: 41: 12Z\" has spaces inside; read as 2015-11-25T06:41:12Z",
        ])
    }

    @Test("what cannot be read unambiguously is an error with its path", arguments: [
        ("\"quantity\": \"1,5\"", "quantity", "expected a number"),
        ("\"quantity\": -2", "quantity", "whole number"),
        ("\"creationDate\": \"25.11.2015 06:41\"", "creationDate", "expected a date and time"),
        ("\"status\": \"cancelled\"", "status", "is not one of"),
        ("\"autoRenewEnabled\": \"yes\"", "autoRenewEnabled", "true or false"),
    ])
    func strictWhereItMatters(_ member: String, _ key: String, _ words: String) {
        let json = "{\"id\": \"s1\", \(member), \"attributes\": {\"objectType\": \"Subscription\"}}"
        let inspection = Importer.inspect(name: "pc.json", bytes: bytes(json))
        #expect(inspection.errors.count == 1, "\(inspection.errors.text)")
        #expect(inspection.errors.first?.location == .path(JSONPath([.key(key)])))
        #expect(inspection.errors.first?.message.contains(words) == true)
    }

    @Test("licence states: padded values, \"Other\" for \"Others\", upper-case GUIDs, a byte-order mark")
    func licenceStates() throws {
        let user = "\u{FEFF}" + """
        {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
         "id": "0A1B2C3D-9999-4A2B-8C3D-4E5F6A7B8C09", "displayName": "Zofia Krawczyk", "userPrincipalName": "zofia@glina-ceramika.pl", "accountEnabled": true,
         "licenseAssignmentStates": [
           {"skuId": "3B555118-DA6A-4418-894F-7DF1E2096870", "state": " Active ", "error": " None", "assignedByGroup": null},
           {"skuId": "f245ecc8-75af-4f8e-b61f-27d8114de5f3", "state": "ActiveWithError", "error": "Other", "assignedByGroup": "C4D5E6F7-0A1B-4C2D-9E3F-4A5B6C7D8E90"}
         ]}
        """
        let imported = try Importer.importFiles(Fixture.files(Fixture.graph) + [("zofia.json", bytes(user))], options: options(channel: .direct)).get()
        let zofia = try #require(imported.snapshot.user("zofia@glina-ceramika.pl"))
        #expect(zofia.id == "0a1b2c3d-9999-4a2b-8c3d-4e5f6a7b8c09")
        #expect(zofia.licenseAssignmentStates.map(\.skuId) == ["3b555118-da6a-4418-894f-7df1e2096870", "f245ecc8-75af-4f8e-b61f-27d8114de5f3"])
        #expect(zofia.licenseAssignmentStates.map(\.state) == [.active, .activeWithError])
        #expect(zofia.licenseAssignmentStates.map(\.error) == [LicenseAssignment.AssignmentError.none, .others])
        #expect(zofia.licenseAssignmentStates[1].assignedByGroup == "c4d5e6f7-0a1b-4c2d-9e3f-4a5b6c7d8e90")
    }

    @Test("slugs from names")
    func slugs() {
        #expect(Importer.slug(from: "Kwiaciarnia Łąkowa sp. z o.o.") == "kwiaciarnia-lakowa-sp-z-o-o")
        #expect(Importer.slug(from: "Müller & Söhne GmbH") == "muller-sohne-gmbh")
        #expect(Importer.slug(from: "  Żółć—2026 ") == "zolc-2026")
        #expect(Importer.slug(from: "***") == "")
    }
}
