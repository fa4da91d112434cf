import Foundation
import TenantImport
import TenantModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A capture folder being written: the responses go to a hidden staging folder beside it, which becomes the capture
/// folder by one rename when the fetch succeeds, or is removed when it fails (it holds only what this fetch wrote).
/// An existing folder is never written into or replaced.
final class CaptureWriter: @unchecked Sendable {
    let folder: String
    let staging: String
    private(set) var files: [String] = []

    struct Problem: Error, CustomStringConvertible {
        var path: String
        var message: String
        var description: String { "\(path): \(message)" }
    }

    init(folder: String) throws(Problem) {
        var trimmed = folder
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.folder = trimmed
        let url = URL(fileURLWithPath: trimmed)
        self.staging = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
        if FileManager.default.fileExists(atPath: trimmed) {
            throw Problem(path: trimmed, message: "already exists: a capture is never written into an existing folder (give another --capture)")
        }
        do {
            try FileManager.default.createDirectory(atPath: url.deletingLastPathComponent().path, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw Problem(path: staging, message: "cannot be created: \(error.localizedDescription)")
        }
    }

    /// Writes one response body exactly as received.
    func write(_ name: String, _ bytes: [UInt8]) throws(Problem) {
        let path = staging + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw Problem(path: folder + "/" + name, message: "cannot be written")
        }
        files.append(name)
    }

    /// Removes a file this fetch wrote (the pages of a request started again without an optional field).
    func remove(_ name: String) {
        guard let index = files.firstIndex(of: name) else { return }
        try? FileManager.default.removeItem(atPath: staging + "/" + name)
        files.remove(at: index)
    }

    /// Writes the manifest, flushes, and moves the staging folder into place.
    func commit(_ manifest: CaptureManifest) throws(Problem) {
        try write(CaptureManifest.fileName, manifest.encoded())
        for name in files {
            let fd = open(staging + "/" + name, O_RDONLY)
            if fd >= 0 { _ = fsync(fd); _ = close(fd) }
        }
        guard rename(staging, folder) == 0 else {
            throw Problem(path: folder, message: "cannot be created: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the staging folder and the files this fetch wrote in it.
    func discard() {
        for name in files { try? FileManager.default.removeItem(atPath: staging + "/" + name) }
        _ = rmdir(staging)
    }
}

extension Fetcher {
    /// `content/tenants/<slug>.json` → `content/captures/<slug>/<UTC time>` (beside `tenants/`, like `ksef/`).
    public static func defaultCaptureFolder(forSnapshotAt snapshotPath: String, slug: String, stamp: String) -> String {
        ContentFolders.folder("captures", forSnapshotAt: snapshotPath, slug: slug) + "/" + stamp
    }
}
