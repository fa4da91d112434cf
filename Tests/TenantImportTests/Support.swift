import Foundation
import TenantImport
import TenantModel

/// The project's own fixtures: one file per documented response shape, plus files that must fail.
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The repository root (…/Tests/TenantImportTests/Support.swift → three levels up).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func file(_ name: String) -> (name: String, bytes: [UInt8]) {
        let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
        precondition(data != nil, "missing fixture \(name)")
        return (name, [UInt8](data!))
    }

    static func files(_ names: [String]) -> [(name: String, bytes: [UInt8])] { names.map(file) }

    static func names(prefix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix(prefix) }.sorted()
    }

    static var graph: [String] { names(prefix: "graph-") }
    static var partnerCenter: [String] { names(prefix: "partnercenter-") }

    // Ids used in the fixtures.
    static let tenantId = "5f0c1a2b-7d3e-4c89-9a41-2b6e8f3d1c07"
    static let otherTenantId = "9d2e4f60-1b3a-4c5d-8e7f-a0b1c2d3e4f5"
    static let stdMonthly = "1a6f0e52-3c1d-4b8e-9f27-6d5a4c3b2e10"
    static let stdAnnual = "2b7a1f63-4d2e-4c9f-8a38-7e6b5d4c3f21"
    static let basic = "3c8b2a74-5e3f-4daf-9b49-8f7c6e5d4a32"
    static let exchange = "4d9c3b85-6f4a-4ebf-8c5a-9a8d7f6e5b43"
    static let archive = "5ead4c96-7a5b-4fc0-8d6b-0a9e8d7c6b54"
    static let premiumTrial = "6fbe5da7-8b6c-4d1f-9e7a-1b2c3d4e5fb6"
    static let appsDeleted = "7acf6eb8-9c7d-4e2a-8f8b-2c3d4e5f6ac8"
}

let captured = Timestamp(rfc3339: "2026-11-20T07:30:00Z")!

func options(channel: Management.Channel? = nil, name: String? = nil, domain: String? = nil, country: String? = nil,
             language: Language? = nil, slug: String? = "pracownia-glina") -> Importer.Options {
    Importer.Options(capturedDateTime: captured, slug: slug, name: name, defaultDomain: domain, countryLetterCode: country,
                     preferredLanguage: language, channel: channel)
}

extension Result where Failure == InvalidInput, Success == Importer.Imported {
    /// Every error and warning: a failure's, or a success's warnings.
    var problems: [Diagnostic] {
        switch self {
        case .failure(let invalid): return invalid.diagnostics
        case .success(let imported): return imported.warnings
        }
    }
    var errors: [Diagnostic] { problems.filter { !$0.message.hasPrefix("warning: ") } }
}

extension Result where Failure == InvalidInput, Success == Snapshot {
    var problems: [Diagnostic] {
        if case .failure(let invalid) = self { return invalid.diagnostics }
        return []
    }
    var errors: [Diagnostic] { problems.filter { !$0.message.hasPrefix("warning: ") } }
}

extension Array where Element == Diagnostic {
    var errors: [Diagnostic] { filter { !$0.message.hasPrefix("warning: ") } }
    var warnings: [Diagnostic] { filter { $0.message.hasPrefix("warning: ") } }
    func mentioning(_ text: String) -> [Diagnostic] { filter { $0.description.contains(text) } }
    var text: String { map(\.description).joined(separator: "\n") }
}

extension Snapshot {
    func subscription(_ id: String) -> Subscription? { subscriptions.first { $0.id == id } }
    func user(_ upn: String) -> User? { users.first { $0.userPrincipalName == upn } }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
