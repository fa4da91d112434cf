import Foundation
import Testing
@testable import SiteBuild
import TenantModel

/// The pure grouping and summing behind the self-service page.
@Suite struct SelfServicePurchasesTests {
    let all = SelfServicePurchases(SelfServiceFixture.snapshot, asOf: SelfServiceFixture.asOf)

    @Test func onlySelfServicePurchasesAreListed() {
        #expect(all.purchases.count == 7)
        #expect(!all.purchases.contains { $0.id == "reseller-visio" })
    }

    @Test func groupsByBuyerWhateverTheSpellingOfTheirUPN() {
        #expect(all.byBuyer.map(\.buyer.displayName) == ["Anna Lis", "Lech Odszedł", "Łukasz Nowak", "Zenon Żak"])
        let lukasz = all.byBuyer[2]
        #expect(lukasz.purchases.map(\.id) == ["ss-pbi-lukasz", "ss-visio-trial"])
        #expect(lukasz.licences == 4)
        #expect(lukasz.monthlySpend.sorted == [Money(Amount(exactly: "181.5")!, "PLN")])
    }

    @Test func aBuyersPurchasesAreInProductOrderAndKeepDeletedOnes() {
        let anna = all.byBuyer[0]
        #expect(anna.purchases.map(\.id) == ["ss-teams", "ss-pbi-old", "ss-pbi-anna"])
        #expect(anna.counted.map(\.id) == ["ss-teams", "ss-pbi-anna"])
        #expect(anna.licences == 3)
        #expect(anna.monthlySpend.sorted == [Money(8, "EUR"), Money(Amount(exactly: "53.9")!, "PLN")])
    }

    @Test func buyersAccountsAreLookedUp() {
        #expect(all.byBuyer.map(\.buyer.accountEnabled) == [true, nil, true, false])
    }

    @Test func purchasesOfOneProductAddUp() {
        #expect(all.byProduct.map(\.productName) == ["Microsoft 365 Copilot", "Microsoft Teams Essentials", "Power BI Pro", "Project Plan 3", "Visio Plan 2"])
        let powerBI = all.byProduct[2]
        #expect(powerBI.purchases.map(\.id) == ["ss-pbi-anna", "ss-pbi-lukasz"], "the deleted purchase is not counted")
        #expect(powerBI.licences == 4)
        #expect(powerBI.assigned == 4)
        #expect(powerBI.buyers.map(\.displayName) == ["Anna Lis", "Łukasz Nowak"])
        // 3 × 60.50 monthly + 646.80 yearly / 12 = 181.50 + 53.90, exactly.
        #expect(powerBI.monthlySpend.sorted == [Money(Amount(exactly: "235.4")!, "PLN")])
        #expect(powerBI.yearlySpend.sorted == [Money(Amount(exactly: "2824.8")!, "PLN")])
    }

    @Test func totalsArePerCurrencyAndLeaveOutTrialsInactiveAndDeleted() {
        #expect(all.buyerCount == 4)
        #expect(all.productCount == 5)
        #expect(all.counted.count == 6)
        #expect(all.deleted == 1)
        #expect(all.licences == 10, "3 + 1 + 1 + 2 + 2 in the grace period + 1")
        #expect(all.assigned == 8)
        #expect(all.monthlySpend.sorted == [Money(8, "EUR"), Money(Amount(exactly: "235.4")!, "PLN")])
        #expect(all.yearlySpend.sorted == [Money(96, "EUR"), Money(Amount(exactly: "2824.8")!, "PLN")])
        #expect(all.unpriced == 1, "the Copilot purchase has no price")
    }

    @Test func trialVersusPaid() {
        #expect(all.trials == 1)
        #expect(all.paid == 5)
        let trial = all.purchases.first { $0.id == "ss-visio-trial" }!
        #expect(trial.isTrial)
        #expect(trial.monthlyCost == nil)
        #expect(trial.next == .ends(CivilDate(iso: "2026-12-02")!))
        #expect(!trial.isUnpriced, "a trial without a price is not a gap in the spend")
        // A trial with a price still costs nothing while it is a trial.
        var snapshot = SelfServiceFixture.snapshot
        let index = snapshot.subscriptions.firstIndex { $0.id == "ss-visio-trial" }!
        snapshot.subscriptions[index].unitPrice = 100
        snapshot.subscriptions[index].currencyCode = "PLN"
        snapshot.subscriptions[index].billingCycle = .monthly
        #expect(SelfServicePurchases(snapshot, asOf: SelfServiceFixture.asOf).monthlySpend == all.monthlySpend)
    }

