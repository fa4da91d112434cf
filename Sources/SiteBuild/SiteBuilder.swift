import Dispatch
import Foundation
import Synchronization
import SiteRender
import TenantModel

/// A kind of page made for every tenant in every language (overview, subscriptions, invoices…).
public protocol TenantPageKind: Sendable {
    /// The templates (`templates/pages/<name>.md`) this kind needs; checked before anything is rendered.
    var templateNames: [String] { get }
    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws
}

/// A page made once per language or once per site, from what all tenants contributed.
public protocol SitePageKind: Sendable {
    var templateNames: [String] { get }
    func render(_ site: SiteContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws
}

/// What site-wide pages know: every tenant's summary, the help center, the settings.
public struct SiteContext: Sendable {
    public let summaries: [TenantSummary]
    public let languages: [LanguageContext]
    public let settings: BuildSettings
    public let help: HelpCenter
    /// What more than one site-wide kind works out from the summaries, worked out once (the partner calendar's page
    /// and its `.ics` list the same events).
    let shared = Shared()

    public init(summaries: [TenantSummary], languages: [LanguageContext], settings: BuildSettings, help: HelpCenter) {
        self.summaries = summaries
        self.languages = languages
        self.settings = settings
        self.help = help
    }

    final class Shared: Sendable {
        let calendar = Mutex<(all: [(event: CalendarEvent, tenant: Int)], asOf: CivilDate)?>(nil)
    }
}

public struct BuildOptions: Sendable {
    public var content: String
    public var templates: String
    public var output: String
    public var settings: BuildSettings
    public var jobs: Int
    /// `check`: validate and render everything, write nothing.
    public var dryRun: Bool
    /// Build only this share of the tenants' pages (plus the site-wide pages); nil: all of them.
    public var shard: Shard?
    /// Reuse the pages of tenants whose files did not change since the served site (`build --full`: false).
    public var reuse = true

    public init(content: String = "content", templates: String = "templates", output: String = "output",
                settings: BuildSettings = BuildSettings(), jobs: Int = ProcessInfo.processInfo.activeProcessorCount, dryRun: Bool = false,
                shard: Shard? = nil) {
        self.shard = shard
        self.content = content
        self.templates = templates
        self.output = output
        self.settings = settings
        self.jobs = max(1, jobs)
        self.dryRun = dryRun
    }
}

public struct BuildReport: Sendable {
    public var tenants = 0
    /// Tenants whose pages this build rendered (all of them, or the shard's share).
    public var renderedTenants = 0
    public var pages = 0
    public var bytes = 0
    /// Seconds spent in each phase, added up over all threads.
    public var phases: [(name: String, seconds: Double)] = []
    public var wallSeconds = 0.0
    /// Seconds spent per page template (added up over all threads) and its distinct Markdown parses.
    public var templates: [(name: String, seconds: Double, parses: Int)] = []
    /// Tenants whose inputs had not changed since the served site: their pages were reused, not made again.
    public var reusedTenants = 0
    /// Files written anew (the rest of the site's files were already in place, or linked from the served site).
    public var filesWritten = 0
}

public enum BuildFailure: Error, Sendable {
    case invalidInput([Diagnostic])
    case io(String)
}

public enum SiteBuilder {
    /// The page kinds of the site, in the order they are rendered.
    public static let tenantPageKinds: [any TenantPageKind] = [
        TenantOverviewPages(),
        SubscriptionPages(),
        InvoiceListPages(),
        InvoiceDocumentPages(),
        SelfServicePages(),
        ChangesPages(),
        PeoplePages(),
        CalendarPages(),
        TenantSearchPages(),
    ]
    /// The site-wide kinds, the most work first: workers take them in this order as they come free. (For a thousand
    /// tenants: the partner home about 20 ms, the calendar page 20 ms, its `.ics` 18 ms, the rest little.)
    public static let sitePageKinds: [any SitePageKind] = [
        PartnerHomePages(),
        PartnerCalendar(),
        PartnerCalendarFile(),
        PartnerFeed(),
        HelpPages(),
        LanguageChoicePage(),
    ]

