import Foundation
import Testing
@testable import SiteBuild
import TenantModel
import TenantSynth

/// The plan: each fact worked out once per tenant, each rule defined once and used by every page that shows it.
@Suite struct PlanTests {
    static func demo(_ slug: String) throws -> Snapshot {
        let file = repoRoot.appendingPathComponent(demoSnapshotPath(slug, root: repoRoot))
        return try SnapshotDecoder.decode(Array(try Data(contentsOf: file)), file: file.path, slug: slug, ksefFiles: demoKSeFFiles(slug)).get()
    }

    /// A credit note awaiting its refund is open on the partner home exactly as on the overview.
    @Test func aCreditNoteAwaitingItsRefundIsOpenEverywhere() throws {
        var snapshot = try Self.demo("kwiaciarnia-lakowa")
        let index = try #require(snapshot.invoices.firstIndex { $0.documentType == .creditNote })
        snapshot.invoices[index].paidAmount = 0
        let note = snapshot.invoices[index]
        #expect(note.outstanding < 0)
        let plan = TenantPlan(snapshot, settings: BuildSettings())
        #expect(InvoiceFacts.isOpen(note))
        #expect([.unpaid, .overdue].contains(plan.invoiceFacts.status(note)))
        // The partner home's count and the overview's statuses agree, one document at a time.
        let byStatus = snapshot.invoices.filter { [.unpaid, .overdue].contains(plan.invoiceFacts.status($0)) }.count
        #expect(TenantSummary(plan).unpaidInvoices == byStatus)
        var settled = snapshot
        settled.invoices[index].paidAmount = note.totalCharges
        #expect(TenantSummary(TenantPlan(settled, settings: BuildSettings())).unpaidInvoices == byStatus - 1)
    }

    /// "Today" is one rule: `--as-of`, else the capture date in Warsaw (a capture at 23:30 UTC is the next day there).
    @Test func todayIsTheCaptureDateInWarsawUnlessGiven() throws {
        var snapshot = try Self.demo("kwiaciarnia-lakowa")
        snapshot.capturedDateTime = Timestamp(rfc3339: "2026-11-20T23:30:00Z")!
        #expect(TenantPlan(snapshot, settings: BuildSettings()).asOf == CivilDate(iso: "2026-11-21")!)
        #expect(TenantPlan(snapshot, settings: BuildSettings(asOf: CivilDate(iso: "2026-01-02")!)).asOf == CivilDate(iso: "2026-01-02")!)
    }

    /// Licence totals are one rule, shown on the overview's cards and the partner home.
    @Test func licenceTotalsAreTheSameOnTheHomeAndTheOverview() throws {
        for slug in ["kwiaciarnia-lakowa", "biuro-rachunkowe-abakus", "northwind-gmbh"] {
            let plan = TenantPlan(try Self.demo(slug), settings: BuildSettings())
            let summary = TenantSummary(plan)
            #expect(summary.licencesTotal == plan.licences.usable && summary.licencesAssigned == plan.licences.assigned)
            let paid = plan.snapshot.subscriptions.filter { $0.status != .deleted && !$0.isTrial }
            #expect(plan.licences.usable == paid.reduce(0) { $0 + $1.prepaidUnits.enabled + $1.prepaidUnits.warning })
            #expect(plan.licences.free - plan.licences.over == plan.licences.usable - plan.licences.assigned)
        }
    }

