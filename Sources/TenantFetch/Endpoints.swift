import Foundation

/// Microsoft's clouds, each with its own sign-in and Graph hosts (learn.microsoft.com/graph/deployments).
public enum Cloud: String, CaseIterable, Sendable {
    case global, usgov, china

    /// The Microsoft Entra ID (token service) root.
    public var login: String {
        switch self {
        case .global: return "https://login.microsoftonline.com"
        case .usgov: return "https://login.microsoftonline.us"
        case .china: return "https://login.chinacloudapi.cn"
        }
    }

    /// The Microsoft Graph service root (US Government L4: GCC High; L5 DoD has its own, given with --graph-url).
    public var graph: String {
        switch self {
        case .global: return "https://graph.microsoft.com"
        case .usgov: return "https://graph.microsoft.us"
        case .china: return "https://microsoftgraph.chinacloudapi.cn"
        }
    }
}

/// A service root: `https://host[:port][/path]`, or `http://` for a loopback address only (a test server on
/// 127.0.0.1); no query, fragment or user part. Stored without a trailing slash.
public struct ServiceRoot: Sendable, Hashable, CustomStringConvertible {
    public let url: String
    public let scheme: String
    public let host: String
    public let port: Int

    public var description: String { url }

    public enum Problem: Error, CustomStringConvertible {
        case invalid(String, reason: String)
        public var description: String {
            switch self {
            case .invalid(let text, let reason): return "\(text): \(reason)"
            }
        }
    }

    public init(_ text: String) throws(Problem) {
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased(), !host.isEmpty else {
            throw .invalid(text, reason: "not an absolute URL like https://graph.microsoft.com")
        }
        guard components.query == nil, components.fragment == nil, components.user == nil, components.password == nil else {
            throw .invalid(text, reason: "a service root has no query, fragment or user part")
        }
        switch scheme {
        case "https": break
        case "http":
            guard ServiceRoot.isLoopback(host) else {
                throw .invalid(text, reason: "plain http:// is only allowed for a loopback address (127.0.0.1, ::1, localhost); use https://")
            }
        default:
            throw .invalid(text, reason: "must be https:// (or http:// on a loopback address)")
        }
        self.url = trimmed
        self.scheme = scheme
        self.host = host
        self.port = components.port ?? (scheme == "https" ? 443 : 80)
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare == "localhost" || bare == "::1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// True when `link` is on this root (same scheme, host and port, and under its path): the only place a
    /// bearer token may be sent, whatever a response's `@odata.nextLink` says.
    public func contains(_ link: String) -> Bool {
        guard let components = URLComponents(string: link), components.scheme?.lowercased() == scheme,
              components.host?.lowercased() == host, (components.port ?? (scheme == "https" ? 443 : 80)) == port,
              components.user == nil, components.password == nil else { return false }
        let rootPath = URLComponents(string: url)?.path ?? ""
        return rootPath.isEmpty || components.path == rootPath || components.path.hasPrefix(rootPath + "/")
    }
}

/// Where to sign in and where to read.
public struct Endpoints: Sendable {
    public var login: ServiceRoot
    public var graph: ServiceRoot

    public init(login: ServiceRoot, graph: ServiceRoot) {
        self.login = login
        self.graph = graph
    }

    public init(cloud: Cloud) {
        // The built-in roots are valid by construction.
        self.login = try! ServiceRoot(cloud.login)
        self.graph = try! ServiceRoot(cloud.graph)
    }

    /// `{login}/{tenant}/oauth2/v2.0/token`.
    public func tokenURL(tenant: String) -> String { "\(login.url)/\(Self.escape(tenant))/oauth2/v2.0/token" }
    /// `{login}/{tenant}/oauth2/v2.0/devicecode`.
    public func deviceCodeURL(tenant: String) -> String { "\(login.url)/\(Self.escape(tenant))/oauth2/v2.0/devicecode" }
    /// The application permissions the app was granted, for client credentials: `{graph}/.default`.
    public var defaultScope: String { "\(graph.url)/.default" }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .asciiUnreserved) ?? segment
    }
}
