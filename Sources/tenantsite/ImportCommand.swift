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

    @Option(help: ArgumentHelp("When the responses were saved, e.g. 2026-11-20T07:30:00Z (default: the newest file's modification time).", valueName: "timestamp"))
    var captured: String?

    @Option(help: ArgumentHelp("The tenant's NIP, which FA(3) invoices' buyer must be (default: the snapshot's).", valueName: "nip"))
    var nip: String?

    @Argument(help: ArgumentHelp("The saved JSON responses, FA(3) invoice files (.xml) and _metadata.json.", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one saved response FILE") }
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
        if let captured, Timestamp(rfc3339: captured) == nil {
            throw ValidationError("--captured must be an RFC 3339 timestamp like 2026-11-20T07:30:00Z")
        }
        if let nip, !NIP.isValid(nip) { throw ValidationError("--nip must be a valid ten-digit NIP like 5261040828") }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        if let domain, domain.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--domain must not be empty") }
        let target = URL(fileURLWithPath: output)
        if !isDirectory(output), target.pathExtension != "json" {
            throw ValidationError("--output must be a <slug>.json file or an existing folder, not \(output)")
        }
        if !isDirectory(output) {
            let fileSlug = target.deletingPathExtension().lastPathComponent
            if let slug, slug != fileSlug {
                throw ValidationError("--output \(output) is not named \(slug).json, the --slug given: the file name is the slug")
            }
            if slug == nil, !SnapshotDecoder.isValidSlug(fileSlug) {
                throw ValidationError("--output must be named <slug>.json with a slug matching \(SnapshotDecoder.slugPattern)")
            }
        }
    }

    func run() throws {
        var inputs: [(name: String, bytes: [UInt8])] = []
        var unreadable: [Diagnostic] = []
        var newest: Int64 = 0
        for file in files {
            do {
                // A cap checked before reading: Graph and Partner Center pages are a few MB at most.
                inputs.append((file, try InputFile.read(file, limit: ImportLimits.maxInputBytes, followLinks: true)))
                if let modified = try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date {
                    newest = max(newest, Int64(modified.timeIntervalSince1970))
                }
            } catch {
                unreadable.append(Diagnostic(file: file, location: .wholeFile, message: error.description))
            }
        }
        if !unreadable.isEmpty {
            printProblems(unreadable)
            throw ExitCode(1)
        }

        let outputIsFolder = isDirectory(output)
        let fileSlug = outputIsFolder ? nil : URL(fileURLWithPath: output).deletingPathExtension().lastPathComponent
        let capturedAt = captured.flatMap(Timestamp.init(rfc3339:)) ?? Timestamp(secondsSinceEpoch: newest)
        let options = Importer.Options(
            capturedDateTime: capturedAt, slug: slug ?? fileSlug, name: name, defaultDomain: domain, countryLetterCode: country,
            preferredLanguage: language.flatMap(Language.init(rawValue:)), channel: channel.flatMap(Management.Channel.init(rawValue:)),
            partnerName: partnerName, purchaseChannel: purchaseChannel.flatMap(Subscription.PurchaseChannel.init(rawValue:)))
        var options2 = options
        options2.nip = nip

        // The snapshot already at the output, which FA(3) invoices join and whose KSeF invoices a new import keeps.
        let knownTarget = outputIsFolder ? slug.map { (output.hasSuffix("/") ? output : output + "/") + "\($0).json" } : output
        var existing: Importer.Existing?
        if let knownTarget, FileManager.default.fileExists(atPath: knownTarget) {
            let existingSlug = URL(fileURLWithPath: knownTarget).deletingPathExtension().lastPathComponent
            let folder = KSeFFiles.folder(forSnapshotAt: knownTarget, slug: existingSlug)
            let decoded = Result { try InputFile.read(knownTarget, limit: SnapshotDecoder.maxFileBytes) }
                .mapError { InvalidInput([Diagnostic(file: knownTarget, location: .wholeFile, message: "\($0)")]) }
                .flatMap { SnapshotDecoder.decode($0, file: knownTarget, slug: existingSlug, ksefFiles: KSeFFiles(folder: folder)) }
            switch decoded {
            case .success(let snapshot): existing = Importer.Existing(snapshot: snapshot, ksefFolder: folder)
            case .failure(let invalid):
                printProblems(invalid.diagnostics + [Diagnostic(file: knownTarget, location: .wholeFile, message: "the snapshot at --output must pass tenantsite check before an import adds to it or replaces it")])
                throw ExitCode(1)
            }
        }

        switch Importer.importFiles(inputs, options: options2, existing: existing) {
        case .failure(let invalid):
            printProblems(invalid.diagnostics)
            throw ExitCode(1)
        case .success(let imported):
            printProblems(imported.warnings)
            let target = outputIsFolder
                ? (output.hasSuffix("/") ? output : output + "/") + "\(imported.snapshot.slug).json"
                : output
            do {
                try Self.writeKSeFFiles(imported.ksefFiles, folder: KSeFFiles.folder(forSnapshotAt: target, slug: imported.snapshot.slug))
                if existing == nil || (try? InputFile.read(target, limit: SnapshotDecoder.maxFileBytes)) != imported.bytes {
                    try Self.writeAtomically(imported.bytes, to: target)
                }
            } catch let problem as Diagnostic {
                printProblems([problem])
                throw ExitCode(1)
            } catch {
                printProblems([Diagnostic(file: target, location: .wholeFile, message: "cannot be written: \(error)")])
                throw ExitCode(1)
            }
            let s = imported.snapshot
            let warnings = imported.warnings.count
            let ksef = s.invoices.filter { $0.ksef != nil }.count
            print("wrote \(target): \(s.tenant.displayName), \(s.subscriptions.count) subscriptions, \(s.users.count) users, "
                + "\(s.invoices.count) invoices (\(ksef) from KSeF, \(imported.ksefFiles.count) new files), captured \(s.capturedDateTime), from \(files.count) files"
                + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s") above)" : ""))
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }

    private func printProblems(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        let text = Diagnostic.printout(diagnostics)
        FileHandle.standardError.write(Data(text.utf8))
    }

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

enum ImportLimits {
    /// One saved response: a page of `/users` with every field is well under 10 MB.
    static let maxInputBytes = 64 * 1024 * 1024
}
