import Foundation
import TenantModel

/// `manifest.json` of a capture folder that `tenantsite fetch` writes beside the raw responses: which URL each
/// file came from, when, with which status and `request-id`, and every failed attempt before it. `import` skips it
/// as a response and takes `capturedDateTime` from it, so that `fetch` and `import` of its capture write the same
/// bytes. It never holds a secret or a token.
public struct CaptureManifest: Codable, Sendable, Equatable {
    /// The format's version; the key also tells a manifest from a Graph response.
    public var tenantsiteCapture: Int = 1
    /// The tenant as given to `fetch` (id or domain).
    public var tenant: String
    /// The Graph service root read.
    public var graph: String
    /// How the app signed in: `client-secret`, `certificate` or `device-code`.
    public var signIn: String
    /// When the licence lists were read (UTC, whole seconds): the snapshot's `capturedDateTime`.
    public var capturedDateTime: String
    public var finishedDateTime: String
    public var pages: [Page]
    /// Attempts that failed (throttled, unavailable, cut short, expired token), in order, and how long was waited.
    public var attempts: [Attempt]
    /// What was left out and why (a 403 on an optional request).
    public var warnings: [String]

    public struct Page: Codable, Sendable, Equatable {
        public var file: String
        /// What was asked: `organization`, `subscribedSkus`, `directory/subscriptions`, `users`, `groups`.
        public var request: String
        public var url: String
        public var dateTime: String
        public var status: Int
        public var requestId: String?

        public init(file: String, request: String, url: String, dateTime: String, status: Int, requestId: String?) {
            self.file = file
            self.request = request
            self.url = url
            self.dateTime = dateTime
            self.status = status
            self.requestId = requestId
        }
    }

    public struct Attempt: Codable, Sendable, Equatable {
        public var url: String
        public var dateTime: String
        /// The HTTP status, when a response came.
        public var status: Int?
        /// Graph's or Entra's error code (`TooManyRequests`, `InvalidAuthenticationToken`, …) or what failed below HTTP.
        public var problem: String
        public var requestId: String?
        /// The wait before the next attempt, when there was one.
        public var waitedMilliseconds: Int?

        public init(url: String, dateTime: String, status: Int?, problem: String, requestId: String?, waitedMilliseconds: Int? = nil) {
            self.url = url
            self.dateTime = dateTime
            self.status = status
            self.problem = problem
            self.requestId = requestId
            self.waitedMilliseconds = waitedMilliseconds
        }
    }

    public init(tenant: String, graph: String, signIn: String, capturedDateTime: String, finishedDateTime: String,
                pages: [Page], attempts: [Attempt], warnings: [String]) {
        self.tenant = tenant
        self.graph = graph
        self.signIn = signIn
        self.capturedDateTime = capturedDateTime
        self.finishedDateTime = finishedDateTime
        self.pages = pages
        self.attempts = attempts
        self.warnings = warnings
    }

    public static let fileName = "manifest.json"

    /// The manifest in `bytes`, or nil when they are something else (a Graph response, an invoice).
    public static func read(_ bytes: [UInt8]) -> CaptureManifest? {
        // Cheap first: only a manifest has the key (a Graph page that mentions the word fails to decode below).
        guard bytes.count < 16 * 1024 * 1024, bytes.contains(bytes: Array("\"tenantsiteCapture\"".utf8)) else { return nil }
        return try? JSONDecoder().decode(CaptureManifest.self, from: Data(bytes))
    }

    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8))
    }

    /// `capturedDateTime` as a timestamp.
    public var captured: Timestamp? { Timestamp(rfc3339: capturedDateTime) }
}
