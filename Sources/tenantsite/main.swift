import ArgumentParser
import CMimalloc
import Foundation
import SiteBuild
import TenantModel

// No `@main` here: in a file named main.swift it stops compiling once the target has a second file
// (ImportCommand.swift); the root command is run from top-level code at the end of this file instead.
struct Tenantsite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenantsite",
        abstract: "Renders Microsoft 365 tenant snapshots into a static, bilingual website.",
        discussion: """
        Exit codes: 0 success; 1 invalid input (every problem printed as FILE: LOCATION: MESSAGE); \
        64 bad command-line usage. A failed build leaves the previous output exactly as it was.
        """,
        subcommands: [BuildCommand.self, CheckCommand.self, ServeCommand.self, ImportCommand.self, FetchCommand.self, SynthCommand.self, SitemapCommand.self],
        defaultSubcommand: BuildCommand.self
    )
}

/// Options shared by `build` and `check`.
struct SiteOptions: ParsableArguments {
    @Option(help: "Folder with tenants/ (snapshots) and help/ (articles).")
    var content = "content"

    @Option(help: "Folder with layout.html, pages/, strings/ and assets/.")
    var templates = "templates"

    @Option(help: "Languages to build: all, pl or en.")
    var lang = "all"

    @Option(help: ArgumentHelp("The 'today' of relative ranges (YYYY-MM-DD); default: each snapshot's capture date.", valueName: "date"))
    var asOf: String?

    @Option(help: ArgumentHelp("Start of a custom invoice range (YYYY-MM-DD, inclusive); pair with --to. May be repeated.", valueName: "date"))
    var from: [String] = []

    @Option(help: ArgumentHelp("End of a custom invoice range (YYYY-MM-DD, inclusive).", valueName: "date"))
    var to: [String] = []

    @Option(help: "Absolute URL the site will be published at; only used for sitemap.xml.")
    var baseURL: String?

    @Option(name: .customLong("ksef-env"), help: ArgumentHelp("The KSeF environment the invoices' verification codes (KOD I) link to: prod, demo or test.", valueName: "env"))
    var ksefEnvironment: String = "prod"

    @Option(help: "Worker threads for rendering (default: all cores). Output is the same for any value.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print time per phase and per template.")
    var timings = false

    func validate() throws {
        guard ["all", "pl", "en"].contains(lang) else { throw ValidationError("--lang must be all, pl or en") }
        if KSeFCode.Environment(rawValue: ksefEnvironment) == nil { throw ValidationError("--ksef-env must be prod, demo or test") }
        if let asOf, CivilDate(iso: asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, got '\(asOf)'") }
        guard from.count == to.count else { throw ValidationError("--from and --to come in pairs: got \(from.count) --from and \(to.count) --to") }
        for (f, t) in zip(from, to) {
            guard let start = CivilDate(iso: f), let end = CivilDate(iso: t) else { throw ValidationError("--from/--to must be dates YYYY-MM-DD, got '\(f)' and '\(t)'") }
            guard start <= end else { throw ValidationError("--from \(f) is after --to \(t)") }
        }
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be from 1 to 256") }
        if let baseURL, !(baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://")) {
            throw ValidationError("--base-url must start with https:// or http://")
        }
    }

    var settings: BuildSettings {
        let languages = lang == "all" ? Language.allCases : [Language(rawValue: lang)!]
        let ranges = zip(from, to).map { CivilDate(iso: $0.0)!...CivilDate(iso: $0.1)! }
        return BuildSettings(asOf: asOf.flatMap(CivilDate.init(iso:)), customRanges: ranges, languages: languages, baseURL: baseURL,
                             ksefEnvironment: KSeFCode.Environment(rawValue: ksefEnvironment) ?? .prod)
    }
}

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Validate the content and write the whole site.")

    @OptionGroup var site: SiteOptions

    @Option(help: "Folder the site is written to (swapped in only when complete).")
    var output = "output"

    @Flag(help: "Make every tenant's pages anew, even those whose files did not change since the last build (files whose bytes did not change are still left as they are).")
    var full = false

    @Option(help: ArgumentHelp("Build only share I of N (1 ≤ I ≤ N) of the tenants, plus the site-wide pages; copy the N outputs together for the whole site (docs/scaling.md).", valueName: "I/N"))
    var shard: String?

    func validate() throws {
        if let shard, Shard(shard) == nil { throw ValidationError("--shard must be I/N with 1 ≤ I ≤ N, got '\(shard)'") }
    }

