import Dispatch
import Foundation
import Synchronization
import TenantModel

/// Writes a synthetic `content/` folder: `tenants/<slug>.json` for every tenant of a spec, in parallel
/// (each tenant is independent, so the bytes do not depend on the number of threads).
public enum SynthWriter {
    public struct Report: Sendable {
        public var tenants = 0
        public var invoices = 0
        public var bytes = 0
    }

    public enum Failure: Error, CustomStringConvertible {
        case notEmpty(String)
        case io(String)

        public var description: String {
            switch self {
            case .notEmpty(let folder): return "\(folder) already holds snapshots; pass --force to replace them"
            case .io(let message): return message
            }
        }
    }

    /// - Parameters:
    ///   - force: replace the snapshots already in `<content>/tenants` (only that folder is touched).
    ///   - history: more than 1: `tenants/<slug>/<capture time>.json`, that many monthly snapshots per tenant (`Synth.history`).
    public static func write(_ spec: SynthSpec, content: String, force: Bool = false, history: Int = 1,
                             jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                             progress: (@Sendable (Int, Int) -> Void)? = nil) throws(Failure) -> Report {
        let fm = FileManager.default
        let folder = content + "/tenants"
        let existing = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }
        if !existing.isEmpty {
            guard force else { throw .notEmpty(folder) }
            do { try fm.removeItem(atPath: folder) } catch { throw .io("cannot remove \(folder): \(error)") }
        }
        do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch { throw .io("cannot create \(folder): \(error)") }

        let total = spec.tenants
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let report = Mutex(Report())
        let failure = Mutex<Failure?>(nil)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, total))) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < total, failure.withLock({ $0 == nil }) else { break }
                let snapshots = history > 1 ? Synth.history(index, spec, count: history) : [Synth.snapshot(index, spec)]
                var written = 0
                for snapshot in snapshots {
                    let bytes = SnapshotWriter.encode(snapshot)
                    let path: String
                    if history > 1 {
                        let tenantFolder = folder + "/" + snapshot.slug
                        try? fm.createDirectory(atPath: tenantFolder, withIntermediateDirectories: true)
                        path = tenantFolder + "/" + snapshot.capturedDateTime.description.replacingOccurrences(of: ":", with: "-") + ".json"
                    } else {
                        path = folder + "/" + snapshot.slug + ".json"
                    }
                    guard fm.createFile(atPath: path, contents: Data(bytes)) else {
                        failure.withLock { $0 = .io("cannot write \(path)") }
                        break
                    }
                    written += bytes.count
                }
                report.withLock {
                    $0.tenants += 1
                    $0.invoices += snapshots.last?.invoices.count ?? 0
                    $0.bytes += written
                }
                progress?(done.wrappingAdd(1, ordering: .relaxed).oldValue + 1, total)
            }
        }
        if let failure = failure.withLock({ $0 }) { throw failure }
        return report.withLock { $0 }
    }
}