    public static func build(_ options: BuildOptions, progress: (@Sendable (Int, Int) -> Void)? = nil,
                             notice: @escaping @Sendable (String) -> Void = { _ in }) throws(BuildFailure) -> BuildReport {
        let clock = ContinuousClock()
        let started = clock.now
        let timer = PhaseTimer()
        var report = BuildReport()

        let pages = Mutex<(count: Int, bytes: Int)>((0, 0))
        // Every HTML page written, for sitemap.xml (kept only when there will be one).
        let htmlPages = Mutex<[SitePath]>([])
        // A shard does not see every page, so it leaves sitemap.xml to `tenantsite sitemap` on the merged site.
        let collectPages = options.settings.baseURL != nil && options.shard == nil
        let reused = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let failed = Atomic<Bool>(false)
        let results = Mutex<[Int: TenantOutcome]>([:])

        // The output first: its lock, and putting back a site an interrupted build left aside, come before anything
        // can fail, so that a failing build never leaves the output missing. Then, on that worker, the tenants the
        // served site has unchanged are taken over (`reuseTenant`: their summaries read, their files kept), while the
        // other worker reads the templates and the help center, and joins it when done: a refresh of a thousand
        // tenants is mostly that, and neither needs the other.
        let requiredTemplates = Set(tenantPageKinds.flatMap(\.templateNames) + sitePageKinds.flatMap(\.templateNames)).sorted()
        let opened = Mutex<Result<OutputWriter?, BuildFailure>>(.success(nil))
        let listed = Mutex<Result<[TenantFile], InvalidInput>>(.success([]))
        let loaded = Mutex<Result<(TemplateSet, HelpCenter), InvalidInput>?>(nil)
        /// Set by the first worker once the writer, the tenant list and the keys are ready (or could not be).
        struct Reuse: Sendable {
            var writer: OutputWriter?
            var tenantFiles: [TenantFile] = []
            var siteKey = ""
        }
        // Each tenant's key (`tenantKey`), made by whichever worker first looks at the tenant.
        let tenantKeys = Mutex<[Int: String]>([:])
        let ready = Mutex<Reuse?>(nil)
        let readySignal = DispatchSemaphore(value: 0)
        let nextReuse = Atomic<Int>(0)
        // Whether a tenant was taken over whole (its outcome is in `results`).
        let takenOver = Mutex<Set<Int>>([])
        @Sendable func reuseTenants(_ state: Reuse) {
            let reusable = options.reuse ? state.writer?.live.flatMap { $0.key == state.siteKey ? $0 : nil } : nil
            guard let reusable else { return }
            let reusableTenants = reusable.tenantsBySlug
            while true {
                let index = nextReuse.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < state.tenantFiles.count else { break }
                let file = state.tenantFiles[index]
                let key = Self.tenantKey(file, siteKey: state.siteKey)
                tenantKeys.withLock { $0[index] = key }
                guard let kept = Self.reuseTenant(reusableTenants[file.slug], key: key, from: reusable, writer: state.writer,
                                                  wantPaths: collectPages, placed: { count, bytes, paths in
                    pages.withLock { $0.count += count; $0.bytes += bytes }
                    if collectPages {
                        let html = paths.filter { $0.hasSuffix(".html") }.map { SitePath($0.split(separator: "/").map(String.init)) }
                        htmlPages.withLock { $0 += html }
                    }
                }) else { continue }
                if case .writeFailed = kept { failed.store(true, ordering: .relaxed) } else { reused.wrappingAdd(1, ordering: .relaxed) }
                results.withLock { $0[index] = kept }
                takenOver.withLock { _ = $0.insert(index) }
                let finished = done.wrappingAdd(1, ordering: .relaxed).oldValue + 1
                progress?(finished, state.tenantFiles.count)
            }
        }
        DispatchQueue.concurrentPerform(iterations: 2) { job in
            if job == 0 {
                var state = Reuse()
                // The other worker waits for this once its own reading is done; it is told even when this fails.
                var signaled = false
                defer { if !signaled { readySignal.signal() } }
                if !options.dryRun {
                    do {
                        state.writer = try OutputWriter(output: URL(fileURLWithPath: options.output), waitMessage: notice)
                        opened.withLock { $0 = .success(state.writer) }
                    } catch {
                        opened.withLock { $0 = .failure(.io("\(error)")) }
                        return
                    }
                }
                let files = timer.measure("load") { TenantFile.list(folder: options.content + "/tenants") }
                listed.withLock { $0 = files }
                guard case .success(let tenantFiles) = files else { return }
                // What an earlier build made and this one may reuse: the served site's tenants whose input files, and
                // everything else a tenant's pages are made from (`siteKey`), are unchanged.
                state.tenantFiles = tenantFiles
                state.siteKey = timer.measure("load") { Self.siteKey(options, helpFolder: options.content + "/help") }
                ready.withLock { $0 = state }
                readySignal.signal()
                signaled = true
                reuseTenants(state)
            } else {
                let result = timer.measure("load") { () -> Result<(TemplateSet, HelpCenter), InvalidInput> in
                    TemplateSet.load(folder: options.templates, requiredPages: requiredTemplates).flatMap { templates in
                        HelpCenter.load(folder: options.content + "/help").map { (templates, $0) }
                    }
                }
                loaded.withLock { $0 = result }
                guard case .success = result else { return }
                readySignal.wait()
                if let state = ready.withLock({ $0 }) { reuseTenants(state) }
            }
        }
        let writer = try opened.withLock { $0 }.get()
        let templates: TemplateSet, help: HelpCenter
        switch loaded.withLock({ $0 })! {
        case .success(let all): (templates, help) = all
        case .failure(let invalid): throw .invalidInput(invalid.diagnostics)
        }
        let tenantFiles: [TenantFile]
        switch listed.withLock({ $0 }) {
        case .success(let files): tenantFiles = files
        case .failure(let invalid): throw .invalidInput(invalid.diagnostics)
        }
        let siteKey = ready.withLock { $0?.siteKey } ?? ""
        let keysMade = tenantKeys.withLock { $0 }
        let skip = takenOver.withLock { $0 }

        let languages = options.settings.languages.map { LanguageContext(language: $0, strings: templates.strings[$0]!) }
        let renderer = PageRenderer(templates: templates, timer: timer)
        let helpLinks = help.links

        // Returns the path as text (`a/b/c.html`), which the tenants' records keep.
        let emitPath: @Sendable (SitePath, [UInt8]) throws -> String = { path, bytes in
            let key = path.description
            try timer.measure("write") { _ = try writer?.write(path, key: key, bytes) }
            pages.withLock { $0.count += 1; $0.bytes += bytes.count }
            if collectPages, path.components.last?.hasSuffix(".html") == true { htmlPages.withLock { $0.append(path) } }
            return key
        }
        let emit: @Sendable (SitePath, [UInt8]) throws -> Void = { path, bytes in _ = try emitPath(path, bytes) }

        // The other tenants, in parallel: each worker takes the next tenant, validates it and, while no tenant has
        // failed, renders and writes its pages. Only small summaries are kept, so memory does not grow with the site.
        let total = tenantFiles.count
        let remaining = (0..<total).filter { !skip.contains($0) }
        let next = Atomic<Int>(0)
        let workers = min(options.jobs, max(1, remaining.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let taken = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard taken < remaining.count else { break }
                let index = remaining[taken]
                let ours = options.shard?.owns(position: index) ?? true
                let file = tenantFiles[index]
                let key = keysMade[index] ?? Self.tenantKey(file, siteKey: siteKey)
                // The tenant's files, as this build writes them, for the manifest.
                let paths = Mutex<[String]>([])
                var outcome = processTenant(file, languages: languages, settings: options.settings, helpLinks: helpLinks,
                                            renderer: renderer, timer: timer, skipRendering: !ours || failed.load(ordering: .relaxed),
                                            emit: { path, bytes in
                                                let key = try emitPath(path, bytes)
                                                paths.withLock { $0.append(key) }
                                            })
                if case .rendered(let summary, _) = outcome {
                    outcome = .rendered(summary, BuildManifest.Tenant(slug: file.slug, key: key, summary: Self.summaryJSON(summary),
                                                                      paths: paths.withLock { $0 }))
                }
                switch outcome {
                case .failed, .writeFailed: failed.store(true, ordering: .relaxed)
                case .rendered(let summary, var record?) where !record.complete:
                    // Its manifest record, here rather than in the serial commit.
                    writer?.finish(&record)
                    outcome = .rendered(summary, record)
                case .rendered: break
                }
                results.withLock { $0[index] = outcome }
                let finished = done.wrappingAdd(1, ordering: .relaxed).oldValue + 1
                progress?(finished, total)
            }
        }

        var diagnostics: [Diagnostic] = []
        var summaries: [TenantSummary] = []
        let outcomes = results.withLock { $0 }
        for index in 0..<total {
            switch outcomes[index]! {
            case .failed(let problems): diagnostics += problems
            case .writeFailed(let message): throw .io(message)
            case .rendered(let summary, _): summaries.append(summary)
            }
        }
        if !diagnostics.isEmpty { throw .invalidInput(diagnostics) }

        // Site-wide pages and assets.
        let site = SiteContext(summaries: summaries, languages: languages, settings: options.settings, help: help)
        do {
            // The site-wide kinds side by side (the partner calendar of a thousand tenants is as much work as all the
            // others); each writes its own files. The first failure in the kinds' order is the one reported.
            let failures = Mutex<[Int: any Error]>([:])
            let kinds = sitePageKinds
            let nextKind = Atomic<Int>(0)
            timer.measure("render") {
                DispatchQueue.concurrentPerform(iterations: min(options.jobs, kinds.count)) { _ in
                    while true {
                        let index = nextKind.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard index < kinds.count else { break }
                        do { try kinds[index].render(site, with: renderer, emit: emit) } catch { failures.withLock { $0[index] = error } }
                    }
                }
            }
            if let first = failures.withLock({ $0.min { $0.key < $1.key }?.value }) { throw first }
            for asset in templates.assets { try emit(SitePath("assets", asset.name), asset.bytes) }
            if let baseURL = options.settings.baseURL, collectPages {
                for file in Sitemap.files(baseURL: baseURL, pages: htmlPages.withLock { $0 }) { try emit(file.path, file.bytes) }
            }
        } catch let error as TemplateError {
            throw .invalidInput([error.diagnostic])
        } catch {
            throw .io("\(error)")
        }

        let missing = languages.flatMap { lang in
            lang.strings.missingKeys.map { Diagnostic(file: lang.strings.file, location: .key($0), message: "the key is used by the site but missing here") }
        }
        if !missing.isEmpty { throw .invalidInput(missing) }

        do {
            let tenantRecords = (0..<total).compactMap { index -> BuildManifest.Tenant? in
                if case .rendered(_, let record) = outcomes[index]! { return record }
                return nil
            }
            try timer.measure("swap") { try writer?.commit(key: siteKey, tenants: tenantRecords) }
        } catch {
            throw .io("cannot put the new site in place: \(error)")
        }

        report.tenants = total
        report.renderedTenants = options.shard.map { shard in (0..<total).filter(shard.owns(position:)).count } ?? total
        (report.pages, report.bytes) = pages.withLock { ($0.count, $0.bytes) }
        report.phases = timer.totals
        report.templates = timer.templateTotals.map { entry in
            (entry.name, entry.seconds, templates.pages[entry.name]?.compiledVariants ?? 0)
        }
        report.reusedTenants = reused.load(ordering: .relaxed)
        report.filesWritten = writer?.filesWritten ?? report.pages
        report.wallSeconds = (clock.now - started).seconds
        return report
    }

