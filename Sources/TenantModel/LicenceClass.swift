import Foundation

/// What kind of licence a subscription is, for counting: only `paid` licences count in a tenant's headline
/// numbers (usable, assigned, available), its costs and its "unassigned licences" items. The others are shown
/// apart, as what they are.
///
/// Microsoft adds free and self-sign-up ("viral") skus to a tenant on its own: when one person signs up for Power
/// Automate Free or a Power Apps trial, the tenant gets a sku with 10,000 or 1,000,000 "licences". Counting those
/// made a 25-person firm's overview say 11 million usable licences. Part numbers are Microsoft's own
/// ("Product names and service plan identifiers for licensing",
/// https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference); docs/snapshot-format.md
/// lists the table and the signals.
public enum LicenceClass: String, Sendable, CaseIterable {
    /// Bought, or billed by usage: counted.
    case paid
    /// Free for everyone who signs up (Power Automate Free, Power BI (free), Microsoft Store for Business…).
    case free
    /// Added by one person's self-sign-up or an in-product trial ("viral" in Microsoft's part numbers).
    case viral
    /// A trial: of a sku made for trials, or a subscription Graph marks `isTrial`.
    case trial

    /// Known part numbers (upper case) that are not paid licences.
    public static let known: [String: LicenceClass] = [
        "FLOW_FREE": .free,
        "POWER_BI_STANDARD": .free,
        "POWERAPPS_DEV": .free,
        "POWER_BI_INDIVIDUAL_USER": .free,
        "WINDOWS_STORE": .free,
        "RIGHTSMANAGEMENT_ADHOC": .free,
        "MCOPSTNC": .free,
        "PHONESYSTEM_VIRTUALUSER": .free,
        "MICROSOFT_BUSINESS_CENTER": .free,
        "TEAMS_FREE": .free,
        "STREAM": .free,
        "FORMS_PRO": .trial,
        "TEAMS_EXPLORATORY": .trial,
        "PROJECT_MADEIRA_PREVIEW_IW_SKU": .trial,
        "CCIBOTS_PRIVPREV_VIRAL": .viral,
        "POWERAPPS_VIRAL": .viral,
        "FLOW_P2_VIRAL": .viral,
        "DYN365_AI_SERVICE_INSIGHTS_VIRAL": .viral,
        "POWERAPPS_INDIVIDUAL_USER": .viral,
        "POWERAUTOMATE_ATTENDED_RPA_VIRAL": .viral,
    ]

    /// A pool this large with almost nobody in it and no price is a sign-up sku, whatever its name.
    public static let signalUnits = 10_000

    /// The class of one subscription: the table, then words in the part number, then the trial flag, then the
    /// signal of a huge, nearly empty, unpriced pool.
    public static func of(_ s: Subscription) -> LicenceClass {
        // Part numbers are upper-case ASCII as Microsoft writes them: then no new string is made, and the words are
        // looked for in the bytes (this runs for every licence of every person).
        let written = s.skuPartNumber
        let part = written.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A || $0 >= 0x80 }) ? written.uppercased() : written
        if let known = known[part] { return known }
        let bytes = Array(part.utf8)
        func has(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard w.count <= bytes.count else { return false }
            for start in 0...(bytes.count - w.count) where bytes[start..<(start + w.count)].elementsEqual(w) { return true }
            return false
        }
        func ends(_ word: String) -> Bool { bytes.count >= word.utf8.count && bytes.suffix(word.utf8.count).elementsEqual(word.utf8) }
        if ends("_VIRAL") || has("_VIRAL_") { return .viral }
        if ends("_FREE") || bytes.starts(with: "FREE_".utf8) || has("_FREE_") { return .free }
        if ends("_TRIAL") || has("_TRIAL_") || has("EXPLORATORY") { return .trial }
        if s.isTrial { return .trial }
        let pool = s.prepaidUnits.enabled + s.prepaidUnits.warning
        if pool >= signalUnits, s.unitPrice == nil, s.consumedUnits * 20 < pool { return .free }
        return .paid
    }
}
