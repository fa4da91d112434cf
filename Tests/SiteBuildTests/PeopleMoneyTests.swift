import Foundation
import Testing
@testable import SiteBuild
import SiteRender
import TenantModel

/// People, idle licences, who bills what, unused licences and the calendar (issue 19), on the demo and on edited copies.
@Suite struct PeopleMoneyTests {
    static func plan(_ snapshot: Snapshot, asOf: CivilDate? = nil) -> TenantPlan { TenantPlan(snapshot, settings: BuildSettings(asOf: asOf)) }

    @Test func theCostSplitByBillerAddsUpToTheMonthlyFigure() throws {
        for slug in demoTenantSlugs(root: repoRoot) {
            let plan = Self.plan(try demoSnapshot(slug))
            var sum = MoneyTotals()
            for part in TenantFacts.monthlyByBiller(plan.counted) { for money in part.totals.sorted { sum.add(money) } }
            #expect(sum == TenantFacts.monthlySpend(plan.counted), "\(slug)")
        }
        // The flower shop: 1836,70 zł, of which 235,40 zł employees paid on their own cards.
        let split = TenantFacts.monthlyByBiller(Self.plan(try demoSnapshot("kwiaciarnia-lakowa")).counted)
        #expect(split.map(\.biller) == [.seller, .employees])
        #expect(split[0].totals.amounts["PLN"] == Amount(exactly: "1601.3"))
        #expect(split[1].totals.amounts["PLN"] == Amount(exactly: "235.4"))
    }