    func run() throws {
        let shard = self.shard.flatMap(Shard.init)
        var options = BuildOptions(content: site.content, templates: site.templates, output: output, settings: site.settings, jobs: site.jobs,
                                   shard: shard)
        options.reuse = !full
        if shard != nil, site.baseURL != nil {
            FileHandle.standardError.write(Data("tenantsite: a shard does not write sitemap.xml; run `tenantsite sitemap --site DIR --base-url URL` on the merged site\n".utf8))
        }
        let report = try runBuild(options, timings: site.timings)
        let kb = groupedKilobytes(report.bytes)
        let share = shard.map { " (shard \($0): pages of \(report.renderedTenants))" } ?? ""
        let reuse = report.reusedTenants > 0 || report.filesWritten < report.pages
            ? "; \(report.reusedTenants) unchanged tenant\(report.reusedTenants == 1 ? "" : "s") reused, \(report.filesWritten) file\(report.filesWritten == 1 ? "" : "s") written" : ""
        print("tenantsite: \(report.pages) files (\(kb) KB) for \(report.tenants) tenants\(share)\(reuse) in \(String(format: "%.2f", report.wallSeconds)) s → \(output)/")
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate everything build validates; write nothing.")

    @OptionGroup var site: SiteOptions

    func run() throws {
        let options = BuildOptions(content: site.content, templates: site.templates, output: "/nonexistent", settings: site.settings,
                                   jobs: site.jobs, dryRun: true)
        let report = try runBuild(options, timings: site.timings)
        print("tenantsite: no problems in \(report.tenants) tenants, \(report.pages) pages checked")
    }
}

/// Runs a build, printing problems as `FILE: LOCATION: MESSAGE` and exiting 1 on invalid input.
func runBuild(_ options: BuildOptions, timings: Bool) throws -> BuildReport {
    let progress = Progress.onTerminal()
    do {
        let report = try SiteBuilder.build(options, progress: progress?.update, notice: { FileHandle.standardError.write(Data("tenantsite: \($0)\n".utf8)) })
        progress?.finish()
        if timings { printTimings(report) }
        return report
    } catch {
        progress?.finish()
        switch error {
        case .invalidInput(let diagnostics):
            var text = Diagnostic.printout(diagnostics)
            text += "tenantsite: \(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s"); \(options.dryRun ? "nothing was written" : "the previous output is unchanged")\n"
            FileHandle.standardError.write(Data(text.utf8))
        case .io(let message):
            FileHandle.standardError.write(Data("tenantsite: \(message); the previous output is unchanged\n".utf8))
        }
        throw ExitCode(1)
    }
}

func printTimings(_ report: BuildReport) {
    var lines = ["phase        seconds (summed over threads)"]
    for phase in report.phases { lines.append(phase.name.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: " %8.3f", phase.seconds)) }
    lines.append("wall         " + String(format: "%8.3f", report.wallSeconds))
    if !report.templates.isEmpty {
        lines.append("template                      seconds  markdown parses")
        for t in report.templates {
            lines.append(t.name.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " %8.3f  %d", t.seconds, t.parses))
        }
    }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
}

/// A one-line progress display on a terminal; silent when standard error is not one, and for builds that
/// take less than a moment (it appears after half a second and redraws at most ten times a second).
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private let started = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?
    private var shown = false

    static func onTerminal() -> Progress? { isatty(2) == 1 ? Progress() : nil }

    func update(_ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = ContinuousClock.now
        guard now - started >= .milliseconds(500) else { return }
        if let lastDrawn, now - lastDrawn < .milliseconds(100), done < total { return }
        lastDrawn = now
        shown = true
        let percent = total == 0 ? 100 : done * 100 / total
        FileHandle.standardError.write(Data("\rtenantsite: \(done)/\(total) tenants (\(percent)%)".utf8))
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// ArgumentParser's async entry point. Called from top-level code, `Tenantsite.main()` resolves to the synchronous
/// overload (which refuses an async command), so it is reached through an async function of the protocol instead.
extension AsyncParsableCommand {
    static func runAsyncRoot() async {
        let entry: ([String]?) async -> Void = main
        await entry(nil)
    }
}

// mimalloc is linked for its malloc, which replaces glibc's for the whole process (Package.swift says why). Naming
// one of its functions keeps the linker from dropping a library nothing else calls by name.
_ = mi_version()
await Tenantsite.runAsyncRoot()

/// `608,983`: bytes as whole kilobytes (half to even) grouped by threes, as the summary line has always printed them. Not
/// through Foundation's formatter: it loads ICU's locale data, a few milliseconds of every build's (and refresh's) end.
func groupedKilobytes(_ bytes: Int) -> String {
    var kilobytes = bytes / 1024
    let rest = bytes % 1024
    if rest > 512 || (rest == 512 && kilobytes % 2 == 1) { kilobytes += 1 }
    let digits = Array(String(kilobytes))
    var out = ""
    for (i, digit) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return out
}
