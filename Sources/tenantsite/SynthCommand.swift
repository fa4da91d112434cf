import ArgumentParser
import Foundation
import TenantSynth

/// `tenantsite synth`: a synthetic `content/` of any size, for benchmarks and scale tests.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write synthetic but realistic tenant snapshots (the same bytes for the same seed).",
        discussion: """
        Writes OUTPUT/tenants/<slug>.json for every tenant: Polish and foreign companies, users, subscriptions, \
        self-service purchases and invoices whose lines add up to the grosz. Every snapshot passes `tenantsite check`. \
        Build them with `tenantsite build --content OUTPUT`.
        """
    )

    @Option(help: "How many tenants.")
    var tenants: Int

    @Option(help: "How many invoices (incl. credit notes) each tenant has.")
    var invoicesPerTenant = 24

    @Option(help: "Seed of the random choices; the same seed gives the same files.")
    var seed: UInt64 = 1

    @Option(help: "The content folder to write (its tenants/ subfolder is created).")
    var output: String

    @Option(help: ArgumentHelp("Copy these help articles into OUTPUT/help (e.g. content/help).", valueName: "folder"))
    var helpFrom: String?

    @Option(help: ArgumentHelp("Write N monthly snapshots per tenant, OUTPUT/tenants/<slug>/<capture time>.json, with a month's drift between each (hires, leavers, purchases, prices at renewal, invoices paid late). See docs/history.md.", valueName: "N"))
    var history = 1

    @Flag(help: "Replace snapshots already in OUTPUT/tenants.")
    var force = false

    @Option(help: "Worker threads (default: all cores). The files are the same for any value.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard tenants >= 0 && tenants <= 10_000_000 else { throw ValidationError("--tenants must be from 0 to 10000000") }
        guard invoicesPerTenant >= 0 && invoicesPerTenant <= 100_000 else { throw ValidationError("--invoices-per-tenant must be from 0 to 100000") }
        guard history >= 1 && history <= 120 else { throw ValidationError("--history must be from 1 to 120") }
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be from 1 to 256") }
    }

    func run() throws {
        let progress = Progress.onTerminal()
        let report: SynthWriter.Report
        do {
            report = try SynthWriter.write(SynthSpec(tenants: tenants, invoicesPerTenant: invoicesPerTenant, seed: seed),
                                           content: output, force: force, history: history, jobs: jobs, progress: progress?.update)
            progress?.finish()
        } catch {
            progress?.finish()
            FileHandle.standardError.write(Data("tenantsite synth: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if let helpFrom {
            let target = output + "/help"
            do {
                if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
                try FileManager.default.copyItem(atPath: helpFrom, toPath: target)
            } catch {
                FileHandle.standardError.write(Data("tenantsite synth: cannot copy \(helpFrom) to \(target): \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        let mb = String(format: "%.1f", Double(report.bytes) / 1_048_576)
        print("tenantsite synth: \(report.tenants) tenants, \(report.invoices) invoices (\(mb) MB) → \(output)/tenants/")
    }
}
