import _CryptoExtras
import Crypto
import Foundation
import Testing
import X509
@testable import TenantFetch
import TenantImport
import TenantModel
import TestHelpers

/// The waits a fetch asked for, instead of sleeping through them.
final class Waits: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Duration] = []
    var all: [Duration] { lock.lock(); defer { lock.unlock() }; return list }
    func add(_ d: Duration) { lock.lock(); list.append(d); lock.unlock() }
}

struct Run {
    var result: Result<Fetcher.Capture, FetchProblem>
    var waits: [Duration]
    var folder: URL
    var capture: URL { folder.appendingPathComponent("capture") }
}

/// Fetches the stand-in's tenant with the library, waits recorded (not slept).
func fetch(_ microsoft: MicrosoftStandIn, signIn: SignIn = .clientSecret(MicrosoftStandIn.secret), tenant: String = "kreska.pl",
           retry: RetryPolicy = RetryPolicy(), limits: Transport.Limits = Transport.Limits()) async throws -> Run {
    let folder = try temporaryFolder("fetch")
    let waits = Waits()
    var settings = Fetcher.Settings()
    settings.retry = retry
    settings.sleep = { waits.add($0) }
    let endpoints = Endpoints(login: try ServiceRoot(microsoft.url), graph: try ServiceRoot(microsoft.url))
    let transport = Transport(limits: limits)
    let job = Fetcher.Job(tenant: tenant, clientID: MicrosoftStandIn.clientID, signIn: signIn, endpoints: endpoints,
                          captureFolder: folder.appendingPathComponent("capture").path)
    let result = await Fetcher.fetch(job, transport: transport, scrubber: SecretScrubber(), settings: settings)
    await transport.shutdown()
    return Run(result: result, waits: waits.all, folder: folder)
}

func files(in folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
}

