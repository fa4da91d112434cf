import Foundation
import NIOHTTP1
import TenantImport
import TenantModel

/// `tenantsite fetch`, one tenant: sign in, read what docs/import.md names from Microsoft Graph page by page, and
/// keep every body exactly as received in a capture folder with its manifest. Turning the capture into a snapshot is
/// `import`'s job (the command runs it on the folder), so `fetch` and `import` of a capture give the same bytes.
public enum Fetcher {
    public struct Job: Sendable {
        /// The tenant's id or one of its domains.
        public var tenant: String
        public var clientID: String
        public var signIn: SignIn
        public var endpoints: Endpoints
        /// Where the capture goes; must not exist yet.
        public var captureFolder: String

        public init(tenant: String, clientID: String, signIn: SignIn, endpoints: Endpoints, captureFolder: String) {
            self.tenant = tenant
            self.clientID = clientID
            self.signIn = signIn
            self.endpoints = endpoints
            self.captureFolder = captureFolder
        }
    }

    public struct Settings: Sendable {
        public var retry = RetryPolicy()
        /// How waits are spent; tests record them instead of sleeping.
        public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
        public var clock: @Sendable () -> Date = { Date() }
        /// What is being read, for a progress line (`users: page 3`).
        public var progress: @Sendable (String) -> Void = { _ in }
        public init() {}
    }

    public struct Capture: Sendable {
        public var folder: String
        public var manifest: CaptureManifest
        /// The response files, in the order they were read (the manifest not included).
        public var files: [String]
        public var warnings: [String] { manifest.warnings }
    }

    /// The users' fields that docs/import.md maps, and sign-in activity (Entra ID P1 and AuditLog.Read.All).
    static let userFields = "id,displayName,userPrincipalName,accountEnabled,department,jobTitle,assignedLicenses,licenseAssignmentStates"

    struct Request {
        var name: String
        var file: String
        var path: String
        var headers: [(String, String)] = []
    }

    public static func fetch(_ job: Job, transport: Transport, scrubber: SecretScrubber, settings: Settings = Settings()) async -> Result<Capture, FetchProblem> {
        let writer: CaptureWriter
        do {
            writer = try CaptureWriter(folder: job.captureFolder)
        } catch {
            return .failure(FetchProblem(url: error.path, message: error.message))
        }
        let pacer = Pacer(policy: settings.retry, sleep: settings.sleep, clock: settings.clock, progress: settings.progress)
        let tokens = TokenSource(transport: transport, endpoints: job.endpoints, tenant: job.tenant, clientID: job.clientID,
                                 signIn: job.signIn, pacer: pacer, scrubber: scrubber)
        let reader = GraphReader(transport: transport, tokens: tokens, pacer: pacer, graph: job.endpoints.graph, writer: writer, progress: settings.progress)
        do {
            settings.progress("signing in")
            _ = try await tokens.token()
            let graph = job.endpoints.graph.url
            try await reader.list(Request(name: "organization", file: "organization", path: "\(graph)/v1.0/organization"))
            // The two licence lists back to back: Microsoft updates them separately, and every minute between
            // them is a chance for a purchase to show in one and not the other.
            let captured = stamp(settings.clock())
            try await reader.list(Request(name: "subscribedSkus", file: "subscribedSkus", path: "\(graph)/v1.0/subscribedSkus"))
            try await reader.list(Request(name: "directory/subscriptions", file: "directory-subscriptions", path: "\(graph)/v1.0/directory/subscriptions"))
            let users = Request(name: "users", file: "users", path: "\(graph)/v1.0/users?$select=\(userFields),signInActivity&$top=999")
            if let denied = try await reader.list(users, optional: true) {
                reader.warnings.append("sign-in activity was not read (\(denied.short)): it needs the AuditLog.Read.All permission and Microsoft Entra ID P1; users were read without it")
                try await reader.list(Request(name: "users", file: "users", path: "\(graph)/v1.0/users?$select=\(userFields)&$top=999"))
            }
            // Only groups that assign licences (an advanced query: $count and ConsistencyLevel: eventual).
            let groups = Request(name: "groups", file: "groups",
                                 path: "\(graph)/v1.0/groups?$filter=assignedLicenses/$count%20ne%200&$count=true&$select=id,displayName,assignedLicenses&$top=999",
                                 headers: [("ConsistencyLevel", "eventual")])
            if let denied = try await reader.list(groups, optional: true) {
                reader.warnings.append("groups were not read (\(denied.short)): it needs the Group.Read.All permission; licences assigned by a group are shown without the group's name")
            }
            let manifest = CaptureManifest(tenant: job.tenant, graph: graph, signIn: job.signIn.name, capturedDateTime: captured,
                                           finishedDateTime: stamp(settings.clock()), pages: reader.pages, attempts: pacer.attempts,
                                           warnings: reader.warnings.map(scrubber.scrub))
            let files = writer.files
            try writer.commit(manifest)
            return .success(Capture(folder: writer.folder, manifest: manifest, files: files))
        } catch let problem as FetchProblem {
            writer.discard()
            var scrubbed = problem
            scrubbed.message = scrubber.scrub(problem.message)
            return .failure(scrubbed)
        } catch let problem as CaptureWriter.Problem {
            writer.discard()
            return .failure(FetchProblem(url: problem.path, message: problem.message))
        } catch {
            writer.discard()
            return .failure(FetchProblem(url: job.endpoints.graph.url, message: scrubber.scrub("\(error)")))
        }
    }

    static func stamp(_ date: Date) -> String { Timestamp(secondsSinceEpoch: Int64(date.timeIntervalSince1970)).description }
}