    enum TenantOutcome: Sendable {
        case failed([Diagnostic])
        case writeFailed(String)
        /// Its summary and, for the manifest, its record (made by the build's loop for a rendered tenant).
        case rendered(TenantSummary, BuildManifest.Tenant?)
    }

    // MARK: Reusing what an earlier build made

    /// The key of everything a tenant's pages are made from besides its own files: this program, the build's
    /// settings, the templates (strings and assets included) and the help center (pages link to its articles).
    /// Files by content; the program by its file's identity (its size, modification time and inode).
    static func siteKey(_ options: BuildOptions, helpFolder: String) -> String {
        var key = BuildManifest.Key()
        key.add("tenantsite site key 1")
        var program = stat()
        if stat("/proc/self/exe", &program) == 0 {
            key.add("\(program.st_size) \(program.st_mtim.tv_sec).\(program.st_mtim.tv_nsec) \(program.st_ino) \(program.st_dev)")
        } else {
            key.add(UUID().uuidString)  // no identity for the program: nothing is reused across runs
        }
        let s = options.settings
        key.add("asOf \(s.asOf?.description ?? "-") ranges \(s.customRanges.map { "\($0.lowerBound)..\($0.upperBound)" }) "
                + "languages \(s.languages.map(\.rawValue)) base \(s.baseURL ?? "-") ksef \(s.ksefEnvironment) shard \(options.shard.map { "\($0)" } ?? "-")")
        for folder in [options.templates, helpFolder] {
            key.add("folder " + folder)
            FolderWalk.walk(folder) { (relative: String, isFolder: Bool) -> Bool in
                if isFolder { return true }
                key.add(relative)
                key.add((try? InputFile.read(folder + "/" + relative, limit: 64 << 20)) ?? [0xFF, 0xFE])
                return false
            }
        }
        return key.finish()
    }