    @Test func idleLicencesCountFromTheLastSignInOfAnyKind() throws {
        var snapshot = try demoSnapshot("kwiaciarnia-lakowa")
        let asOf = CivilDate(iso: "2026-11-20")!
        func at(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
        let i = snapshot.users.firstIndex { $0.displayName == "Ewa Łuczak" }!
        // An old interactive sign-in but a recent non-interactive one: not idle.
        snapshot.users[i].signInActivity = SignInActivity(lastSignInDateTime: at("2026-01-01T10:00:00Z"), lastNonInteractiveSignInDateTime: at("2026-11-19T10:00:00Z"))
        #expect(TenantFacts.daysIdle(snapshot.users[i], asOf: asOf) == 1)
        // 30 days: the first day of "idle"; 89 still the shorter kind; 90 the longer; nothing on record: never.
        for (last, kind) in [("2026-10-21T12:00:00Z", TenantFacts.AttentionKind.idleLicences30), ("2026-08-23T12:00:00Z", .idleLicences30),
                             ("2026-08-22T12:00:00Z", .idleLicences)] {
            snapshot.users[i].signInActivity = SignInActivity(lastSuccessfulSignInDateTime: at(last))
            let items = TenantFacts.attention(snapshot, asOf: asOf).filter { $0.userIds.contains(snapshot.users[i].id) && ($0.kind == .idleLicences || $0.kind == .idleLicences30) }
            #expect(items.map(\.kind) == [kind], "\(last)")
            // Her Business Standard licence, 54,40 zł a month, is in the item's cost.
            #expect((items.first?.amounts.amounts["PLN"] ?? .zero) >= Amount(exactly: "54.4")!)
        }
        snapshot.users[i].signInActivity = SignInActivity()
        #expect(TenantFacts.daysIdle(snapshot.users[i], asOf: asOf) == Int.max)
        // No sign-in data at all: never idle (the snapshot does not say).
        snapshot.users[i].signInActivity = nil
        #expect(TenantFacts.daysIdle(snapshot.users[i], asOf: asOf) == nil)
        // A blocked account is the blocked-account rule's, not the idle one's.
        snapshot.users[i].signInActivity = SignInActivity()
        snapshot.users[i].accountEnabled = false
        #expect(!TenantFacts.attention(snapshot, asOf: asOf).contains { ($0.kind == .idleLicences || $0.kind == .idleLicences30) && $0.userIds.contains(snapshot.users[i].id) })
    }

    @Test func theNewCommerceWindowIsSevenDaysFromPurchaseOrRenewal() throws {
        var s = try demoSnapshot("kwiaciarnia-lakowa").subscriptions.first { $0.id.hasPrefix("58802a9c") }!  // monthly term? annual: P1M here
        s.purchaseChannel = .reseller
        s.termDuration = "P1Y"
        s.createdDateTime = Timestamp(rfc3339: "2024-03-06T10:00:00Z")
        s.nextLifecycleDateTime = Timestamp(rfc3339: "2027-03-06T00:00:00Z")  // renewed on 6 March 2026
        #expect(CancellationWindow.closes(s, asOf: CivilDate(iso: "2026-03-10")!) == CivilDate(iso: "2026-03-13")!)
        #expect(CancellationWindow.closes(s, asOf: CivilDate(iso: "2026-03-13")!) == CivilDate(iso: "2026-03-13")!)
        #expect(CancellationWindow.closes(s, asOf: CivilDate(iso: "2026-03-14")!) == nil)
        // Bought three days ago: open until a week after the purchase.
        s.createdDateTime = Timestamp(rfc3339: "2026-11-17T09:00:00Z")
        #expect(CancellationWindow.closes(s, asOf: CivilDate(iso: "2026-11-20")!) == CivilDate(iso: "2026-11-24")!)
        // Bought directly, or a trial: the rule is not ours to say.
        s.purchaseChannel = .direct
        #expect(CancellationWindow.closes(s, asOf: CivilDate(iso: "2026-11-20")!) == nil)
        #expect(CancellationWindow.termMonths("P3Y") == 36 && CancellationWindow.termMonths("P1M") == 1 && CancellationWindow.termMonths("1Y") == nil)
    }

    @Test func theCalendarHasOverdueInvoicesFirstThenTheSoonestAndNoPastRenewals() throws {
        let plan = Self.plan(try demoSnapshot("kwiaciarnia-lakowa"))
        let events = plan.calendar
        #expect(!events.isEmpty)
        let overdue = events.prefix { $0.date < plan.asOf }
        #expect(overdue.allSatisfy { $0.kind == .invoiceDue })
        #expect(overdue.map(\.subjectId) == ["FV/2026/09/05537", "FV/2026/10/02687"])
        let upcoming = events.dropFirst(overdue.count)
        #expect(zip(upcoming, upcoming.dropFirst()).allSatisfy { $0.date <= $1.date })
        #expect(upcoming.contains { $0.kind == .trialEnds && $0.name == "Project Plan 3" && $0.date == CivilDate(iso: "2026-11-27")! })
        #expect(upcoming.contains { $0.kind == .disabledOn && $0.name == "Visio Plan 2" })
        #expect(upcoming.contains { $0.kind == .ends && $0.name == "Microsoft 365 Business Premium" })
    }

    @Test func unusedLicencesSplitIntoReducibleAtRenewalAndReassignableNow() throws {
        let plan = Self.plan(try demoSnapshot("kwiaciarnia-lakowa"))
        let basic = plan.subscriptionsById["191a8c4b-0272-5aa6-aa48-c9bee9ae4196"]!
        let savings = TenantFacts.savings(basic, holders: plan.holders(of: basic), asOf: plan.asOf)
        // 10 bought, 7 held: 3 to drop at the renewal on 14 June 2027; Mirosław (idle since July) holds one to hand on.
        #expect(savings.reducible == 3 && savings.reassignable == 1 && savings.renewal == CivilDate(iso: "2027-06-14"))
        #expect(savings.unusedMonthly == Money(Amount(exactly: "295.2")! * 4 / 12, "PLN"))
    }

    /// The done-when of issue 19: for every demo tenant, the reseller's or partner's share of the monthly cost (in the
    /// snapshot in effect last month) equals, to the grosz, what its invoice lines billed for that month.
    @Test func theSellersShareEqualsLastMonthsInvoiceLinesToTheGrosz() throws {
        for slug in demoTenantSlugs(root: repoRoot) {
            let folder = repoRoot.appendingPathComponent("content/tenants/\(slug)")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted().map { folder.path + "/" + $0 }
            let (plan, history) = try HistoryBuilder.load(TenantFile(display: folder.path, slug: slug, files: files), settings: BuildSettings(),
                                                          timer: PhaseTimer()).get()
            let reconciliation = Reconciliation(plan, reference: history.monthReference)
            #expect((reconciliation.year, reconciliation.month) == (2026, 10), "\(slug)")
            var share = MoneyTotals()
            for cost in history.monthReference!.costs.compactMap(\.cost) { share.add(cost) }
            #expect(!reconciliation.billed.isEmpty, "\(slug)")
            for money in share.sorted {
                #expect(money.amount.roundedHalfUp() == (reconciliation.billed.amounts[money.currency] ?? .zero).roundedHalfUp(), "\(slug) \(money.currency)")
            }
            #expect(reconciliation.rows.allSatisfy { ($0.difference?.amount.roundedHalfUp() ?? .zero) == .zero }, "\(slug)")
        }
    }

    @Test func eachMonthOfASubscriptionIsComparedWithTheSnapshotInEffect() throws {
        let slug = "kwiaciarnia-lakowa"
        let folder = repoRoot.appendingPathComponent("content/tenants/\(slug)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted().map { folder.path + "/" + $0 }
        let (plan, history) = try HistoryBuilder.load(TenantFile(display: folder.path, slug: slug, files: files), settings: BuildSettings(),
                                                      timer: PhaseTimer()).get()
        let standard = plan.subscriptionsById["58802a9c-f5d6-5756-9113-b2a2bb604e7e"]!
        let months = Reconciliation.months(of: standard, plan: plan, references: history.monthReferences)
        #expect(months.count == 12 && (months[0].year, months[0].month) == (2026, 10), "newest first, up to October")
        // October: 13 licences × 54,40 zł as in the 10 October snapshot, billed the same.
        #expect(months[0].expected == Money(Amount(exactly: "707.2")!, "PLN") && months[0].difference?.amount == .zero)
        // July: the 10 July snapshot had 12 licences; the difference the invoice shows is the page's to tell.
        let july = months.first { $0.month == 7 && $0.year == 2026 }!
        #expect(july.expected == Money(Amount(exactly: "652.8")!, "PLN"))
        // Before June 2026 (the first snapshot kept) the licences of the month are not known.
        #expect(months.filter { $0.year * 12 + $0.month < 2026 * 12 + 6 }.allSatisfy { $0.expected == nil && $0.difference == nil })
        // A self-service purchase is not the reseller's to bill: no months.
        #expect(Reconciliation.months(of: plan.subscriptionsById["000cd825-34e2-5980-99c4-f513f28c104a"]!, plan: plan, references: history.monthReferences).isEmpty)
    }
}