    @Test func assignedUsersFollowTheSubscriptionIdRule() {
        func names(_ id: String) -> [String] { all.purchases.first { $0.id == id }!.assignedUsers.map(\.displayName) }
        // Michał holds two entries for one purchase: named once. Paweł's licence has no subscriptionId and
        // Power BI has several pools, so he is not attributed: one licence stays unnamed.
        #expect(names("ss-pbi-lukasz") == ["Łukasz Nowak", "Michał Jędrzejczak"])
        #expect(all.purchases.first { $0.id == "ss-pbi-lukasz" }!.unnamedAssigned == 1)
        // Anna's Teams licence has no subscriptionId, but Teams has one pool: attributed.
        #expect(names("ss-teams") == ["Anna Lis", "Eve | <script>alert(1)</script> *x* # [a](javascript:x)"])
        // Adam's Visio licence has no subscriptionId and Visio has two pools (trial + reseller): not attributed.
        #expect(names("ss-visio-trial") == ["Łukasz Nowak"])
        #expect(all.purchases.first { $0.id == "ss-project" }!.assignedUsers.map(\.accountEnabled) == [false])
    }

    @Test func nextDatesAreHonestAboutAutoRenew() {
        func next(_ id: String) -> SelfServicePurchases.NextEvent { all.purchases.first { $0.id == id }!.next }
        #expect(next("ss-pbi-lukasz") == .renews(CivilDate(iso: "2026-12-04")!))
        #expect(next("ss-copilot") == .ends(CivilDate(iso: "2026-11-20")!))
        #expect(next("ss-teams") == .unknownRenewal(CivilDate(iso: "2026-12-20")!))
        #expect(next("ss-project") == .nextState(CivilDate(iso: "2026-12-30")!))
        #expect(next("ss-pbi-old") == .notInSnapshot)
    }

    @Test func upcomingCountsTodayAndTheThirtiethDayButNotExpiredOnes() {
        #expect(all.upcoming.map(\.id) == ["ss-copilot", "ss-visio-trial", "ss-pbi-lukasz", "ss-teams"])
        #expect(all.upcoming.map(\.daysUntilNext) == [0, 12, 14, 30])
        #expect(all.endingSoon.map(\.id) == ["ss-copilot", "ss-visio-trial"])
        #expect(all.renewingSoon.map(\.id) == ["ss-pbi-lukasz"])
        let later = SelfServicePurchases(SelfServiceFixture.snapshot, asOf: CivilDate(iso: "2026-11-19")!)
        #expect(!later.upcoming.contains { $0.id == "ss-teams" }, "31 days ahead is not soon")
        let after = SelfServicePurchases(SelfServiceFixture.snapshot, asOf: CivilDate(iso: "2026-11-21")!)
        #expect(!after.upcoming.contains { $0.id == "ss-copilot" }, "a date that has passed is not upcoming")
    }

    @Test func totalPriceIsUnitPriceTimesLicencesForOneCycle() {
        let p = all.purchases.first { $0.id == "ss-pbi-lukasz" }!
        #expect(p.totalPrice == Money(Amount(exactly: "181.5")!, "PLN"))
        let expired = all.purchases.first { $0.id == "ss-project" }!
        #expect(expired.totalPrice == Money(2400, "PLN"), "licences in the grace period were bought too")
        #expect(expired.monthlyCost == nil, "an expired purchase is not spend")
    }

    @Test func theEmptyCase() {
        let none = SelfServicePurchases(SelfServiceFixture.emptySnapshot, asOf: SelfServiceFixture.asOf)
        #expect(none.isEmpty)
        #expect(none.byBuyer.isEmpty && none.byProduct.isEmpty && none.upcoming.isEmpty)
        #expect(none.monthlySpend.isEmpty)
        #expect(none.licences == 0 && none.buyerCount == 0)
    }

    @Test func theOrderOfTheFileDoesNotMatter() {
        var shuffled = SelfServiceFixture.snapshot
        shuffled.subscriptions.reverse()
        shuffled.users.reverse()
        let other = SelfServicePurchases(shuffled, asOf: SelfServiceFixture.asOf)
        #expect(other.purchases.map(\.id) == all.purchases.map(\.id))
        #expect(other.byProduct.map(\.skuId) == all.byProduct.map(\.skuId))
        #expect(other.purchases.map { $0.assignedUsers.map(\.id) } == all.purchases.map { $0.assignedUsers.map(\.id) })
    }

