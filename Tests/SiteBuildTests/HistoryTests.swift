import Foundation
import Testing
@testable import SiteBuild
import TenantModel
import TenantSynth

/// A tenant's history: the folder, its order and its errors, the changes between snapshots, the feeds.
@Suite struct HistoryTests {
    static let slug = "kwiaciarnia-lakowa"

    /// The demo's history folder of one tenant, copied into a content folder of its own (with the help center and KSeF).
    static func content(_ slug: String = slug, in root: URL) throws -> (content: URL, history: URL) {
        let content = root.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("tenants"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("content/help"), to: content.appendingPathComponent("help"))
        try copyDemoKSeF(to: content)
        let history = content.appendingPathComponent("tenants/\(slug)")
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("content/tenants/\(slug)"), to: history)
        return (content, history)
    }

    static func refusal(_ content: URL, _ output: URL) -> [Diagnostic] {
        do {
            _ = try buildSite(content: content, output: output)
            Issue.record("the build succeeded")
            return []
        } catch {
            guard case .invalidInput(let diagnostics) = error else { Issue.record("\(error)"); return [] }
            return diagnostics
        }
    }

    // MARK: The folder

    @Test func thePeekReadsWhatTheDecoderReads() throws {
        for slug in demoTenantSlugs(root: repoRoot) {
            let folder = repoRoot.appendingPathComponent("content/tenants/\(slug)")
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
                let snapshot = try SnapshotDecoder.decode(bytes, file: name, slug: slug, ksefFiles: demoKSeFFiles(slug)).get()
                #expect(SnapshotPeek(bytes) == SnapshotPeek(capturedDateTime: snapshot.capturedDateTime, tenantId: snapshot.tenant.id), "\(slug)/\(name)")
            }
        }
        // Members before them of every kind, strings with brackets and escaped quotes, nesting: skipped right.
        let tricky = #"{"a": [1, {"b": "}]\"{"}], "c": {"d": [[], {}]}, "tenant": {"x": "]", "id": "t-1"}, "capturedDateTime": "2026-01-02T03:04:05Z"}"#
        #expect(SnapshotPeek(Array(tricky.utf8)) == SnapshotPeek(capturedDateTime: Timestamp(rfc3339: "2026-01-02T03:04:05Z"), tenantId: "t-1"))
        // Cut short, not an object, an escaped value: nothing (the decoder says what is wrong).
        #expect(SnapshotPeek(Array(#"{"capturedDateTime": "2026-01-0"#.utf8)).capturedDateTime == nil)
        #expect(SnapshotPeek(Array("[1]".utf8)) == SnapshotPeek(capturedDateTime: nil, tenantId: nil))
        #expect(SnapshotPeek(Array(#"{"tenant": {"id": "a\"b"}}"#.utf8)).tenantId == nil)
    }

    @Test func snapshotsAreOrderedByCaptureTimeNotByName() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let (content, history) = try Self.content(in: root)
        try buildSite(content: content, output: root.appendingPathComponent("by-name"))
        // The oldest gets the name that sorts last, and so on.
        let names = try FileManager.default.contentsOfDirectory(atPath: history.path).sorted()
        for (i, name) in names.enumerated() {
            try FileManager.default.moveItem(at: history.appendingPathComponent(name), to: history.appendingPathComponent("snapshot-\(9 - i).json"))
        }
        try buildSite(content: content, output: root.appendingPathComponent("renamed"))
        let a = tree(root.appendingPathComponent("by-name")), b = tree(root.appendingPathComponent("renamed"))
        #expect(a.keys.sorted() == b.keys.sorted())
        for path in a.keys where !path.hasSuffix(".txt") { #expect(a[path] == b[path], "\(path)") }
    }

    @Test func aCopiedSnapshotAnotherTenantAFileBesideTheFolderAndAnEmptyFolderAreRefused() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let (content, history) = try Self.content(in: root)
        let output = root.appendingPathComponent("site")

        // The same capture time twice: both files named.
        let newest = history.appendingPathComponent("2026-11-20.json")
        let copy = history.appendingPathComponent("copy.json")
        try FileManager.default.copyItem(at: newest, to: copy)
        var problems = Self.refusal(content, output)
        #expect(problems.count == 1)
        #expect(problems.first.map { [$0.file, $0.message].joined().contains(newest.path) && [$0.file, $0.message].joined().contains(copy.path) } ?? false,
                "\(problems)")
        try FileManager.default.removeItem(at: copy)

        // Another tenant's snapshot in the folder.
        var other = try JSONSerialization.jsonObject(with: Data(contentsOf: history.appendingPathComponent("2026-07-10.json"))) as! [String: Any]
        var tenant = other["tenant"] as! [String: Any]
        tenant["id"] = "00000000-0000-4000-8000-000000000001"
        other["tenant"] = tenant
        other["capturedDateTime"] = "2026-07-11T07:30:00Z"
        let stranger = history.appendingPathComponent("stranger.json")
        try JSONSerialization.data(withJSONObject: other).write(to: stranger)
        problems = Self.refusal(content, output)
        #expect(problems.count == 1 && problems[0].file == stranger.path && problems[0].message.contains(newest.path), "\(problems)")
        try FileManager.default.removeItem(at: stranger)

        // A single file beside the history of the same slug.
        let single = content.appendingPathComponent("tenants/\(Self.slug).json")
        try FileManager.default.copyItem(at: newest, to: single)
        problems = Self.refusal(content, output)
        #expect(problems.count == 1 && problems[0].file == history.path && problems[0].message.contains(single.path), "\(problems)")
        try FileManager.default.removeItem(at: single)

        // A folder with no snapshot in it.
        let empty = content.appendingPathComponent("tenants/pusta-historia")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        problems = Self.refusal(content, output)
        #expect(problems.count == 1 && problems[0].file == empty.path, "\(problems)")
        try FileManager.default.removeItem(at: empty)

        // A broken old snapshot fails the build at its place, and nothing is written.
        let old = history.appendingPathComponent("2026-06-10.json")
        try String(decoding: try Data(contentsOf: old), as: UTF8.self)
            .replacingOccurrences(of: "\"accountEnabled\": true", with: "\"accountEnabled\": 1").write(to: old, atomically: true, encoding: .utf8)
        problems = Self.refusal(content, output)
        #expect(!problems.isEmpty && problems.allSatisfy { $0.file == old.path }, "\(problems.prefix(2))")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    // MARK: The changes

    static func plan(_ snapshot: Snapshot) -> TenantPlan { TenantPlan(snapshot, settings: BuildSettings()) }

    @Test func aSnapshotComparedWithItselfHasNoChanges() throws {
        for slug in demoTenantSlugs(root: repoRoot) {
            let plan = Self.plan(try demoSnapshot(slug))
            #expect(HistoryDiff.changes(from: plan, to: plan).isEmpty, "\(slug)")
        }
    }

    @Test func eachKindOfChangeIsFoundWithItsValues() throws {
        let before = try demoSnapshot(Self.slug)
        var after = before
        after.capturedDateTime = Timestamp(secondsSinceEpoch: before.capturedDateTime.secondsSinceEpoch + 30 * 86_400)
        // Business Basic (annual): price up, auto-renew off, two more licences.
        let basic = after.subscriptions.firstIndex { $0.id.hasPrefix("191a8c4b") }!
        after.subscriptions[basic].unitPrice = Amount(300)
        after.subscriptions[basic].autoRenewEnabled = false
        after.subscriptions[basic].prepaidUnits.enabled += 2
        // Power BI bought by someone on their own card disappears.
        let selfService = after.subscriptions.firstIndex { $0.id.hasPrefix("000cd825") }!
        let gone = after.subscriptions.remove(at: selfService)
        // Jerzy leaves; Barbara is blocked; Igor loses Visio.
        let jerzy = after.users.firstIndex { $0.displayName == "Jerzy Ślęzak" }!
        let left = after.users.remove(at: jerzy)
        let barbara = after.users.firstIndex { $0.displayName == "Barbara Kwiatkowska" }!
        after.users[barbara].accountEnabled = false
        let igor = after.users.firstIndex { $0.displayName == "Igor Wąsowicz" }!
        after.users[igor].licenseAssignmentStates.removeAll { $0.skuId.hasPrefix("c5928f49") }
        // The last invoice is paid.
        let last = after.invoices.count - 1
        after.invoices[last].paidAmount = after.invoices[last].totalCharges

        let changes = HistoryDiff.changes(from: Self.plan(before), to: Self.plan(after))
        func find(_ kind: Change.Kind, _ subject: Change.Subject) -> Change? { changes.first { $0.kind == kind && $0.subject == subject } }
        let basicId = after.subscriptions[basic].id
        #expect(find(.priceChanged, .subscription(basicId)).map { ($0.before, $0.after) } ?? (.none, .none)
                == (.money(Money(before.subscriptions[basic].unitPrice!, "PLN")), .money(Money(Amount(300), "PLN"))))
        #expect(find(.autoRenewChanged, .subscription(basicId)).map { ($0.before, $0.after) } ?? (.none, .none) == (.autoRenew(true), .autoRenew(false)))
        let licences = find(.licencesChanged, .product(after.subscriptions[basic].skuId))
        #expect(licences.map { ($0.before, $0.after) } ?? (.none, .none) == (.count(10), .count(12)))
        #expect(find(.selfServiceCancelled, .subscription(gone.id))?.before == .status(.active))
        #expect(find(.personLeft, .user(left.id))?.before == .products(["Microsoft 365 Business Premium"]))
        #expect(find(.personBlocked, .user(after.users[barbara].id)).map { ($0.before, $0.after) } ?? (.none, .none)
                == (.account(enabled: true), .account(enabled: false)))
        let lost = find(.licenceLost, .user(after.users[igor].id))
        #expect(lost?.product == "Visio Plan 2" && lost?.before == .licence(.active, nil))
        #expect(find(.invoicePaid, .invoice(after.invoices[last].id))?.after == .money(Money(.zero, after.invoices[last].currencyCode)))
        #expect(find(.monthlyCostChanged, .currency("PLN")) != nil)
        // Barbara blocked with licences: a new attention item about her.
        #expect(changes.contains { $0.kind == .attentionRaised && $0.subject == .user(after.users[barbara].id) && $0.after == .attention(.disabledUsersWithLicences) })
        // Nothing else: no change of a kind not made here.
        let kinds = Set(changes.map(\.kind))
        let made: Set<Change.Kind> = [.priceChanged, .autoRenewChanged, .licencesChanged, .assignmentsChanged, .selfServiceCancelled, .personLeft,
                                      .personBlocked, .licenceLost, .invoicePaid, .monthlyCostChanged, .attentionRaised, .attentionResolved, .invoiceOverdue]
        #expect(kinds.isSubset(of: made), "\(kinds.subtracting(made))")
    }

    // MARK: Feeds

    @Test func twoBuildsGiveTheSameFeedsWithStableUniqueIds() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let (content, _) = try Self.content(in: root)
        try buildSite(content: content, output: root.appendingPathComponent("a"), jobs: 1)
        try buildSite(content: content, output: root.appendingPathComponent("b"), jobs: 2)
        let a = tree(root.appendingPathComponent("a")), b = tree(root.appendingPathComponent("b"))
        let feeds = a.keys.filter { $0.hasSuffix(".atom") }.sorted()
        #expect(feeds == ["en/changes.atom", "en/tenants/\(Self.slug)/changes.atom", "pl/changes.atom", "pl/tenants/\(Self.slug)/changes.atom"])
        var ids = Set<String>()
        for feed in feeds {
            #expect(a[feed] == b[feed], "\(feed)")
            let text = String(decoding: a[feed]!, as: UTF8.self)
            let entryIds = text.components(separatedBy: "<entry>").dropFirst().map { $0.components(separatedBy: "<id>")[1].components(separatedBy: "</id>")[0] }
            if feed.contains("tenants") {
                #expect(entryIds.count == 5, "\(feed)")
                for id in entryIds { #expect(ids.insert(id).inserted, "\(id) in two feeds") }
            }
            #expect(!text.contains("T00:00:00Z</updated>"), "a feed time is a capture time")
        }
        // The tenant's pages point feed readers at its feed.
        let overview = String(decoding: a["pl/tenants/\(Self.slug)/index.html"]!, as: UTF8.self)
        #expect(overview.contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"changes.atom\""))
        let home = String(decoding: a["en/index.html"]!, as: UTF8.self)
        #expect(home.contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"changes.atom\""))
    }

    // MARK: Synth

    @Test func synthHistoriesDriftMonthByMonthAndEndWithTodaysSnapshot() throws {
        let spec = SynthSpec(tenants: 4, invoicesPerTenant: 12, seed: 7)
        var stepsWithChanges = 0, steps = 0
        for index in 0..<4 {
            let history = Synth.history(index, spec, count: 6)
            #expect(history.count == 6)
            #expect(SnapshotWriter.encode(history.last!) == SnapshotWriter.encode(Synth.snapshot(index, spec)))
            #expect(zip(history, history.dropFirst()).allSatisfy { $0.capturedDateTime < $1.capturedDateTime })
            #expect(history.map(SnapshotWriter.encode) == Synth.history(index, spec, count: 6).map(SnapshotWriter.encode), "the same seed, the same files")
            for snapshot in history {
                let bytes = SnapshotWriter.encode(snapshot)
                if case .failure(let invalid) = SnapshotDecoder.decode(bytes, file: snapshot.slug, slug: snapshot.slug) { Issue.record("\(invalid.diagnostics.prefix(3))") }
            }
            for (a, b) in zip(history, history.dropFirst()) {
                steps += 1
                if !HistoryDiff.changes(from: Self.plan(a), to: Self.plan(b)).isEmpty { stepsWithChanges += 1 }
            }
        }
        #expect(stepsWithChanges == steps, "every month brings at least a new invoice")
    }

    // MARK: import --history

    @Test func importWithHistoryAddsASnapshotAndMovesTheSingleFileIn() throws {
        let binary = try tenantsiteBinary()
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let tenants = root.appendingPathComponent("content/tenants")
        try FileManager.default.createDirectory(at: tenants, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("content/help"), to: root.appendingPathComponent("content/help"))
        let fixtures = repoRoot.appendingPathComponent("Tests/TenantFetchTests/Fixtures/tenant")
        let files = ["directory-subscriptions.json", "organization.json", "subscribedSkus.json", "users.json"].map { fixtures.appendingPathComponent($0).path }
        func importing(_ extra: [String]) throws -> RunResult {
            try runTenantsite(binary, ["import", "--channel", "direct", "--output", tenants.appendingPathComponent("kreska.json").path] + extra + files)
        }
        #expect(try importing(["--captured", "2026-10-01T08:00:00Z"]).status == 0)
        let first = try Data(contentsOf: tenants.appendingPathComponent("kreska.json"))

        let added = try importing(["--history", "--captured", "2026-11-01T08:00:00Z"])
        #expect(added.status == 0, "\(added.stderr)")
        let history = tenants.appendingPathComponent("kreska")
        #expect(try FileManager.default.contentsOfDirectory(atPath: history.path).sorted() == ["2026-10-01T08-00-00Z.json", "2026-11-01T08-00-00Z.json"])
        #expect(!FileManager.default.fileExists(atPath: tenants.appendingPathComponent("kreska.json").path))
        #expect(try Data(contentsOf: history.appendingPathComponent("2026-10-01T08-00-00Z.json")) == first, "moved, not rewritten")
        #expect(added.stderr.contains("moved \(tenants.appendingPathComponent("kreska.json").path) into the history"))

        // The same capture again: nothing changes. Other contents at the same time: refused, naming both.
        let before = tree(history)
        #expect(try importing(["--history", "--captured", "2026-11-01T08:00:00Z"]).status == 0)
        #expect(tree(history) == before)
        let clash = try importing(["--history", "--captured", "2026-11-01T08:00:00Z", "--name", "Kreska (renamed)"])
        #expect(clash.status == 1 && clash.stderr.contains(history.appendingPathComponent("2026-11-01T08-00-00Z.json").path), "\(clash.stderr)")
        #expect(tree(history) == before)

        // A history folder as --output, and the build shows one step of changes.
        let third = try runTenantsite(binary, ["import", "--channel", "direct", "--history", "--captured", "2026-12-01T08:00:00Z", "--name", "Kreska (renamed)",
                                               "--output", history.path] + files)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: history.path).count == 3)
        let site = root.appendingPathComponent("site")
        try buildSite(content: root.appendingPathComponent("content"), output: site)
        let page = String(decoding: try Data(contentsOf: site.appendingPathComponent("en/tenants/kreska/changes.html")), as: UTF8.self)
        #expect(page.contains("3 snapshots from 1 October 2026 to 1 December 2026"))
        // The same responses each time: only time passing changes anything (a person idle 30 days becomes idle 90).
        #expect(page.contains("1 November 2026 (since 1 October 2026)"))
        for kind in ["New person", "Person gone", "Usable licences", "New subscription", "Licence given"] { #expect(!page.contains(kind), "\(kind)") }
    }
}
