import Foundation
import Testing
@testable import SiteBuild
import TenantModel

/// The plan: each fact worked out once per tenant, each rule defined once and used by every page that shows it.
@Suite struct PlanTests {
    static func demo(_ slug: String) throws -> Snapshot {
        let file = repoRoot.appendingPathComponent("content/tenants/\(slug).json")
        return try SnapshotDecoder.decode(Array(try Data(contentsOf: file)), file: file.path, slug: slug).get()
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
