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
        /// The first 128 bits of the bytes' SHA-256.
        public var hash: Digest
        public var size: Int
    }

    /// 128 bits of a SHA-256, written as 32 hex digits.
    public struct Digest: Sendable, Hashable {
        var high: UInt64
        var low: UInt64

        init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

        init<Bytes: Sequence<UInt8>>(prefixOf bytes: Bytes) {
            var high: UInt64 = 0, low: UInt64 = 0
            for (i, byte) in bytes.prefix(16).enumerated() {
                if i < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            }
            self.init(high: high, low: low)
        }

        /// From 32 hex digits; nil for anything else.
        init?(hex: UnsafeBufferPointer<UInt8>.SubSequence) {
            guard hex.count == 32 else { return nil }
            var high: UInt64 = 0, low: UInt64 = 0
            for (i, c) in hex.enumerated() {
                let v: UInt8
                switch c {
                case 0x30...0x39: v = c - 0x30
                case 0x61...0x66: v = c - 0x61 + 10
                default: return nil
                }
                if i < 16 { high = high << 4 | UInt64(v) } else { low = low << 4 | UInt64(v) }
            }
            self.init(high: high, low: low)
        }

        func append(to out: inout [UInt8]) {
            let digits: [UInt8] = Array("0123456789abcdef".utf8)
            for word in [high, low] {
                for shift in stride(from: 60, through: 0, by: -4) { out.append(digits[Int((word >> UInt64(shift)) & 15)]) }
            }
        }
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
    /// Each folder of the tree and its modification time when the build ended (`D <seconds>.<nanoseconds> <path>`): a
    /// file added to or removed from the tree since changes its folder's time, and the next build notices.
    public var folders: [String: String] = [:]

    static let header = "tenantsite manifest 1"

    /// The first 16 bytes of SHA-256, in hex: a file's identity in the manifest. A cryptographic hash, so that no
    /// snapshot can be made to look like another's pages (the CPU's SHA instructions make it cheap).
    public static func hash(_ bytes: [UInt8]) -> Digest { Digest(prefixOf: SHA256.hash(data: bytes)) }

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
        return bytes.withUnsafeBufferPointer { buffer -> BuildManifest? in
            var at = 0
            func nextLine() -> UnsafeBufferPointer<UInt8>.SubSequence? {
                guard at < buffer.count else { return nil }
                let end = buffer[at...].firstIndex(of: 0x0A) ?? buffer.count
                defer { at = end + 1 }
                return buffer[at..<end]
            }
            guard let first = nextLine(), first.elementsEqual(header.utf8), let keyLine = nextLine(), keyLine.starts(with: "key ".utf8) else { return nil }
            var manifest = BuildManifest(key: String(decoding: keyLine.dropFirst(4), as: UTF8.self), files: [:], tenants: [])
            manifest.files.reserveCapacity(buffer.count / 80)
            var current: Tenant?
            while let line = nextLine() {
                guard let kind = line.first else { continue }
                switch kind {
                case UInt8(ascii: "F"):
                    // F <32 hex> <size> <path>
                    let start = line.startIndex
                    guard line.count > 37, line[start + 1] == 0x20, line[start + 34] == 0x20,
                          let digest = Digest(hex: line[(start + 2)..<(start + 34)]) else { return nil }
                    var i = start + 35
                    var size = 0
                    while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x39 { size = size * 10 + Int(line[i] - 0x30); i += 1 }
                    guard i < line.endIndex, line[i] == 0x20 else { return nil }
                    let path = String(decoding: line[(i + 1)...], as: UTF8.self)
                    manifest.files[path] = File(hash: digest, size: size)
                    current?.files.append(path)
                case UInt8(ascii: "T"):
                    if let done = current { manifest.tenants.append(done) }
                    let parts = line.split(separator: 0x20)
                    guard parts.count == 3 else { return nil }
                    current = Tenant(slug: String(decoding: parts[1], as: UTF8.self), key: String(decoding: parts[2], as: UTF8.self), summary: "", files: [])
                case UInt8(ascii: "S"):
                    guard current != nil else { return nil }
                    current!.summary = String(decoding: line.dropFirst(2), as: UTF8.self)
                case UInt8(ascii: "D"):
                    let parts = line.split(separator: 0x20, maxSplits: 2)
                    guard parts.count == 3 else { return nil }
                    manifest.folders[String(decoding: parts[2], as: UTF8.self)] = String(decoding: parts[1], as: UTF8.self)
                default:
                    return nil
                }
            }
            if let done = current { manifest.tenants.append(done) }
            return manifest
        }
    }

    /// A folder's modification time as the manifest writes it; nil when it is not a folder.
    static func folderTime(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    /// Every folder that holds one of `paths` ("." for the tree itself), with its time now.
    static func folderTimes(tree: String, paths: some Sequence<String>) -> [String: String] {
        var folders = Set<Substring>(["."])
        for path in paths {
            var end = path.endIndex
            while let slash = path[..<end].lastIndex(of: "/") {
                guard folders.insert(path[..<slash]).inserted else { break }
                end = slash
            }
        }
        var times: [String: String] = [:]
        for folder in folders { times[String(folder)] = folderTime(folder == "." ? tree : tree + "/" + folder) ?? "-" }
        return times
    }

    /// Whether every folder of a tree still has the time its manifest recorded.
    func foldersUnchanged(tree: String) -> Bool {
        !folders.isEmpty && folders.allSatisfy { folder, time in BuildManifest.folderTime(folder == "." ? tree : tree + "/" + folder) == time }
    }

    /// Writes the manifest (to a new file, renamed over the old: a reader never sees half of one); the problem, or nil.
    func write(_ path: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(files.count * 96 + tenants.count * 1024)
        func append(_ text: String) { out.append(contentsOf: text.utf8) }
        append(BuildManifest.header + "\nkey " + key + "\n")
        func line(_ path: String) {
            guard let file = files[path] else { return }
            append("F ")
            file.hash.append(to: &out)
            append(" \(file.size) ")
            append(path)
            out.append(0x0A)
        }
        var tenantFiles = Set<String>()
        tenantFiles.reserveCapacity(files.count)
        for tenant in tenants { tenantFiles.formUnion(tenant.files) }
        for path in files.keys.filter({ !tenantFiles.contains($0) }).sorted() { line(path) }
        for (folder, time) in folders.sorted(by: { $0.key < $1.key }) { append("D \(time) \(folder)\n") }
        for tenant in tenants {
            append("T \(tenant.slug) \(tenant.key)\nS ")
            append(tenant.summary)
            out.append(0x0A)
            for path in tenant.files { line(path) }
        }
        let temporary = path + ".new"
        unlink(temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(out)) else { return "\(temporary): cannot write" }
        guard rename(temporary, path) == 0 else { return "\(path): cannot write: \(String(cString: strerror(errno)))" }
        return nil
    }
}
