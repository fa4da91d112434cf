import _CryptoExtras
import Crypto
import Foundation

/// Microsoft's token, device-code and Graph endpoints, as their documentation shapes them, for one tenant (the
/// Kreska tenant in Fixtures/tenant), with faults to switch on: throttling, outages, an expiring token, a body cut
/// short, refusals. Served by `HTTPStandIn` on 127.0.0.1.
final class MicrosoftStandIn: @unchecked Sendable {
    struct Faults: Sendable {
        /// 429 with `Retry-After` on the second page of users, the first time it is asked for.
        var throttleUsers = false
        var retryAfter = "1"
        /// 503 without `Retry-After` on subscribedSkus, once.
        var unavailableSkus = false
        /// 504 on the groups, once.
        var gatewayTimeoutGroups = false
        /// 401 `InvalidAuthenticationToken` on directory/subscriptions, once: the token is revoked (as if expired).
        var expireToken = false
        /// The first answer for the first page of users is cut short (200, half a JSON body).
        var malformedUsers = false
        /// 403 for users with `signInActivity` in `$select` (no Entra ID P1 or no AuditLog.Read.All).
        var forbidSignInActivity = false
        /// 403 for the groups (no Group.Read.All).
        var forbidGroups = false
        /// 429 on every Graph request.
        var throttleForever = false
        /// 403 on every Graph request (consent withdrawn).
        var forbidAll = false
        /// The device-code poll answers `authorization_pending` this many times, then `slow_down` once, then a token.
        var devicePending = 2
        /// The device code expires instead.
        var deviceExpires = false
        /// The users' next link points at another host.
        var foreignNextLink = false
        /// The first answer for subscribedSkus comes only after this many seconds.
        var stallSkus: Double = 0
        /// Page size of every list.
        var pageSize = 2

        static var every: Faults {
            var faults = Faults()
            faults.throttleUsers = true
            faults.unavailableSkus = true
            faults.gatewayTimeoutGroups = true
            faults.expireToken = true
            faults.malformedUsers = true
            faults.forbidSignInActivity = true
            return faults
        }
    }

    static let tenantID = "8c2e4f60-1a3b-4c5d-9e7f-0a1b2c3d4e5f"
    static let domains = ["kreska.pl", "kreskapl.onmicrosoft.com"]
    /// The partner's own tenant, whose Partner Center lists its customers.
    static let partnerTenantID = "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"
    /// Partner Center's customers: Kreska (the tenant above) and one that never consented.
    nonisolated(unsafe) static let customers: [[String: Any]] = [
        ["id": tenantID, "companyProfile": ["tenantId": tenantID, "domain": "kreskapl.onmicrosoft.com", "companyName": "Biuro Projektowe Kreska sp. z o.o."],
         "relationshipToPartner": "reseller", "attributes": ["objectType": "Customer"]],
        ["id": "7d6c5b4a-3f2e-4d1c-9b0a-8f7e6d5c4b3a", "companyProfile": ["tenantId": "7d6c5b4a-3f2e-4d1c-9b0a-8f7e6d5c4b3a", "domain": "lakowa.onmicrosoft.com", "companyName": "Kwiaciarnia Łąkowa"],
         "relationshipToPartner": "reseller", "attributes": ["objectType": "Customer"]],
    ]
    static let clientID = "3f1c9a2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"
    /// Shaped like an Entra client secret (40 characters with a `~`).
    static let secret = "Qx8~Kf3nT.vW9zR_2mLpY7sD4hJ6gB1cN0aE5uIo"

    let faults: Faults
    var certificateKey: _RSA.Signing.PublicKey?
    var certificateThumbprint: String?
    private(set) var server: HTTPStandIn!
    private let lock = NSLock()
    private var live: Set<String> = []
    private(set) var issued: [String] = []
    private var refreshTokens: Set<String> = []
    private var deviceCodes: [String: Int] = [:]
    private var fired: Set<String> = []
    let data: [String: [[String: Any]]]

    var url: String { server.url }

