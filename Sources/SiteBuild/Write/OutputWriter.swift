import CFileSwap
import Foundation
import Glibc
import Synchronization
import TenantModel

/// Writes a whole site into a fresh folder beside the output folder and swaps it in only when complete, so
/// a failed or killed build leaves the previous site exactly as it was. Holds a lock for the whole build:
/// a second build into the same folder waits for the first.
///
/// What it promises, in the order a build meets it:
/// - it replaces only a folder that is missing, empty, or holds exactly the files an earlier build listed in the
///   folder's marker (`.tenantsite-output`): a file anyone else put there, anywhere in the tree, stops the build;
/// - the new site gets the old folder's mode, owner, group and ACLs before a file is written into it;
/// - where the atomic exchange is unavailable, the old site is moved aside under a fixed name and the next build
///   puts it back if a kill came between the two renames;
/// - it leaves nothing beside the output when it is done, its lock file included.
public final class OutputWriter: @unchecked Sendable {
    public let output: URL
    public let staging: URL
    private let lock: BuildLock
    private var committed = false
    private let stagingPath: String
    private let createdFolders = Mutex<Set<String>>([])
    /// Names beside the output: `.<name>.tenantsite-staging-<pid>`, `.<name>.tenantsite-previous`.
    private let previous: URL

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
        try Self.checkNotLink(self.output)
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw Failure.io("\(parent.path): cannot create the folder the output goes in: \(Self.reason(error))")
        }
        lock = try BuildLock(path: parent.appendingPathComponent(".\(name).tenantsite-lock").path, output: self.output.path, waitMessage: waitMessage)
        // From here a failed init must let go of the lock itself: `deinit` does not run for an object never made,
        // and a lock left held would make the next build in this process wait forever.
        let prefix = ".\(name).tenantsite-"
        staging = parent.appendingPathComponent("\(prefix)staging-\(getpid())")
        previous = parent.appendingPathComponent("\(prefix)previous")
        stagingPath = staging.path
        do {
            try Self.recover(output: self.output, previous: previous)
            // A build replaces the output folder whole and deletes what was there: only ever a site we wrote.
            try Self.checkReplaceable(self.output)

            // Folders left by killed builds: nobody else can be using them while we hold the lock.
            for entry in InputFile.names(in: parent.path) ?? [] where entry.hasPrefix(prefix + "staging-") {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
            }
            try Self.makeStaging(stagingPath, like: self.output.path)
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


    /// The staging folder, made private first and then given the output folder's mode, owner, group and ACLs (a
    /// `2750 root:www` web root stays so; files written inside inherit its group and default ACL as they would there).
    static func makeStaging(_ path: String, like output: String) throws {
        var info = stat()
        let existing = stat(output, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        guard mkdir(path, existing ? 0o700 : 0o777) == 0 else {
            throw Failure.io("\(path): cannot create the folder for the new site: \(String(cString: strerror(errno)))")
        }
        if existing {
            // The owner can be set only by root; the group by the owner, to one of its groups. Either is kept when allowed.
            if chown(path, info.st_uid, info.st_gid) != 0 { _ = chown(path, uid_t.max, info.st_gid) }
            guard chmod(path, info.st_mode & 0o7777) == 0 else {
                throw Failure.io("\(path): cannot set the mode of \(output): \(String(cString: strerror(errno)))")
            }
            guard tenantsite_copy_acls(output, path) == 0 else {
                throw Failure.io("\(path): cannot copy the access control lists of \(output): \(String(cString: strerror(errno)))")
            }
        }
        if let message = writeFile(path + "/" + markerName, Array(markerHeader.utf8)) { throw Failure.io(message) }
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(at: staging) }
        lock.release()
    }

    // MARK: Writing

    /// Writes one file of the new site. Safe to call from several threads for different paths.
    public func write(_ path: SitePath, _ bytes: [UInt8]) throws {
        // Defence in depth: every component is a checked name (no separators, no dot-segments), so the file
        // lies inside the staging folder.
        guard path.components.allSatisfy(SitePath.isSafeComponent) else {
            throw Failure.io("refusing to write \(path) outside the output folder")
        }
        try makeFolders(path.folder)
        let file = stagingPath + "/" + path.description
        if let message = Self.writeFile(file, bytes) { throw Failure.io(message) }
    }

    /// Creates a new file (never replacing one) and writes all of `bytes`; the problem, or nil.
    private static func writeFile(_ file: String, _ bytes: [UInt8]) -> String? {
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return "\(file): cannot create: \(String(cString: strerror(errno)))" }
        var offset = 0
        var problem: String?
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    problem = "\(file): cannot write: \(String(cString: strerror(errno)))"
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0 && problem == nil { problem = "\(file): cannot write: \(String(cString: strerror(errno)))" }
        return problem
    }

    /// Creates the folders of a path (each once per build: a site has thousands of files in a few folders).
    private func makeFolders(_ components: [String]) throws {
        var folder = stagingPath
        for component in components {
            folder += "/" + component
            if createdFolders.withLock({ $0.contains(folder) }) { continue }
            if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                throw Failure.io("\(folder): cannot create the folder: \(String(cString: strerror(errno)))")
            }
            createdFolders.withLock { _ = $0.insert(folder) }
        }
    }

    // MARK: Putting the new site in place

    /// Environment switch for the fault tests: behave as on a filesystem without `RENAME_EXCHANGE`.
    static var exchangeDisabled: Bool { ProcessInfo.processInfo.environment["TENANTSITE_NO_RENAME_EXCHANGE"] == "1" }

    /// Makes the new site the output: an atomic exchange when the output exists, a rename when it does not. The
    /// lock is let go once the site is in place.
    public func commit() throws {
        try putInPlace()
        lock.release()
    }

    private func putInPlace() throws {
        // The marker's list, last: what this build wrote, so the next build can tell it from anyone else's files.
        // Made by walking the finished folder (names sorted in each folder), streamed to the file: no list of a
        // hundred thousand paths is held in memory, and it is the same for any number of jobs.
        let markerPath = stagingPath + "/" + Self.markerName
        guard let file = fopen(markerPath, "w") else { throw Failure.io("\(markerPath): cannot write: \(String(cString: strerror(errno)))") }
        fputs(Self.markerHeader + Self.markerListHeader, file)
        let markerBytes = Array(Self.markerName.utf8)
        FolderWalk.walk(stagingPath) { (relative: ArraySlice<UInt8>, isFolder: Bool) -> Bool in
            guard !relative.elementsEqual(markerBytes) else { return false }
            relative.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, file) }
            if isFolder { fputc(0x2F, file) }
            fputc(0x0A, file)
            return true
        }
        let failed = ferror(file) != 0
        guard fclose(file) == 0, !failed else { throw Failure.io("\(markerPath): cannot write: \(String(cString: strerror(errno)))") }
        syncFolder(staging)

        let fm = FileManager.default
        guard let kind = InputFile.kind(output.path) else {
            guard rename(stagingPath, output.path) == 0 else { throw Failure.io("\(output.path): cannot move the new site in place: \(String(cString: strerror(errno)))") }
            committed = true
            return
        }
        guard kind == .folder else { throw Failure.io("\(output.path) exists and is not a folder") }
        if Self.exchangeDisabled || tenantsite_exchange_paths(stagingPath, output.path) != 0 {
            // Filesystems without RENAME_EXCHANGE: two renames. The old site is moved aside under a fixed name, so a
            // kill between them leaves it where the next build finds it and puts it back (`recover`).
            guard rename(output.path, previous.path) == 0 else {
                throw Failure.io("\(output.path): cannot move the previous site aside: \(String(cString: strerror(errno)))")
            }
            guard rename(stagingPath, output.path) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = rename(previous.path, output.path)
                throw Failure.io("\(output.path): cannot move the new site in place: \(reason)")
            }
            committed = true
            try? fm.removeItem(at: previous)
            return
        }
        // `staging` now holds the previous site.
        committed = true
        try? fm.removeItem(at: staging)
    }

    private func syncFolder(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY)
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
