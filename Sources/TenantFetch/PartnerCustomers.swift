import Foundation
import NIOHTTP1
import TenantImport
import TenantModel

/// A partner's customers from Partner Center: `GET /v1/customers`, which "supports authentication with both
/// standalone App and App+User credentials" (learn.microsoft.com/partner-center/developer/get-a-list-of-customers),
/// so the app signs in to the partner's own tenant for `https://api.partnercenter.microsoft.com/.default`. Each page's
/// `links.next` is followed with the `MS-ContinuationToken` header it names.
public enum PartnerCustomers {
    public static let partnerCenter = "https://api.partnercenter.microsoft.com"

    public struct Customer: Sendable, Equatable {
        /// The customer's Microsoft Entra tenant id (`companyProfile.tenantId`).
        public var tenantID: String
        public var domain: String?
        public var companyName: String
    }

    public static func list(partnerTenant: String, clientID: String, signIn: SignIn, login: ServiceRoot, partnerCenter: ServiceRoot,
                            transport: Transport, scrubber: SecretScrubber, settings: Fetcher.Settings = Fetcher.Settings()) async -> Result<[Customer], FetchProblem> {
        let pacer = Pacer(policy: settings.retry, sleep: settings.sleep, clock: settings.clock, progress: settings.progress)
        let endpoints = Endpoints(login: login, graph: partnerCenter)
        let tokens = TokenSource(transport: transport, endpoints: endpoints, tenant: partnerTenant, clientID: clientID, signIn: signIn,
                                 pacer: pacer, scrubber: scrubber, appScope: "\(partnerCenter.url)/.default")
        var customers: [Customer] = []
        var url = "\(partnerCenter.url)/v1/customers?size=500"
        var continuation: [(String, String)] = []
        var seen: Set<String> = []
        do {
            for _ in 0..<10_000 {
                settings.progress("Partner Center customers: \(customers.count)")
                let token = try await tokens.token()
                var retry = 0
                let headers = [("Authorization", "Bearer \(token)")] + continuation
                let exchange = try await pacer.send(url, retry: &retry) { () async throws(TransportFailure) -> HTTPExchange in
                    try await transport.send(.GET, url, headers: headers)
                }
                guard exchange.status == 200 else { throw FetchProblem.from(exchange, url: url, what: "the customer list") }
                guard let page = (try? JSONSerialization.jsonObject(with: Data(exchange.body))) as? [String: Any],
                      let items = page["items"] as? [[String: Any]] else {
                    throw FetchProblem(url: url, status: 200, message: "not a Partner Center customer list (no items)", requestID: exchange.requestID)
                }
                for (index, item) in items.enumerated() {
                    let profile = item["companyProfile"] as? [String: Any]
                    guard let tenant = (profile?["tenantId"] as? String) ?? (item["id"] as? String), GUID.isValid(tenant) else {
                        throw FetchProblem(url: url, status: 200, message: "items[\(index)] has no companyProfile.tenantId", requestID: exchange.requestID)
                    }
                    let name = (profile?["companyName"] as? String) ?? (profile?["domain"] as? String) ?? tenant
                    customers.append(Customer(tenantID: tenant.lowercased(), domain: profile?["domain"] as? String, companyName: name))
                }
                guard let next = (page["links"] as? [String: Any])?["next"] as? [String: Any], let uri = next["uri"] as? String, !uri.isEmpty else {
                    return .success(customers)
                }
                let absolute = uri.hasPrefix("/") ? partnerCenter.url + uri : uri
                guard partnerCenter.contains(absolute) else {
                    throw FetchProblem(url: url, message: "links.next leads off \(partnerCenter.url): not followed")
                }
                continuation = ((next["headers"] as? [[String: Any]]) ?? []).compactMap { header in
                    guard let key = header["key"] as? String, let value = header["value"] as? String else { return nil }
                    return (key, value)
                }
                let key = absolute + continuation.map(\.1).joined()
                guard seen.insert(key).inserted else { throw FetchProblem(url: absolute, message: "links.next repeats an earlier page") }
                url = absolute
            }
            throw FetchProblem(url: url, message: "more than 10,000 pages of customers")
        } catch let problem as FetchProblem {
            var scrubbed = problem
            scrubbed.message = scrubber.scrub(problem.message)
            return .failure(scrubbed)
        } catch {
            return .failure(FetchProblem(url: url, message: scrubber.scrub("\(error)")))
        }
    }
}
