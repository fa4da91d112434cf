/// Friendly names for Microsoft's sku part numbers, for snapshots that carry only the part number
/// (Graph's `subscribedSkus` does). Source: Microsoft's "Product names and service plan identifiers for
/// licensing" table. An unknown part number is shown as it is.
public enum ProductNames {
    public static let byPartNumber: [String: String] = [
        "O365_BUSINESS_ESSENTIALS": "Microsoft 365 Business Basic",
        "O365_BUSINESS_PREMIUM": "Microsoft 365 Business Standard",
        "SPB": "Microsoft 365 Business Premium",
        "O365_BUSINESS": "Microsoft 365 Apps for business",
        "OFFICESUBSCRIPTION": "Microsoft 365 Apps for enterprise",
        "SMB_BUSINESS": "Microsoft 365 Apps for business",
        "SMB_BUSINESS_ESSENTIALS": "Microsoft 365 Business Basic",
        "SMB_BUSINESS_PREMIUM": "Microsoft 365 Business Standard",
        "STANDARDPACK": "Office 365 E1",
        "ENTERPRISEPACK": "Office 365 E3",
        "ENTERPRISEPREMIUM": "Office 365 E5",
        "ENTERPRISEPREMIUM_NOPSTNCONF": "Office 365 E5 (without Audio Conferencing)",
        "SPE_E3": "Microsoft 365 E3",
        "SPE_E5": "Microsoft 365 E5",
        "SPE_F1": "Microsoft 365 F3",
        "M365_F1": "Microsoft 365 F1",
        "DESKLESSPACK": "Office 365 F3",
        "EXCHANGESTANDARD": "Exchange Online (Plan 1)",
        "EXCHANGEENTERPRISE": "Exchange Online (Plan 2)",
        "EXCHANGEDESKLESS": "Exchange Online Kiosk",
        "EXCHANGEARCHIVE_ADDON": "Exchange Online Archiving for Exchange Online",
        "POWER_BI_PRO": "Power BI Pro",
        "POWER_BI_STANDARD": "Microsoft Fabric (Free)",
        "PBI_PREMIUM_PER_USER": "Power BI Premium Per User",
        "PROJECTPROFESSIONAL": "Project Plan 3",
        "PROJECTPREMIUM": "Project Plan 5",
        "PROJECT_P1": "Project Plan 1",
        "VISIOCLIENT": "Visio Plan 2",
        "VISIOONLINE_PLAN1": "Visio Plan 1",
        "Microsoft_365_Copilot": "Microsoft 365 Copilot",
        "TEAMS_ESSENTIALS_AAD": "Microsoft Teams Essentials",
        "Microsoft_Teams_Premium": "Microsoft Teams Premium",
        "MCOSTANDARD": "Skype for Business Online (Plan 2)",
        "MCOEV": "Microsoft Teams Phone Standard",
        "MCOPSTN1": "Microsoft Teams Domestic Calling Plan",
        "FLOW_FREE": "Microsoft Power Automate Free",
        "POWERAPPS_DEV": "Microsoft Power Apps for Developer",
        "EMS": "Enterprise Mobility + Security E3",
        "EMSPREMIUM": "Enterprise Mobility + Security E5",
        "AAD_PREMIUM": "Microsoft Entra ID P1",
        "AAD_PREMIUM_P2": "Microsoft Entra ID P2",
        "INTUNE_A": "Microsoft Intune Plan 1",
        "ATP_ENTERPRISE": "Microsoft Defender for Office 365 (Plan 1)",
        "WIN_DEF_ATP": "Microsoft Defender for Endpoint",
        "DEFENDER_ENDPOINT_P1": "Microsoft Defender for Endpoint P1",
        "RIGHTSMANAGEMENT": "Azure Information Protection Plan 1",
        "WIN10_VDA_E3": "Windows 10/11 Enterprise E3",
    ]

    /// The name to show: the snapshot's own, else the table's, else the part number itself.
    public static func displayName(productName: String?, skuPartNumber: String) -> (name: String, known: Bool) {
        if let productName, !productName.isEmpty { return (productName, true) }
        if let name = byPartNumber[skuPartNumber] ?? upperCased[skuPartNumber.uppercased()] { return (name, true) }
        return (skuPartNumber, false)
    }

    /// The table by upper-case part number: Microsoft writes some in mixed case (`Win10_VDA_E3`, `Microsoft_365_Copilot`).
    static let upperCased: [String: String] = Dictionary(byPartNumber.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
}