    /// The key of a tenant's input files — its snapshot or history, and its KSeF invoice files — by what `stat` says
    /// of each (size, modification and change times to the nanosecond, inode): a file edited, replaced, copied over or
    /// touched gets a new key, and no snapshot is read to tell.
    static func tenantKey(_ file: TenantFile, siteKey: String) -> String {
        var key = BuildManifest.Key()
        key.add(siteKey)
        func add(_ path: String) {
            var info = stat()
            if lstat(path, &info) == 0 {
                key.add("\(path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec) \(info.st_ino) \(info.st_dev) \(info.st_mode)")
            } else {
                key.add("\(path) missing")
            }
        }
        for path in file.files { add(path) }
        if let first = file.files.first {
            let ksef = ContentFolders.folder("ksef", forSnapshotAt: first, slug: file.slug)
            add(ksef)
            FolderWalk.walk(ksef) { (relative: String, isFolder: Bool) -> Bool in
                add(ksef + "/" + relative)
                return isFolder
            }
        }
        return key.finish()
    }

    /// A summary from the manifest: the short way when it is one (`TenantSummary.reading`), else through `Codable`.
    static func readSummary(_ json: String) -> TenantSummary? {
        let bytes = Array(json.utf8)
        return TenantSummary.reading(bytes) ?? (try? JSONNodeDecoder.decode(TenantSummary.self, from: bytes))
    }

