import CFileSwap
import Foundation
import Glibc
import Synchronization

/// Writes a whole site into a fresh folder beside the output folder and swaps it in only when complete, so
/// a failed or killed build leaves the previous site exactly as it was. Holds a lock for the whole build:
/// a second build into the same folder waits for the first.
public final class OutputWriter: @unchecked Sendable {
    public let output: URL
    public let staging: URL
    private let lockDescriptor: Int32
    private var committed = false
    private let stagingPath: String
    private let createdFolders = Mutex<Set<String>>([])

    public enum Failure: Error, CustomStringConvertible {
        case io(String)
        public var description: String { switch self { case .io(let m): return m } }
    }

    /// - Parameter waitMessage: printed once when another build holds the lock.
    public init(output: URL, waitMessage: (String) -> Void = { _ in }) throws {
        self.output = output.standardizedFileURL
        let parent = self.output.deletingLastPathComponent()
        let name = self.output.lastPathComponent
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)

        let lockPath = parent.appendingPathComponent(".\(name).tenantsite-lock").path
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure.io("\(lockPath): cannot create the build lock: \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            waitMessage("another tenantsite build is writing \(self.output.path); waiting for it to finish")
            guard flock(fd, LOCK_EX) == 0 else {
                close(fd)
                throw Failure.io("\(lockPath): cannot take the build lock: \(String(cString: strerror(errno)))")
            }
        }
        lockDescriptor = fd
        // From here a failed init must let go of the lock itself: `deinit` does not run for an object never made,
        // and a lock left held would make the next build in this process wait forever.
        let prefix = ".\(name).tenantsite-"
        staging = parent.appendingPathComponent("\(prefix)staging-\(getpid())")
        stagingPath = staging.path
        do {
            // A build replaces the output folder whole and deletes what was there: only ever a site we wrote.
            try Self.checkReplaceable(self.output)

            // Folders left by killed builds: nobody else can be using them while we hold the lock.
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where entry.hasPrefix(prefix) && !entry.hasSuffix("-lock") {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
            }
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
            try Data(Self.markerText.utf8).write(to: staging.appendingPathComponent(Self.markerName))
        } catch {
            flock(fd, LOCK_UN)
            close(fd)
            throw error
        }
    }

    /// Written into every site, so that a later build knows the folder is one it may replace.
    public static let markerName = ".tenantsite-output"
    static let markerText = "This folder is written by tenantsite. Each build replaces it whole: do not keep other files here.\n"

    /// The output may be replaced only when it is missing, empty, or a site tenantsite wrote (the marker file, or
    /// for sites from before the marker, an index.html with tenantsite's generator tag). `--output .`,
    /// `--output ~` or `--output content` would otherwise swap a project or a home folder away and delete it.
    static func checkReplaceable(_ output: URL) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw Failure.io("\(output.path) exists and is not a folder") }
        let entries = (try? fm.contentsOfDirectory(atPath: output.path)) ?? []
        if entries.isEmpty || entries.contains(markerName) { return }
        if let index = fm.contents(atPath: output.appendingPathComponent("index.html").path),
           String(decoding: index.prefix(4096), as: UTF8.self).contains("<meta name=\"generator\" content=\"tenantsite\">") {
            return
        }
        throw Failure.io("\(output.path) holds files that tenantsite did not write (\(entries.sorted().prefix(3).joined(separator: ", "))\(entries.count > 3 ? ", …" : "")); "
                         + "a build replaces its output folder whole, so choose an empty or new folder with --output")
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(at: staging) }
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    /// Writes one file of the new site. Safe to call from several threads for different paths.
    public func write(_ path: SitePath, _ bytes: [UInt8]) throws {
        // Defence in depth: every component is a checked name (no separators, no dot-segments), so the file
        // lies inside the staging folder.
        guard path.components.allSatisfy(SitePath.isSafeComponent) else {
            throw Failure.io("refusing to write \(path) outside the output folder")
        }
        try makeFolders(path.folder)
        let file = stagingPath + "/" + path.description
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw Failure.io("\(file): cannot create: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        try bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure.io("\(file): cannot write: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
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

    /// Makes the new site the output: an atomic exchange when the output exists, a rename when it does not.
    public func commit() throws {
        let fm = FileManager.default
        syncFolder(staging)
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: output.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Failure.io("\(output.path) exists and is not a folder") }
            if tenantsite_exchange_paths(staging.path, output.path) != 0 {
                // Filesystems without RENAME_EXCHANGE: two renames, with the old site kept until the new is in place.
                let old = staging.deletingLastPathComponent().appendingPathComponent(staging.lastPathComponent + "-old")
                try fm.moveItem(at: output, to: old)
                do { try fm.moveItem(at: staging, to: output) } catch {
                    try? fm.moveItem(at: old, to: output)
                    throw error
                }
                try? fm.removeItem(at: old)
                committed = true
                return
            }
            // `staging` now holds the previous site.
            try? fm.removeItem(at: staging)
        } else {
            try fm.moveItem(at: staging, to: output)
        }
        committed = true
    }

    private func syncFolder(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}
