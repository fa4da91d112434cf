import Glibc

/// Reading the files a build takes in (snapshots, templates, string tables, assets, help articles) the one safe way:
/// the size cap is checked on the open file before a byte is read, at most the cap is ever read (a file that grows
/// meanwhile is refused, not read on), special files (pipes, devices, folders) are refused without blocking, and a
/// symbolic link is refused rather than followed, so nothing outside `content/` and `templates/` can be read in and
/// published through a link placed inside them.
public enum InputFile {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case missing
        case symbolicLink
        case notRegular
        case tooBig(size: Int, limit: Int)
        case unreadable(String)

        public var description: String {
            switch self {
            case .missing: return "the file is missing"
            case .symbolicLink: return "is a symbolic link; tenantsite reads only regular files inside its folders, so copy the file here instead of linking it"
            case .notRegular: return "is not a regular file"
            case .tooBig(let size, let limit): return "the file is \(size) bytes; the limit is \(limit) bytes"
            case .unreadable(let reason): return "cannot be read: \(reason)"
            }
        }
    }

    /// The whole file, if it is a regular file (not a link, unless `followLinks`: a file named on the command line
    /// may be one) of at most `limit` bytes.
    public static func read(_ path: String, limit: Int, followLinks: Bool = false) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (followLinks ? 0 : O_NOFOLLOW))
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .missing }
            if code == ELOOP { throw .symbolicLink }
            throw .unreadable(String(cString: strerror(code)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notRegular }
        let size = Int(info.st_size)
        guard size <= limit else { throw .tooBig(size: size, limit: limit) }
        // One byte more than the cap: a file that grew past it since fstat is refused, never read to its end.
        // (Not zero-filled first: the reads fill it, and only what they filled is kept.)
        var failure: Failure?
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            var filled = 0
            while filled < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .unreadable(String(cString: strerror(errno)))
                    break
                }
                if n == 0 { break }
                filled += n
                if filled > limit { failure = .tooBig(size: filled, limit: limit); break }
            }
            count = filled
        }
        if let failure { throw failure }
        return bytes
    }

    /// The first `count` bytes of a regular file (fewer if it is shorter); empty when it cannot be read.
    public static func head(_ path: String, count: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, count) }
        return n > 0 ? Array(bytes[..<n]) : []
    }

    public enum Kind: Sendable, Equatable { case file, folder, symbolicLink, other }

    /// What a path is, without following a link at its end.
    public static func kind(_ path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// The names in a folder, sorted, without `.` and `..`; nil when it cannot be listed.
    public static func names(in folder: String) -> [String]? {
        guard let dir = opendir(folder) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
