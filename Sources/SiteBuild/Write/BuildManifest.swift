import Crypto
import Foundation
import TenantModel

/// What a build put in its tree, kept beside it (`.<name>.tenantsite/a.manifest`) for the next build: each file's
/// hash and size, the key of everything the site as a whole was made from, and per tenant the key of its input files,
/// its summary (what the partner pages need of it) and its files. A tenant whose key is unchanged is not read again:
/// its files are reused and its summary taken from here.
///
/// Text, one record per line, so that reading 100,000 files' worth takes milliseconds:
/// ```
/// tenantsite manifest 1
/// key <site key>
/// F <hash> <size> <path>            site-wide files
/// T <slug> <tenant key>
/// S <the tenant's summary, JSON>
/// F <hash> <size> <path>            the tenant's files
/// ```
public struct BuildManifest: Sendable {
    public struct File: Sendable, Hashable {
        /// The first 128 bits of the bytes' SHA-256, in hex.
        public var hash: String
        public var size: Int
    }

    public struct Tenant: Sendable {
        public var slug: String
        public var key: String
        /// `TenantSummary` as JSON (decoded only when the tenant is reused).
        public var summary: String
        public var files: [String]
    }

    public var key: String
    public var files: [String: File]
    public var tenants: [Tenant]

    static let header = "tenantsite manifest 1"

    /// The first 16 bytes of SHA-256, in hex: a file's identity in the manifest. A cryptographic hash, so that no
    /// snapshot can be made to look like another's pages (the CPU's SHA instructions make it cheap).
    public static func hash(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes).prefix(16)) }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A key over many parts (each length-prefixed, so parts cannot run into each other).
    public struct Key {
        private var hasher = SHA256()
        public init() {}
        public mutating func add(_ text: String) { add(Array(text.utf8)) }
        public mutating func add(_ bytes: [UInt8]) {
            var count = UInt64(bytes.count).littleEndian
            withUnsafeBytes(of: &count) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
        public func finish() -> String { BuildManifest.hex(hasher.finalize()) }
    }

    public func tenant(_ slug: String) -> Tenant? { tenants.first { $0.slug == slug } }

    /// The tenants by slug, for looking up many.
    public var tenantsBySlug: [String: Tenant] { Dictionary(tenants.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a }) }

    static func read(_ path: String) -> BuildManifest? {
        guard let bytes = try? InputFile.read(path, limit: 1 << 31) else { return nil }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)[...]
        guard lines.first.map({ String(decoding: $0, as: UTF8.self) }) == header else { return nil }
        lines = lines.dropFirst()
        guard let keyLine = lines.first, keyLine.starts(with: "key ".utf8) else { return nil }
        var manifest = BuildManifest(key: String(decoding: keyLine.dropFirst(4), as: UTF8.self), files: [:], tenants: [])
        lines = lines.dropFirst()
        var current: Tenant?
        for line in lines where !line.isEmpty {
            let text = String(decoding: line, as: UTF8.self)
            switch line.first {
            case UInt8(ascii: "F"):
                let parts = text.split(separator: " ", maxSplits: 3)
                guard parts.count == 4, let size = Int(parts[2]) else { return nil }
                let path = String(parts[3])
                manifest.files[path] = File(hash: String(parts[1]), size: size)
                current?.files.append(path)
            case UInt8(ascii: "T"):
                if let done = current { manifest.tenants.append(done) }
                let parts = text.split(separator: " ")
                guard parts.count == 3 else { return nil }
                current = Tenant(slug: String(parts[1]), key: String(parts[2]), summary: "", files: [])
            case UInt8(ascii: "S"):
                guard current != nil else { return nil }
                current!.summary = String(text.dropFirst(2))
            default:
                return nil
            }
        }
        if let done = current { manifest.tenants.append(done) }
        return manifest
    }

    /// Writes the manifest (to a new file, renamed over the old: a reader never sees half of one); the problem, or nil.
    func write(_ path: String) -> String? {
        var out = BuildManifest.header + "\nkey " + key + "\n"
        let tenantFiles = Set(tenants.flatMap(\.files))
        func line(_ path: String) {
            guard let file = files[path] else { return }
            out += "F \(file.hash) \(file.size) \(path)\n"
        }
        for path in files.keys.sorted() where !tenantFiles.contains(path) { line(path) }
        for tenant in tenants {
            out += "T \(tenant.slug) \(tenant.key)\nS \(tenant.summary)\n"
            for path in tenant.files { line(path) }
        }
        let temporary = path + ".new"
        unlink(temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(out.utf8)) else { return "\(temporary): cannot write" }
        guard rename(temporary, path) == 0 else { return "\(path): cannot write: \(String(cString: strerror(errno)))" }
        return nil
    }
}
