import Foundation
import TenantModel

/// `tenantsite import`: Microsoft Graph and Partner Center responses, as Microsoft returns them, → one
/// tenant snapshot (docs/import.md).
///
/// Each file is recognised by its content, never its name. What the files do not contain stays absent;
/// the few facts a snapshot requires that no response holds (the tenant's sales channel, say) come from
/// `Options`, which is what the user typed. Problems are `Diagnostic`s: errors mean nothing may be written,
/// warnings (their message starts with `warning: `) are said and the snapshot is still good.
public enum Importer {
    public struct Options: Sendable {
        /// The snapshot's slug; default: made from the tenant's name.
        public var slug: String?
        /// `tenant.displayName`; default: Graph `organization.displayName`.
        public var name: String?
        /// `tenant.defaultDomain`; default: the default verified domain of Graph `organization`.
        public var defaultDomain: String?
        /// `tenant.countryLetterCode`; default: Graph `organization.countryLetterCode`.
        public var countryLetterCode: String?
        /// `tenant.preferredLanguage`; default: from Graph `organization.preferredLanguage`, else from the country.
        public var preferredLanguage: Language?
        /// `tenant.management.channel`; default: `partner` when Partner Center files are given.
        public var channel: Management.Channel?
        /// `tenant.management.partnerName`; no response holds it.
        public var partnerName: String?
        /// Every subscription's `purchaseChannel`, when the user says so; default: `partner` for subscriptions found in
        /// Partner Center files, else `unknown` (the tenant's `channel` says who manages it, not who bought each one).
        public var purchaseChannel: Subscription.PurchaseChannel?
        /// When the responses were saved (no response says it).
        public var capturedDateTime: Timestamp
        /// The tenant's NIP, which FA(3) invoices are checked against (their buyer); default: the snapshot's.
        public var nip: String?

        public init(capturedDateTime: Timestamp, slug: String? = nil, name: String? = nil, defaultDomain: String? = nil,
                    countryLetterCode: String? = nil, preferredLanguage: Language? = nil, channel: Management.Channel? = nil,
                    partnerName: String? = nil, purchaseChannel: Subscription.PurchaseChannel? = nil) {
            self.capturedDateTime = capturedDateTime
            self.slug = slug
            self.name = name
            self.defaultDomain = defaultDomain
            self.countryLetterCode = countryLetterCode
            self.preferredLanguage = preferredLanguage
            self.channel = channel
            self.partnerName = partnerName
            self.purchaseChannel = purchaseChannel
        }
    }

    public struct Imported: Sendable {
        public var snapshot: Snapshot
        public var warnings: [Diagnostic]
        /// What each file was recognised as, in the order given.
        public var responses: [RecognisedResponse]
        /// `SnapshotWriter.encode(snapshot)`, already read back by `SnapshotDecoder` (what the command writes).
        public var bytes: [UInt8]
        /// KSeF invoice files to put in the tenant's KSeF folder, by name (before the snapshot: it names them).
        public var ksefFiles: [String: [UInt8]] = [:]
    }

    /// The snapshot at `--output` before this import, and its KSeF folder.
    public struct Existing: Sendable {
        public var snapshot: Snapshot
        public var ksefFolder: String
        public init(snapshot: Snapshot, ksefFolder: String) {
            self.snapshot = snapshot
            self.ksefFolder = ksefFolder
        }
    }

