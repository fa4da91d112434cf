import Foundation
import Testing
import TenantImport
import TestHelpers

/// The built binary with these arguments, without the client-secret variable of the environment that runs the tests.
func runFetch(_ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
    try runTenantsite(try tenantsiteBinary(), arguments, environment: environment, removing: ["TENANTSITE_CLIENT_SECRET"])
}

/// Every file under `folder`, by relative path.
func tree(_ folder: URL) -> [String: Data] {
    var files: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return files }
    for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        files[String(url.path.dropFirst(folder.path.count + 1))] = try? Data(contentsOf: url)
    }
    return files
}

@Suite("tenantsite fetch, the command")
struct FetchCommandTests {
    struct Workspace {
        let root: URL
        var content: URL { root.appendingPathComponent("content") }
        var secretFile: URL { root.appendingPathComponent("secret.txt") }
        init() throws {
            root = try temporaryFolder("fetch-cli")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("content/tenants"), withIntermediateDirectories: true)
            try Data((MicrosoftStandIn.secret + "\n").utf8).write(to: root.appendingPathComponent("secret.txt"))
            _ = chmod(root.appendingPathComponent("secret.txt").path, 0o600)
        }
    }

    static func arguments(_ microsoft: MicrosoftStandIn, _ workspace: Workspace, extra: [String] = []) -> [String] {
        ["fetch", "--tenant", "kreska.pl", "--client-id", MicrosoftStandIn.clientID, "--client-secret-file", workspace.secretFile.path,
         "--output", workspace.content.appendingPathComponent("tenants/kreska.json").path, "--channel", "home.pl",
         "--login-url", microsoft.url, "--graph-url", microsoft.url] + extra
    }

    @Test("fetch --history keeps every night's snapshot in content/tenants/<slug>/, the first one moved in")
    func historyKeepsEachFetch() throws {
        let microsoft = try MicrosoftStandIn()
        defer { microsoft.stop() }
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        #expect(try runFetch(Self.arguments(microsoft, workspace)).status == 0)
        Thread.sleep(forTimeInterval: 1.1)  // a capture is named by the second it was taken
        let second = try runFetch(Self.arguments(microsoft, workspace, extra: ["--history"]))
        #expect(second.status == 0, "\(second.stderr)")
        let history = workspace.content.appendingPathComponent("tenants/kreska")
        let names = try FileManager.default.contentsOfDirectory(atPath: history.path).sorted()
        #expect(names.count == 2 && names.allSatisfy { $0.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.json$"#, options: .regularExpression) != nil }, "\(names)")
        #expect(!FileManager.default.fileExists(atPath: workspace.content.appendingPathComponent("tenants/kreska.json").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.content.appendingPathComponent("captures/kreska").path).count == 2)
        let check = try runFetch(["check", "--content", workspace.content.path])
        #expect(check.status == 0, "\(check.stderr)")
    }

    /// No secret, token, refresh token, device code or assertion anywhere the user or a log could see it.
    static func expectNoSecrets(_ microsoft: MicrosoftStandIn, in texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        var secrets = [MicrosoftStandIn.secret] + microsoft.issued
        secrets += microsoft.requests.compactMap { $0.form["client_assertion"] }
        #expect(secrets.count > 1, sourceLocation: sourceLocation)
        for text in texts {
            for secret in secrets { #expect(!text.contains(secret), "a secret or token leaked", sourceLocation: sourceLocation) }
            #expect(!text.contains("Bearer "), sourceLocation: sourceLocation)
        }
    }

    @Test("fetch writes the snapshot that import of its capture writes, byte for byte; no secret in any output")
    func sameBytesAsImport() throws {
        let microsoft = try MicrosoftStandIn()
        defer { microsoft.stop() }
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let fetched = try runFetch(Self.arguments(microsoft, workspace))
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(!fetched.stderr.contains("\u{1B}[K") && !fetched.stderr.contains("\r"), "no progress line when stderr is not a terminal")
        #expect(fetched.stdout.hasPrefix("wrote \(workspace.content.path)/tenants/kreska.json: Biuro Projektowe Kreska sp. z o.o., "))
        let captures = workspace.content.appendingPathComponent("captures/kreska")
        let stamps = try FileManager.default.contentsOfDirectory(atPath: captures.path)
        #expect(stamps.count == 1 && stamps[0].range(of: #"^\d{8}T\d{6}Z$"#, options: .regularExpression) != nil)
        let capture = captures.appendingPathComponent(stamps[0])

        let other = workspace.root.appendingPathComponent("other/tenants")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let imported = try runFetch(["import", "--output", other.appendingPathComponent("kreska.json").path, "--channel", "home.pl", capture.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        let a = try Data(contentsOf: workspace.content.appendingPathComponent("tenants/kreska.json"))
        let b = try Data(contentsOf: other.appendingPathComponent("kreska.json"))
        #expect(a == b)
        #expect(String(decoding: a, as: UTF8.self).contains("\"capturedDateTime\": \"\(CaptureManifest.read(Array(try Data(contentsOf: capture.appendingPathComponent("manifest.json"))))!.capturedDateTime)\""))
        // The site builds from it.
        let check = try runFetch(["check", "--content", workspace.content.path])
        #expect(check.status == 0, "\(check.stderr)")

        // Every file the two commands wrote (the capture, its manifest, both snapshots): all but the secret's own file.
        let written = tree(workspace.root).filter { $0.key != workspace.secretFile.lastPathComponent }.values.map { String(decoding: $0, as: UTF8.self) }
        #expect(written.count == 17)   // 14 pages, the manifest, two snapshots
        Self.expectNoSecrets(microsoft, in: [fetched.stdout, fetched.stderr, imported.stdout, imported.stderr] + written)
    }

    @Test("Every fault at once — 429, 503, 504, an expired token, a body cut short, 403 on sign-in activity — still gives the snapshot")
    func everyFaultAtOnce() throws {
        let calm = try MicrosoftStandIn()
        defer { calm.stop() }
        let reference = try Workspace()
        defer { try? FileManager.default.removeItem(at: reference.root) }
        #expect(try runFetch(Self.arguments(calm, reference)).status == 0)

        let microsoft = try MicrosoftStandIn(faults: .every)
        defer { microsoft.stop() }
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let run = try runFetch(Self.arguments(microsoft, workspace, extra: ["--capture", workspace.root.appendingPathComponent("capture").path]))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: sign-in activity was not read (HTTP 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant)"))
        let manifest = try #require(CaptureManifest.read(Array(try Data(contentsOf: workspace.root.appendingPathComponent("capture/manifest.json")))))
        #expect(Set(manifest.attempts.compactMap(\.status)) == [200, 401, 429, 503, 504])
        // The same tenant as without faults, but for when it was captured and the sign-in activity the 403 withheld.
        func withoutTime(_ data: Data) -> String {
            String(decoding: data, as: UTF8.self).replacing(/"capturedDateTime": "[^"]*"/, with: "")
                .replacing(/,\n\s*"signInActivity": \{[^}]*\}/, with: "")
        }
        let a = try Data(contentsOf: reference.content.appendingPathComponent("tenants/kreska.json"))
        let b = try Data(contentsOf: workspace.content.appendingPathComponent("tenants/kreska.json"))
        #expect(String(decoding: a, as: UTF8.self).contains("\"lastSuccessfulSignInDateTime\": \"2026-11-29T07:41:12Z\""))
        #expect(!String(decoding: b, as: UTF8.self).contains("signInActivity"))
        #expect(withoutTime(a) == withoutTime(b))
        Self.expectNoSecrets(microsoft, in: [run.stdout, run.stderr] + tree(workspace.root.appendingPathComponent("capture")).values.map { String(decoding: $0, as: UTF8.self) })
    }

    @Test("A failed fetch writes nothing and leaves the previous snapshot as it was; the message names URL, status, code and request-id")
    func failureWritesNothing() throws {
        var faults = MicrosoftStandIn.Faults()
        faults.forbidAll = true
        let microsoft = try MicrosoftStandIn(faults: faults)
        defer { microsoft.stop() }
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let before = tree(workspace.root)
        let run = try runFetch(Self.arguments(microsoft, workspace))
        #expect(run.status == 1)
        #expect(run.stderr.range(of: #"kreska\.pl: http://127\.0\.0\.1:\d+/v1\.0/organization: HTTP 403 Authorization_RequestDenied: Insufficient privileges to complete the operation\. \(request-id [0-9a-f-]{36}\) \(nothing written\)"#, options: .regularExpression) != nil, "\(run.stderr)")
        #expect(tree(workspace.root) == before)
        Self.expectNoSecrets(microsoft, in: [run.stdout, run.stderr])
    }

    @Test("A secret on the command line is refused; the environment variable works")
    func secretSources() throws {
        let microsoft = try MicrosoftStandIn()
        defer { microsoft.stop() }
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        var arguments = Self.arguments(microsoft, workspace)
        let index = arguments.firstIndex(of: "--client-secret-file")!
        arguments.removeSubrange(index...(index + 1))
        let onCommandLine = try runFetch(arguments + ["--client-secret", MicrosoftStandIn.secret])
        #expect(onCommandLine.status == 64)
        #expect(onCommandLine.stderr.contains("put it in a file"))
        #expect(!microsoft.requests.contains { _ in true })
        // With a folder as --output, the snapshot is named from the tenant's name and the capture after the tenant given.
        let output = arguments.firstIndex(of: "--output")!
        arguments[output + 1] = workspace.content.appendingPathComponent("tenants").path
        let fromEnvironment = try runFetch(arguments, environment: ["TENANTSITE_CLIENT_SECRET": MicrosoftStandIn.secret])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
        #expect(FileManager.default.fileExists(atPath: workspace.content.appendingPathComponent("tenants/biuro-projektowe-kreska-sp-z-o-o.json").path))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: workspace.content.appendingPathComponent("captures/kreska-pl").path)) ?? []).count == 1)
        Self.expectNoSecrets(microsoft, in: [fromEnvironment.stdout, fromEnvironment.stderr])
    }

    @Test("Certificate sign-in from PEM files; a key that is not the certificate's is refused before anything is sent")
    func certificateFiles() throws {
        let (certificatePEM, keyPEM, thumbprint, publicKey) = try FetchTests.makeCertificate()
        let microsoft = try MicrosoftStandIn()
        defer { microsoft.stop() }
        microsoft.certificateKey = publicKey
        microsoft.certificateThumbprint = thumbprint
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let certificate = workspace.root.appendingPathComponent("app.crt"), key = workspace.root.appendingPathComponent("app.key")
        try Data(certificatePEM.utf8).write(to: certificate)
        try Data(keyPEM.utf8).write(to: key)
        _ = chmod(key.path, 0o600)
        var arguments = Self.arguments(microsoft, workspace)
        let index = arguments.firstIndex(of: "--client-secret-file")!
        arguments.replaceSubrange(index...(index + 1), with: ["--certificate", certificate.path, "--private-key", key.path])
        let run = try runFetch(arguments)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("other users can read"), "\(run.stderr)")
        Self.expectNoSecrets(microsoft, in: [run.stdout, run.stderr])
        #expect(!run.stdout.contains("PRIVATE KEY") && !run.stderr.contains("PRIVATE KEY"))

        let (_, otherKey, _, _) = try FetchTests.makeCertificate()
        try Data(otherKey.utf8).write(to: key)
        _ = chmod(key.path, 0o644)
        let requestsBefore = microsoft.requests.count
        let wrong = try runFetch(arguments)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("\(key.path): warning: other users can read this file (mode 644)"))
        #expect(wrong.stderr.contains("\(key.path): -: this private key is not the key of the certificate in \(certificate.path)"), "\(wrong.stderr)")
        #expect(microsoft.requests.count == requestsBefore)
    }

    @Test("--partner-tenant reads the partner's customers from Partner Center (app-only, every page) and fetches each one")
    func partnerCustomers() throws {
        let microsoft = try MicrosoftStandIn()
        defer { microsoft.stop() }
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let run = try runFetch(["fetch", "--partner-tenant", MicrosoftStandIn.partnerTenantID, "--client-id", MicrosoftStandIn.clientID,
                                     "--client-secret-file", workspace.secretFile.path, "--output", workspace.content.appendingPathComponent("tenants").path,
                                     "--login-url", microsoft.url, "--graph-url", microsoft.url, "--partner-center-url", microsoft.url])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("Partner Center lists 2 customers of \(MicrosoftStandIn.partnerTenantID)"))
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(run.stdout)")
        #expect(lines[1].hasPrefix("\(MicrosoftStandIn.tenantID)  biuro-projektowe-kreska-sp-z-o-o  ok "))
        #expect(lines[2].hasPrefix("7d6c5b4a-3f2e-4d1c-9b0a-8f7e6d5c4b3a  kwiaciarnia-lakowa                FAILED ") && lines[2].contains("AADSTS90002"))
        // The customer list was read with a token for the partner's tenant, the second page with its continuation token.
        let listing = microsoft.requests.filter { $0.path == "/v1/customers" }
        #expect(listing.count == 2 && listing[1].header("MS-ContinuationToken") == "page-1")
        let first = try #require(microsoft.requests.first { $0.path.hasSuffix("/token") })
        #expect(first.path == "/\(MicrosoftStandIn.partnerTenantID)/oauth2/v2.0/token")
        let snapshot = String(decoding: try Data(contentsOf: workspace.content.appendingPathComponent("tenants/biuro-projektowe-kreska-sp-z-o-o.json")), as: UTF8.self)
        #expect(snapshot.contains("\"channel\": \"partner\""))
        Self.expectNoSecrets(microsoft, in: [run.stdout, run.stderr])
    }

    @Test("--tenants fetches each tenant in turn; one tenant's failure does not stop the others; a summary table")
    func manyTenants() throws {
        let microsoft = try MicrosoftStandIn()
        defer { microsoft.stop() }
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let list = workspace.root.appendingPathComponent("tenants.txt")
        try Data("""
        # tenant                      slug       channel
        nieznany.onmicrosoft.com      nieznany   partner
        kreska.pl                     kreska     home.pl

        """.utf8).write(to: list)
        let run = try runFetch(["fetch", "--tenants", list.path, "--client-id", MicrosoftStandIn.clientID,
                                     "--client-secret-file", workspace.secretFile.path, "--output", workspace.content.appendingPathComponent("tenants").path,
                                     "--login-url", microsoft.url, "--graph-url", microsoft.url])
        #expect(run.status == 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(run.stdout)")
        #expect(lines[0].hasPrefix("tenant "))
        #expect(lines[1].hasPrefix("nieznany.onmicrosoft.com  nieznany  FAILED  ") && lines[1].contains("AADSTS90002"))
        #expect(lines[2].hasPrefix("kreska.pl                 kreska    ok      wrote "))
        #expect(lines[3] == "1 of 2 tenants fetched, 1 failed")
        #expect(FileManager.default.fileExists(atPath: workspace.content.appendingPathComponent("tenants/kreska.json").path))
        #expect(!FileManager.default.fileExists(atPath: workspace.content.appendingPathComponent("tenants/nieznany.json").path))
        let leftOver = (try? FileManager.default.contentsOfDirectory(atPath: workspace.content.appendingPathComponent("captures/nieznany").path)) ?? []
        #expect(leftOver.isEmpty)

        try Data("kreska.pl kreska\nkreska.pl kreska\nbad_tenant x\n".utf8).write(to: list)
        let broken = try runFetch(["fetch", "--tenants", list.path, "--client-id", MicrosoftStandIn.clientID,
                                        "--client-secret-file", workspace.secretFile.path, "--output", workspace.content.appendingPathComponent("tenants").path])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("tenants.txt: 2:1: the slug kreska is already used on line 1"))
        #expect(broken.stderr.contains("tenants.txt: 3:1: bad_tenant is not a tenant id (GUID) or domain"))
    }
}
