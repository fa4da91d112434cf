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
        var parent = (snapshotPath as NSString).deletingLastPathComponent
        let grandparent = (parent as NSString).deletingLastPathComponent
        if (parent as NSString).lastPathComponent == slug, (grandparent as NSString).lastPathComponent == "tenants" { parent = grandparent }
        let base = (parent as NSString).lastPathComponent == "tenants" ? (parent as NSString).deletingLastPathComponent : parent
        return (base.isEmpty ? "." : base) + "/\(kind)/" + slug
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