/// Reads Graph lists: every `@odata.nextLink` followed as given (on the Graph host only), retries on 429, 503, 504,
/// failed connections and bodies that are not JSON, one fresh token after a 401.
final class GraphReader: @unchecked Sendable {
    let transport: Transport
    let tokens: TokenSource
    let pacer: Pacer
    let graph: ServiceRoot
    let writer: CaptureWriter
    let progress: @Sendable (String) -> Void
    var pages: [CaptureManifest.Page] = []
    var warnings: [String] = []

    /// A list's pages are capped: a `nextLink` that never ends is a loop, not a tenant.
    static let maxPages = 100_000

    init(transport: Transport, tokens: TokenSource, pacer: Pacer, graph: ServiceRoot, writer: CaptureWriter, progress: @escaping @Sendable (String) -> Void) {
        self.transport = transport
        self.tokens = tokens
        self.pacer = pacer
        self.graph = graph
        self.writer = writer
        self.progress = progress
    }

    struct Denied {
        var problem: FetchProblem
        var short: String { "HTTP \(problem.status ?? 403)" + (problem.code.map { " \($0)" } ?? "") }
    }

    /// Reads every page of `request` into the capture. With `optional`, a 403 removes what this request wrote and
    /// returns the refusal instead of stopping the fetch.
    @discardableResult
    func list(_ request: Fetcher.Request, optional: Bool = false) async throws -> Denied? {
        var url = request.path
        var seen: Set<String> = [url]
        var number = 0
        var written: [String] = []
        let pagesBefore = pages.count
        while true {
            number += 1
            guard number <= Self.maxPages else {
                throw FetchProblem(url: url, message: "more than \(Self.maxPages) pages: the list's next links do not end")
            }
            progress("\(request.name): page \(number)")
            let outcome: Result<(HTTPExchange, JSONNode), FetchProblem>
            do { outcome = .success(try await get(url, headers: request.headers)) } catch { outcome = .failure(error) }
            let exchange: HTTPExchange, page: JSONNode
            switch outcome {
            case .success(let received): (exchange, page) = received
            case .failure(let problem) where optional && problem.status == 403:
                for name in written { writer.remove(name) }
                pages.removeSubrange(pagesBefore...)
                return Denied(problem: problem)
            case .failure(let problem): throw problem
            }
            let name = "\(request.file)-\(number).json"
            try writer.write(name, exchange.body)
            written.append(name)
            pages.append(CaptureManifest.Page(file: name, request: request.name, url: url, dateTime: Fetcher.stamp(pacer.clock()),
                                              status: exchange.status, requestId: exchange.requestID))
            guard let next = Self.nextLink(page) else { return nil }
            guard graph.contains(next) else {
                throw FetchProblem(url: url, message: "the page's @odata.nextLink leads off \(graph.url) (\(next.prefix(120))): not followed, the token is only sent to Graph")
            }
            guard seen.insert(next).inserted else {
                throw FetchProblem(url: next, message: "the @odata.nextLink repeats an earlier page: the list would never end")
            }
            url = next
        }
    }

    /// One GET with the bearer token, and its body parsed: retried on 429/503/504 (Retry-After honoured), a failed
    /// connection and a body that is not a JSON object; a 401 gets one fresh token. Any other non-2xx status is a
    /// `FetchProblem`.
    func get(_ url: String, headers: [(String, String)]) async throws(FetchProblem) -> (HTTPExchange, JSONNode) {
        var retry = 0
        var renewed = false
        while true {
            let token = try await tokens.token()
            let exchange = try await pacer.send(url, retry: &retry) { () async throws(TransportFailure) -> HTTPExchange in
                try await transport.send(.GET, url, headers: [("Authorization", "Bearer \(token)")] + headers)
            }
            let when = Fetcher.stamp(pacer.clock())
            switch exchange.status {
            case 200..<300:
                let syntax: String
                switch Self.parse(exchange.body) {
                case .success(let page): return (exchange, page)
                case .failure(let problem): syntax = problem.where
                }
                let attempt = CaptureManifest.Attempt(url: url, dateTime: when, status: exchange.status,
                                                      problem: "body is not JSON (\(syntax))", requestId: exchange.requestID)
                if let stop = await pacer.wait(after: attempt, retry: retry, retryAfter: nil) {
                    throw FetchProblem(url: url, status: exchange.status, message: "the body is not JSON at \(syntax); \(stop)", requestID: exchange.requestID)
                }
            case 401 where !renewed:
                let problem = FetchProblem.from(exchange, url: url, what: "the request")
                pacer.record(CaptureManifest.Attempt(url: url, dateTime: when, status: 401, problem: problem.code ?? "HTTP 401", requestId: exchange.requestID))
                renewed = true
                retry -= 1
                progress("signing in again")
                _ = try await tokens.renew()
            default:
                throw FetchProblem.from(exchange, url: url, what: "the request")
            }
        }
    }

    /// The page as a JSON object, or where it stops being one.
    struct NotAnObject: Error { var `where`: String }

    static func parse(_ body: [UInt8]) -> Result<JSONNode, NotAnObject> {
        do {
            let node = try JSONParser.parse(body)
            if case .object = node.value { return .success(node) }
            return .failure(NotAnObject(where: "1:1: not a JSON object"))
        } catch {
            return .failure(NotAnObject(where: error.description))
        }
    }

    static func nextLink(_ node: JSONNode) -> String? {
        guard case .object(let members) = node.value,
              case .string(let link)? = members.first(where: { $0.key == "@odata.nextLink" })?.value.value, !link.isEmpty else { return nil }
        return link
    }
}