    /// Reads every file, joins them, and returns the snapshot (which passes `SnapshotDecoder.decode`) or every
    /// problem. On failure `InvalidInput.diagnostics` holds the errors first, then the warnings.
    ///
    /// FA(3) invoices and a KSeF export's `_metadata.json` join the snapshot the responses make, or `existing` when
    /// only they are given; `existing`'s KSeF invoices are kept either way.
    public static func importFiles(_ files: [(name: String, bytes: [UInt8])], options: Options, existing: Existing? = nil) -> Result<Imported, InvalidInput> {
        let report = Report()
        let assembler = Assembler(report: report, options: options)
        var responses: [RecognisedResponse] = []
        var xml: [(name: String, bytes: [UInt8])] = [], metadata: [(name: String, bytes: [UInt8])] = []
        if files.isEmpty {
            report.error(file: Report.commandLine, .wholeFile, "no files to import")
        }
        var responseCount = 0
        for file in files {
            if KSeFImport.isXML(file.bytes) { xml.append(file); continue }
            if KSeFImport.isMetadata(file.bytes) { metadata.append(file); continue }
            if CaptureManifest.read(file.bytes) != nil { continue }   // a fetch capture's manifest.json
            responseCount += 1
            guard let document = Recogniser.recognise(file: file.name, bytes: file.bytes, report: report) else { continue }
            responses.append(document.summary)
            assembler.add(document)
        }
        if !metadata.isEmpty, xml.isEmpty {
            report.error(file: metadata[0].name, .wholeFile, "KSeF metadata gives invoices their KSeF numbers: give the FA(3) files it describes too")
        }
        var snapshot: Snapshot
        if responseCount > 0 {
            guard !report.hasErrors, let assembled = assembler.assemble(), !report.hasErrors else {
                return .failure(InvalidInput(report.errors + report.warnings))
            }
            snapshot = assembled
            if let existing {
                let kept = existing.snapshot.invoices.filter { old in old.ksef != nil && !snapshot.invoices.contains { $0.id == old.id } }
                snapshot.invoices += kept
                if snapshot.tenant.nip == nil { snapshot.tenant.nip = existing.snapshot.tenant.nip }
            }
        } else if let existing {
            snapshot = existing.snapshot
        } else {
            if !files.isEmpty {
                report.error(file: xml.first?.name ?? Report.commandLine, .wholeFile,
                             "FA(3) invoices join a tenant's snapshot: give --output of an existing snapshot, or the tenant's Graph responses too")
            }
            return .failure(InvalidInput(report.errors + report.warnings))
        }
        var newFiles: [String: [UInt8]] = [:]
        if !xml.isEmpty {
            guard !report.hasErrors, let joined = KSeFImport.join(xml: xml, metadata: metadata, into: snapshot, nip: options.nip, report: report) else {
                return .failure(InvalidInput(report.errors + report.warnings))
            }
            snapshot = joined.snapshot
            newFiles = joined.files
        } else if let nip = options.nip {
            if let own = snapshot.tenant.nip, own != nip {
                report.error(file: Report.commandLine, .wholeFile, "--nip \(nip) is not the tenant's NIP in the snapshot, \(own)")
            }
            snapshot.tenant.nip = nip
        }
        guard !report.hasErrors else { return .failure(InvalidInput(report.errors + report.warnings)) }
        // The promise of the command: what it writes passes `tenantsite check`.
        let bytes = SnapshotWriter.encode(snapshot)
        let files = KSeFFiles(files: newFiles, fallback: existing?.ksefFolder)
        switch SnapshotDecoder.decode(bytes, file: "\(snapshot.slug).json", slug: snapshot.slug, ksefFiles: files) {
        case .success:
            return .success(Imported(snapshot: snapshot, warnings: report.warnings, responses: responses, bytes: bytes, ksefFiles: newFiles))
        case .failure(let invalid):
            let errors = invalid.diagnostics.map {
                Diagnostic(file: "(imported snapshot)", location: $0.location, message: $0.message + " (the imported snapshot would not pass tenantsite check)")
            }
            return .failure(InvalidInput(errors + report.warnings))
        }
    }

    /// The short form: slug and name given, everything else from the files, captured "now" (wall clock).
    public static func importFiles(_ files: [(name: String, bytes: [UInt8])], slug: String?, name: String?)
        -> Result<(snapshot: Snapshot, warnings: [Diagnostic]), InvalidInput> {
        let now = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        return importFiles(files, options: Options(capturedDateTime: now, slug: slug, name: name)).map { ($0.snapshot, $0.warnings) }
    }

    /// What one file is and what is wrong in it, on its own (no joining with other files).
    public struct Inspection: Sendable {
        public var response: RecognisedResponse?
        public var errors: [Diagnostic]
        public var warnings: [Diagnostic]
    }

    public static func inspect(name: String, bytes: [UInt8]) -> Inspection {
        let report = Report()
        let document = Recogniser.recognise(file: name, bytes: bytes, report: report)
        if let document {
            Assembler(report: report, options: Options(capturedDateTime: Timestamp(secondsSinceEpoch: 0))).add(document)
        }
        return Inspection(response: document?.summary, errors: report.errors, warnings: report.warnings)
    }

    /// `Kwiaciarnia Łąkowa sp. z o.o.` → `kwiaciarnia-lakowa-sp-z-o-o`: a slug for file names and URLs.
    public static func slug(from name: String) -> String {
        let special: [Character: String] = ["ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "Æ": "ae", "đ": "d", "Đ": "d", "œ": "oe", "Œ": "oe"]
        var ascii = ""
        for character in name {
            if let replacement = special[character] { ascii += replacement; continue }
            for scalar in String(character).decomposedStringWithCanonicalMapping.unicodeScalars
            where scalar.properties.generalCategory != .nonspacingMark {
                ascii.unicodeScalars.append(scalar)
            }
        }
        var slug = ""
        for scalar in ascii.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return String(slug.prefix(64)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}
