import Foundation
import Testing
@testable import TenantModel

/// The path cuts `ContentFolders` makes itself are `NSString`'s.
@Suite struct ContentFoldersTests {
    static let paths = ["content/tenants/acme.json", "/work/content/tenants/acme/2026-11-01.json", "acme.json", "/acme.json", "/",
                        "tenants/acme.json", "./tenants/x.json", "../c/tenants/ż ółw.json", "a/b/", "a//b", "//x", "", "a/./b",
                        "content/tenants/acme", "/work/content/tenants"]

    @Test func cutsAsNSStringDoes() {
        for path in Self.paths {
            #expect(ContentFolders.deletingLastComponent(path) == (path as NSString).deletingLastPathComponent, "\(path)")
            #expect(ContentFolders.lastComponent(path) == (path as NSString).lastPathComponent, "\(path)")
        }
    }

    @Test func aSnapshotsFoldersSitBesideTenants() {
        #expect(ContentFolders.folder("ksef", forSnapshotAt: "content/tenants/acme.json", slug: "acme") == "content/ksef/acme")
        #expect(ContentFolders.folder("ksef", forSnapshotAt: "/w/content/tenants/acme/2026-11-01.json", slug: "acme") == "/w/content/ksef/acme")
        #expect(ContentFolders.folder("captures", forSnapshotAt: "acme.json", slug: "acme") == "./captures/acme")
        #expect(ContentFolders.folder("ksef", forSnapshotAt: "./acme.json", slug: "acme") == "./ksef/acme")
        #expect(ContentFolders.folder("ksef", forSnapshotAt: "/tmp/x/acme.json", slug: "acme") == "/tmp/x/ksef/acme")
    }
}
