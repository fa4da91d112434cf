import TenantModel

/// Where a fact came from: a file and a JSON path inside it (for messages and conflict reports).
struct Origin: Sendable, Hashable, CustomStringConvertible {
    var file: String
    var path: JSONPath

    func appending(_ key: String) -> Origin { Origin(file: file, path: path.appending(key)) }
    func appending(_ index: Int) -> Origin { Origin(file: file, path: path.appending(index)) }

    /// `file: path`, as a message names another place.
    var description: String { "\(file): \(path)" }
}

/// Every problem of one import: errors (nothing is written) and warnings (written, but said).
final class Report {
    private(set) var errors: [Diagnostic] = []
    private(set) var warnings: [Diagnostic] = []

    static let warningPrefix = "warning: "
    /// The "file" of problems that belong to no input file (a fact no file holds, a missing option).
    static let commandLine = "(command line)"

    func error(_ origin: Origin, _ message: String) {
        errors.append(Diagnostic(file: origin.file, location: .path(origin.path), message: message))
    }

    func error(file: String, _ location: SourceLocation, _ message: String) {
        errors.append(Diagnostic(file: file, location: location, message: message))
    }

    func warn(_ origin: Origin, _ message: String) {
        warnings.append(Diagnostic(file: origin.file, location: .path(origin.path), message: Self.warningPrefix + message))
    }

    func warn(file: String, _ location: SourceLocation, _ message: String) {
        warnings.append(Diagnostic(file: file, location: location, message: Self.warningPrefix + message))
    }

    var hasErrors: Bool { !errors.isEmpty }
}
