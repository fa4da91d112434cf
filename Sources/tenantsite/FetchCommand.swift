import ArgumentParser
import Foundation
import TenantFetch
import TenantImport
import TenantModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tenantsite fetch`: sign in to Microsoft, save Graph's responses to a capture folder, import them (docs/fetch.md).
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Read a tenant from Microsoft Graph (app sign-in or device code), keep the responses, and import them into a snapshot.",
        discussion: """
        Signs in with OAuth 2.0 client credentials (a client secret from --client-secret-file or \
        TENANTSITE_CLIENT_SECRET, or a certificate) or the device-code flow, reads GET /organization, /subscribedSkus, \
        /directory/subscriptions, /users (with sign-in activity when permitted) and the groups that assign licences, \
        following every page, and keeps each response exactly as received in a capture folder with a manifest. Then \
        the same code as `tenantsite import` turns the capture into the snapshot. Throttling (429) and brief outages \
        (503, 504) are retried, honouring Retry-After. On any other failure nothing is written and the exit status is 1. \
        With --tenants FILE, each tenant is fetched in turn; one tenant's failure does not stop the others. \
        See docs/fetch.md.
        """
    )

    @Option(help: ArgumentHelp("The tenant's id (a GUID) or one of its domains, e.g. kreska.onmicrosoft.com.", valueName: "tenant"))
    var tenant: String?

    @Option(help: ArgumentHelp("A file of tenants, one per line: TENANT SLUG [CHANNEL] (# starts a comment). --output is then a folder.", valueName: "file"))
    var tenants: String?

    @Option(name: .customLong("partner-tenant"), help: ArgumentHelp("The partner's own tenant: read its customer list from Partner Center (GET /v1/customers, app-only) and fetch every customer. --output is then a folder.", valueName: "tenant"))
    var partnerTenant: String?

    @Option(name: .customLong("partner-center-url"), help: ArgumentHelp("The Partner Center API host instead of https://api.partnercenter.microsoft.com.", valueName: "url"))
    var partnerCenterURL: String?

    @Option(name: .customLong("client-id"), help: ArgumentHelp("The app registration's application (client) id.", valueName: "id"))
    var clientID: String

    @Option(name: .customLong("client-secret-file"), help: ArgumentHelp("A file holding the client secret (or set TENANTSITE_CLIENT_SECRET). Never given on the command line.", valueName: "file"))
    var clientSecretFile: String?

    @Option(name: .customLong("client-secret"), help: .hidden)
    var clientSecretOnCommandLine: String?

    @Option(help: ArgumentHelp("The app's certificate (PEM) for a signed client assertion; with --private-key.", valueName: "file"))
    var certificate: String?

    @Option(name: .customLong("private-key"), help: ArgumentHelp("The certificate's RSA private key (PEM, not encrypted).", valueName: "file"))
    var privateKey: String?

    @Flag(name: .customLong("device-code"), help: "Sign in as an admin in a browser with a code (delegated permissions; no secret).")
    var deviceCode = false

    @Option(help: ArgumentHelp("Where to write the snapshot: content/tenants/<slug>.json (with --tenants: the folder for <slug>.json files).", valueName: "path"))
    var output: String

    @Option(help: ArgumentHelp("The capture folder (must not exist); with --tenants, the folder for <slug>/<time>/ captures. Default: captures/<slug>/<time>/ beside the tenants/ folder.", valueName: "folder"))
    var capture: String?

    @Option(help: ArgumentHelp("Microsoft's cloud: global, usgov (US Government) or china (21Vianet).", valueName: "cloud"))
    var cloud: String = "global"

    @Option(name: .customLong("login-url"), help: ArgumentHelp("The sign-in host instead of the cloud's (https://, or http:// on a loopback address).", valueName: "url"))
    var loginURL: String?

    @Option(name: .customLong("graph-url"), help: ArgumentHelp("The Graph host instead of the cloud's (https://, or http:// on a loopback address).", valueName: "url"))
    var graphURL: String?

    @OptionGroup var tenantOptions: TenantOptions

    static let secretVariable = "TENANTSITE_CLIENT_SECRET"

    func validate() throws {
        if clientSecretOnCommandLine != nil {
            throw ValidationError("a client secret on the command line can be read by every user of this machine (ps, shell history): put it in a file and give --client-secret-file, or set \(Self.secretVariable)")
        }
        switch [tenant != nil, tenants != nil, partnerTenant != nil].filter({ $0 }).count {
        case 0: throw ValidationError("give --tenant (one tenant), --tenants FILE (many) or --partner-tenant (a partner's customers from Partner Center)")
        case 1: break
        default: throw ValidationError("give one of --tenant, --tenants and --partner-tenant")
        }
        if let partnerTenant, !Self.isTenant(partnerTenant) {
            throw ValidationError("--partner-tenant must be a tenant id (a GUID) or a domain, not \(partnerTenant)")
        }
        if partnerTenant != nil, deviceCode {
            throw ValidationError("--partner-tenant reads Partner Center with the app's own credentials: give --client-secret-file or --certificate, not --device-code")
        }
        if let tenant, !Self.isTenant(tenant) {
            throw ValidationError("--tenant must be a tenant id (a GUID) or a domain like kreska.onmicrosoft.com, not \(tenant)")
        }
        if !GUID.isValid(clientID) { throw ValidationError("--client-id must be the app's application id, a GUID") }
        let environmentSecret = ProcessInfo.processInfo.environment[Self.secretVariable].map { !$0.isEmpty } ?? false
        let ways = [clientSecretFile != nil, certificate != nil || privateKey != nil, deviceCode].filter { $0 }.count
        if ways > 1 { throw ValidationError("give one way to sign in: --client-secret-file, --certificate with --private-key, or --device-code") }
        if ways == 0 && !environmentSecret {
            throw ValidationError("give a way to sign in: --client-secret-file F (or \(Self.secretVariable)), --certificate F --private-key F, or --device-code")
        }
        if (certificate == nil) != (privateKey == nil) { throw ValidationError("--certificate and --private-key go together") }
        guard Cloud(rawValue: cloud) != nil else { throw ValidationError("--cloud must be global, usgov or china") }
        for (option, value) in [("--login-url", loginURL), ("--graph-url", graphURL), ("--partner-center-url", partnerCenterURL)] {
            guard let value else { continue }
            do { _ = try ServiceRoot(value) } catch { throw ValidationError("\(option) \(error)") }
        }
        if manyTenants {
            let option = tenants != nil ? "--tenants" : "--partner-tenant"
            guard SnapshotImport.isDirectory(output) else { throw ValidationError("with \(option), --output must be an existing folder (content/tenants)") }
            if tenantOptions.slug != nil { throw ValidationError("with \(option), each tenant has its own slug: --slug does not apply") }
            if tenantOptions.name != nil || tenantOptions.domain != nil || tenantOptions.nip != nil {
                throw ValidationError("with \(option), --name, --domain and --nip do not apply (they belong to one tenant)")
            }
        } else {
            try tenantOptions.validate(output: output)
        }
    }

    /// `--tenants` or `--partner-tenant`: many tenants, a folder for their snapshots, a summary table.
    var manyTenants: Bool { tenants != nil || partnerTenant != nil }

    static func isTenant(_ text: String) -> Bool {
        if GUID.isValid(text) { return true }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && text.utf8.count <= 253 && labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == UInt8(ascii: "-") }
        }
    }

    struct Line {
        var tenant: String
        var slug: String?
        var channel: String?
        var lineNumber: Int
    }

    mutating func run() async throws {
        let signIn: SignIn
        do {
            signIn = try readSignIn()
        } catch let problem as Diagnostic {
            SnapshotImport.printProblems([problem])
            throw ExitCode(1)
        }
        var endpoints = Endpoints(cloud: Cloud(rawValue: cloud)!)
        if let loginURL { endpoints.login = try ServiceRoot(loginURL) }
        if let graphURL { endpoints.graph = try ServiceRoot(graphURL) }

        let transport = Transport()
        let scrubber = SecretScrubber()
        let progress = ProgressLine()
        let lines: [Line]
        if let partnerTenant {
            let partnerCenter = try ServiceRoot(partnerCenterURL ?? PartnerCustomers.partnerCenter)
            var settings = Fetcher.Settings()
            settings.progress = { progress.show($0) }
            let listed = await PartnerCustomers.list(partnerTenant: partnerTenant, clientID: clientID, signIn: signIn, login: endpoints.login,
                                                     partnerCenter: partnerCenter, transport: transport, scrubber: scrubber, settings: settings)
            progress.clear()
            switch listed {
            case .success(let customers):
                lines = Self.lines(for: customers)
                FileHandle.standardError.write(Data("Partner Center lists \(customers.count) customer\(customers.count == 1 ? "" : "s") of \(partnerTenant)\n".utf8))
            case .failure(let problem):
                FileHandle.standardError.write(Data("\(partnerTenant): the customer list could not be read: \(scrubber.scrub(problem.description)) (nothing written)\n".utf8))
                await transport.shutdown()
                throw ExitCode(1)
            }
        } else if let tenants {
            switch Self.readTenants(tenants) {
            case .success(let read): lines = read
            case .failure(let invalid):
                SnapshotImport.printProblems(invalid.diagnostics)
                await transport.shutdown()
                throw ExitCode(1)
            }
        } else {
            lines = [Line(tenant: tenant!, slug: tenantOptions.slug, channel: nil, lineNumber: 0)]
        }

        var results: [(line: Line, outcome: String, ok: Bool)] = []
        for line in lines {
            let result = await fetchOne(line, signIn: signIn, endpoints: endpoints, transport: transport, scrubber: scrubber, progress: progress)
            progress.clear()
            results.append((line, scrubber.scrub(result.message), result.ok))
            if !manyTenants {
                if result.ok { print(scrubber.scrub(result.message)) } else { FileHandle.standardError.write(Data((scrubber.scrub(result.message) + "\n").utf8)) }
            }
        }
        await transport.shutdown()
        if manyTenants {
            print(Self.table(results.map { [$0.line.tenant, $0.line.slug ?? "", $0.ok ? "ok" : "FAILED", $0.outcome] }))
            let failed = results.filter { !$0.ok }.count
            print("\(results.count - failed) of \(results.count) tenants fetched" + (failed > 0 ? ", \(failed) failed" : ""))
        }
        if results.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }

    /// One tenant: capture, then import; the message is the summary line or what went wrong.
    private func fetchOne(_ line: Line, signIn: SignIn, endpoints: Endpoints, transport: Transport, scrubber: SecretScrubber, progress: ProgressLine) async -> (ok: Bool, message: String) {
        let target = !manyTenants ? output : (output.hasSuffix("/") ? output : output + "/") + "\(line.slug!).json"
        // The slug names the capture folder; with a folder as --output and no --slug it is not known before the
        // import (it comes from the tenant's name), so the capture is named after the tenant as given.
        let slug = line.slug ?? (SnapshotImport.isDirectory(target)
            ? Importer.slug(from: line.tenant)
            : URL(fileURLWithPath: target).deletingPathExtension().lastPathComponent)
        let now = Date()
        let stamp = Timestamp(secondsSinceEpoch: Int64(now.timeIntervalSince1970)).description
            .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")   // 20261205T030102Z: no ':' for Windows copies
        let folder: String
        if let capture {
            folder = !manyTenants ? capture : (capture.hasSuffix("/") ? capture : capture + "/") + "\(slug)/\(stamp)"
        } else {
            folder = Fetcher.defaultCaptureFolder(forSnapshotAt: target, slug: slug, stamp: stamp)
        }
        var settings = Fetcher.Settings()
        let name = line.tenant
        settings.progress = { progress.show("\(name): \($0)") }
        let job = Fetcher.Job(tenant: line.tenant, clientID: clientID, signIn: signIn, endpoints: endpoints, captureFolder: folder)
        switch await Fetcher.fetch(job, transport: transport, scrubber: scrubber, settings: settings) {
        case .failure(let problem):
            return (false, "\(line.tenant): \(problem) (nothing written)")
        case .success(let captured):
            progress.clear()
            for warning in captured.warnings {
                FileHandle.standardError.write(Data("\(captured.folder): warning: \(warning)\n".utf8))
            }
            var options = tenantOptions
            options.slug = line.slug ?? tenantOptions.slug
            if let channel = line.channel { options.channel = channel }
            if partnerTenant != nil, options.channel == nil { options.channel = Management.Channel.partner.rawValue }
            switch SnapshotImport.run(files: [captured.folder], output: target, tenant: options, captured: nil) {
            case .failure(let invalid):
                SnapshotImport.printProblems(invalid.diagnostics)
                return (false, "\(line.tenant): the capture in \(captured.folder) does not import (problems above); no snapshot written, the capture is kept")
            case .success(let summary):
                return (true, summary.line + "; capture \(captured.folder) (\(captured.files.count) pages)")
            }
        }
    }

    private func readSignIn() throws -> SignIn {
        if deviceCode {
            return .deviceCode(show: { message in FileHandle.standardError.write(Data((message + "\n").utf8)) })
        }
        if let certificate, let privateKey {
            let certificateText = try Self.readSmallText(certificate)
            let keyText = try Self.readSmallText(privateKey, secret: true)
            do {
                let loaded = try ClientCertificate.load(certificate: certificateText, certificateFile: certificate, privateKey: keyText, keyFile: privateKey)
                if loaded.notValidAfter < Date() {
                    throw Diagnostic(file: certificate, location: .wholeFile, message: "the certificate expired on \(Timestamp(secondsSinceEpoch: Int64(loaded.notValidAfter.timeIntervalSince1970))): upload a new one to the app registration")
                }
                return .certificate(loaded)
            } catch let problem as ClientCertificate.Problem {
                throw Diagnostic(file: problem.file, location: .wholeFile, message: problem.message)
            }
        }
        if let clientSecretFile {
            let secret = try Self.readSmallText(clientSecretFile, secret: true).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { throw Diagnostic(file: clientSecretFile, location: .wholeFile, message: "is empty: it should hold the client secret's value") }
            return .clientSecret(secret)
        }
        let secret = (ProcessInfo.processInfo.environment[Self.secretVariable] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return .clientSecret(secret)
    }

    /// Reads a small text file (a secret, a key, a certificate); a secret readable by others gets a warning.
    static func readSmallText(_ path: String, secret: Bool = false) throws(Diagnostic) -> String {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, limit: 256 * 1024, followLinks: true)
        } catch {
            throw Diagnostic(file: path, location: .wholeFile, message: error.description)
        }
        if secret, let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            FileHandle.standardError.write(Data("\(path): warning: other users can read this file (mode \(String(mode, radix: 8))): chmod 600 \(path)\n".utf8))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Diagnostic(file: path, location: .wholeFile, message: "is not UTF-8 text")
        }
        return text
    }

    /// One line per customer: its tenant id, a slug from its name (unique: `-2`, `-3` … when two names make one).
    static func lines(for customers: [PartnerCustomers.Customer]) -> [Line] {
        var used: Set<String> = []
        return customers.enumerated().map { index, customer in
            var base = Importer.slug(from: customer.companyName)
            if !SnapshotDecoder.isValidSlug(base) { base = "tenant-" + customer.tenantID.prefix(8) }
            base = String(base.prefix(58))
            var slug = base, n = 1
            while !used.insert(slug).inserted { n += 1; slug = "\(base)-\(n)" }
            return Line(tenant: customer.tenantID, slug: slug, channel: nil, lineNumber: index + 1)
        }
    }

    /// `TENANT SLUG [CHANNEL]` per line; blank lines and `#` comments skipped.
    static func readTenants(_ path: String) -> Result<[Line], InvalidInput> {
        let text: String
        do { text = try readSmallText(path) } catch { return .failure(InvalidInput([error])) }
        var lines: [Line] = [], problems: [Diagnostic] = []
        var slugs: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if fields.isEmpty { continue }
            func problem(_ message: String) { problems.append(Diagnostic(file: path, location: .lineColumn(line: number, column: 1), message: message)) }
            guard fields.count == 2 || fields.count == 3 else { problem("expected TENANT SLUG [CHANNEL], got \(fields.count) fields"); continue }
            guard isTenant(fields[0]) else { problem("\(fields[0]) is not a tenant id (GUID) or domain"); continue }
            guard SnapshotDecoder.isValidSlug(fields[1]) else { problem("the slug \(fields[1]) must match \(SnapshotDecoder.slugPattern)"); continue }
            if fields.count == 3, Management.Channel(rawValue: fields[2]) == nil { problem("the channel must be home.pl, az.pl, partner or direct, not \(fields[2])"); continue }
            if let first = slugs[fields[1]] { problem("the slug \(fields[1]) is already used on line \(first)"); continue }
            slugs[fields[1]] = number
            lines.append(Line(tenant: fields[0], slug: fields[1], channel: fields.count == 3 ? fields[2] : nil, lineNumber: number))
        }
        if lines.isEmpty && problems.isEmpty { problems.append(Diagnostic(file: path, location: .wholeFile, message: "lists no tenants")) }
        return problems.isEmpty ? .success(lines) : .failure(InvalidInput(problems))
    }

    static func table(_ rows: [[String]]) -> String {
        let header = ["tenant", "slug", "result", "details"]
        let all = [header] + rows
        let widths = (0..<3).map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[3]
        }.joined(separator: "\n")
    }
}

/// One line on stderr that rewrites itself, only on a terminal (quiet in cron and CI logs).
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled = isatty(2) == 1
    private var shown = false

    func show(_ text: String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text.prefix(120))".utf8))
        shown = true
    }

    func clear() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}
