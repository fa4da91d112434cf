import Foundation
import Testing
@testable import SiteBuild
import TenantModel
import TenantSynth

/// `tenantsite synth`: repeatable, independent per tenant, and every snapshot passes the checks of `build`.
@Suite struct SynthTests {
    @Test func theSameSeedGivesTheSameBytes() {
        let spec = SynthSpec(tenants: 5, invoicesPerTenant: 12, seed: 42)
        for i in 0..<5 {
            #expect(SnapshotWriter.encode(Synth.snapshot(i, spec)) == SnapshotWriter.encode(Synth.snapshot(i, spec)))
        }
        let other = SynthSpec(tenants: 5, invoicesPerTenant: 12, seed: 43)
        #expect(SnapshotWriter.encode(Synth.snapshot(0, spec)) != SnapshotWriter.encode(Synth.snapshot(0, other)))
    }

    @Test func aTenantDoesNotDependOnHowManyAreMade() {
        let small = SynthSpec(tenants: 3, invoicesPerTenant: 10, seed: 9)
        let large = SynthSpec(tenants: 3000, invoicesPerTenant: 10, seed: 9)
        #expect(SnapshotWriter.encode(Synth.snapshot(2, small)) == SnapshotWriter.encode(Synth.snapshot(2, large)))
    }

    @Test func everySnapshotPassesTheChecksOfBuild() throws {
        let spec = SynthSpec(tenants: 60, invoicesPerTenant: 40, seed: 2026)
        var slugs = Set<String>()
        var channels = Set<String>()
        var documentTypes = Set<String>()
        var selfService = 0
        for i in 0..<spec.tenants {
            let snapshot = Synth.snapshot(i, spec)
            #expect(slugs.insert(snapshot.slug).inserted, "slug \(snapshot.slug) twice")
            let bytes = SnapshotWriter.encode(snapshot)
            switch SnapshotDecoder.decode(bytes, file: snapshot.slug + ".json", slug: snapshot.slug) {
            case .failure(let invalid):
                Issue.record("\(snapshot.slug): \(invalid.diagnostics.prefix(5))")
            case .success(let decoded):
                #expect(decoded.invoices.count == spec.invoicesPerTenant)
                for invoice in decoded.invoices {
                    #expect((3...12).contains(invoice.lines.count), "\(invoice.id) has \(invoice.lines.count) lines")
                }
                if let nip = decoded.tenant.nip { #expect(NIP.isValid(nip)) }
            }
            channels.insert(snapshot.tenant.management.channel.rawValue)
            for invoice in snapshot.invoices { documentTypes.insert(invoice.documentType.rawValue) }
            selfService += snapshot.subscriptions.filter { $0.purchaseChannel == .selfService }.count
        }
        #expect(channels == ["home.pl", "az.pl", "partner", "direct"])
        #expect(documentTypes == ["invoice", "creditNote"])
        #expect(selfService > 0)
    }

    @Test func writtenContentBuildsWithTheSameFilesWhateverTheJobs() throws {
        let root = try temporaryFolder()
        defer { cleanUp(root) }
        let spec = SynthSpec(tenants: 6, invoicesPerTenant: 5, seed: 3)
        let a = root.appendingPathComponent("a"), b = root.appendingPathComponent("b")
        let report = try SynthWriter.write(spec, content: a.path, jobs: 1)
        try SynthWriter.write(spec, content: b.path, jobs: 4)
        #expect(report.tenants == 6 && report.invoices == 30)
        #expect(tree(a) == tree(b))
        #expect(throws: SynthWriter.Failure.self) { try SynthWriter.write(spec, content: a.path) }
        try SynthWriter.write(spec, content: a.path, force: true)
        try buildSite(content: a, output: root.appendingPathComponent("site"))
    }
}
