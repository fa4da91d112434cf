import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP exchange as received: status, headers and the whole body (capped).
public struct HTTPExchange: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Graph's and Entra's id of the request, which Microsoft's support asks for.
    public var requestID: String? { header("request-id") ?? header("x-ms-request-id") ?? header("client-request-id") }
}

/// What went wrong below HTTP: the connection, a timeout, a body over the cap.
public struct TransportFailure: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var reason: String
    /// False when asking again cannot help (a response over the size cap).
    public var retryable = true
    public var description: String { "\(url): \(reason)" }
}

/// The HTTP client: async-http-client (SwiftNIO), chosen for its separate connect and read timeouts, a body read
/// with a hard cap, and redirects switched off (a redirect must never carry a bearer token to another host).
public final class Transport: Sendable {
    public struct Limits: Sendable {
        public var connectTimeout: TimeAmount = .seconds(15)
        public var readTimeout: TimeAmount = .seconds(90)
        /// One response: a page of users with every field is well under 10 MB.
        public var maxBodyBytes = 64 * 1024 * 1024
        public init() {}
    }

    let client: HTTPClient
    let limits: Limits

    public init(limits: Limits = Limits()) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: limits.connectTimeout, read: limits.readTimeout))
        configuration.httpVersion = .automatic
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.limits = limits
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Sends one request. `form` is sent as `application/x-www-form-urlencoded`. Never logs anything: the
    /// headers and the form carry secrets.
    public func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], form: [(String, String)]? = nil) async throws(TransportFailure) -> HTTPExchange {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "tenantsite")
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            let body = Self.formEncode(form)
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(bytes: Array(body.utf8)))
        }
        do {
            let response = try await client.execute(request, timeout: limits.readTimeout + limits.connectTimeout + .seconds(30))
            let buffer = try await response.body.collect(upTo: limits.maxBodyBytes)
            return HTTPExchange(status: Int(response.status.code),
                                headers: response.headers.map { ($0.name, $0.value) },
                                body: Array(buffer.readableBytesView))
        } catch {
            throw TransportFailure(url: url, reason: Self.describe(error, maxBytes: limits.maxBodyBytes), retryable: !(error is NIOTooManyBytesError))
        }
    }

    static func describe(_ error: any Error, maxBytes: Int) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "no connection within the connect timeout"
            case .readTimeout: return "no data within the read timeout"
            case .deadlineExceeded: return "the response did not finish in time"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: break
            }
        }
        if let error = error as? IOError {
            return "cannot connect: \(String(cString: strerror(error.errnoCode)))"
        }
        if error is NIOTooManyBytesError {
            return "the response is larger than \(maxBytes / 1_048_576) MB"
        }
        return "the request failed: \(error)"
    }

    /// `application/x-www-form-urlencoded` (the WHATWG form serialisation: unreserved characters kept, space as `+`).
    static func formEncode(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet.asciiUnreserved.subtracting(CharacterSet(charactersIn: "~")).union(CharacterSet(charactersIn: "*"))
        func encode(_ text: String) -> String {
            (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(of: "%20", with: "+")
        }
        return fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}

extension CharacterSet {
    /// RFC 3986 unreserved characters, ASCII only (`.alphanumerics` would let Unicode letters through unescaped).
    static let asciiUnreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