    static func summaryJSON(_ summary: TenantSummary) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(summary)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// A tenant whose key is unchanged: its files reused from the served site, its summary from the manifest; nil when
    /// it cannot be (a new or changed tenant, a summary that does not decode).
    static func reuseTenant(_ record: BuildManifest.Tenant?, key: String, from manifest: BuildManifest?, writer: OutputWriter?, wantPaths: Bool,
                            placed: (_ count: Int, _ bytes: Int, _ paths: [String]) -> Void) -> TenantOutcome? {
        guard let record, record.key == key, manifest != nil, let writer,
              let summary = Self.readSummary(record.summary) else { return nil }
        // Usually the tree being written holds the tenant's files already (it did two builds ago): nothing to do.
        if writer.keep(record) {
            placed(record.fileCount, record.bytes, wantPaths ? record.files().map(\.path) : [])
            return .rendered(summary, record)
        }
        let files = record.files()
        do {
            guard try writer.reuse(files) else { return nil }
        } catch {
            return .writeFailed("\(error)")
        }
        placed(files.count, files.reduce(0) { $0 + $1.file.size }, files.map(\.path))
        return .rendered(summary, BuildManifest.Tenant(slug: record.slug, key: record.key, summary: record.summary, paths: files.map(\.path)))
    }

    static func processTenant(_ file: TenantFile, languages: [LanguageContext], settings: BuildSettings, helpLinks: HelpLinks,
                              renderer: PageRenderer, timer: PhaseTimer, skipRendering: Bool,
                              emit: (SitePath, [UInt8]) throws -> Void) -> TenantOutcome {
        let plan: TenantPlan
        let history: TenantHistory
        switch HistoryBuilder.load(file, settings: settings, timer: timer) {
        case .failure(let invalid): return .failed(invalid.diagnostics)
        case .success(let loaded): (plan, history) = loaded
        }
        let summary = timer.measure("plan") { TenantSummary(plan, history: history) }
        if skipRendering { return .rendered(summary, nil) }
        do {
            try renderTenant(plan, history: history, languages: languages, settings: settings, helpLinks: helpLinks, renderer: renderer,
                             timer: timer, emit: emit)
        } catch let error as TemplateError {
            return .failed([error.diagnostic])
        } catch let error as OutputWriter.Failure {
            // Disk full, permissions: a fault of the output, not of the snapshot being written.
            return .writeFailed(error.description)
        } catch {
            return .writeFailed("\(error)")
        }
        return .rendered(summary, nil)
    }

    /// Every page of one tenant in every language, handed to `emit` one at a time.
    static func renderTenant(_ plan: TenantPlan, history: TenantHistory? = nil, languages: [LanguageContext], settings: BuildSettings,
                             helpLinks: HelpLinks, renderer: PageRenderer, timer: PhaseTimer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        for lang in languages {
            let context = TenantContext(plan: plan, lang: lang, settings: settings, help: helpLinks, history: history)
            for kind in tenantPageKinds {
                try timer.measure("render") { try kind.render(context, with: renderer) { path, bytes in try emit(path, bytes) } }
            }
        }
    }
}

/// A tenant in `content/tenants/`: one snapshot file (`acme.json`), or a folder holding its history (`acme/*.json`).
/// Its files are read only when its turn comes.
public struct TenantFile: Sendable {
    /// The file, or the history's folder, as the user would name it.
    public let display: String
    public let slug: String
    /// The snapshot files: one, or those of the history folder in name order (`HistoryBuilder` orders them by time).
    public let files: [String]