@Suite("fetch: sign-in, paging, faults")
struct FetchTests {
    @Test("Every page of every list is kept as received, with a manifest; the capture imports")
    func pagesAndManifest() async throws {
        let microsoft = try MicrosoftStandIn()
        defer { microsoft.stop() }
        let run = try await fetch(microsoft)
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let capture = try run.result.get()
        #expect(files(in: run.capture) == ["directory-subscriptions-1.json", "directory-subscriptions-2.json", "directory-subscriptions-3.json",
                                           "directory-subscriptions-4.json", "groups-1.json", "groups-2.json", "manifest.json", "organization-1.json",
                                           "subscribedSkus-1.json", "subscribedSkus-2.json", "subscribedSkus-3.json", "subscribedSkus-4.json",
                                           "users-1.json", "users-2.json", "users-3.json"])
        #expect(capture.manifest.attempts.isEmpty && capture.warnings.isEmpty)
        #expect(run.waits.isEmpty)
        // The bytes on disk are the bytes the server sent, page for page.
        let graphGets = microsoft.requests.filter { $0.method == "GET" }
        #expect(graphGets.count == 14)
        for page in capture.manifest.pages {
            #expect(page.status == 200 && page.requestId != nil && page.url.hasPrefix(microsoft.url))
        }
        // The users were asked with sign-in activity; the groups with the advanced query's header.
        let users = graphGets.first { $0.path == "/v1.0/users" }!
        #expect(MicrosoftStandIn.query(users.query)["$select"]!.contains("signInActivity"))
        #expect(graphGets.filter { $0.path == "/v1.0/groups" }.allSatisfy { $0.header("ConsistencyLevel") == "eventual" })
        // The two licence lists back to back.
        let order = graphGets.map(\.path)
        let skus = order.lastIndex(of: "/v1.0/subscribedSkus")!, subscriptions = order.firstIndex(of: "/v1.0/directory/subscriptions")!
        #expect(subscriptions == skus + 1)
        // The manifest reads back, and import takes the capture as it is.
        let manifest = try #require(CaptureManifest.read(Array(try Data(contentsOf: run.capture.appendingPathComponent("manifest.json")))))
        #expect(manifest == capture.manifest)
        let inputs = try capture.files.map { ($0, Array(try Data(contentsOf: run.capture.appendingPathComponent($0)))) }
        var options = Importer.Options(capturedDateTime: manifest.captured!, slug: "kreska")
        options.channel = .homePl
        let imported = try Importer.importFiles(inputs, options: options).get()
        #expect(imported.snapshot.users.count == 6)
        #expect(imported.snapshot.tenant.id == MicrosoftStandIn.tenantID)
    }

    @Test("429 waits as long as Retry-After says (seconds or an HTTP date); 503 and 504 back off with jitter")
    func throttlingAndOutages() async throws {
        var faults = MicrosoftStandIn.Faults()
        faults.throttleUsers = true
        faults.retryAfter = "7"
        faults.unavailableSkus = true
        faults.gatewayTimeoutGroups = true
        let microsoft = try MicrosoftStandIn(faults: faults)
        defer { microsoft.stop() }
        let run = try await fetch(microsoft)
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let capture = try run.result.get()
        #expect(capture.manifest.attempts.map(\.status) == [503, 429, 504])
        #expect(capture.manifest.attempts.map(\.problem) == ["serviceNotAvailable", "TooManyRequests", "HTTP 504"])
        #expect(capture.manifest.attempts.allSatisfy { $0.waitedMilliseconds != nil })
        #expect(run.waits.count == 3)
        #expect(run.waits[1] == .seconds(7))
        #expect(run.waits[0] <= .seconds(1) && run.waits[2] <= .seconds(1))

        let date = Date(timeIntervalSince1970: 1_796_000_000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        #expect(RetryPolicy.retryAfter(formatter.string(from: date.addingTimeInterval(30)), now: date) == .seconds(30))
        #expect(RetryPolicy.retryAfter("soon", now: date) == nil)
        var generator = SystemRandomNumberGenerator()
        let policy = RetryPolicy()
        for n in 1...8 {
            let wait = policy.backoff(retry: n, using: &generator)
            #expect(wait >= .zero && wait <= min(policy.maxDelay, .seconds(1 << (n - 1))))
        }
    }

    @Test("A Graph that keeps throttling spends the retry budget and stops with the URL, status, code and request-id; nothing is written")
    func retryBudget() async throws {
        var faults = MicrosoftStandIn.Faults()
        faults.throttleForever = true
        let microsoft = try MicrosoftStandIn(faults: faults)
        defer { microsoft.stop() }
        var retry = RetryPolicy()
        retry.budget = 3
        let run = try await fetch(microsoft, retry: retry)
        defer { try? FileManager.default.removeItem(at: run.folder) }
        guard case .failure(let problem) = run.result else { Issue.record("expected a failure"); return }
        #expect(problem.status == 429 && problem.code == "TooManyRequests" && problem.requestID != nil)
        #expect(problem.url == "\(microsoft.url)/v1.0/organization")
        #expect(problem.description.contains("retry budget of 3"))
        #expect(run.waits.count == 3)
        #expect(files(in: run.folder) == [], "neither the capture nor its staging folder is left")

        // A Retry-After longer than the longest wait stops at once instead of sleeping for an hour.
        var long = MicrosoftStandIn.Faults()
        long.throttleForever = true
        long.retryAfter = "3600"
        let slow = try MicrosoftStandIn(faults: long)
        defer { slow.stop() }
        let second = try await fetch(slow)
        defer { try? FileManager.default.removeItem(at: second.folder) }
        guard case .failure(let stopped) = second.result else { Issue.record("expected a failure"); return }
        #expect(stopped.description.contains("asked to wait 3600 s"))
        #expect(second.waits.isEmpty)
    }

    @Test("A 401 for an expired token gets one fresh token and the request again")
    func expiredToken() async throws {
        var faults = MicrosoftStandIn.Faults()
        faults.expireToken = true
        let microsoft = try MicrosoftStandIn(faults: faults)
        defer { microsoft.stop() }
        let run = try await fetch(microsoft)
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let capture = try run.result.get()
        #expect(microsoft.requests.filter { $0.path.hasSuffix("/token") }.count == 2)
        #expect(capture.manifest.attempts.map(\.problem) == ["InvalidAuthenticationToken"])
        #expect(run.waits.isEmpty)
    }

    @Test("A body cut short is asked for again; the capture holds the whole one")
    func malformedBody() async throws {
        var faults = MicrosoftStandIn.Faults()
        faults.malformedUsers = true
        let microsoft = try MicrosoftStandIn(faults: faults)
        defer { microsoft.stop() }
        let run = try await fetch(microsoft)
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let capture = try run.result.get()
        #expect(capture.manifest.attempts.count == 1 && capture.manifest.attempts[0].problem.hasPrefix("body is not JSON"))
        let users = Array(try Data(contentsOf: run.capture.appendingPathComponent("users-1.json")))
        #expect((try? JSONParser.parse(users)) != nil)
    }

    @Test("A 403 on sign-in activity or groups is a warning; a 403 on a needed list stops the fetch")
    func forbidden() async throws {
        var faults = MicrosoftStandIn.Faults()
        faults.forbidSignInActivity = true
        faults.forbidGroups = true
        let microsoft = try MicrosoftStandIn(faults: faults)
        defer { microsoft.stop() }
        let run = try await fetch(microsoft)
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let capture = try run.result.get()
        #expect(capture.warnings.count == 2)
        #expect(capture.warnings[0].contains("AuditLog.Read.All") && capture.warnings[0].contains("Authentication_RequestFromNonPremiumTenantOrB2CTenant"))
        #expect(capture.warnings[1].contains("Group.Read.All"))
        #expect(!files(in: run.capture).contains { $0.hasPrefix("groups") })
        #expect(files(in: run.capture).filter { $0.hasPrefix("users") }.count == 3)
        let users = microsoft.requests.filter { $0.path == "/v1.0/users" }
        #expect(!MicrosoftStandIn.query(users.last!.query)["$select"]!.contains("signInActivity"))

        var all = MicrosoftStandIn.Faults()
        all.forbidAll = true
        let refusing = try MicrosoftStandIn(faults: all)
        defer { refusing.stop() }
        let second = try await fetch(refusing)
        defer { try? FileManager.default.removeItem(at: second.folder) }
        guard case .failure(let problem) = second.result else { Issue.record("expected a failure"); return }
        #expect(problem.status == 403 && problem.code == "Authorization_RequestDenied" && problem.requestID != nil)
        #expect(problem.description.hasPrefix("\(refusing.url)/v1.0/organization: HTTP 403 Authorization_RequestDenied: Insufficient privileges"))
        #expect(files(in: second.folder) == [])
    }

    @Test("A wrong client secret stops at sign-in with Entra's code, and the secret is in no message")
    func wrongSecret() async throws {
        let microsoft = try MicrosoftStandIn()
        defer { microsoft.stop() }
        let wrong = "Zz9~wrongWrongWrong.secret_value_1234567"
        let run = try await fetch(microsoft, signIn: .clientSecret(wrong))
        defer { try? FileManager.default.removeItem(at: run.folder) }
        guard case .failure(let problem) = run.result else { Issue.record("expected a failure"); return }
        #expect(problem.status == 401 && problem.code == "invalid_client")
        #expect(problem.message.hasPrefix("AADSTS7000215: Invalid client secret provided."))
        #expect(!problem.description.contains(wrong))
        #expect(!microsoft.requests.contains { $0.method == "GET" })
        #expect(files(in: run.folder) == [])
    }

    @Test("A certificate signs a PS256 client assertion that names its SHA-256 thumbprint")
    func certificate() async throws {
        let (certificatePEM, keyPEM, thumbprint, publicKey) = try Self.makeCertificate()
        let loaded = try ClientCertificate.load(certificate: certificatePEM, certificateFile: "app.crt", privateKey: keyPEM, keyFile: "app.key")
        #expect(loaded.thumbprint == thumbprint)
        let microsoft = try MicrosoftStandIn()
        defer { microsoft.stop() }
        microsoft.certificateKey = publicKey
        microsoft.certificateThumbprint = thumbprint
        let run = try await fetch(microsoft, signIn: .certificate(loaded))
        defer { try? FileManager.default.removeItem(at: run.folder) }
        _ = try run.result.get()
        let token = try #require(microsoft.requests.first { $0.path.hasSuffix("/token") })
        #expect(token.form["client_secret"] == nil && token.form["client_assertion"] != nil)

        // Another key than the certificate's is refused before anything is sent.
        let (_, otherKey, _, _) = try Self.makeCertificate()
        #expect(throws: ClientCertificate.Problem.self) {
            _ = try ClientCertificate.load(certificate: certificatePEM, certificateFile: "app.crt", privateKey: otherKey, keyFile: "other.key")
        }
    }

    @Test("Device code: the admin is shown the code; pending and slow_down are waited out; the refresh token renews")
    func deviceCode() async throws {
        var faults = MicrosoftStandIn.Faults()
        faults.expireToken = true
        let microsoft = try MicrosoftStandIn(faults: faults)
        defer { microsoft.stop() }
        let shown = Waits()
        let messages = LockedStrings()
        let run = try await fetch(microsoft, signIn: .deviceCode(show: { messages.add($0); shown.add(.zero) }))
        defer { try? FileManager.default.removeItem(at: run.folder) }
        _ = try run.result.get()
        #expect(messages.all == ["To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code KRSK-4821 to authenticate."])
        // interval 1 s: two pending polls, then slow_down (+5 s), then the token.
        #expect(run.waits == [.seconds(1), .seconds(1), .seconds(1), .seconds(6)])
        let grants = microsoft.requests.filter { $0.path.hasSuffix("/token") }.map { $0.form["grant_type"] ?? "" }
        #expect(grants == Array(repeating: "urn:ietf:params:oauth:grant-type:device_code", count: 4) + ["refresh_token"])
        let code = try #require(microsoft.requests.first { $0.path.hasSuffix("/devicecode") })
        #expect(code.form["scope"]!.contains("\(microsoft.url)/User.Read.All") && code.form["scope"]!.hasSuffix("offline_access"))

        var expiring = MicrosoftStandIn.Faults()
        expiring.deviceExpires = true
        let late = try MicrosoftStandIn(faults: expiring)
        defer { late.stop() }
        let second = try await fetch(late, signIn: .deviceCode(show: { _ in }))
        defer { try? FileManager.default.removeItem(at: second.folder) }
        guard case .failure(let problem) = second.result else { Issue.record("expected a failure"); return }
        #expect(problem.code == "expired_token" && problem.message.contains("expired before anyone signed in"))
    }

    @Test("Service roots: https anywhere, http only on loopback; a next link off the Graph host is not followed")
    func serviceRoots() throws {
        #expect(throws: ServiceRoot.Problem.self) { _ = try ServiceRoot("http://graph.example.com") }
        #expect(throws: ServiceRoot.Problem.self) { _ = try ServiceRoot("ftp://127.0.0.1") }
        #expect(throws: ServiceRoot.Problem.self) { _ = try ServiceRoot("https://graph.microsoft.com/?x=1") }
        #expect((try? ServiceRoot("http://127.0.0.1:8080/")) != nil)
        #expect((try? ServiceRoot("http://[::1]:8080")) != nil)
        let graph = try ServiceRoot("https://graph.microsoft.com")
        #expect(graph.contains("https://graph.microsoft.com/v1.0/users?$skiptoken=X"))
        #expect(!graph.contains("https://graph.microsoft.com.evil.example/v1.0/users"))
        #expect(!graph.contains("http://graph.microsoft.com/v1.0/users"))
        #expect(!graph.contains("https://user@graph.microsoft.com/v1.0/users"))
        #expect(!graph.contains("https://graph.microsoft.com:8443/v1.0/users"))
        #expect(Endpoints(cloud: .usgov).tokenURL(tenant: "kreska.pl") == "https://login.microsoftonline.us/kreska.pl/oauth2/v2.0/token")
        #expect(Endpoints(cloud: .china).defaultScope == "https://microsoftgraph.chinacloudapi.cn/.default")
    }

    @Test("A next link to another host is not followed (the token goes to Graph only); a server that does not answer times out and is asked again")
    func foreignLinkAndTimeout() async throws {
        var faults = MicrosoftStandIn.Faults()
        faults.foreignNextLink = true
        let microsoft = try MicrosoftStandIn(faults: faults)
        defer { microsoft.stop() }
        let run = try await fetch(microsoft)
        defer { try? FileManager.default.removeItem(at: run.folder) }
        guard case .failure(let problem) = run.result else { Issue.record("expected a failure"); return }
        #expect(problem.message.contains("leads off \(microsoft.url)"))
        #expect(files(in: run.folder) == [])

        var stalling = MicrosoftStandIn.Faults()
        stalling.stallSkus = 2.5
        let slow = try MicrosoftStandIn(faults: stalling)
        defer { slow.stop() }
        var limits = Transport.Limits()
        limits.readTimeout = .seconds(1)
        let second = try await fetch(slow, limits: limits)
        defer { try? FileManager.default.removeItem(at: second.folder) }
        let capture = try second.result.get()
        #expect(capture.manifest.attempts.map(\.problem).first == "no data within the read timeout")
        #expect(capture.manifest.attempts.first?.url == "\(slow.url)/v1.0/subscribedSkus")
    }

    /// A self-signed RSA certificate (swift-certificates), its key in PEM, its thumbprint and public key.
    static func makeCertificate() throws -> (String, String, String, _RSA.Signing.PublicKey) {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let name = try DistinguishedName { CommonName("tenantsite fetch test") }
        let now = Date()
        let certificate = try Certificate(version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                                          notValidBefore: now.addingTimeInterval(-60), notValidAfter: now.addingTimeInterval(86400),
                                          issuer: name, subject: name, signatureAlgorithm: .sha256WithRSAEncryption,
                                          extensions: Certificate.Extensions {}, issuerPrivateKey: .init(key))
        let pem = try certificate.serializeAsPEM()
        let thumbprint = Data(SHA256.hash(data: pem.derBytes)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return (pem.pemString, key.pemRepresentation, thumbprint, key.publicKey)
    }
}

final class LockedStrings: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
    func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
}