    init(faults: Faults = Faults()) throws {
        self.faults = faults
        var data: [String: [[String: Any]]] = [:]
        let folder = Bundle.module.url(forResource: "Fixtures/tenant", withExtension: nil)!
        for name in ["organization", "subscribedSkus", "directory-subscriptions", "users", "groups"] {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("\(name).json"))) as! [String: Any]
            data[name] = object["value"] as? [[String: Any]]
        }
        self.data = data
        server = try HTTPStandIn { [unowned self] request in self.answer(request) }
    }

    func stop() { server.stop() }

    var requests: [HTTPStandIn.Request] { server.requests }

    /// True the first time `name` is asked: a fault that fires once.
    private func once(_ name: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return fired.insert(name).inserted
    }

    private func newToken(prefix: String = "eyJ0eXAiOiJKV1Qi") -> String {
        let token = prefix + "." + UUID().uuidString.replacingOccurrences(of: "-", with: "") + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        lock.lock(); defer { lock.unlock() }
        live.insert(token)
        issued.append(token)
        return token
    }

    private func json(_ status: Int, _ object: Any, headers: [(String, String)] = []) -> HTTPStandIn.Response {
        let body = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return HTTPStandIn.Response(status: status, headers: [("Content-Type", "application/json; charset=utf-8"), ("request-id", UUID().uuidString.lowercased()),
                                                              ("client-request-id", UUID().uuidString.lowercased())] + headers, body: Array(body))
    }

    /// Entra's error body (`{"error", "error_description", "error_codes", "trace_id", "correlation_id"}`).
    private func entraError(_ status: Int, _ code: String, _ description: String, _ number: Int) -> HTTPStandIn.Response {
        json(status, ["error": code, "error_description": "\(description)\r\nTrace ID: 0f2a\r\nCorrelation ID: 9b1c\r\nTimestamp: 2026-12-05 03:00:00Z",
                      "error_codes": [number], "timestamp": "2026-12-05 03:00:00Z", "trace_id": UUID().uuidString.lowercased(), "correlation_id": UUID().uuidString.lowercased()])
    }

    /// Graph's error body (`{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}`).
    private func graphError(_ status: Int, _ code: String, _ message: String, headers: [(String, String)] = []) -> HTTPStandIn.Response {
        let id = UUID().uuidString.lowercased()
        return json(status, ["error": ["code": code, "message": message, "innerError": ["date": "2026-12-05T03:00:00", "request-id": id, "client-request-id": id]]],
                    headers: [("request-id", id)] + headers)
    }

    private func answer(_ request: HTTPStandIn.Request) -> HTTPStandIn.Response {
        let parts = request.path.split(separator: "/").map(String.init)
        if parts.count == 4, parts[1] == "oauth2", parts[2] == "v2.0", request.method == "POST" {
            guard parts[0] == Self.tenantID || parts[0] == Self.partnerTenantID || Self.domains.contains(parts[0]) else {
                return entraError(400, "invalid_request", "AADSTS90002: Tenant '\(parts[0])' not found.", 90002)
            }
            return parts[3] == "token" ? token(request) : parts[3] == "devicecode" ? deviceCode(request) : json(404, [:])
        }
        if request.method == "GET", request.path == "/v1/customers" { return partnerCenterCustomers(request) }
        guard request.method == "GET", parts.first == "v1.0" else { return graphError(400, "BadRequest", "Invalid version.") }
        // Every Graph request carries a live bearer token.
        guard let authorization = request.header("Authorization"), authorization.hasPrefix("Bearer ") else {
            return graphError(401, "InvalidAuthenticationToken", "Access token is empty.")
        }
        let presented = String(authorization.dropFirst(7))
        lock.lock(); let known = live.contains(presented); lock.unlock()
        guard known else { return graphError(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.") }
        if faults.forbidAll { return graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.") }
        if faults.throttleForever { return graphError(429, "TooManyRequests", "Too many requests.", headers: [("Retry-After", faults.retryAfter)]) }
        let resource = parts.dropFirst().joined(separator: "/")
        let query = Self.query(request.query)
        switch resource {
        case "organization":
            return list("organization", context: "organization", request: request, query: query)
        case "subscribedSkus":
            if faults.stallSkus > 0, once("skusStall") {
                Thread.sleep(forTimeInterval: faults.stallSkus)
            }
            if faults.unavailableSkus, once("skus503") {
                return graphError(503, "serviceNotAvailable", "Service is temporarily unavailable.")
            }
            return list("subscribedSkus", context: "subscribedSkus", request: request, query: query)
        case "directory/subscriptions":
            if faults.expireToken, once("expire") {
                lock.lock(); live.remove(presented); lock.unlock()
                return graphError(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
            }
            return list("directory-subscriptions", context: "directory/subscriptions", request: request, query: query)
        case "users":
            let select = (query["$select"] ?? "").split(separator: ",").map(String.init)
            if select.contains("signInActivity"), faults.forbidSignInActivity {
                return graphError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "Neither tenant is B2C or tenant doesn't have premium license")
            }
            let skip = Int(query["$skiptoken"] ?? "0") ?? 0
            if faults.throttleUsers, skip > 0, once("users429") {
                return graphError(429, "TooManyRequests", "Too many requests.", headers: [("Retry-After", faults.retryAfter)])
            }
            var page = list("users", context: "users(\(select.joined(separator: ",")))", request: request, query: query, select: select)
            if faults.foreignNextLink {
                let text = String(decoding: page.body, as: UTF8.self).replacingOccurrences(of: "127.0.0.1", with: "127.0.0.2")
                page.body = Array(text.utf8)
            }
            if faults.malformedUsers, skip == 0, once("usersCut") {
                page.body = Array(page.body.prefix(page.body.count / 2))
            }
            return page
        case "groups":
            if faults.forbidGroups { return graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.") }
            guard request.header("ConsistencyLevel") == "eventual", query["$count"] == "true" else {
                return graphError(400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property 'assignedLicenses' of resource 'Group'.")
            }
            if faults.gatewayTimeoutGroups, once("groups504") {
                return HTTPStandIn.Response(status: 504, headers: [("Content-Type", "text/html")], body: Array("<html><body>504 Gateway Time-out</body></html>".utf8))
            }
            return list("groups", context: "groups(id,displayName,assignedLicenses)", request: request, query: query, select: ["id", "displayName", "assignedLicenses"])
        default:
            return graphError(404, "Request_ResourceNotFound", "Resource '\(resource)' does not exist.")
        }
    }

    /// Partner Center's `GET /v1/customers`, one customer a page; the next page is asked with `MS-ContinuationToken`.
    private func partnerCenterCustomers(_ request: HTTPStandIn.Request) -> HTTPStandIn.Response {
        guard let authorization = request.header("Authorization"), authorization.hasPrefix("Bearer ") else {
            return json(401, ["code": 401, "description": "Unauthorized", "errorName": "Unauthorized"])
        }
        let offset = request.header("MS-ContinuationToken").flatMap { Int($0.dropFirst("page-".count)) } ?? 0
        var page: [String: Any] = ["totalCount": Self.customers.count, "items": Array(Self.customers.dropFirst(offset).prefix(1)),
                                   "attributes": ["objectType": "Collection"]]
        if offset + 1 < Self.customers.count {
            page["links"] = ["next": ["uri": "/v1/customers?size=500&seekOperation=next", "method": "GET",
                                      "headers": [["key": "MS-ContinuationToken", "value": "page-\(offset + 1)"]]]]
        }
        return json(200, page)
    }

    /// One page of a list: `$skiptoken` is the offset; the next link keeps the request's query.
    private func list(_ name: String, context: String, request: HTTPStandIn.Request, query: [String: String], select: [String]? = nil) -> HTTPStandIn.Response {
        let items = data[name] ?? []
        let skip = Int(query["$skiptoken"] ?? "0") ?? 0
        let slice = items.dropFirst(skip).prefix(faults.pageSize).map { item -> [String: Any] in
            guard let select, !select.isEmpty else { return item }
            return item.filter { select.contains($0.key) }
        }
        var object: [String: Any] = ["@odata.context": "\(url)/v1.0/$metadata#\(context)", "value": Array(slice)]
        if skip + faults.pageSize < items.count {
            let kept = request.query.split(separator: "&").filter { !$0.hasPrefix("$skiptoken=") }.joined(separator: "&")
            object["@odata.nextLink"] = "\(url)\(request.path)?\(kept.isEmpty ? "" : kept + "&")$skiptoken=\(skip + faults.pageSize)"
        }
        if query["$count"] == "true" { object["@odata.count"] = items.count }
        return json(200, object)
    }

    static func query(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    // MARK: - Sign-in

    private func token(_ request: HTTPStandIn.Request) -> HTTPStandIn.Response {
        let form = request.form
        guard form["client_id"] == Self.clientID else {
            return entraError(400, "unauthorized_client", "AADSTS700016: Application with identifier '\(form["client_id"] ?? "")' was not found in the directory.", 700016)
        }
        switch form["grant_type"] {
        case "client_credentials":
            guard form["scope"] == "\(url)/.default" else {
                return entraError(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.", 1002012)
            }
            if let secret = form["client_secret"] {
                guard secret == Self.secret else {
                    return entraError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '\(Self.clientID)'.", 7000215)
                }
            } else if let assertion = form["client_assertion"], form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
                if let problem = check(assertion: assertion, audience: "\(url)\(request.path)") {
                    return entraError(401, "invalid_client", "AADSTS700027: Client assertion failed signature validation. \(problem)", 700027)
                }
            } else {
                return entraError(401, "invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", 7000218)
            }
            return json(200, ["token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": newToken()])
        case "urn:ietf:params:oauth:grant-type:device_code":
            guard let code = form["device_code"] else { return entraError(400, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'device_code'.", 900144) }
            lock.lock()
            let polls = deviceCodes[code]
            if polls != nil { deviceCodes[code]! += 1 }
            lock.unlock()
            guard let polls else { return entraError(400, "bad_verification_code", "AADSTS70019: Verification code expired.", 70019) }
            if faults.deviceExpires { return entraError(400, "expired_token", "AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired.", 70020) }
            if polls < faults.devicePending { return entraError(400, "authorization_pending", "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.", 70016) }
            if polls == faults.devicePending { return entraError(400, "slow_down", "AADSTS70016: Slow down.", 70016) }
            let refresh = newToken(prefix: "0.AXkA")
            lock.lock(); refreshTokens.insert(refresh); lock.unlock()
            return json(200, ["token_type": "Bearer", "scope": form["scope"] ?? "", "expires_in": 3599, "access_token": newToken(), "refresh_token": refresh])
        case "refresh_token":
            lock.lock(); let known = refreshTokens.contains(form["refresh_token"] ?? ""); lock.unlock()
            guard known else { return entraError(400, "invalid_grant", "AADSTS9002313: Invalid request.", 9002313) }
            return json(200, ["token_type": "Bearer", "expires_in": 3599, "access_token": newToken()])
        default:
            return entraError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.", 70003)
        }
    }

    private func deviceCode(_ request: HTTPStandIn.Request) -> HTTPStandIn.Response {
        guard request.form["client_id"] == Self.clientID else {
            return entraError(400, "unauthorized_client", "AADSTS700016: Application not found.", 700016)
        }
        let code = "DAQABAAEAAAB" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        lock.lock(); deviceCodes[code] = 0; issued.append(code); lock.unlock()
        return json(200, ["user_code": "KRSK-4821", "device_code": code, "verification_uri": "https://microsoft.com/devicelogin",
                          "expires_in": 900, "interval": 1,
                          "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code KRSK-4821 to authenticate."])
    }

    /// Checks a client assertion as Entra does: PS256 over the certificate's key, `x5t#S256` its thumbprint, `aud`
    /// the token endpoint, `iss` = `sub` = the client id, within its lifetime. nil when good.
    private func check(assertion: String, audience: String) -> String? {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let headerBytes = Self.base64URL(parts[0]), let payloadBytes = Self.base64URL(parts[1]),
              let signature = Self.base64URL(parts[2]),
              let header = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any],
              let payload = try? JSONSerialization.jsonObject(with: payloadBytes) as? [String: Any] else { return "not a JWT" }
        guard header["alg"] as? String == "PS256" else { return "alg \(header["alg"] ?? "none")" }
        guard let key = certificateKey, header["x5t#S256"] as? String == certificateThumbprint else { return "unknown x5t#S256" }
        guard key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: Data((parts[0] + "." + parts[1]).utf8), padding: .PSS) else {
            return "bad signature"
        }
        let audiences = (payload["aud"] as? [String]) ?? [(payload["aud"] as? String) ?? ""]
        guard audiences.contains(audience) else { return "aud \(audiences) is not \(audience)" }
        guard payload["iss"] as? String == Self.clientID, payload["sub"] as? String == Self.clientID else { return "iss/sub" }
        let now = Date().timeIntervalSince1970
        guard let exp = payload["exp"] as? Double, let nbf = payload["nbf"] as? Double, exp > now, nbf <= now + 60, payload["jti"] is String else { return "lifetime" }
        return nil
    }

    static func base64URL(_ text: String) -> Data? {
        var base = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base.count % 4 != 0 { base += "=" }
        return Data(base64Encoded: base)
    }
}
