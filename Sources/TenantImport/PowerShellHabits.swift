import Foundation
import TenantModel

/// What PowerShell does to a response on its way to a file, and what to run instead. Each habit gets one line:
/// - `Set-Content`/`Out-File` on Windows PowerShell 5.1 write the system code page (Windows-1250 in Poland), not UTF-8;
/// - `ConvertTo-Json` stops at depth 2 by default and writes deeper objects as `System.Collections.Hashtable` or
///   `@{skuId=…; …}` text;
/// - `Get-MgSubscribedSku | ConvertTo-Json` writes the SDK's objects (PascalCase names, `/Date(…)/` dates,
///   `AdditionalProperties`), not Microsoft's response;
/// - `$r.value | ConvertTo-Json` writes a bare list, or one object when the list has one element: read as such.
enum PowerShellHabits {
    static let save = "Invoke-MgGraphRequest -Method GET -Uri <the request> -OutputFilePath <file>.json"

    /// For a file that is not valid UTF-8: bytes of Polish letters in Windows-1250 say which habit it was.
    static func encodingHint(_ bytes: [UInt8]) -> String? {
        guard String(validating: bytes, as: UTF8.self) == nil else { return nil }
        // ą ę ś ź ż ł ó ć ń and their capitals in Windows-1250.
        let cp1250: Set<UInt8> = [0xB9, 0xA5, 0xEA, 0xCA, 0x9C, 0x8C, 0x9F, 0x8F, 0xBF, 0xAF, 0xB3, 0xA3, 0xF3, 0xD3, 0xE6, 0xC6, 0xF1, 0xD1]
        let high = bytes.filter { $0 >= 0x80 }
        let guess = high.contains(where: cp1250.contains) ? " (it looks like Windows-1250)" : ""
        return " (the file is not UTF-8\(guess): PowerShell's Set-Content or Out-File wrote the system code page; save it with -Encoding utf8, or with \(save))"
    }

    /// A place where `ConvertTo-Json` cut the response short, if any: the first string written for an object or list.
    static func truncation(in node: JSONNode) -> JSONNode? {
        switch node.value {
        case .string(let text):
            if text == "System.Collections.Hashtable" || text == "System.Object[]" || text.hasPrefix("System.Collections.Generic.")
                || (text.hasPrefix("@{") && text.hasSuffix("}") && text.contains("=")) || text.hasPrefix("Microsoft.Graph.PowerShell.Models.") {
                return node
            }
            return nil
        case .array(let elements):
            for element in elements { if let found = truncation(in: element) { return found } }
            return nil
        case .object(let members):
            for member in members { if let found = truncation(in: member.value) { return found } }
            return nil
        default:
            return nil
        }
    }

    static let depthHint = "ConvertTo-Json cut the response short here (its default depth is 2, and deeper objects become text like System.Collections.Hashtable): save it with ConvertTo-Json -Depth 10, or better with \(save)"

    /// The Microsoft Graph PowerShell SDK's objects, as `Get-Mg… | ConvertTo-Json` writes them.
    static func isSDKObject(_ node: JSONNode) -> Bool {
        guard case .object(let members) = node.value else { return false }
        let keys = Set(members.map(\.key))
        let pascal = ["SkuId", "SkuPartNumber", "ConsumedUnits", "PrepaidUnits", "UserPrincipalName", "DisplayName", "Id",
                      "AdditionalProperties", "AssignedLicenses", "LicenseAssignmentStates", "TotalLicenses", "CommerceSubscriptionId"]
        return pascal.filter(keys.contains).count >= 2
    }

    static let sdkHint = "these are the PowerShell SDK's objects (Get-Mg… | ConvertTo-Json: PascalCase names, /Date(…)/ dates), not Microsoft's response: save the response itself with \(save)"
}