    /// Free, viral and trial licences never count: a 25-person firm with Microsoft's sign-up skus in its tenant
    /// (10,000 Power Automate Free, 1,000,000 Power BI (free), 10,000,000 communication credits, a viral Power Apps
    /// trial and an unknown sku with a huge, empty, unpriced pool) shows the licences of its paid skus alone.
    @Test func freeViralAndTrialLicencesStayOutOfTheNumbers() throws {
        var snapshot = try Self.demo("kwiaciarnia-lakowa")
        let paidBefore = TenantPlan(snapshot, settings: BuildSettings()).licences
        let template = snapshot.subscriptions[0]
        func sub(_ part: String, _ units: Int, consumed: Int) -> Subscription {
            var s = template
            s.id = "free-\(part)"
            s.skuId = "00000000-0000-0000-0000-" + String(repeating: "0", count: 12 - String(part.utf8.count).count) + String(part.utf8.count)
            s.skuPartNumber = part
            s.prepaidUnits = .init(enabled: units)
            s.consumedUnits = consumed
            s.unitPrice = nil
            s.currencyCode = nil
            s.isTrial = false
            return s
        }
        snapshot.subscriptions += [sub("FLOW_FREE", 10_000, consumed: 4), sub("POWER_BI_STANDARD", 1_000_000, consumed: 12),
                                   sub("MCOPSTNC", 10_000_000, consumed: 0), sub("POWERAPPS_VIRAL", 10_000, consumed: 1),
                                   sub("Contoso_Unknown_Signup_X", 50_000, consumed: 3)]
        let plan = TenantPlan(snapshot, settings: BuildSettings())
        #expect(plan.licences == paidBefore)
        #expect(Set(plan.apart.map(\.skuPartNumber)).isSuperset(of: ["FLOW_FREE", "POWER_BI_STANDARD", "MCOPSTNC", "POWERAPPS_VIRAL", "Contoso_Unknown_Signup_X"]))
        #expect(LicenceClass.of(plan.apart.first { $0.skuPartNumber == "POWERAPPS_VIRAL" }!) == .viral)
        #expect(!plan.attention.contains { $0.subscriptionId?.hasPrefix("free-") == true })
    }
}

/// A person given a product directly and through a group holds one licence, as Microsoft counts it: the
/// subscription page counts people, not assignments, and counts people whose only assignment failed apart.
@Suite struct HoldersOnceTests {
    @Test func aPersonWithTheProductDirectlyAndFromAGroupIsOneHolder() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let content = root.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("tenants"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("content/help"), to: content.appendingPathComponent("help"))
        try copyDemoKSeF(to: content)
        let source = repoRoot.appendingPathComponent(demoSnapshotPath("kwiaciarnia-lakowa", root: repoRoot))
        var root0 = try JSONSerialization.jsonObject(with: Data(contentsOf: source)) as! [String: Any]
        var users = root0["users"] as! [[String: Any]]
        // Every holder of Business Standard also gets it from the group that already assigns it to someone.
        let sku = "f245ecc8-75af-4f8e-b61f-27d8114de5f3"
        var doubled = 0
        for i in users.indices {
            var states = users[i]["licenseAssignmentStates"] as! [[String: Any]]
            guard let direct = states.first(where: { ($0["skuId"] as? String) == sku && ($0["assignedByGroup"] is NSNull || $0["assignedByGroup"] == nil) && ($0["state"] as? String) == "Active" }) else { continue }
            var fromGroup = direct
            fromGroup["assignedByGroup"] = (root0["groups"] as! [[String: Any]]).first!["id"]
            states.append(fromGroup)
            users[i]["licenseAssignmentStates"] = states
            doubled += 1
        }
        #expect(doubled > 1)
        root0["users"] = users
        try JSONSerialization.data(withJSONObject: root0).write(to: content.appendingPathComponent("tenants/kwiaciarnia-lakowa.json"))
        let output = root.appendingPathComponent("site")
        _ = try buildSite(content: content, output: output, settings: BuildSettings(languages: [.pl]))
        let page = try String(contentsOf: output.appendingPathComponent("pl/tenants/kwiaciarnia-lakowa/subscriptions/58802a9c-f5d6-5756-9113-b2a2bb604e7e.html"), encoding: .utf8)
        #expect(page.contains("14 osób ma licencje z tej subskrypcji. Jeszcze 1 osoba ma przypisanie z błędem (bez licencji)."))
        #expect(!page.contains("Microsoft liczy"), "people counted once agree with Microsoft's 14")
    }
}

