import Foundation
import Testing
import TestHelpers
@testable import TenantModel

/// The KSeF number's rule (Ministry of Finance, "Numer KSeF – struktura i walidacja"): 35 characters, the seller's
/// NIP, a date, twelve hexadecimal digits, and a CRC-8 (0x07, initial 0x00) of the first 32 characters.
@Suite struct KSeFNumberTests {
    @Test func theMinistrysExampleIsValid() {
        #expect(KSeFNumber.problem("5265877635-20250826-0100001AF629-AF") == nil)
        #expect(KSeFNumber.withChecksum("5265877635-20250826-0100001AF629") == "5265877635-20250826-0100001AF629-AF")
        #expect(KSeFNumber.crc8("123456789".utf8) == 0xF4, "CRC-8/SMBUS check value")
    }

    @Test func everyKindOfWrongNumberIsNamed() {
        #expect(KSeFNumber.problem("5265877635-20250826-0100001AF629-AE")?.contains("checksum is AE, but the CRC-8 of its first 32 characters is AF") == true)
        #expect(KSeFNumber.problem("5265877635-20250826-0100001AF629")?.contains("35 characters") == true)
        #expect(KSeFNumber.problem("5265877635-20250826-0100001af629-AF")?.contains("upper-case hexadecimal") == true)
        #expect(KSeFNumber.problem("5265877636-20250826-0100001AF629-C1")?.contains("not a valid NIP") == true)
        // A single changed character in the data always changes the CRC-8.
        let data = Array("5265877635-20250826-0100001AF629".utf8)
        for i in data.indices where data[i] != 0x2D {
            var changed = data
            changed[i] = changed[i] == 0x30 ? 0x31 : 0x30
            #expect(KSeFNumber.crc8(changed) != 0xAF, "position \(i)")
        }
    }

    @Test func theSnapshotRefusesAWrongNumberAtItsPlace() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let demo = try Data(contentsOf: root.appendingPathComponent(demoSnapshotPath("kwiaciarnia-lakowa", root: root)))
        let text = String(decoding: demo, as: UTF8.self)
        let wrongSum = text.replacingOccurrences(of: "8520041736-20260302-EC5DD461CABD-FE", with: "8520041736-20260302-EC5DD461CABD-FF")
        let problems = SnapshotDecoder.decode(Array(wrongSum.utf8), file: "k.json", slug: "kwiaciarnia-lakowa").problems
        #expect(problems.contains { $0.hasPrefix("k.json: invoices[") && $0.contains(".ksefNumber: \"8520041736-20260302-EC5DD461CABD-FF\" is not a KSeF number: its checksum is FF") }, "\(problems)")
        let otherSeller = text.replacingOccurrences(of: "8520041736-20260302-EC5DD461CABD-FE", with: KSeFNumber.withChecksum("5265877635-20260302-EC5DD461CABD"))
        let sellerProblems = SnapshotDecoder.decode(Array(otherSeller.utf8), file: "k.json", slug: "kwiaciarnia-lakowa").problems
        #expect(sellerProblems.contains { $0.contains("the KSeF number starts with NIP 5265877635, but the seller's NIP is 8520041736") }, "\(sellerProblems)")
    }
}

private extension Result where Success == Snapshot, Failure == InvalidInput {
    var problems: [String] {
        if case .failure(let invalid) = self { return invalid.diagnostics.map(\.description) }
        return []
    }
}
