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
    }

    /// Reads every file, joins them, and returns the snapshot (which passes `SnapshotDecoder.decode`) or every
    /// problem. On failure `InvalidInput.diagnostics` holds the errors first, then the warnings.
    public static func importFiles(_ files: [(name: String, bytes: [UInt8])], options: Options) -> Result<Imported, InvalidInput> {
        let report = Report()
        let assembler = Assembler(report: report, options: options)
        var responses: [RecognisedResponse] = []
        if files.isEmpty {
            report.error(file: Report.commandLine, .wholeFile, "no files to import")
        }
        for file in files {
            guard let document = Recogniser.recognise(file: file.name, bytes: file.bytes, report: report) else { continue }
            responses.append(document.summary)
            assembler.add(document)
        }
        guard !report.hasErrors, let snapshot = assembler.assemble(), !report.hasErrors else {
            return .failure(InvalidInput(report.errors + report.warnings))
        }
        // The promise of the command: what it writes passes `tenantsite check`.
        let bytes = SnapshotWriter.encode(snapshot)
        switch SnapshotDecoder.decode(bytes, file: "\(snapshot.slug).json", slug: snapshot.slug) {
        case .success:
            return .success(Imported(snapshot: snapshot, warnings: report.warnings, responses: responses, bytes: bytes))
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
