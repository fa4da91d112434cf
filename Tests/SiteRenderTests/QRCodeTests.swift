import Foundation
import Testing
import TestHelpers
@testable import SiteRender
import TenantModel

/// KOD I as a person checks it: the link computed from a KSeF invoice file's bytes, drawn as SVG, shown by headless
/// Chromium and read back by zbarimg (Debian zbar-tools, installed by `make test`) to exactly that link.
@Suite(.serialized) struct QRCodeTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TenantImportTests/Fixtures/ksef/8522482321-20261105-4F1A2B3C4D5E-A1.xml")

    @Test func theLinkIsTheMinistrysShape() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.fixture))
        let url = KSeFCode.url(sellerNIP: "8522482321", issueDate: CivilDate(iso: "2026-11-05")!, file: bytes)
        let hash = KSeFCode.fileHash(bytes)
        #expect(url == "https://qr.ksef.mf.gov.pl/invoice/8522482321/05-11-2026/" + hash)
        #expect(hash.count == 43 && !hash.contains("=") && !hash.contains("+") && !hash.contains("/"))
        // SHA-256 of "abc" (FIPS 180-2), Base64URL.
        #expect(KSeFCode.fileHash(Array("abc".utf8)) == "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0")
        #expect(KSeFCode.url(.test, sellerNIP: "1111111111", issueDate: CivilDate(iso: "2026-02-01")!, file: []).hasPrefix("https://qr-test.ksef.mf.gov.pl/invoice/1111111111/01-02-2026/"))
        // One changed byte, another link.
        var changed = bytes
        changed[changed.count - 2] ^= 0x01
        #expect(KSeFCode.fileHash(changed) != hash)
    }

    @Test func theDrawnCodeReadsBackAsTheLink() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.fixture))
        let url = KSeFCode.url(sellerNIP: "8522482321", issueDate: CivilDate(iso: "2026-11-05")!, file: bytes)
        let code = try #require(QRCode(url))
        #expect(code.size >= 21 && (code.size - 17) % 4 == 0, "a QR version's side is 17 + 4v")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsite-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("qr.html")
        try ("<!DOCTYPE html><html><body style=\"margin:20px;background:#fff\">" + code.svg(pixels: 240, label: "KSeF") + "</body></html>")
            .write(to: page, atomically: true, encoding: .utf8)
        let shot = folder.appendingPathComponent("qr.png")
        try runTool("chromium", ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=300,300",
                                  "--screenshot=\(shot.path)", page.absoluteString])
        let decoded = try runTool("zbarimg", ["--quiet", "--raw", shot.path]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(decoded == url)
    }

}
