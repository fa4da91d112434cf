import ArgumentParser
import Foundation
import TenantImport
import TenantModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tenantsite import --output content/tenants/<slug>.json [options] FILE...` (docs/import.md).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn saved Microsoft Graph and Partner Center responses and KSeF FA(3) invoices into a tenant snapshot (or add to one).",
        discussion: """
        Each FILE is recognised by its content, never by its name. Needed: Graph GET /directory/subscriptions and \
        GET /subscribedSkus; usually also GET /users (with licenseAssignmentStates) and GET /organization; optionally \
        Graph licenseDetails and Partner Center subscriptions, invoices and invoice line items. KSeF FA(3) invoice files \
        (and a KSeF export's _metadata.json) are added to the snapshot at --output, or to the one the responses make; \
        the files are kept as they are in ksef/<slug>/ beside the tenants/ folder. Importing a file twice changes \
        nothing. Every problem is printed as FILE: LOCATION: MESSAGE; on an error nothing is written and the exit \
        status is 1. See docs/import.md and docs/ksef.md.
        """
    )

    @Option(help: ArgumentHelp("Where to write the snapshot: content/tenants/<slug>.json, or a folder to write <slug>.json in.", valueName: "path"))
    var output: String

    @OptionGroup var tenant: TenantOptions

    @Option(help: ArgumentHelp("When the responses were saved, e.g. 2026-11-20T07:30:00Z (default: a fetch capture's manifest, else the newest file's modification time).", valueName: "timestamp"))
    var captured: String?

    @Argument(help: ArgumentHelp("The saved JSON responses, FA(3) invoice files (.xml) and _metadata.json, or a folder of them (a fetch capture).", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one saved response FILE") }
        if let captured, Timestamp(rfc3339: captured) == nil {
            throw ValidationError("--captured must be an RFC 3339 timestamp like 2026-11-20T07:30:00Z")
        }
        try tenant.validate(output: output)
    }

    func run() throws {
        let outcome = SnapshotImport.run(files: files, output: output, tenant: tenant, captured: captured.flatMap(Timestamp.init(rfc3339:)))
        switch outcome {
        case .failure(let problems):
            SnapshotImport.printProblems(problems.diagnostics)
            throw ExitCode(1)
        case .success(let summary):
            print(summary.line)
        }
    }
}

/// The facts about a tenant that no response holds, shared by `import` and `fetch`.
struct TenantOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The tenant's slug (default: the output file's name, else made from the tenant's name).", valueName: "slug"))
    var slug: String?

    @Option(help: ArgumentHelp("The tenant's name (default: Graph organization displayName).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("The tenant's default domain (default: from Graph organization).", valueName: "domain"))
    var domain: String?

    @Option(help: ArgumentHelp("Two-letter country code, e.g. PL (default: from Graph organization).", valueName: "code"))
    var country: String?

    @Option(help: ArgumentHelp("pl or en (default: from Graph organization, else pl for PL and en otherwise).", valueName: "lang"))
    var language: String?

    @Option(help: ArgumentHelp("home.pl, az.pl, partner or direct (default: partner with Partner Center files).", valueName: "channel"))
    var channel: String?

    @Option(name: .customLong("partner-name"), help: ArgumentHelp("The reseller's or partner's name as the customer knows it.", valueName: "name"))
    var partnerName: String?

    @Option(name: .customLong("purchase-channel"),
            help: ArgumentHelp("reseller, partner or direct for every subscription, when you know it (default: from the files: partner when Partner Center has it or a partner tenant created it, else unknown).", valueName: "channel"))
    var purchaseChannel: String?

    @Option(help: ArgumentHelp("The tenant's NIP, which FA(3) invoices' buyer must be (default: the snapshot's).", valueName: "nip"))
    var nip: String?

    @Flag(help: ArgumentHelp("Add a new snapshot to the tenant's history, content/tenants/<slug>/<capture time>.json, instead of replacing content/tenants/<slug>.json (which, if there, becomes the history's first snapshot). See docs/history.md."))
    var history = false

    func validate() throws {}

    /// Checks the options against each other and `--output` (a `<slug>.json` file or an existing folder).
    func validate(output: String?) throws {
        if let slug, !SnapshotDecoder.isValidSlug(slug) {
            throw ValidationError("--slug must match \(SnapshotDecoder.slugPattern)")
        }
        if let language, Language(rawValue: language) == nil { throw ValidationError("--language must be pl or en") }
        if let channel, Management.Channel(rawValue: channel) == nil {
            throw ValidationError("--channel must be home.pl, az.pl, partner or direct")
        }
        if let purchaseChannel {
            guard let value = Subscription.PurchaseChannel(rawValue: purchaseChannel), value != .selfService else {
                throw ValidationError("--purchase-channel must be reseller, partner or direct")
            }
        }
        if let country, !(country.utf8.count == 2 && country.utf8.allSatisfy({ (0x41...0x5A).contains($0) })) {
            throw ValidationError("--country must be a two-letter upper-case code like PL")
        }
        if let nip, !NIP.isValid(nip) { throw ValidationError("--nip must be a valid ten-digit NIP like 5261040828") }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        if let domain, domain.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--domain must not be empty") }
        guard let output else { return }
        let target = URL(fileURLWithPath: output)
        if history {
            // A <slug>.json names the history's folder; a folder is the history itself or the tenants/ folder.
            if !SnapshotImport.isDirectory(output), target.pathExtension != "json" {
                throw ValidationError("--output with --history must be content/tenants/<slug>.json, the history folder content/tenants/<slug>/ or the tenants folder, not \(output)")
            }
            if target.pathExtension == "json", let slug, slug != target.deletingPathExtension().lastPathComponent {
                throw ValidationError("--output \(output) is not named \(slug).json, the --slug given: the file name is the slug")
            }
            return
        }
        if !SnapshotImport.isDirectory(output), target.pathExtension != "json" {
            throw ValidationError("--output must be a <slug>.json file or an existing folder, not \(output)")
        }
        if !SnapshotImport.isDirectory(output) {
            let fileSlug = target.deletingPathExtension().lastPathComponent
            if let slug, slug != fileSlug {
                throw ValidationError("--output \(output) is not named \(slug).json, the --slug given: the file name is the slug")
            }
            if slug == nil, !SnapshotDecoder.isValidSlug(fileSlug) {
                throw ValidationError("--output must be named <slug>.json with a slug matching \(SnapshotDecoder.slugPattern)")
            }
        }
    }
}

/// What `import` does and `fetch` does after its capture: read the files, join them with the snapshot already at the
/// output, write KSeF files and the snapshot (atomically). One code path, so both give the same bytes.
enum SnapshotImport {
    struct Summary {
        var target: String
        var snapshot: Snapshot
        var warnings: Int
        var line: String
    }

    /// Folders among `paths` stand for the regular files in them (not hidden, not in sub-folders), sorted.
    static func expand(_ paths: [String]) -> [String] {
        var files: [String] = []
        for path in paths {
            if isDirectory(path) {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
                let folder = path.hasSuffix("/") ? path : path + "/"
                files += names.map { folder + $0 }.filter { !isDirectory($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Runs the import and prints its warnings; on failure returns every problem (nothing written).
    static func run(files arguments: [String], output: String, tenant: TenantOptions, captured: Timestamp?) -> Result<Summary, InvalidInput> {
        let files = expand(arguments)
        if files.isEmpty {
            return .failure(InvalidInput([Diagnostic(file: arguments.first ?? "(command line)", location: .wholeFile, message: "no files to import in this folder")]))
        }
        var inputs: [(name: String, bytes: [UInt8])] = []
        var unreadable: [Diagnostic] = []
        var newest: Int64 = 0
        var manifestTime: Timestamp?
        for file in files {
            do {
                // A cap checked before reading: Graph and Partner Center pages are a few MB at most.
                let bytes = try InputFile.read(file, limit: ImportLimits.maxInputBytes, followLinks: true)
                if let manifest = CaptureManifest.read(bytes) {
                    // A fetch capture's manifest: not a response; it says when the lists were read.
                    guard let time = manifest.captured else {
                        unreadable.append(Diagnostic(file: file, location: .path(JSONPath.root.appending("capturedDateTime")), message: "not an RFC 3339 timestamp"))
                        continue
                    }
                    manifestTime = max(manifestTime ?? time, time)
                    continue
                }
                inputs.append((file, bytes))
                if let modified = try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date {
                    newest = max(newest, Int64(modified.timeIntervalSince1970))
                }
            } catch {
                unreadable.append(Diagnostic(file: file, location: .wholeFile, message: error.description))
            }
        }
        if !unreadable.isEmpty { return .failure(InvalidInput(unreadable)) }

        let outputIsFolder = isDirectory(output)
        let fileSlug = outputIsFolder ? nil : URL(fileURLWithPath: output).deletingPathExtension().lastPathComponent
        let slug = tenant.slug
        let capturedAt = captured ?? manifestTime ?? Timestamp(secondsSinceEpoch: newest)
        var options = Importer.Options(
            capturedDateTime: capturedAt, slug: slug ?? fileSlug, name: tenant.name, defaultDomain: tenant.domain, countryLetterCode: tenant.country,
            preferredLanguage: tenant.language.flatMap(Language.init(rawValue:)), channel: tenant.channel.flatMap(Management.Channel.init(rawValue:)),
            partnerName: tenant.partnerName, purchaseChannel: tenant.purchaseChannel.flatMap(Subscription.PurchaseChannel.init(rawValue:)))
        options.nip = tenant.nip

        // The snapshot already at the output, which FA(3) invoices join and whose KSeF invoices a new import keeps.
        // With --history: the history's folder, when the slug is known, and its newest snapshot (or the single file).
        let historyFolder = tenant.history ? HistoryOutput.folder(output: output, slug: slug) : nil
        let knownTarget = tenant.history ? historyFolder.flatMap(HistoryOutput.newest)
            : outputIsFolder ? slug.map { (output.hasSuffix("/") ? output : output + "/") + "\($0).json" } : output
        var existing: Importer.Existing?
        if let knownTarget, FileManager.default.fileExists(atPath: knownTarget) {
            let existingSlug = historyFolder.map { URL(fileURLWithPath: $0).lastPathComponent }
                ?? URL(fileURLWithPath: knownTarget).deletingPathExtension().lastPathComponent
            let folder = KSeFFiles.folder(forSnapshotAt: knownTarget, slug: existingSlug)
            let decoded = Result { try InputFile.read(knownTarget, limit: SnapshotDecoder.maxFileBytes) }
                .mapError { InvalidInput([Diagnostic(file: knownTarget, location: .wholeFile, message: "\($0)")]) }
                .flatMap { SnapshotDecoder.decode($0, file: knownTarget, slug: existingSlug, ksefFiles: KSeFFiles(folder: folder)) }
            switch decoded {
            case .success(let snapshot): existing = Importer.Existing(snapshot: snapshot, ksefFolder: folder)
            case .failure(let invalid):
                return .failure(InvalidInput(invalid.diagnostics + [Diagnostic(file: knownTarget, location: .wholeFile, message: "the snapshot at --output must pass tenantsite check before an import adds to it or replaces it")]))
            }
        }

        switch Importer.importFiles(inputs, options: options, existing: existing) {
        case .failure(let invalid):
            return .failure(invalid)
        case .success(let imported):
            printProblems(imported.warnings)
            var target = outputIsFolder
                ? (output.hasSuffix("/") ? output : output + "/") + "\(imported.snapshot.slug).json"
                : output
            var unchanged = false
            if tenant.history {
                let folder = historyFolder ?? HistoryOutput.folder(output: output, slug: imported.snapshot.slug)!
                switch HistoryOutput.place(imported.bytes, captured: imported.snapshot.capturedDateTime, in: folder) {
                case .failure(let problem): return .failure(InvalidInput([problem]))
                case .success(let placed): (target, unchanged) = (placed.path, placed.alreadyThere)
                }
            }
            do {
                try ImportCommand.writeKSeFFiles(imported.ksefFiles, folder: KSeFFiles.folder(forSnapshotAt: target, slug: imported.snapshot.slug))
                if !unchanged, existing == nil || (try? InputFile.read(target, limit: SnapshotDecoder.maxFileBytes)) != imported.bytes {
                    try ImportCommand.writeAtomically(imported.bytes, to: target)
                }
            } catch let problem as Diagnostic {
                return .failure(InvalidInput([problem]))
            } catch {
                return .failure(InvalidInput([Diagnostic(file: target, location: .wholeFile, message: "cannot be written: \(error)")]))
            }
            let s = imported.snapshot
            let warnings = imported.warnings.count
            let ksef = s.invoices.filter { $0.ksef != nil }.count
            let line = (unchanged ? "already in the history, unchanged: " : "wrote ") + "\(target): \(s.tenant.displayName), \(s.subscriptions.count) subscriptions, \(s.users.count) users, "
                + "\(s.invoices.count) invoices (\(ksef) from KSeF, \(imported.ksefFiles.count) new files), captured \(s.capturedDateTime), from \(inputs.count) files"
                + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s") above)" : "")
            return .success(Summary(target: target, snapshot: s, warnings: warnings, line: line))
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }

    static func printProblems(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        let text = Diagnostic.printout(diagnostics)
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension ImportCommand {
    /// Puts KSeF invoice files in their folder: a file already there with the same bytes is left alone; one with other
    /// bytes is an error before anything is written (tenantsite never overwrites a file it did not write).
    static func writeKSeFFiles(_ files: [String: [UInt8]], folder: String) throws {
        for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
            let path = folder + "/" + name
            if FileManager.default.fileExists(atPath: path), (try? InputFile.read(path, limit: KSeFFiles.maxFileBytes)) != bytes {
                throw Diagnostic(file: path, location: .wholeFile, message: "a different file is already there; move it away to import this invoice")
            }
        }
        for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
            let path = folder + "/" + name
            if FileManager.default.fileExists(atPath: path) { continue }
            try writeAtomically(bytes, to: path)
        }
    }

    /// Writes next to the target, flushes, then renames over it: a reader sees the old file or the new one,
    /// never half of one; on failure the old file is left as it was.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp")
        do {
            try Data(bytes).write(to: temporary)
            let fd = open(temporary.path, O_RDONLY)
            if fd >= 0 { _ = fsync(fd); _ = close(fd) }
            guard rename(temporary.path, target.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

/// Where `--history` puts a snapshot: `content/tenants/<slug>/<capture time>.json`.
enum HistoryOutput {
    /// The history folder for `--output` (`…/<slug>.json`, `…/<slug>/`, or the tenants folder holding it); nil while the
    /// slug is not known.
    static func folder(output: String, slug: String?) -> String? {
        let trimmed = output.hasSuffix("/") ? String(output.dropLast()) : output
        if trimmed.hasSuffix(".json") { return String(trimmed.dropLast(5)) }
        guard let slug else {
            // A folder named like a slug that holds snapshots (or nothing) is taken to be the history itself.
            let name = URL(fileURLWithPath: trimmed).lastPathComponent
            return name != "tenants" && SnapshotDecoder.isValidSlug(name) && URL(fileURLWithPath: trimmed).deletingLastPathComponent().lastPathComponent == "tenants"
                ? trimmed : nil
        }
        return URL(fileURLWithPath: trimmed).lastPathComponent == slug ? trimmed : trimmed + "/" + slug
    }

    /// The file name of a snapshot captured at `time`: `2026-11-20T07-30-00Z.json` (no colons, which some systems refuse).
    static func fileName(_ time: Timestamp) -> String { time.description.replacingOccurrences(of: ":", with: "-") + ".json" }

    /// The snapshots in a history folder with their capture times (files whose time cannot be read are left out).
    static func snapshots(in folder: String) -> [(path: String, captured: Timestamp)] {
        let names = (InputFile.names(in: folder) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        return names.compactMap { name in
            let path = folder + "/" + name
            guard let bytes = try? InputFile.read(path, limit: SnapshotDecoder.maxFileBytes), let time = SnapshotPeek(bytes).capturedDateTime else { return nil }
            return (path, time)
        }
    }

    /// The newest snapshot of the history, or the single `<slug>.json` beside the folder when there is no history yet.
    static func newest(_ folder: String) -> String? {
        if let last = snapshots(in: folder).max(by: { ($0.captured, $0.path) < ($1.captured, $1.path) }) { return last.path }
        return FileManager.default.fileExists(atPath: folder + ".json") ? folder + ".json" : nil
    }

    /// Where the new snapshot goes. A single `<slug>.json` beside the folder moves into it first, named by its own
    /// capture time (renamed, not rewritten). A snapshot of the same capture time already in the history is the same
    /// snapshot (nothing to write) when its bytes are these, else an error naming both.
    static func place(_ bytes: [UInt8], captured: Timestamp, in folder: String) -> Result<(path: String, alreadyThere: Bool), Diagnostic> {
        let single = folder + ".json"
        let target = folder + "/" + fileName(captured)
        var existing = snapshots(in: folder)
        var moveSingle: (from: String, to: String)?
        if FileManager.default.fileExists(atPath: single) {
            guard let data = try? InputFile.read(single, limit: SnapshotDecoder.maxFileBytes), let time = SnapshotPeek(data).capturedDateTime else {
                return .failure(Diagnostic(file: single, location: .key("capturedDateTime"), message: "to start a history from this snapshot, it must have a capture time; fix it or move it away"))
            }
            moveSingle = (single, folder + "/" + fileName(time))
            existing.append((single, time))
        }
        if let same = existing.first(where: { $0.captured == captured }) {
            if (try? InputFile.read(same.path, limit: SnapshotDecoder.maxFileBytes)) == bytes { return .success((same.path, true)) }
            return .failure(Diagnostic(file: target, location: .key("capturedDateTime"),
                message: "\(same.path) has the same capture time (\(captured)) and other contents; a history holds one snapshot per moment — give --captured, or move that file away"))
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if let move = moveSingle {
                guard !FileManager.default.fileExists(atPath: move.to), rename(move.from, move.to) == 0 else {
                    return .failure(Diagnostic(file: move.from, location: .wholeFile, message: "cannot be moved into its history as \(move.to)"))
                }
                FileHandle.standardError.write(Data("moved \(move.from) into the history as \(move.to)\n".utf8))
            }
        } catch {
            return .failure(Diagnostic(file: folder, location: .wholeFile, message: "cannot be made: \(error)"))
        }
        return .success((target, false))
    }
}

enum ImportLimits {
    /// One saved response: a page of `/users` with every field is well under 10 MB.
    static let maxInputBytes = 64 * 1024 * 1024
}
