import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Folders that belong to a snapshot but sit beside `tenants/`: `content/tenants/acme.json` → `content/<kind>/acme`
/// (`ksef/` for its invoice files, `captures/` for what `fetch` read). A snapshot outside a `tenants/` folder gets
/// them beside itself. A snapshot of a tenant's history, `content/tenants/acme/2026-11-01.json`, shares its tenant's.
public enum ContentFolders {
    public static func folder(_ kind: String, forSnapshotAt snapshotPath: String, slug: String) -> String {
        var parent = deletingLastComponent(snapshotPath)
        let grandparent = deletingLastComponent(parent)
        if lastComponent(parent) == slug, lastComponent(grandparent) == "tenants" { parent = grandparent }
        let base = lastComponent(parent) == "tenants" ? deletingLastComponent(parent) : parent
        return (base.isEmpty ? "." : base) + "/\(kind)/" + slug
    }

    /// `NSString.deletingLastPathComponent` and `lastPathComponent`, cut at the last slash for a plain path (no
    /// doubled or trailing slash), which is what a build has for every snapshot it reads: through `NSString` they
    /// were a twentieth of a refresh of a thousand tenants. Anything else goes to `NSString`.
    static func deletingLastComponent(_ path: String) -> String {
        guard isPlain(path) else { return (path as NSString).deletingLastPathComponent }
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
    }

    static func lastComponent(_ path: String) -> String {
        guard isPlain(path) else { return (path as NSString).lastPathComponent }
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    private static func isPlain(_ path: String) -> Bool {
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/") { return false }
            previous = byte
        }
        return !path.isEmpty && previous != UInt8(ascii: "/")
    }
}

/// Base64URL without padding (RFC 4648 §5), as KSeF's KOD I and JWT headers carry hashes.
public enum Base64URL {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

extension Duration {
    /// As a floating-point number of seconds.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    public var milliseconds: Int { Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes (memchr and memcmp: cheap enough to ask of every file before parsing it).
    public func contains(bytes needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count <= count else { return false }
        return withUnsafeBytes { haystack in
            needle.withUnsafeBytes { n in
                guard let base = haystack.baseAddress, let needleBase = n.baseAddress else { return false }
                var offset = 0
                let last = haystack.count - n.count
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
                    let position = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + position, needleBase, n.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }
}
