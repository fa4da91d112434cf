import Foundation
import Testing
import TenantModel

/// Microsoft's documented example responses (shared/microsoft-samples, verbatim) are what `import` reads.
/// Our JSON parser must read every strict-JSON one, and refuse the documentation artefacts that are not JSON
/// with a line and column.
@Suite struct MicrosoftSamplesParseTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/microsoft-samples")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") || $0.hasSuffix(".txt") }.sorted()
    }

    @Test(.enabled(if: !files.isEmpty, "shared/microsoft-samples is not beside the repository"))
    func strictSamplesParseAndOthersFailWithAPosition() throws {
        let files = Self.files
        for file in files {
            let bytes = Array(try Data(contentsOf: Self.folder.appendingPathComponent(file)))
            do {
                _ = try JSONParser.parse(bytes)
                #expect(file.hasSuffix(".json"), "\(file) is marked NOT-STRICT but parsed")
            } catch {
                #expect(file.contains("NOT-STRICT"), "\(file): \(error)")
                #expect(error.line >= 1 && error.column >= 1)
            }
        }
    }
}
