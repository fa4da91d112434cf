import Foundation
import TenantModel

/// Why a fetch stopped: the request, its status, Microsoft's error code and `request-id` — never a secret, a token
/// or a request body.
public struct FetchProblem: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var status: Int?
    /// Graph's `error.code` or Entra's `error` (with its AADSTS number when given).
    public var code: String?
    public var message: String
    public var requestID: String?

    public init(url: String, status: Int? = nil, code: String? = nil, message: String, requestID: String? = nil) {
        self.url = url
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    public var description: String {
        var text = url + ": "
        if let status { text += "HTTP \(status)" + (code.map { " \($0)" } ?? "") + ": " }
        else if let code { text += code + ": " }
        text += message
        if let requestID { text += " (request-id \(requestID))" }
        return text
    }

    /// Graph's error body `{"error": {"code", "message", "innerError": {"request-id"}}}` or Entra's
    /// `{"error", "error_description", "error_codes", "trace_id", "correlation_id"}`.
    static func from(_ exchange: HTTPExchange, url: String, what: String) -> FetchProblem {
        var code: String?, message: String?, requestID = exchange.requestID
        if let root = try? JSONParser.parse(exchange.body), case .object(let members) = root.value {
            func string(_ node: JSONNode?) -> String? { if case .string(let s)? = node?.value { return s } else { return nil } }
            let error = members.first { $0.key == "error" }?.value
            if case .object(let inner)? = error?.value {
                code = string(inner.first { $0.key == "code" }?.value)
                message = string(inner.first { $0.key == "message" }?.value)
                if case .object(let innerError)? = inner.first(where: { $0.key == "innerError" || $0.key == "innererror" })?.value.value {
                    requestID = requestID ?? string(innerError.first { $0.key == "request-id" }?.value)
                }
            } else if let entra = string(error) {
                code = entra
                message = string(members.first { $0.key == "error_description" }?.value)
                    .map { $0.split(separator: "\r\n").first.map(String.init) ?? $0 }
                requestID = requestID ?? string(members.first { $0.key == "trace_id" }?.value).map { "trace \($0)" }
            }
        }
        let reason = message.map { String($0.prefix(400)) } ?? "\(what) failed"
        return FetchProblem(url: url, status: exchange.status, code: code, message: reason, requestID: requestID)
    }
}

/// Scrubs known secrets and tokens from any text before it is printed or written: a second line of defence behind
/// never putting them into messages in the first place.
public final class SecretScrubber: @unchecked Sendable {
    private let lock = NSLock()
    private var secrets: [String] = []

    public init() {}

    public func add(_ secret: String) {
        guard secret.count >= 8 else { return }
        lock.lock(); defer { lock.unlock() }
        if !secrets.contains(secret) { secrets.append(secret) }
    }

    public func scrub(_ text: String) -> String {
        lock.lock(); defer { lock.unlock() }
        var text = text
        for secret in secrets where text.contains(secret) { text = text.replacingOccurrences(of: secret, with: "[redacted]") }
        return text
    }
}
