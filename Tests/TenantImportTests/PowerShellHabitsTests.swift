import Foundation
import Testing
import TenantImport
import TenantModel

/// Each PowerShell habit, as PowerShell writes the file, either imports cleanly or fails with one line that says
/// what to run instead.
@Suite("PowerShell habits")
struct PowerShellHabitsTests {
    /// The users fixture's first page, whole: what `$r = Invoke-MgGraphRequest …` holds.
    static var usersPage: [String: Any] {
        try! JSONSerialization.jsonObject(with: Data(Fixture.file("graph-users-page2.json").bytes)) as! [String: Any]
    }

    static func files(replacing name: String, with bytes: [UInt8], as newName: String) -> [(name: String, bytes: [UInt8])] {
        Fixture.files(Fixture.graph.filter { $0 != name }) + [(newName, bytes)]
    }

    /// `Set-Content users.json` in Windows PowerShell 5.1 on a Polish Windows: Windows-1250, not UTF-8.
    @Test func windows1250FromSetContent() {
        let text = String(decoding: Fixture.file("graph-users-page2.json").bytes, as: UTF8.self)
        let cp1250 = [UInt8](text.data(using: .windowsCP1250)!)
        #expect(cp1250 != Array(text.utf8), "the fixture has Polish letters")
        let result = Importer.importFiles(Self.files(replacing: "graph-users-page2.json", with: cp1250, as: "users-2.json"), options: options(channel: .direct))
        let error = result.errors.first { $0.file == "users-2.json" }
        #expect(error?.message.contains("(the file is not UTF-8 (it looks like Windows-1250): PowerShell's Set-Content or Out-File wrote the system code page; save it with -Encoding utf8") == true, "\(result.errors.text)")
    }

    /// `Invoke-MgGraphRequest … | ConvertTo-Json | Set-Content`: the default depth 2 writes prepaidUnits as text.
    @Test func convertToJsonAtItsDefaultDepth() {
        let original = String(decoding: Fixture.file("graph-subscribedSkus.json").bytes, as: UTF8.self)
        var cut = original
        while let range = cut.range(of: #""prepaidUnits": \{[^}]*\}"#, options: .regularExpression) {
            cut.replaceSubrange(range, with: #""prepaidUnits": "System.Collections.Hashtable""#)
        }
        #expect(cut != original)
        let result = Importer.importFiles(Self.files(replacing: "graph-subscribedSkus.json", with: Array(cut.utf8), as: "skus.json"), options: options(channel: .direct))
        let error = result.errors.first { $0.file == "skus.json" }
        #expect(error?.message == "ConvertTo-Json cut the response short here (its default depth is 2, and deeper objects become text like System.Collections.Hashtable): save it with ConvertTo-Json -Depth 10, or better with Invoke-MgGraphRequest -Method GET -Uri <the request> -OutputFilePath <file>.json", "\(result.errors.text)")
        if case .lineColumn(let line, _)? = error?.location { #expect(line > 1) } else { Issue.record("no line:column") }
    }

    /// `Get-MgSubscribedSku | ConvertTo-Json -Depth 10`: the SDK's objects, not Microsoft's response.
    @Test func sdkObjectsFromGetMgSubscribedSku() {
        let sdk = """
        [
            {
                "AccountId": "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b",
                "AccountName": "Pracownia Ceramiki Glina",
                "AppliesTo": "User",
                "CapabilityStatus": "Enabled",
                "ConsumedUnits": 3,
                "Id": "5f0c1a2b-7d3e-4c89-9a41-2b6e8f3d1c07_f245ecc8-75af-4f8e-b61f-27d8114de5f3",
                "PrepaidUnits": { "Enabled": 5, "LockedOut": 0, "Suspended": 0, "Warning": 0, "AdditionalProperties": {} },
                "ServicePlans": [],
                "SkuId": "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
                "SkuPartNumber": "O365_BUSINESS_ESSENTIALS",
                "SubscriptionIds": [],
                "AdditionalProperties": {}
            }
        ]
        """
        let result = Importer.importFiles(Self.files(replacing: "graph-subscribedSkus.json", with: Array(sdk.utf8), as: "skus.json"), options: options(channel: .direct))
        let error = result.errors.first { $0.file == "skus.json" }
        #expect(error?.message.hasPrefix("these are the PowerShell SDK's objects (Get-Mg… | ConvertTo-Json: PascalCase names, /Date(…)/ dates), not Microsoft's response") == true, "\(result.errors.text)")
    }

    /// `$r.value | ConvertTo-Json -Depth 10`: a bare list, or, for a list of one, a bare object. Both import.
    @Test func bareListsAndObjectsFromValue() throws {
        let page = Self.usersPage
        let users = page["value"] as! [[String: Any]]
        let list = try JSONSerialization.data(withJSONObject: users, options: [.prettyPrinted])
        let imported = try Importer.importFiles(Self.files(replacing: "graph-users-page2.json", with: [UInt8](list), as: "users-2.json"),
                                                options: options(channel: .direct)).get()
        #expect(imported.warnings.contains { $0.file == "users-2.json" && $0.message.contains("a bare list (ConvertTo-Json of $r.value?)") })
        let withList = Set(imported.snapshot.users.map(\.id))

        // A list of one (every user on one page): the object itself.
        let single = try JSONSerialization.data(withJSONObject: users[0], options: [.prettyPrinted])
        let others = Fixture.files(Fixture.graph.filter { !$0.hasPrefix("graph-users-page") && $0 != "graph-user-single.json" && $0 != "graph-user-licenseDetails.json" })
        let one = try Importer.importFiles(others + [("users.json", [UInt8](single))], options: options(channel: .direct)).get()
        #expect(one.snapshot.users.contains { $0.id == users[0]["id"] as? String })
        #expect(withList.contains(users[0]["id"] as! String))
    }
}