    public var isHistory: Bool { display.hasSuffix(".json") == false }

    /// A snapshot's bytes; a special file (a folder, a pipe that would block the build) or one over the size limit is
    /// refused before anything is read.
    static func read(_ path: String) throws(InvalidInput) -> [UInt8] {
        func problem(_ message: String) -> InvalidInput { InvalidInput([Diagnostic(file: path, location: .wholeFile, message: message)]) }
        do {
            return try InputFile.read(path, limit: SnapshotDecoder.maxFileBytes)
        } catch .tooBig(let size, _) {
            throw problem(SnapshotDecoder.tooBig(size))
        } catch {
            throw problem(error.description)
        }
    }

    static func list(folder: String) -> Result<[TenantFile], InvalidInput> {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .failure(InvalidInput([Diagnostic(file: folder, location: .wholeFile, message: "the folder of tenant snapshots does not exist")]))
        }
        if InputFile.kind(folder) == .symbolicLink {
            return .failure(InvalidInput([Diagnostic(file: folder, location: .wholeFile, message: InputFile.Failure.symbolicLink.description)]))
        }
        let names = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        let single = Set(names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) })
        var problems: [Diagnostic] = []
        var tenants: [TenantFile] = []
        for name in names {
            let path = folder + "/" + name
            if name.hasSuffix(".json") {
                tenants.append(TenantFile(display: path, slug: String(name.dropLast(5)), files: [path]))
                continue
            }
            // A folder is a tenant's history; anything else that is not a snapshot is left alone, as before.
            if name.hasPrefix(".") { continue }
            switch InputFile.kind(path) {
            case .folder: break
            case .symbolicLink:
                problems.append(Diagnostic(file: path, location: .wholeFile, message: InputFile.Failure.symbolicLink.description))
                continue
            default: continue
            }
            guard SnapshotDecoder.isValidSlug(name) else {
                problems.append(Diagnostic(file: path, location: .wholeFile,
                    message: "a tenant's history folder is named by its slug, matching \(SnapshotDecoder.slugPattern)"))
                continue
            }
            if single.contains(name) {
                problems.append(Diagnostic(file: path, location: .wholeFile,
                    message: "\(folder)/\(name).json is the same tenant's snapshot: keep its history in the folder only (move the file into \(path)/)"))
                continue
            }
            let snapshots = (InputFile.names(in: path) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
            if snapshots.isEmpty {
                problems.append(Diagnostic(file: path, location: .wholeFile, message: "a tenant's history folder holds no snapshot (*.json)"))
                continue
            }
            tenants.append(TenantFile(display: path, slug: name, files: snapshots.map { path + "/" + $0 }))
        }
        if !problems.isEmpty { return .failure(InvalidInput(problems)) }
        return .success(tenants)
    }
}

/// Time per phase and per template, added up across threads.
public final class PhaseTimer: Sendable {
    private let phases = Mutex<[String: Duration]>([:])
    private let templates = Mutex<[String: Duration]>([:])
    /// "swap" is putting the finished site in place and removing the previous one.
    private static let order = ["load", "validate", "plan", "render", "write", "swap"]

    func measure<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        defer { let elapsed = clock.now - start; phases.withLock { $0[phase, default: .zero] += elapsed } }
        return try body()
    }

    /// The shared layout's entry among the templates.
    static let layoutName = "(layout.html)"

    func add(template: String, _ duration: Duration) {
        templates.withLock { $0[template, default: .zero] += duration }
    }

    /// Seconds per phase; "render" excludes the writing that happens inside it.
    var totals: [(name: String, seconds: Double)] {
        var snapshot = phases.withLock { $0 }
        if let render = snapshot["render"], let write = snapshot["write"] { snapshot["render"] = max(.zero, render - write) }
        return Self.order.map { ($0, snapshot[$0]?.seconds ?? 0) }
    }

    var templateTotals: [(name: String, seconds: Double)] {
        templates.withLock { $0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value.seconds) }
    }
}