/// The summaries a build keeps in its manifest are read back with `JSONNodeDecoder`, not Foundation's decoder: what it
/// reads must be what was written, for tenants with histories, calendars and money in several currencies.
@Suite struct SummaryRoundTripTests {
    @Test func everyDemoSummaryReadsBackAsWritten() throws {
        guard case .success(let files) = TenantFile.list(folder: repoRoot.appendingPathComponent("content/tenants").path) else {
            Issue.record("the demo tenants do not list")
            return
        }
        #expect(files.count == 3)
        var sawCalendar = false, sawSteps = false
        for file in files {
            guard case .success(let (plan, history)) = HistoryBuilder.load(file, settings: BuildSettings(), timer: PhaseTimer()) else {
                Issue.record("\(file.slug) does not load")
                continue
            }
            let summary = TenantSummary(plan, history: history)
            sawCalendar = sawCalendar || !summary.calendar.isEmpty
            sawSteps = sawSteps || !summary.recentSteps.isEmpty
            let written = SiteBuilder.summaryJSON(summary)
            let read = try JSONNodeDecoder.decode(TenantSummary.self, from: Array(written.utf8))
            #expect(SiteBuilder.summaryJSON(read) == written, "\(file.slug)")
            // And what Foundation's decoder reads of it is the same.
            let foundation = try JSONDecoder().decode(TenantSummary.self, from: Data(written.utf8))
            #expect(SiteBuilder.summaryJSON(foundation) == written, "\(file.slug)")
            // The short way reads it the same, or leaves it to the general way (a history step).
            if let short = TenantSummary.reading(Array(written.utf8)) {
                #expect(SiteBuilder.summaryJSON(short) == written, "\(file.slug)")
            } else {
                #expect(!summary.recentSteps.isEmpty, "\(file.slug): the short way refused a summary without history steps")
            }
            #expect(SiteBuilder.readSummary(written).map(SiteBuilder.summaryJSON) == written, "\(file.slug)")
        }
        #expect(sawCalendar && sawSteps, "the demo no longer has a calendar event or a history step to read back")
    }

    /// Synthetic tenants of every channel, with invoices due, self-service spend and attention items: the short way
    /// reads each summary exactly as `JSONNodeDecoder` does, and anything it does not expect goes the general way.
    @Test func theShortWayReadsSummariesAsTheGeneralWayDoes() throws {
        let spec = SynthSpec(tenants: 60, invoicesPerTenant: 12, seed: 7)
        var read = 0, calendars = 0, spends = 0
        for i in 0..<spec.tenants {
            let summary = TenantSummary(TenantPlan(Synth.snapshot(i, spec), settings: BuildSettings()))
            let written = SiteBuilder.summaryJSON(summary)
            let general = try JSONNodeDecoder.decode(TenantSummary.self, from: Array(written.utf8))
            if let short = TenantSummary.reading(Array(written.utf8)) {
                #expect(SiteBuilder.summaryJSON(short) == SiteBuilder.summaryJSON(general), "\(summary.slug)")
                read += 1
            }
            if !summary.calendar.isEmpty { calendars += 1 }
            if !summary.selfServiceMonthlySpend.isEmpty { spends += 1 }
        }
        #expect(read == spec.tenants && calendars > 0 && spends > 0)
        // Not what it expects: left to the general way.
        for odd in [#"{"slug":"x"}"#, "[]", #"{"unknown":1}"#, "not json"] { #expect(TenantSummary.reading(Array(odd.utf8)) == nil) }
    }
}

@Suite struct LicenceClassTests {
    static func sku(_ part: String, trial: Bool = false, pool: Int = 5, consumed: Int = 5) -> Subscription {
        Subscription(id: "s", skuId: "k", skuPartNumber: part, status: .active, isTrial: trial, prepaidUnits: .init(enabled: pool),
                     consumedUnits: consumed, createdDateTime: nil, purchaseChannel: .partner)
    }

    /// The part number's words decide, in any case; then the trial flag; then the huge, empty, unpriced pool.
    @Test func classesByPartNumberFlagAndPool() {
        let cases: [(String, LicenceClass)] = [
            ("FLOW_FREE", .free), ("flow_free", .free), ("POWERAPPS_VIRAL", .viral), ("PowerApps_Viral_Plan", .viral),
            ("TEAMS_FREE", .free), ("FREE_THING", .free), ("A_FREE_B", .free), ("FREEDOM", .paid), ("AFREE", .paid),
            ("PROJECT_TRIAL", .trial), ("X_TRIAL_Y", .trial), ("Exploratory_Thing", .trial), ("SPE_E3", .paid), ("ŻÓŁW_free", .free),
        ]
        for (part, expected) in cases { #expect(LicenceClass.of(Self.sku(part)) == expected, "\(part)") }
        #expect(LicenceClass.of(Self.sku("SPE_E3", trial: true)) == .trial)
        #expect(LicenceClass.of(Self.sku("SOMETHING_NEW", pool: 10_000, consumed: 3)) == .free)
    }
}
