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
            let live = plan.snapshot.subscriptions.filter { $0.status != .deleted }
            #expect(plan.licences.usable == live.reduce(0) { $0 + $1.prepaidUnits.enabled + $1.prepaidUnits.warning })
            #expect(plan.licences.free - plan.licences.over == plan.licences.usable - plan.licences.assigned)
        }
    }
}