    @Test func theTenantSummaryCarriesTheSelfServiceSpend() {
        let summary = TenantSummary(SelfServiceFixture.snapshot, settings: BuildSettings(asOf: SelfServiceFixture.asOf))
        #expect(summary.selfServiceMonthlySpend == all.monthlySpend)
    }

    @Test(arguments: [
        (["Zenon", "Łukasz", "Lech", "Anna", "Ludwik", "ławka"], ["Anna", "Lech", "Ludwik", "ławka", "Łukasz", "Zenon"]),
        (["żaba", "zebra", "źrebię"], ["zebra", "źrebię", "żaba"]),
        (["Ćma", "Cyprian", "Dawid"], ["Cyprian", "Ćma", "Dawid"]),
        (["Kupujący 12", "Kupujący 2", "Kupujący 1", "Kupujący 02a", "Kupujący"], ["Kupujący", "Kupujący 1", "Kupujący 2", "Kupujący 02a", "Kupujący 12"]),
        (["Biuro 3", "Biuro A", "Biuro\u{00A0}10"], ["Biuro 3", "Biuro\u{00A0}10", "Biuro A"]),
    ])
    func namesSortTheWayAPolishReaderExpects(input: [String], expected: [String]) {
        #expect(input.sorted { NameOrder.precedes(($0, ""), ($1, "")) } == expected)
    }

    /// The first `NameOrder.key`: the whole name lower-cased with `lowercased()`, Polish letters looked up in a table.
    static func referenceKey(_ text: String) -> [UInt32] {
        let polish: [Unicode.Scalar: (Unicode.Scalar, UInt32)] = [
            "ą": ("a", 1), "ć": ("c", 1), "ę": ("e", 1), "ł": ("l", 1), "ń": ("n", 1),
            "ó": ("o", 1), "ś": ("s", 1), "ź": ("z", 1), "ż": ("z", 2),
        ]
        var out: [UInt32] = [], digits: [UInt32] = []
        func flushDigits() {
            guard !digits.isEmpty else { return }
            let significant = digits.drop { $0 == 0x30 }
            out.append(0x30 << 2)
            out.append(UInt32(significant.count))
            out.append(contentsOf: significant)
            digits.removeAll()
        }
        for scalar in text.lowercased().unicodeScalars {
            if scalar.value >= 0x30 && scalar.value <= 0x39 { digits.append(scalar.value); continue }
            flushDigits()
            if let (base, rank) = polish[scalar] { out.append(base.value << 2 | rank) }
            else if scalar == "\u{00A0}" || scalar == "\u{202F}" { out.append(0x20 << 2) }
            else { out.append(scalar.value << 2) }
        }
        flushDigits()
        return out
    }

    @Test func theSortKeyIsTheOneOfTheWholeLowerCasedName() {
        var samples = ["", "Zażółć GĘŚLĄ JAŹŃ", "ŻÓŁW Ćma Łódź", "İstanbul", "ΟΔΥΣΣΕΥΣ", "Straße ẞ", "ǅemal ǈubica", "Kupujący 007",
                       "Biuro\u{00A0}10\u{202F}B", "ﬃ ﬀ", "Ⅻ ⓐ", "emoji 👍🏽 🇵🇱", "a\u{0301}É"]
        var generator = SystemRandomNumberGenerator()
        let pools: [ClosedRange<UInt32>] = [0x20...0x7E, 0xC0...0x24F, 0x370...0x3FF, 0x400...0x4FF, 0x1E00...0x1EFF, 0x2160...0x2188,
                                            0x24B6...0x24E9, 0xFB00...0xFB06, 0x10400...0x1044F]
        for _ in 0..<300 {
            let scalars = (0..<Int.random(in: 0...24, using: &generator)).compactMap { _ -> Unicode.Scalar? in
                Unicode.Scalar(UInt32.random(in: pools.randomElement(using: &generator)!, using: &generator))
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            samples.append(text)
        }
        for text in samples { #expect(NameOrder.key(text) == Self.referenceKey(text), "\(text.debugDescription)") }
    }
}
