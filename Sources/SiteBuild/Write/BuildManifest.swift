import CXXHash
import Crypto
import Foundation
import TenantModel

/// Writes all of `bytes` to a descriptor (again after a signal, on after a short write); the `errno` of a failure,
/// or nil.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    var written = 0
    while written < bytes.count {
        let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        written += n
    }
    return nil
}

/// What a build put in its tree, kept beside it (`.<name>.tenantsite/a.manifest`) for the next build: each file's
/// hash and size, each folder's modification time, the key of everything the site as a whole was made from, and per
/// tenant the key of its input files, its summary (what the partner pages need of it) and its files. A tenant whose
/// key is unchanged is not read again: its files are reused and its summary taken from here.
///
/// Text, one record per line; a tenant's files and folders stay as the lines they were read as (`fileLines`,
/// `folderLines`) until someone needs them, so a refresh costs per tenant, not per file:
/// ```
/// tenantsite manifest 3
/// key <site key>
/// D <seconds>.<nanoseconds> <folder>   site-wide folders ("." is the tree)
/// F <hash> <size> <path>               site-wide files
/// T <slug> <tenant key> <files> <bytes>
/// S <the tenant's summary, JSON>
/// D … and F …                          the tenant's folders and files
/// ```
public struct BuildManifest: Sendable {
    public struct File: Sendable, Hashable {
        /// The bytes' XXH3-128.
        public var hash: Digest
        public var size: Int
    }

    /// A 128-bit hash, written as 32 hex digits.
    public struct Digest: Sendable, Hashable {
        var high: UInt64
        var low: UInt64

