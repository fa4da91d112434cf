import CFileSwap
import Foundation
import Glibc
import Synchronization
import TenantModel

/// Writes a site into the output folder so that readers only ever see a whole site, old or new, and a build
/// rewrites only what changed.
///
/// The output is a symbolic link to one of two trees kept beside it, `.<name>.tenantsite/a` and `…/b`
/// (docs/scaling.md says why). A build writes the tree that is not being served — which holds the site of the build
/// before last — bringing it up to date file by file: a file whose bytes it already holds (by the hash in that
/// tree's manifest, `a.manifest` beside the trees) is left alone, a file the served tree holds unchanged is hard-linked
/// from there, anything else is written anew, and what the new site no longer has is removed. Then the link is
/// replaced in one `rename`. A kill at any moment leaves the link pointing at the tree it pointed at.
///
/// What it promises, in the order a build meets it:
/// - it replaces only a folder that is missing, empty, our own link, or holds exactly the files an earlier build
///   listed in the folder's marker (`.tenantsite-output`): a file anyone else put there stops the build;
/// - the trees get the old folder's mode, owner, group and ACLs before a file is written into them;
/// - a tree whose manifest is missing (its build was killed), or whose folders changed since (files added or removed by
///   hand), is cleared and written whole;
/// - it leaves nothing beside the output but the trees folder; its lock file goes when the build ends.
public final class OutputWriter: @unchecked Sendable {
    public let output: URL
    private let lock: BuildLock
    private var committed = false
    /// `<parent>/.<name>.tenantsite`: the trees `a` and `b`, and their manifests.
    let treesPath: String
    /// The tree this build writes, and its name (`a` or `b`).
    let treePath: String
    let treeName: String
    /// The tree being served (nil when the output is missing, or a plain folder from an earlier version).
    let liveTreePath: String?
    /// The served tree's manifest: what this build may reuse.
    public let live: BuildManifest?
    /// What the tree this build writes holds now (its manifest), by site file and by tenant; a tenant's files are
    /// read from its manifest block only when one of them is asked for.
    private let held: BuildManifest?
    private let heldTenants: [String: BuildManifest.Tenant]
    private let heldTenantFiles = Mutex<[String: [String: BuildManifest.File]]>([:])
    /// What this build put in the tree file by file, and the tenants it kept whole (their files already there).
    /// A tenant's entries leave it once `finish` has put them in the tenant's record (memory stays with the tenants in
    /// flight, not the whole site); `finished` then refuses its paths to anyone else.
    private let written = Mutex<(files: [String: BuildManifest.File], finished: Set<String>)>(([:], []))
    private let kept = Mutex<[String: BuildManifest.Tenant]>([:])
    private let counts = Mutex<(written: Int, newPaths: Int, removed: Int)>((0, 0, 0))
    /// The finished tenants' manifest blocks, appended as each is finished (`<tree>.manifest.tenants`, removed once
    /// the manifest is written); the descriptor, or -1 until the first, and whether a write failed.
    private let blocks = Mutex<(fd: Int32, problem: Int32?)>((-1, nil))
    var blocksPath: String { treesPath + "/" + treeName + ".manifest.tenants" }
    /// Shared folders (`pl/tenants`, `pl`) above files `finish` removed: `commit` removes those that emptied.
    private let sharedEmptied = Mutex<Set<String>>([])
    private let createdFolders = Mutex<Set<String>>([])
    /// The output is a plain folder an earlier version wrote: replaced by the link at the end.
    private let plainFolder: Bool
    /// Names beside the output: `.<name>.tenantsite-previous` (the old folder during a swap without `RENAME_EXCHANGE`).
    private let previous: URL
    private let linkTarget: String

    public enum Failure: Error, CustomStringConvertible {
        case io(String)
        public var description: String { switch self { case .io(let m): return m } }
    }

