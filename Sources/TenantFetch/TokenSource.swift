import Foundation
import NIOHTTP1
import TenantImport
import TenantModel

/// Access tokens for Graph from the Microsoft identity platform's v2.0 endpoints: client credentials with a secret or
/// a certificate (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow), or the device-code
/// flow (…/v2-oauth2-device-code, RFC 8628). A token is kept until a minute before it expires; after a 401, `renew`
/// gets one fresh token. Nothing here prints or records a secret, a token or a device code.
final class TokenSource: @unchecked Sendable {
    let transport: Transport
    let endpoints: Endpoints
    let tenant: String
    let clientID: String
    let signIn: SignIn
    let pacer: Pacer
    let scrubber: SecretScrubber
    /// What app-only sign-in asks for: `{graph}/.default`, or Partner Center's `.default` for its customer list.
    let appScope: String

    private var current: (token: String, expires: Date)?
    private var refreshToken: String?

    init(transport: Transport, endpoints: Endpoints, tenant: String, clientID: String, signIn: SignIn, pacer: Pacer, scrubber: SecretScrubber,
         appScope: String? = nil) {
        self.appScope = appScope ?? endpoints.defaultScope
        self.transport = transport
        self.endpoints = endpoints
        self.tenant = tenant
        self.clientID = clientID
        self.signIn = signIn
        self.pacer = pacer
        self.scrubber = scrubber
        if case .clientSecret(let secret) = signIn { scrubber.add(secret) }
    }

    /// Delegated permissions asked for in the device-code flow (the app-only flows take `{graph}/.default`).
    var delegatedScope: String {
        ["Organization.Read.All", "User.Read.All", "Group.Read.All", "AuditLog.Read.All"].map { "\(endpoints.graph.url)/\($0)" }.joined(separator: " ")
            + " offline_access"
    }

    func token() async throws(FetchProblem) -> String {
        if let current, current.expires.timeIntervalSince(pacer.clock()) > 60 { return current.token }
        return try await acquire()
    }

    /// After a 401 on a token thought good: one fresh token.
    func renew() async throws(FetchProblem) -> String {
        current = nil
        return try await acquire()
    }

    private func acquire() async throws(FetchProblem) -> String {
        let url = endpoints.tokenURL(tenant: tenant)
        var form: [(String, String)] = [("client_id", clientID)]
        switch signIn {
        case .clientSecret(let secret):
            form += [("scope", appScope), ("grant_type", "client_credentials"), ("client_secret", secret)]
        case .certificate(let certificate):
            let assertion: String
            do {
                assertion = try await certificate.assertion(clientID: clientID, audience: url, now: pacer.clock())
            } catch {
                throw FetchProblem(url: url, message: "the client assertion could not be signed: \(error)")
            }
            scrubber.add(assertion)
            form += [("scope", appScope), ("grant_type", "client_credentials"),
                     ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                     ("client_assertion", assertion)]
        case .deviceCode(let show):
            if let refreshToken {
                form += [("scope", delegatedScope), ("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
            } else {
                return try await deviceCode(show: show)
            }
        }
        let exchange = try await post(url, form: form, what: "sign-in")
        guard exchange.status == 200 else { throw FetchProblem.from(exchange, url: url, what: "sign-in") }
        return try accept(exchange, url: url)
    }

    /// Reads `access_token`, `expires_in` (and `refresh_token`) from a 200 of the token endpoint.
    private func accept(_ exchange: HTTPExchange, url: String) throws(FetchProblem) -> String {
        guard let fields = Self.object(exchange.body), let token = fields["access_token"] as? String, !token.isEmpty else {
            throw FetchProblem(url: url, status: exchange.status, message: "the token response holds no access_token", requestID: exchange.requestID)
        }
        scrubber.add(token)
        let lifetime = (fields["expires_in"] as? NSNumber)?.doubleValue ?? Double(fields["expires_in"] as? String ?? "") ?? 3599
        current = (token, pacer.clock().addingTimeInterval(lifetime))
        if let refresh = fields["refresh_token"] as? String {
            scrubber.add(refresh)
            refreshToken = refresh
        }
        return token
    }

    private func deviceCode(show: @Sendable (String) -> Void) async throws(FetchProblem) -> String {
        let codeURL = endpoints.deviceCodeURL(tenant: tenant)
        let started = try await post(codeURL, form: [("client_id", clientID), ("scope", delegatedScope)], what: "device-code sign-in")
        guard started.status == 200 else { throw FetchProblem.from(started, url: codeURL, what: "device-code sign-in") }
        guard let fields = Self.object(started.body), let deviceCode = fields["device_code"] as? String,
              let userCode = fields["user_code"] as? String, let verification = fields["verification_uri"] as? String else {
            throw FetchProblem(url: codeURL, status: 200, message: "the device-code response lacks device_code, user_code or verification_uri", requestID: started.requestID)
        }
        scrubber.add(deviceCode)
        show((fields["message"] as? String) ?? "To sign in, open \(verification) and enter the code \(userCode).")
        let lifetime = (fields["expires_in"] as? NSNumber)?.doubleValue ?? 900
        var interval = max(1, (fields["interval"] as? NSNumber)?.doubleValue ?? 5)
        let deadline = pacer.clock().addingTimeInterval(lifetime)
        let url = endpoints.tokenURL(tenant: tenant)
        while pacer.clock() < deadline {
            do { try await pacer.sleep(.milliseconds(Int64(interval * 1000))) } catch { throw FetchProblem(url: url, message: "cancelled") }
            let exchange = try await post(url, form: [("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                                                       ("client_id", clientID), ("device_code", deviceCode)], what: "device-code sign-in")
            if exchange.status == 200 { return try accept(exchange, url: url) }
            let problem = FetchProblem.from(exchange, url: url, what: "device-code sign-in")
            switch problem.code {
            case "authorization_pending": continue
            case "slow_down": interval += 5   // RFC 8628 §3.5
            case "expired_token":
                throw FetchProblem(url: url, status: exchange.status, code: problem.code, message: "the code expired before anyone signed in with it: run fetch again", requestID: problem.requestID)
            case "authorization_declined":
                throw FetchProblem(url: url, status: exchange.status, code: problem.code, message: "the sign-in was declined", requestID: problem.requestID)
            default:
                throw problem
            }
        }
        throw FetchProblem(url: url, code: "expired_token", message: "the code expired before anyone signed in with it: run fetch again")
    }

    /// A POST to the identity platform, retried like Graph requests on 429, 503, 504 and failed connections.
    private func post(_ url: String, form: [(String, String)], what: String) async throws(FetchProblem) -> HTTPExchange {
        var retry = 0
        return try await pacer.send(url, retry: &retry) { () async throws(TransportFailure) -> HTTPExchange in
            try await transport.send(.POST, url, form: form)
        }
    }

    static func object(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }
}