        init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

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
            withUnsafeBytes(of: high.bigEndian) { BuildManifest.appendHex($0, to: &out) }
            withUnsafeBytes(of: low.bigEndian) { BuildManifest.appendHex($0, to: &out) }
        }
    }

    public struct Tenant: Sendable {
        public var slug: String
        public var key: String
        /// `TenantSummary` as JSON (decoded only when the tenant is reused).
        public var summary: String
        public var fileCount: Int
        public var bytes: Int
        /// Its `F` lines and its `D` lines, as read.
        public var fileLines: ArraySlice<UInt8>
        public var folderLines: ArraySlice<UInt8>
        /// The paths this build wrote for it (a tenant made or reused file by file; not in the manifest's text).
        public var paths: [String] = []
        /// Whether `fileLines`, `folderLines` and `bytes` are filled in: true when read from a manifest or once
        /// `OutputWriter.finish` has seen the tenant's files in the tree.
        public var complete: Bool
        /// Whether its block went to the writer's blocks file (`OutputWriter.finish`): its `fileLines` are there.
        var streamed = false

        public init(slug: String, key: String, summary: String, paths: [String]) {
            self.slug = slug
            self.key = key
            self.summary = summary
            self.paths = paths
            fileCount = paths.count
            bytes = 0
            fileLines = []
            folderLines = []
            complete = false
        }

        init(slug: String, key: String, summary: String, fileCount: Int, bytes: Int, fileLines: ArraySlice<UInt8>, folderLines: ArraySlice<UInt8>) {
            self.slug = slug
            self.key = key
            self.summary = summary
            self.fileCount = fileCount
            self.bytes = bytes
            self.fileLines = fileLines
            self.folderLines = folderLines
            complete = true
        }

        /// Its files, from its `F` lines.
        public func files() -> [(path: String, file: File)] {
            var out: [(path: String, file: File)] = []
            out.reserveCapacity(fileCount)
            BuildManifest.eachLine(fileLines) { line in
                if let entry = BuildManifest.fileLine(line) { out.append(entry) }
            }
            return out
        }

        /// Its folders and their times, from its `D` lines.
        public func folders() -> [(folder: String, time: String)] {
            var out: [(folder: String, time: String)] = []
            BuildManifest.eachLine(folderLines) { line in
                if let entry = BuildManifest.folderLine(line) { out.append(entry) }
            }
            return out
        }
    }

    public var key: String
    /// The site-wide files (not a tenant's), and the site-wide folders with their modification times when the build
    /// ended: a file added to or removed from the tree since changes its folder's time, and the next build notices.
    public var siteFiles: [String: File]
    public var siteFolders: [(folder: String, time: String)] = []
    public var tenants: [Tenant]
    /// A file of more tenants' blocks (`T`, `S`, `D` and `F` lines) that `write` appends after `tenants`: the records
    /// of the tenants a build made, streamed there as each was finished, so that their lines are not all held in memory.
    var moreTenantBlocks: String?

    static let header = "tenantsite manifest 3"

    /// XXH3-128 of a file's bytes: its identity in the manifest, which tells the next build whether the file it
    /// makes is already in the tree. Not SHA-256 (the manifest's format 2): hashing every byte of the site was a
    /// tenth of a full build's CPU, and XXH3 does it about 20 times faster. What a collision could do is leave a
    /// page's earlier bytes in place; only someone who controls both the earlier and the new input of that very page
    /// could aim for one, and they can put what they like on it anyway (docs/scaling.md).
    public static func hash(_ bytes: [UInt8]) -> Digest {
        let value = bytes.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        return Digest(high: value.high64, low: value.low64)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        appendHex(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Lowercase hex digits, two per byte.
    static func appendHex(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        func digit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }  // 0–9, a–f
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 15))
        }
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

    /// The tenants by slug, for looking up many.
    public var tenantsBySlug: [String: Tenant] { Dictionary(tenants.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a }) }

    static func eachLine(_ bytes: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>) -> Void) {
        var at = bytes.startIndex
        while at < bytes.endIndex {
            let end = bytes[at...].firstIndex(of: 0x0A) ?? bytes.endIndex
            body(bytes[at..<end])
            at = end + 1
        }
    }

    /// `F <32 hex> <size> <path>`.
    static func fileLine(_ line: ArraySlice<UInt8>) -> (path: String, file: File)? {
        let start = line.startIndex
        guard line.count > 37, line[start] == UInt8(ascii: "F"), line[start + 1] == 0x20, line[start + 34] == 0x20 else { return nil }
        let digest = line.withUnsafeBufferPointer { Digest(hex: $0[2..<34]) }
        guard let digest else { return nil }
        var i = start + 35
        var size = 0
        while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x39 { size = size * 10 + Int(line[i] - 0x30); i += 1 }
        guard i < line.endIndex, line[i] == 0x20 else { return nil }
        return (String(decoding: line[(i + 1)...], as: UTF8.self), File(hash: digest, size: size))
    }

    /// A tenant's block: its `T` and `S` lines, then its `D` and `F` lines.
    static func appendBlock(_ tenant: Tenant, to out: inout [UInt8]) {
        out.append(contentsOf: "T \(tenant.slug) \(tenant.key) \(tenant.fileCount) \(tenant.bytes)\nS ".utf8)
        out.append(contentsOf: tenant.summary.utf8)
        out.append(0x0A)
        out += tenant.folderLines
        out += tenant.fileLines
    }

    /// The folder of a `D <time> <folder>` line, as bytes.
    static func folderLinePath(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard line.first == UInt8(ascii: "D"), let space = line.dropFirst(2).firstIndex(of: 0x20) else { return nil }
        return line[(space + 1)...]
    }

    /// `D <time> <folder>`.
    static func folderLine(_ line: ArraySlice<UInt8>) -> (folder: String, time: String)? {
        let parts = line.split(separator: 0x20, maxSplits: 2)
        guard parts.count == 3, parts[0].elementsEqual([UInt8(ascii: "D")]) else { return nil }
        return (String(decoding: parts[2], as: UTF8.self), String(decoding: parts[1], as: UTF8.self))
    }

    static func fileLineBytes(_ path: String, _ file: File, into out: inout [UInt8]) {
        out.append(contentsOf: "F ".utf8)
        file.hash.append(to: &out)
        out.append(contentsOf: " \(file.size) ".utf8)
        out.append(contentsOf: path.utf8)
        out.append(0x0A)
    }

    static func folderLinesBytes(_ folders: [(folder: String, time: String)]) -> ArraySlice<UInt8> {
        var out: [UInt8] = []
        for (folder, time) in folders.sorted(by: { $0.folder < $1.folder }) { out.append(contentsOf: "D \(time) \(folder)\n".utf8) }
        return out[...]
    }

    static func read(_ path: String) -> BuildManifest? {
        guard let bytes = try? InputFile.read(path, limit: 1 << 31) else { return nil }
        var at = 0
        /// Where the line starting at `i` ends (its LF, or the end of the file), by `memchr`.
        func lineEnd(_ i: Int) -> Int {
            bytes.withUnsafeBufferPointer { buffer in
                guard let found = memchr(buffer.baseAddress! + i, 0x0A, buffer.count - i) else { return buffer.count }
                return UnsafeRawPointer(found) - UnsafeRawPointer(buffer.baseAddress!)
            }
        }
        func nextLine() -> ArraySlice<UInt8>? {
            guard at < bytes.count else { return nil }
            let end = lineEnd(at)
            defer { at = end + 1 }
            return bytes[at..<end]
        }
        /// A tenant's run of lines of one kind (`F` or `D`) from the line at `start`, taken in one step (a tenant's lines
        /// are one run of the file as the manifest writes them: kept as a slice of it, not copied), each line ended by
        /// its LF; `at` moved past it.
        func run(of kind: UInt8, from start: Int) -> ArraySlice<UInt8> {
            var end = lineEnd(start)
            while end + 1 < bytes.count, bytes[end + 1] == kind {
                end = lineEnd(end + 1)
            }
            at = min(end + 1, bytes.count)
            return end < bytes.count ? bytes[start...end] : ArraySlice(bytes[start..<end] + [0x0A])
        }
        /// A run added to a tenant's lines: usually its only one; one run split by lines of the other kind is copied.
        func add(_ run: ArraySlice<UInt8>, to lines: inout ArraySlice<UInt8>) {
            if lines.isEmpty {
                lines = run
            } else if lines.endIndex == run.startIndex, run.endIndex <= bytes.count {
                lines = bytes[lines.startIndex..<run.endIndex]
            } else {
                lines = ArraySlice(Array(lines) + run)
            }
        }
        guard let first = nextLine(), first.elementsEqual(header.utf8), let keyLine = nextLine(), keyLine.starts(with: "key ".utf8) else { return nil }
        var manifest = BuildManifest(key: String(decoding: keyLine.dropFirst(4), as: UTF8.self), siteFiles: [:], tenants: [])
        var current: Tenant?
        while at < bytes.count {
            // A tenant's files and folders: a whole run of lines at once, usually the tenant's only one.
            if current != nil, bytes[at] == UInt8(ascii: "F") || bytes[at] == UInt8(ascii: "D") {
                let kind = bytes[at]
                let lines = run(of: kind, from: at)
                if kind == UInt8(ascii: "F") { add(lines, to: &current!.fileLines) } else { add(lines, to: &current!.folderLines) }
                continue
            }
            guard let line = nextLine() else { break }
            guard let kind = line.first else { continue }
            switch kind {
            case UInt8(ascii: "F"):  // (before the first tenant)
                guard let (path, file) = fileLine(line) else { return nil }
                manifest.siteFiles[path] = file
            case UInt8(ascii: "D"):
                guard let entry = folderLine(line) else { return nil }
                manifest.siteFolders.append(entry)
            case UInt8(ascii: "T"):
                if let done = current { manifest.tenants.append(done) }
                let parts = line.split(separator: 0x20)
                guard parts.count == 5, let count = Int(String(decoding: parts[3], as: UTF8.self)),
                      let size = Int(String(decoding: parts[4], as: UTF8.self)) else { return nil }
                current = Tenant(slug: String(decoding: parts[1], as: UTF8.self), key: String(decoding: parts[2], as: UTF8.self), summary: "",
                                 fileCount: count, bytes: size, fileLines: [], folderLines: [])
            case UInt8(ascii: "S"):
                guard current != nil else { return nil }
                current!.summary = String(decoding: line.dropFirst(2), as: UTF8.self)
            default:
                return nil
            }
        }
        if let done = current { manifest.tenants.append(done) }
        return manifest
    }

    /// A folder's modification time as the manifest writes it; nil when it is not a folder.
    static func folderTime(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    /// A folder's ancestors with fewer than `depth` components, the tree itself (".") included: `pl/tenants/acme` → `pl/tenants`, `pl`, `.`.
    static func ancestors(of folder: String, below depth: Int) -> [String] {
        let parts = folder.split(separator: "/")
        var out = ["."]
        if parts.count > 1 { for n in 1..<min(depth, parts.count) { out.append(parts.prefix(n).joined(separator: "/")) } }
        return out
    }

    /// Every folder that holds one of `paths` ("." for the tree itself), with its time now.
    static func folderTimes(tree: String, paths: some Sequence<String>) -> [String: String] {
        var folders = Set<Substring>(["."])
        for path in paths {
            // Over UTF-8 (a search of the `String` walks it by characters, backwards).
            let utf8 = path.utf8
            var end = utf8.endIndex
            while let slash = utf8[..<end].lastIndex(of: UInt8(ascii: "/")) {
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
        func same(_ entry: (folder: String, time: String)) -> Bool {
            BuildManifest.folderTime(entry.folder == "." ? tree : tree + "/" + entry.folder) == entry.time
        }
        return !siteFolders.isEmpty && siteFolders.allSatisfy(same) && tenants.allSatisfy { $0.folders().allSatisfy(same) }
    }

    /// Writes the manifest (to a new file, renamed over the old: a reader never sees half of one); the problem, or nil.
    /// Written a megabyte at a time: a site of a hundred thousand invoices has a manifest of tens of megabytes.
    func write(_ path: String) -> String? {
        let temporary = path + ".new"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return "\(temporary): cannot write: \(String(cString: strerror(errno)))" }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20 + 65536)
        var failed = false
        func flush() {
            if !failed, out.withUnsafeBytes({ writeAll(fd, $0) }) != nil { failed = true }
            out.removeAll(keepingCapacity: true)
        }
        out.append(contentsOf: (BuildManifest.header + "\nkey " + key + "\n").utf8)
        out += BuildManifest.folderLinesBytes(siteFolders)
        for path in siteFiles.keys.sorted() {
            BuildManifest.fileLineBytes(path, siteFiles[path]!, into: &out)
            if out.count >= 1 << 20 { flush() }
        }
        for tenant in tenants {
            BuildManifest.appendBlock(tenant, to: &out)
            if out.count >= 1 << 20 { flush() }
        }
        flush()
        if let more = moreTenantBlocks {
            let source = open(more, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            if source < 0 { failed = true }
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while !failed {
                let n = chunk.withUnsafeMutableBufferPointer { Glibc.read(source, $0.baseAddress!, $0.count) }
                if n < 0 { if errno == EINTR { continue }; failed = true; break }
                if n == 0 { break }
                if chunk.withUnsafeBytes({ writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[..<n])) }) != nil { failed = true }
            }
            if source >= 0 { close(source) }
        }
        if close(fd) != 0 || failed { return "\(temporary): cannot write: \(String(cString: strerror(errno)))" }
        guard rename(temporary, path) == 0 else { return "\(path): cannot write: \(String(cString: strerror(errno)))" }
        return nil
    }
}