    /// - Parameter waitMessage: printed once when another build holds the lock.
    public init(output: URL, waitMessage: (String) -> Void = { _ in }) throws {
        self.output = output.standardizedFileURL
        guard self.output.path != "/" && !self.output.lastPathComponent.isEmpty else {
            throw Failure.io("/ cannot be an output folder: a build replaces its output folder whole; choose an empty or new folder with --output")
        }
        let parent = self.output.deletingLastPathComponent()
        let name = self.output.lastPathComponent
        let treesName = ".\(name).tenantsite"
        let treesPath = parent.path + "/" + treesName
        self.treesPath = treesPath
        // Our own link is the only link taken as an output.
        if Self.ownLink(self.output, treesName: treesName) == nil { try Self.checkNotLink(self.output) }
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw Failure.io("\(parent.path): cannot create the folder the output goes in: \(Self.reason(error))")
        }
        lock = try BuildLock(path: parent.appendingPathComponent(".\(name).tenantsite-lock").path, output: self.output.path, waitMessage: waitMessage)
        // From here a failed init must let go of the lock itself: `deinit` does not run for an object never made,
        // and a lock left held would make the next build in this process wait forever.
        let prefix = ".\(name).tenantsite-"
        previous = parent.appendingPathComponent("\(prefix)previous")
        do {
            try Self.recover(output: self.output, previous: previous)
            // Read again under the lock: a build we waited for may have just made the link.
            let current = Self.ownLink(self.output, treesName: treesName)
            if current == nil { try Self.checkNotLink(self.output) }
            let outputPath = self.output.path
            let plain = current == nil && InputFile.kind(outputPath) != nil
            plainFolder = plain
            // A build replaces a plain output folder and deletes what was there: only ever a site we wrote.
            if plain { try Self.checkReplaceable(self.output) }

            // Folders and links left by killed builds of earlier versions: nobody else can be using them while we hold the lock.
            for entry in InputFile.names(in: parent.path) ?? [] where entry.hasPrefix(prefix + "staging-") || entry.hasPrefix(prefix + "link-") {
                let path = parent.appendingPathComponent(entry)
                if InputFile.kind(path.path) == .symbolicLink { unlink(path.path) } else { try? FileManager.default.removeItem(at: path) }
            }
            let like = current.map { treesPath + "/" + $0 } ?? (plain ? outputPath : nil)
            if InputFile.kind(treesPath) == nil { try Self.makeFolder(treesPath, like: plain ? outputPath : nil) }
            liveTreePath = current.map { treesPath + "/" + $0 }
            let name = current == "a" ? "b" : "a"
            treeName = name
            treePath = treesPath + "/" + name
            linkTarget = treesName + "/" + name
            // The two manifests side by side: each is a few megabytes for a thousand tenants.
            let liveRead = Mutex<BuildManifest?>(nil)
            let preparing = Mutex<Result<BuildManifest?, any Error>>(.success(nil))
            DispatchQueue.concurrentPerform(iterations: 2) { job in
                if job == 0 {
                    let manifest = current.flatMap { BuildManifest.read(treesPath + "/" + $0 + ".manifest") }
                    liveRead.withLock { $0 = manifest }
                } else {
                    let result = Result { try Self.prepareTree(treesPath + "/" + name, manifest: treesPath + "/" + name + ".manifest", like: like) }
                    preparing.withLock { $0 = result }
                }
            }
            live = liveRead.withLock { $0 }
            let heldManifest = try preparing.withLock { $0 }.get()
            held = heldManifest
            heldTenants = heldManifest?.tenantsBySlug ?? [:]
        } catch {
            lock.release()
            throw error
        }
    }

    /// Written into every site, so that a later build knows the folder is one it may replace, and which files in it
    /// are its own.
    public static let markerName = ".tenantsite-output"
    static let markerHeader = "This folder is written by tenantsite. Each build replaces it whole: do not keep other files here.\n"
    static let markerListHeader = "Files of this build:\n"

    // MARK: Before the build

    private static func reason(_ error: Error) -> String {
        if let error = error as? CocoaError, let underlying = error.underlying as? POSIXError { return String(cString: strerror(underlying.code.rawValue)) }
        if let error = error as? POSIXError { return String(cString: strerror(error.code.rawValue)) }
        return "\(error)"
    }

    /// The tree (`a` or `b`) the output links to, when it is our link: `.<name>.tenantsite/a` exactly.
    static func ownLink(_ output: URL, treesName: String) -> String? {
        guard InputFile.kind(output.path) == .symbolicLink,
              let target = try? FileManager.default.destinationOfSymbolicLink(atPath: output.path) else { return nil }
        for tree in ["a", "b"] where target == treesName + "/" + tree { return tree }
        return nil
    }

    /// A link as the output would have the build replace the link, not the folder it names: say so instead.
    static func checkNotLink(_ output: URL) throws {
        guard InputFile.kind(output.path) == .symbolicLink else { return }
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: output.path)) ?? "?"
        let dangling = !FileManager.default.fileExists(atPath: output.path)
        throw Failure.io("\(output.path) is a symbolic link (to \(target)\(dangling ? ", which does not exist" : "")); "
                         + "give the real folder with --output, or remove the link")
    }

    /// A build killed between the two renames of the fallback swap leaves the old site at `previous` and no output:
    /// put it back. When both exist, the swap finished and `previous` is the old site, ours to remove.
    static func recover(output: URL, previous: URL) throws {
        guard InputFile.kind(previous.path) == .folder else { return }
        if InputFile.kind(output.path) == nil {
            guard rename(previous.path, output.path) == 0 else {
                throw Failure.io("\(previous.path): cannot put the previous site back at \(output.path): \(String(cString: strerror(errno)))")
            }
        } else if InputFile.kind(previous.path + "/" + markerName) == .file {
            try? FileManager.default.removeItem(at: previous)
        }
    }

    /// The tree this build writes, ready: what it holds by its manifest, which is then removed (until the build
    /// ends, the tree is being changed). A tree without a manifest — its build was killed — or whose folders changed
    /// since (a file added or removed by hand) is cleared; it is ours, inside our own folder. The folders' times are
    /// compared rather than the tree walked (a walk of 60,000 files costs a tenth of a refresh); a file edited in place
    /// is not noticed — removing the trees folder makes the next build a clean one.
    static func prepareTree(_ tree: String, manifest: String, like: String?) throws -> BuildManifest? {
        var held: BuildManifest?
        if InputFile.kind(tree) != nil {
            if let old = BuildManifest.read(manifest), old.foldersUnchanged(tree: tree) {
                held = old
            } else {
                try? FileManager.default.removeItem(atPath: tree)
            }
        }
        unlink(manifest)
        if InputFile.kind(tree) == nil {
            try makeFolder(tree, like: like)
            if let message = writeFile(tree + "/" + markerName, Array(markerHeader.utf8)) { throw Failure.io(message) }
        }
        return held
    }

    /// The output may be replaced only when it is missing, empty, or a site tenantsite wrote with nothing added:
    /// the marker file lists every file of that build, and any other file or folder anywhere in it stops the build.
    /// `--output .`, `--output ~`, a web root holding a copied site beside a blog, would otherwise be swapped away.
    static func checkReplaceable(_ output: URL) throws {
        guard let kind = InputFile.kind(output.path) else { return }
        guard kind == .folder else { throw Failure.io("\(output.path) exists and is not a folder") }
        let entries = InputFile.names(in: output.path) ?? []
        if entries.isEmpty { return }
        func refuse(_ strays: [String], total: Int) -> Failure {
            .io("\(output.path) holds files that tenantsite did not write (\(strays.prefix(3).joined(separator: ", "))\(total > 3 ? ", …" : "")); "
                + "a build replaces its output folder whole, so choose an empty or new folder with --output, or move those files out")
        }
        guard let marker = try? InputFile.read(output.path + "/" + markerName, limit: 64 * 1024 * 1024),
              marker.starts(with: markerHeader.utf8) else {
            throw refuse(entries, total: entries.count)
        }
        // The list follows the header (markers written before the list, Nov 2026, have none).
        let listStart = markerHeader.utf8.count
        let listHeader = Array(markerListHeader.utf8)
        guard marker[listStart...].starts(with: listHeader) else {
            // A marker from before the list (Nov 2026): the top level must hold only what those builds wrote.
            let known: Set<String> = [markerName, "index.html", "assets", "pl", "en"]
            let strays = entries.filter { !known.contains($0) && !($0.hasPrefix("sitemap") && $0.hasSuffix(".xml")) }
            if !strays.isEmpty { throw refuse(strays, total: strays.count) }
            return
        }
        let markerBytes = Array(markerName.utf8)
        // Sitemaps that `tenantsite sitemap` added to a merged site are tenantsite's too.
        func isOurSitemap(_ relative: ArraySlice<UInt8>, _ isFolder: Bool) -> Bool {
            guard !isFolder, relative.starts(with: "sitemap".utf8), relative.reversed().starts(with: "lmx.".utf8), !relative.contains(0x2F) else { return false }
            return Sitemap.isOurs(path: output.path + "/" + String(decoding: relative, as: UTF8.self))
        }
        // The walk meets entries in the order the list was written: compare as a stream of bytes (no set of every path
        // held) and, only when they differ, with a set, to tell files that were removed (fine) from files added.
        var cursor = listStart + listHeader.count
        var inOrder = true
        FolderWalk.walk(output.path) { (relative: ArraySlice<UInt8>, isFolder: Bool) -> Bool in
            if relative.elementsEqual(markerBytes) || isOurSitemap(relative, isFolder) { return false }
            guard let end = marker[cursor...].firstIndex(of: 0x0A) else {
                inOrder = false
                return false
            }
            let line = marker[cursor..<end]
            let matches = isFolder ? (line.count == relative.count + 1 && line.last == 0x2F && line.dropLast().elementsEqual(relative))
                                   : line.elementsEqual(relative)
            guard matches else {
                inOrder = false
                return false
            }
            cursor = end + 1
            return true
        }
        if inOrder { return }
        let ours = Set(marker[(listStart + listHeader.count)...].split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) })
        var strays: [String] = []
        var total = 0
        FolderWalk.walk(output.path) { (relative: ArraySlice<UInt8>, isFolder: Bool) -> Bool in
            if relative.elementsEqual(markerBytes) { return false }
            let line = String(decoding: relative, as: UTF8.self) + (isFolder ? "/" : "")
            if ours.contains(line) || isOurSitemap(relative, isFolder) { return true }
            total += 1
            if strays.count < 3 { strays.append(line) }
            return false  // a stray folder is named once, not file by file
        }
        if total > 0 { throw refuse(strays, total: total) }
    }

    /// A folder made private first and then given `like`'s mode, owner, group and ACLs (a `2750 root:www` web root
    /// stays so; files written inside inherit its group and default ACL as they would there).
    static func makeFolder(_ path: String, like output: String?) throws {
        var info = stat()
        let existing = output.map { stat($0, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR } ?? false
        guard mkdir(path, existing ? 0o700 : 0o777) == 0 else {
            throw Failure.io("\(path): cannot create the folder for the new site: \(String(cString: strerror(errno)))")
        }
        if existing, let output {
            // The owner can be set only by root; the group by the owner, to one of its groups. Either is kept when allowed.
            if chown(path, info.st_uid, info.st_gid) != 0 { _ = chown(path, uid_t.max, info.st_gid) }
            guard chmod(path, info.st_mode & 0o7777) == 0 else {
                throw Failure.io("\(path): cannot set the mode of \(output): \(String(cString: strerror(errno)))")
            }
            guard tenantsite_copy_acls(output, path) == 0 else {
                throw Failure.io("\(path): cannot copy the access control lists of \(output): \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit {
        // A build that failed leaves no blocks file; a first build that failed leaves nothing beside the output: the
        // trees were made for it alone.
        let open = blocks.withLock { $0.fd }
        if open >= 0 { close(open) }
        if !committed { unlink(blocksPath) }
        if !committed && liveTreePath == nil { try? FileManager.default.removeItem(atPath: treesPath) }
        lock.release()
    }

    // MARK: Writing

    /// Writes one file of the new site (unless the tree already holds these bytes there), and returns what the
    /// manifest records of it. Safe to call from several threads for different paths.
    @discardableResult
    public func write(_ path: SitePath, _ bytes: [UInt8]) throws -> BuildManifest.File {
        try write(path, key: path.description, bytes)
    }

    /// The same, with the path's text (`path.description`) made by the caller.
    func write(_ path: SitePath, key: String, _ bytes: [UInt8]) throws -> BuildManifest.File {
        // Defence in depth: every component is a checked name (no separators, no dot-segments), so the file
        // lies inside the tree.
        guard path.components.allSatisfy(SitePath.isSafeComponent) else {
            throw Failure.io("refusing to write \(path) outside the output folder")
        }
        let file = BuildManifest.File(hash: BuildManifest.hash(bytes), size: bytes.count)
        try claim(key, file)
        let before = heldFile(key, slug: Self.tenantSlug(path))
        if before == file { return file }
        try makeFolders(path.folder)
        let target = treePath + "/" + key
        unlink(target)  // the tree's older file, or one this build linked in for a tenant it then made anew
        if let message = Self.writeFile(target, bytes) { throw Failure.io(message) }
        counts.withLock { $0.written += 1; if before == nil { $0.newPaths += 1 } }
        return file
    }

    /// The tenant a site path belongs to: `<lang>/tenants/<slug>/…`.
    static func tenantSlug(_ path: String) -> Substring? {
        let utf8 = path.utf8
        guard let slash = utf8.firstIndex(of: 0x2F) else { return nil }
        let rest = utf8[utf8.index(after: slash)...]
        guard rest.starts(with: "tenants/".utf8) else { return nil }
        let start = utf8.index(rest.startIndex, offsetBy: 8)
        guard let end = utf8[start...].firstIndex(of: 0x2F), end > start, utf8.index(after: end) < utf8.endIndex else { return nil }
        return path[start..<end]
    }

    /// The same for a path in components (what `write` gets).
    static func tenantSlug(_ path: SitePath) -> String? {
        let parts = path.components
        return parts.count >= 4 && parts[1] == "tenants" ? parts[2] : nil
    }

    /// What the tree holds at a path, by its manifest.
    func heldFile(_ path: String) -> BuildManifest.File? {
        heldFile(path, slug: Self.tenantSlug(path).map(String.init))
    }

    func heldFile(_ path: String, slug: String?) -> BuildManifest.File? {
        guard let slug else { return held?.siteFiles[path] }
        return heldTenantFiles.withLock { cache in
            if let files = cache[slug] { return files[path] }
            guard let tenant = heldTenants[slug] else { return nil }
            let files = Dictionary(tenant.files().map { ($0.path, $0.file) }, uniquingKeysWith: { a, _ in a })
            cache[slug] = files
            return files[path]
        }
    }

    /// Keeps a tenant of the served site whole when this tree holds exactly its files already: nothing to write,
    /// link or check file by file. False otherwise (then `reuse` its files one by one).
    public func keep(_ tenant: BuildManifest.Tenant) -> Bool {
        guard let mine = heldTenants[tenant.slug], mine.key == tenant.key, mine.fileLines == tenant.fileLines else { return false }
        kept.withLock { $0[tenant.slug] = mine }
        return true
    }

    /// Puts a tenant's files of the served site, unchanged, into the new one (see `reuse(_:_:)`), claimed in one go.
    /// False when one of them cannot be (nothing is claimed then).
    public func reuse(_ files: [(path: String, file: BuildManifest.File)]) throws -> Bool {
        // Most are in this tree already: claim those at once; link the rest one by one.
        let inPlace = files.map { heldFile($0.path) == $0.file }
        try claim(zip(files, inPlace).filter { $0.1 }.map(\.0))
        var done: [String] = []
        for (entry, here) in zip(files, inPlace) where !here {
            guard try reuse(entry.path, entry.file) else {
                forget(done + zip(files, inPlace).filter { $0.1 }.map(\.0.path))
                return false
            }
            done.append(entry.path)
        }
        return true
    }

    /// Puts a file of the served site, unchanged, into the new one: nothing when this tree holds it already, else a
    /// hard link to the served tree's file (a copy where a link cannot be made). False when the served tree no
    /// longer has the file (someone removed it): the caller makes the tenant's pages anew (`forget`).
    public func reuse(_ path: String, _ file: BuildManifest.File) throws -> Bool {
        let before = heldFile(path)
        if before == file {
            try claim(path, file)
            return true
        }
        guard let live = liveTreePath else { return false }
        var info = stat()
        guard lstat(live + "/" + path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == file.size else { return false }
        try claim(path, file)
        try makeFolders(path.split(separator: "/").dropLast().map(String.init))
        let target = treePath + "/" + path
        unlink(target)
        if link(live + "/" + path, target) != 0 {
            guard let bytes = try? InputFile.read(live + "/" + path, limit: Int.max) else {
                throw Failure.io("\(live)/\(path): cannot read the served site's file: \(String(cString: strerror(errno)))")
            }
            if let message = Self.writeFile(target, bytes) { throw Failure.io(message) }
        }
        counts.withLock { $0.written += 1; if before == nil { $0.newPaths += 1 } }
        return true
    }

    /// Takes back the claims of `reuse` for files a build will make anew after all.
    public func forget(_ paths: [String]) {
        written.withLock { state in for path in paths { state.files[path] = nil } }
    }

    /// Each path once per build: two page kinds claiming one URL is an error, not a silent overwrite.
    private func claim(_ key: String, _ file: BuildManifest.File) throws { try claim([(key, file)]) }

    /// Claims many paths under one lock (a reused tenant's files).
    private func claim(_ entries: [(path: String, file: BuildManifest.File)]) throws {
        let clash = written.withLock { state -> String? in
            for entry in entries {
                if state.files[entry.path] != nil { return entry.path }
                if !state.finished.isEmpty, let slug = Self.tenantSlug(entry.path), state.finished.contains(String(slug)) { return entry.path }
                state.files[entry.path] = entry.file
            }
            return nil
        }
        if let clash { throw Failure.io("\(treePath)/\(clash): cannot create: \(String(cString: strerror(EEXIST)))") }
    }

    /// Creates a new file (never replacing one) and writes all of `bytes`; the problem, or nil.
    private static func writeFile(_ file: String, _ bytes: [UInt8]) -> String? {
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return "\(file): cannot create: \(String(cString: strerror(errno)))" }
        var problem = bytes.withUnsafeBytes { writeAll(fd, $0) }.map { "\(file): cannot write: \(String(cString: strerror($0)))" }
        if close(fd) != 0 && problem == nil { problem = "\(file): cannot write: \(String(cString: strerror(errno)))" }
        return problem
    }

    /// Creates the folders of a path (each once per build: a site has thousands of files in a few folders).
    private func makeFolders(_ components: [String]) throws {
        var folder = treePath
        for component in components {
            folder += "/" + component
            if createdFolders.withLock({ $0.contains(folder) }) { continue }
            if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                throw Failure.io("\(folder): cannot create the folder: \(String(cString: strerror(errno)))")
            }
            createdFolders.withLock { _ = $0.insert(folder) }
        }
    }

    /// How many files this build wrote anew (the rest the tree held already, or were linked from the served tree).
    public var filesWritten: Int { counts.withLock { $0.written } }

    // MARK: Putting the new site in place

    /// Environment switch for the fault tests: behave as on a filesystem without `RENAME_EXCHANGE`.
    static var exchangeDisabled: Bool { ProcessInfo.processInfo.environment["TENANTSITE_NO_RENAME_EXCHANGE"] == "1" }

    /// Makes the new site the output: removes what it no longer has, writes its manifest (`tenants` and `key` from
    /// the builder, the files from here), and points the output at it in one rename. The lock is let go once the
    /// site is in place.
    public func commit(key: String = "", tenants: [BuildManifest.Tenant] = []) throws {
        try putInPlace(key: key, tenants: tenants)
        lock.release()
    }

    /// Completes the manifest record of a tenant this build made (or reused file by file) once all its files are in
    /// the tree: removes what this tree held for the tenant and the new site no longer has, then records its files,
    /// their size and its folders' times. Called by the worker that made the tenant, so that this work runs side by
    /// side for the tenants instead of one after another in `commit`.
    public func finish(_ record: inout BuildManifest.Tenant) {
        guard !record.complete else { return }
        let entries = written.withLock { state in
            state.finished.insert(record.slug)
            return record.paths.map { state.files.removeValue(forKey: $0) }
        }
        var lines: [UInt8] = []
        lines.reserveCapacity(record.paths.count * 96)
        var bytes = 0
        for (path, file) in zip(record.paths, entries) {
            guard let file else { continue }
            BuildManifest.fileLineBytes(path, file, into: &lines)
            bytes += file.size
        }
        // Only this tenant's worker writes in its folders (`<lang>/tenants/<slug>/…`), so the ones that emptied can go
        // now; shallower folders are shared, and `commit` sweeps them.
        // The tree's files of the tenant: as `heldFile` read them for this build's writes, or from its manifest.
        let cached = heldTenantFiles.withLock { $0.removeValue(forKey: record.slug) }
        if let mine = heldTenants[record.slug] {
            let now = Set(record.paths)
            var emptied = Set<String>()
            var removed = 0
            for path in cached.map({ Array($0.keys) }) ?? mine.files().map(\.path) where !now.contains(path) {
                unlink(treePath + "/" + path)
                removed += 1
                Self.addFolders(of: path, to: &emptied)
            }
            let own = emptied.filter { $0.split(separator: "/").count >= 3 }
            for folder in own.sorted(by: { $0.count > $1.count }) { rmdir(treePath + "/" + folder) }
            if removed > 0 {
                counts.withLock { $0.removed += removed }
                sharedEmptied.withLock { $0.formUnion(emptied.subtracting(own)) }
            }
        }
        let folders = BuildManifest.folderTimes(tree: treePath, paths: record.paths).filter { $0.key.split(separator: "/").count >= 3 }
        record.fileLines = lines[...]
        record.folderLines = BuildManifest.folderLinesBytes(folders.map { ($0.key, $0.value) })
        record.fileCount = record.paths.count
        record.bytes = bytes
        record.paths = []
        record.complete = true
        // Its block goes to the blocks file now; the record keeps its folders (few) and drops its file lines.
        var block: [UInt8] = []
        block.reserveCapacity(record.fileLines.count + record.folderLines.count + record.summary.utf8.count + 200)
        BuildManifest.appendBlock(record, to: &block)
        let path = blocksPath
        blocks.withLock { state in
            guard state.problem == nil else { return }
            if state.fd < 0 {
                unlink(path)
                state.fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
                if state.fd < 0 { state.problem = errno; return }
            }
            state.problem = block.withUnsafeBytes { writeAll(state.fd, $0) }
        }
        record.fileLines = []
        record.streamed = true
    }

    /// The folders a path lies in.
    private static func addFolders(of path: String, to folders: inout Set<String>) {
        let utf8 = path.utf8
        var end = utf8.endIndex
        while let slash = utf8[..<end].lastIndex(of: UInt8(ascii: "/")) {
            guard folders.insert(String(path[..<slash])).inserted else { break }
            end = slash
        }
    }

    private func putInPlace(key: String, tenants: [BuildManifest.Tenant]) throws {
        let keptTenants = kept.withLock { $0 }
        // The records of tenants made file by file that the builder did not `finish` (this removes what the tree held
        // for them and the new site does not have).
        let records = tenants.map { tenant -> BuildManifest.Tenant in
            if let mine = keptTenants[tenant.slug] { return mine }
            var record = tenant
            finish(&record)
            return record
        }
        // What is left of the claims after every tenant's record is complete: the site's own files.
        let siteFiles = written.withLock { $0.files }
        // The rest of what the tree held and the new site does not have: site files, and tenants no longer in the
        // site; then the folders that emptied, deepest first.
        let recorded = Set(records.map(\.slug))
        var emptied = sharedEmptied.withLock { $0 }
        var removed = counts.withLock { $0.removed }
        func remove(_ path: String) {
            unlink(treePath + "/" + path)
            removed += 1
            Self.addFolders(of: path, to: &emptied)
        }
        for path in (held?.siteFiles.keys).map(Array.init) ?? [] where siteFiles[path] == nil { remove(path) }
        for (slug, tenant) in heldTenants where !recorded.contains(slug) {
            for (path, _) in tenant.files() where siteFiles[path] == nil { remove(path) }
        }
        for folder in emptied.sorted(by: { $0.count > $1.count }) { rmdir(treePath + "/" + folder) }

        // The marker's list: what this build wrote, so the next build can tell it from anyone else's files. Made by
        // walking the finished tree (names sorted in each folder), streamed to the file: the same for any number of jobs.
        // The tree's marker stands when the tree holds the same paths as before (a refresh seldom adds or drops a page).
        let markerPath = treePath + "/" + Self.markerName
        let samePaths = held != nil && removed == 0 && counts.withLock { $0.newPaths } == 0 && InputFile.kind(markerPath) == .file
        if !samePaths { try writeMarker(markerPath) }

        // The manifest.
        // The shared folders above the tenants' (`.`, `pl`, `pl/tenants`): their times are the site's.
        var tenantTopFolders = Set<String>()
        var tops = Set<ArraySlice<UInt8>>()
        for record in records {
            BuildManifest.eachLine(record.folderLines) { line in
                guard let folder = BuildManifest.folderLinePath(line) else { return }
                // `<lang>/tenants` of `<lang>/tenants/<slug>/…`, once per language.
                guard let first = folder.firstIndex(of: 0x2F), let second = folder[(first + 1)...].firstIndex(of: 0x2F),
                      tops.insert(folder[..<second]).inserted else { return }
                tenantTopFolders.formUnion(BuildManifest.ancestors(of: String(decoding: folder, as: UTF8.self), below: 3))
            }
        }
        let (blocksFD, blocksProblem) = blocks.withLock { state in
            defer { if state.fd >= 0 { close(state.fd) }; state.fd = -1 }
            return (state.fd, state.problem)
        }
        if let code = blocksProblem { throw Failure.io("\(blocksPath): cannot write: \(String(cString: strerror(code)))") }
        var manifest = BuildManifest(key: key, siteFiles: siteFiles, tenants: records.filter { !$0.streamed })
        manifest.moreTenantBlocks = blocksFD >= 0 ? blocksPath : nil
        var siteFolders = BuildManifest.folderTimes(tree: treePath, paths: siteFiles.keys)
        for folder in tenantTopFolders where siteFolders[folder] == nil {
            siteFolders[folder] = BuildManifest.folderTime(folder == "." ? treePath : treePath + "/" + folder) ?? "-"
        }
        manifest.siteFolders = siteFolders.map { ($0.key, $0.value) }
        if let message = manifest.write(treesPath + "/" + treeName + ".manifest") { throw Failure.io(message) }
        unlink(blocksPath)
        syncFolder(treePath)
        syncFolder(treesPath)
        try switchLink()
    }

    private func writeMarker(_ markerPath: String) throws {
        unlink(markerPath)
        guard let file = fopen(markerPath, "w") else { throw Failure.io("\(markerPath): cannot write: \(String(cString: strerror(errno)))") }
        fputs(Self.markerHeader + Self.markerListHeader, file)
        let markerBytes = Array(Self.markerName.utf8)
        FolderWalk.walk(treePath) { (relative: ArraySlice<UInt8>, isFolder: Bool) -> Bool in
            guard !relative.elementsEqual(markerBytes) else { return false }
            relative.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, file) }
            if isFolder { fputc(0x2F, file) }
            fputc(0x0A, file)
            return true
        }
        let failed = ferror(file) != 0
        guard fclose(file) == 0, !failed else { throw Failure.io("\(markerPath): cannot write: \(String(cString: strerror(errno)))") }
    }

    private func switchLink() throws {
        // The new link, then one rename over the output (a link or nothing: atomic; a plain folder: exchanged).
        let parent = output.deletingLastPathComponent().path
        let newLink = parent + "/.\(output.lastPathComponent).tenantsite-link-\(getpid())"
        unlink(newLink)
        guard symlink(linkTarget, newLink) == 0 else {
            throw Failure.io("\(newLink): cannot create the link to the new site: \(String(cString: strerror(errno)))")
        }
        if !plainFolder {
            guard rename(newLink, output.path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(newLink)
                throw Failure.io("\(output.path): cannot point the output at the new site: \(reason)")
            }
            committed = true
            return
        }
        // An earlier version's plain folder: exchanged with the link in one step where the filesystem can.
        if !Self.exchangeDisabled && tenantsite_exchange_paths(newLink, output.path) == 0 {
            committed = true
            try? FileManager.default.removeItem(atPath: newLink)  // now the old folder
            return
        }
        // Filesystems without RENAME_EXCHANGE: two renames. The old site is moved aside under a fixed name, so a
        // kill between them leaves it where the next build finds it and puts it back (`recover`).
        guard rename(output.path, previous.path) == 0 else {
            unlink(newLink)
            throw Failure.io("\(output.path): cannot move the previous site aside: \(String(cString: strerror(errno)))")
        }
        guard rename(newLink, output.path) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(previous.path, output.path)
            unlink(newLink)
            throw Failure.io("\(output.path): cannot move the new site in place: \(reason)")
        }
        committed = true
        try? FileManager.default.removeItem(at: previous)
    }

    private func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}

