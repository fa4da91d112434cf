import Foundation

// What several test targets need alike: temporary folders, the built `tenantsite`, and running a program.

public func temporaryFolder(_ name: String = "tenantsite-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

public func cleanUp(_ url: URL) { try? FileManager.default.removeItem(at: url) }

public struct ToolFailure: Error, CustomStringConvertible {
    public var description: String
}

/// The `tenantsite` executable built beside the test bundle (`swift build --build-tests` builds both).
public func tenantsiteBinary() throws -> URL {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let binary = exe.deletingLastPathComponent().appendingPathComponent("tenantsite")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        throw ToolFailure(description: "\(binary.path) is missing: run `swift build --build-tests` (as `make test` does) before `swift test --skip-build`")
    }
    return binary
}

public struct RunResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a program to completion, output captured through files (no pipe can fill up). `environment` is added to this
/// process's, and `removing` is taken out of it.
public func runTenantsite(_ binary: URL, _ arguments: [String], currentDirectory: URL? = nil,
                          environment: [String: String] = [:], removing: [String] = []) throws -> RunResult {
    let capture = try temporaryFolder("tenantsite-run")
    defer { cleanUp(capture) }
    let out = capture.appendingPathComponent("out"), err = capture.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    if !environment.isEmpty || !removing.isEmpty {
        var env = ProcessInfo.processInfo.environment
        for key in removing { env.removeValue(forKey: key) }
        env.merge(environment) { $1 }
        process.environment = env
    }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus,
                     stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "", stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
}

/// Runs a tool from PATH (chromium, zbarimg, python3) and returns its stdout; a non-zero exit is an error.
@discardableResult
public func runTool(_ tool: String, _ arguments: [String]) throws -> String {
    let result = try runTenantsite(URL(fileURLWithPath: "/usr/bin/env"), [tool] + arguments)
    guard result.status == 0 else {
        throw ToolFailure(description: "\(tool) exited \(result.status) (make test installs chromium and zbar-tools): \(result.stderr.prefix(500))")
    }
    return result.stdout
}

/// The newest snapshot of a demo tenant, relative to the repository: `content/tenants/<slug>/<newest>.json` (the
/// demo ships histories), or `content/tenants/<slug>.json` for a tenant kept as a single file.
public func demoSnapshotPath(_ slug: String, root: URL) -> String {
    let single = "content/tenants/\(slug).json"
    if FileManager.default.fileExists(atPath: root.appendingPathComponent(single).path) { return single }
    let folder = root.appendingPathComponent("content/tenants/\(slug)")
    let newest = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted().last ?? "missing.json"
    return "content/tenants/\(slug)/\(newest)"
}

/// The demo tenants' slugs: the files and history folders of `content/tenants/`.
public func demoTenantSlugs(root: URL) -> [String] {
    let folder = root.appendingPathComponent("content/tenants")
    return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }
        .map { $0.hasSuffix(".json") ? String($0.dropLast(5)) : $0 }.sorted()
}