/// The lock beside the output folder. The file is removed when the build ends, so nothing is left behind; a build
/// that was waiting on a removed file notices (its descriptor no longer names the path) and takes the lock anew.
final class BuildLock: @unchecked Sendable {
    private let path: String
    private var descriptor: Int32 = -1

    init(path: String, output: String, waitMessage: (String) -> Void) throws {
        self.path = path
        var told = false
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else { throw OutputWriter.Failure.io("\(path): cannot create the build lock: \(String(cString: strerror(errno)))") }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                if !told { waitMessage("another tenantsite build is writing \(output); waiting for it to finish"); told = true }
                guard flock(fd, LOCK_EX) == 0 else {
                    close(fd)
                    throw OutputWriter.Failure.io("\(path): cannot take the build lock: \(String(cString: strerror(errno)))")
                }
            }
            // Still the file at `path`? The holder before us may have removed it while we waited.
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, stat(path, &named) == 0, held.st_dev == named.st_dev, held.st_ino == named.st_ino {
                descriptor = fd
                return
            }
            close(fd)
        }
    }

    /// Removes the file, then lets go: anyone who opened it meanwhile finds it gone and starts again.
    func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

/// Every entry under a folder, depth first, by its path relative to the folder, without following links. `visit`
/// returns whether to go into a folder.
enum FolderWalk {
    /// `visit` gets each path relative to the folder, as bytes; names are in byte order in each folder, the same on
    /// every machine and locale.
    static func walk(_ root: String, _ visit: (ArraySlice<UInt8>, Bool) -> Bool) {
        var path: [UInt8] = []  // relative to root
        let rootBytes = Array(root.utf8)
        func go() {
            var absolute = rootBytes
            if !path.isEmpty { absolute.append(0x2F); absolute += path }
            absolute.append(0)
            guard let dir = absolute.withUnsafeBufferPointer({ opendir(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }) else { return }
            var entries: [(name: [UInt8], isFolder: Bool)] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
                if name == [0x2E] || name == [0x2E, 0x2E] { continue }
                var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
                if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                    isFolder = InputFile.kind(String(decoding: absolute.dropLast(), as: UTF8.self) + "/" + String(decoding: name, as: UTF8.self)) == .folder
                }
                entries.append((name, isFolder))
            }
            closedir(dir)
            entries.sort { a, b in
                let common = min(a.name.count, b.name.count)
                let order = a.name.withUnsafeBufferPointer { x in b.name.withUnsafeBufferPointer { y in memcmp(x.baseAddress!, y.baseAddress!, common) } }
                return order != 0 ? order < 0 : a.name.count < b.name.count
            }
            let depth = path.count
            for entry in entries {
                if !path.isEmpty { path.append(0x2F) }
                path += entry.name
                if visit(path[...], entry.isFolder) && entry.isFolder { go() }
                path.removeSubrange(depth...)
            }
        }
        go()
    }

    static func walk(_ root: String, _ visit: (String, Bool) -> Bool) {
        walk(root) { (relative: ArraySlice<UInt8>, isFolder: Bool) in visit(String(decoding: relative, as: UTF8.self), isFolder) }
    }
}
