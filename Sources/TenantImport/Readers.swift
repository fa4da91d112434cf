import Foundation
import TenantModel

// The facts of each response, read from Microsoft's field names into plain records that remember where
// they came from. Nothing here decides what goes into the snapshot; Assembly.swift does.

enum Hints {
    static let usersSelect = "id,displayName,userPrincipalName,accountEnabled,department,jobTitle,assignedLicenses,licenseAssignmentStates"
    static let users = "save GET /v1.0/users?$select=\(usersSelect)"
    static let skus = "save GET /v1.0/subscribedSkus as Microsoft returns it"
    static let directorySubscriptions = "save GET /v1.0/directory/subscriptions as Microsoft returns it"
    static let organization = "save GET /v1.0/organization as Microsoft returns it"
    static let partnerCenter = "save the Partner Center response as Microsoft returns it"
}

// MARK: - Microsoft Graph

struct GraphSku {
    var origin: Origin
    /// The tenant id from the sku object's id, `{tenantId}_{skuId}`.
    var tenantId: String?
    var skuId: String
    var skuPartNumber: String?
    var consumedUnits: Int
    var prepaidUnits: Subscription.PrepaidUnits
    var subscriptionIds: [String]
    /// `Enabled`, `Warning`, `Suspended`, `Deleted`, `LockedOut` (absent in some of Microsoft's examples).
    var capabilityStatus: String?

    static func read(_ node: JSONNode, _ origin: Origin, _ report: Report) -> GraphSku? {
        guard let f = Fields(node, origin, report, hint: Hints.skus) else { return nil }
        let skuId = f.guid("skuId")
        let part = f.string("skuPartNumber", required: false)
        let consumed = f.count("consumedUnits")
        let prepaid = f.object("prepaidUnits").flatMap { u -> Subscription.PrepaidUnits? in
            let enabled = u.count("enabled")
            let suspended = u.count("suspended", required: false) ?? 0
            let warning = u.count("warning", required: false) ?? 0
            let lockedOut = u.count("lockedOut", required: false) ?? 0
            guard let enabled else { return nil }
            return .init(enabled: enabled, suspended: suspended, warning: warning, lockedOut: lockedOut)
        }
        var tenantId: String?
        if let id = f.string("id", required: false), let underscore = id.firstIndex(of: "_") {
            let prefix = String(id[..<underscore])
            if GUID.isValid(prefix) { tenantId = prefix.lowercased() }
        }
        let subscriptionIds = (f.array("subscriptionIds", required: false) ?? []).compactMap { node, origin -> String? in
            guard case .string(let text) = node.value, !text.isEmpty else {
                report.error(origin, "expected a subscription id string, found \(node.kindName)")
                return nil
            }
            return text
        }
        let capability = f.contains("capabilityStatus") ? f.oneOf("capabilityStatus", ["Enabled", "Warning", "Suspended", "Deleted", "LockedOut"]) : nil
        guard let skuId, let consumed, let prepaid else { return nil }
        return GraphSku(origin: origin, tenantId: tenantId, skuId: skuId, skuPartNumber: part, consumedUnits: consumed,
                        prepaidUnits: prepaid, subscriptionIds: subscriptionIds, capabilityStatus: capability)
    }
}

struct GraphCompanySubscription {
    var origin: Origin
    var id: String
    var commerceSubscriptionId: String?
    var skuId: String
    var skuPartNumber: String?
    /// As Microsoft wrote it (`Enabled`, `Warning`, …) and as the snapshot says it.
    var graphStatus: String
    var status: Subscription.Status
    var isTrial: Bool
    var totalLicenses: Int
    var createdDateTime: Timestamp
    var nextLifecycleDateTime: Timestamp?
    var ownerTenantId: String?

    static let statuses: [String: Subscription.Status] = [
        "Enabled": .active, "Warning": .expired, "Suspended": .disabled, "LockedOut": .disabled, "Deleted": .deleted,
    ]

    /// The licences of one subscription, in the bucket of its state (how `subscribedSku.prepaidUnits` counts them).
    var prepaidUnits: Subscription.PrepaidUnits {
        switch graphStatus {
        case "Enabled": return .init(enabled: totalLicenses)
        case "Warning": return .init(enabled: 0, warning: totalLicenses)
        case "Suspended": return .init(enabled: 0, suspended: totalLicenses)
        case "LockedOut": return .init(enabled: 0, lockedOut: totalLicenses)
        default: return .init(enabled: 0)  // Deleted: no licences left in any state
        }
    }

    static func read(_ node: JSONNode, _ origin: Origin, _ report: Report) -> GraphCompanySubscription? {
        guard let f = Fields(node, origin, report, hint: Hints.directorySubscriptions) else { return nil }
        let id = identifier(f, "id")
        let commerce = identifier(f, "commerceSubscriptionId", required: false)
        let skuId = f.guid("skuId")
        let part = f.string("skuPartNumber", required: false)
        let status = f.oneOf("status", ["Enabled", "Warning", "Suspended", "LockedOut", "Deleted"])
        let isTrial = f.bool("isTrial")
        let total = f.count("totalLicenses")
        let created = f.timestamp("createdDateTime")
        let next = f.timestamp("nextLifecycleDateTime", required: false)
        let ownerTenant = f.string("ownerTenantId", required: false).flatMap { GUID.isValid($0) ? $0.lowercased() : nil }
        guard let id, let skuId, let status, let isTrial, let total, let created else { return nil }
        return GraphCompanySubscription(origin: origin, id: id, commerceSubscriptionId: commerce, skuId: skuId, skuPartNumber: part,
                                        graphStatus: status, status: statuses[status]!, isTrial: isTrial, totalLicenses: total,
                                        createdDateTime: created, nextLifecycleDateTime: next, ownerTenantId: ownerTenant)
    }
}

struct GraphUser {
    var origin: Origin
    var id: String
    var displayName: String
    var userPrincipalName: String
    var department: String?
    var jobTitle: String?
    var accountEnabled: Bool
    var licences: [(state: LicenseAssignment, origin: Origin)]
    /// `assignedLicenses[].skuId`, when the response has them (only to cross-check).
    var assignedSkuIds: [String]?
    /// `signInActivity`, when the response was asked for it (`$select=…,signInActivity`).
    var signInActivity: SignInActivity?

    static let errors: [String] = LicenseAssignment.AssignmentError.allCases.map(\.rawValue)

    static func read(_ node: JSONNode, _ origin: Origin, _ report: Report) -> GraphUser? {
        guard let f = Fields(node, origin, report, hint: Hints.users) else { return nil }
        let id = f.guid("id")
        let name = f.string("displayName")
        let upn = f.string("userPrincipalName")
        let department = f.string("department", required: false)
        let jobTitle = f.string("jobTitle", required: false)
        let enabled = f.bool("accountEnabled")
        var licences: [(LicenseAssignment, Origin)]? = []
        if !f.contains("licenseAssignmentStates") {
            if f.contains("assignedLicenses") {
                // Saved with assignedLicenses only: each licence is read as held directly; its state and group are
                // not known (licenseAssignmentStates has them).
                let list = f.array("assignedLicenses", required: false) ?? []
                licences = list.compactMap { node, itemOrigin in
                    Fields(node, itemOrigin, report)?.guid("skuId").map {
                        (LicenseAssignment(skuId: $0, assignedByGroup: nil, state: .active, error: nil), itemOrigin)
                    }
                }
                report.warn(origin.appending("licenseAssignmentStates"), "not saved: the licences are read from assignedLicenses, as held directly and working (whether a group assigns them, or one failed, is only in licenseAssignmentStates: \(Hints.users))")
            } else {
                report.error(origin.appending("licenseAssignmentStates"), "required field is missing: Graph returns it only when asked (\(Hints.users))")
                licences = nil
            }
        } else {
            for (item, itemOrigin) in f.array("licenseAssignmentStates", required: false) ?? [] {
                guard let l = Fields(item, itemOrigin, report, hint: Hints.users) else { licences = nil; continue }
                let sku = l.guid("skuId")
                let group = l.guid("assignedByGroup", required: false)
                let state = l.oneOf("state", LicenseAssignment.State.allCases.map(\.rawValue))
                var error: LicenseAssignment.AssignmentError?
                if let written = l.string("error", required: false) {
                    let trimmed = written.trimmingCharacters(in: .whitespaces)
                    // Graph's reference says "Other", Entra's documentation "Others": both mean the same.
                    let spelled = trimmed.caseInsensitiveCompare("Other") == .orderedSame ? "Others" : trimmed
                    if let known = LicenseAssignment.AssignmentError.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(spelled) == .orderedSame }) {
                        error = known
                    } else {
                        report.warn(itemOrigin.appending("error"), "\"\(Fields.preview(written))\" is not an error the snapshot knows; kept as \"Others\"")
                        error = .others
                    }
                }
                guard let sku, let state else { licences = nil; continue }
                licences?.append((LicenseAssignment(skuId: sku, assignedByGroup: group,
                                                    state: LicenseAssignment.State(rawValue: state)!, error: error), itemOrigin))
            }
        }
        var assigned: [String]?
        if let list = f.array("assignedLicenses", required: false) {
            assigned = list.compactMap { node, origin in Fields(node, origin, report)?.guid("skuId") }
        }
        var activity: SignInActivity?
        if let a = f.object("signInActivity", required: false) {
            activity = SignInActivity(lastSignInDateTime: a.timestamp("lastSignInDateTime", required: false),
                                      lastNonInteractiveSignInDateTime: a.timestamp("lastNonInteractiveSignInDateTime", required: false),
                                      lastSuccessfulSignInDateTime: a.timestamp("lastSuccessfulSignInDateTime", required: false))
        }
        guard let id, let name, let upn, let enabled, let licences else { return nil }
        return GraphUser(origin: origin, id: id, displayName: name, userPrincipalName: upn, department: department, jobTitle: jobTitle,
                         accountEnabled: enabled, licences: licences, assignedSkuIds: assigned, signInActivity: activity)
    }
}

struct GraphLicenseDetail {
    var origin: Origin
    var skuId: String
    var skuPartNumber: String?

    static func read(_ node: JSONNode, _ origin: Origin, _ report: Report) -> GraphLicenseDetail? {
        guard let f = Fields(node, origin, report, hint: "save GET /v1.0/users/{id}/licenseDetails as Microsoft returns it") else { return nil }
        let sku = f.guid("skuId")
        let part = f.string("skuPartNumber", required: false)
        guard let sku else { return nil }
        return GraphLicenseDetail(origin: origin, skuId: sku, skuPartNumber: part)
    }
}

struct GraphOrganization {
    var origin: Origin
    var id: String
    var displayName: String?
    var defaultDomain: String?
    var countryLetterCode: String?
    var preferredLanguage: String?

    static func read(_ node: JSONNode, _ origin: Origin, _ report: Report) -> GraphOrganization? {
        guard let f = Fields(node, origin, report, hint: Hints.organization) else { return nil }
        let id = f.guid("id")
        let name = f.string("displayName", required: false)
        var domain: String?
        for (item, itemOrigin) in f.array("verifiedDomains", required: false) ?? [] {
            guard let d = Fields(item, itemOrigin, report) else { continue }
            if d.bool("isDefault", required: false) == true { domain = d.string("name") }
        }
        var country = f.string("countryLetterCode", required: false)?.trimmingCharacters(in: .whitespaces).uppercased()
        if let code = country, !(code.utf8.count == 2 && code.utf8.allSatisfy({ (0x41...0x5A).contains($0) })) {
            report.error(origin.appending("countryLetterCode"), "expected a two-letter country code like PL, found \"\(Fields.preview(code))\"")
            country = nil
        }
        let language = f.string("preferredLanguage", required: false)
        guard let id else { return nil }
        return GraphOrganization(origin: origin, id: id, displayName: name, defaultDomain: domain, countryLetterCode: country,
                                 preferredLanguage: language)
    }
}

// MARK: - Partner Center

struct PartnerCenterSubscription {
    var origin: Origin
    var id: String
    /// The customer (= Entra tenant) id from `links.self.uri` `/customers/{id}/subscriptions/…`.
    var customerId: String?
    var offerName: String?
    var friendlyName: String?
    var quantity: Int?
    /// As written, lower-cased: active, suspended, expired, disabled, deleted, pending, none.
    var status: String?
    var autoRenewEnabled: Bool?
    var billingCycle: Subscription.BillingCycle?
    var termDuration: String?
    var isTrial: Bool?
    var creationDate: Timestamp?
    var commitmentEndDate: Timestamp?
    var parentSubscriptionId: String?

    static let statuses = ["active", "suspended", "expired", "disabled", "deleted", "pending", "none"]

    static func read(_ node: JSONNode, _ origin: Origin, _ report: Report) -> PartnerCenterSubscription? {
        guard let f = Fields(node, origin, report, hint: Hints.partnerCenter) else { return nil }
        let id = identifier(f, "id")
        let status = f.oneOf("status", statuses, required: false)
        let quantity = f.count("quantity", required: false)
        let autoRenew = f.bool("autoRenewEnabled", required: false)
        let isTrial = f.bool("isTrial", required: false)
        let created = f.timestamp("creationDate", required: false)
        let commitmentEnd = f.timestamp("commitmentEndDate", required: false)
        var cycle: Subscription.BillingCycle?
        if let written = f.string("billingCycle", required: false) {
            cycle = Subscription.BillingCycle(rawValue: written.trimmingCharacters(in: .whitespaces).lowercased())
            if cycle == nil {
                report.warn(origin.appending("billingCycle"), "\"\(Fields.preview(written))\" is not a billing cycle the snapshot knows (monthly, annual, triennial, none): left out")
            }
        }
        var term: String?
        if let written = f.string("termDuration", required: false) {
            let upper = written.trimmingCharacters(in: .whitespaces).uppercased()
            if ["P1M", "P1Y", "P3Y"].contains(upper) {
                term = upper
            } else {
                report.warn(origin.appending("termDuration"), "\"\(Fields.preview(written))\" is not a term the snapshot knows (P1M, P1Y, P3Y): left out")
            }
        }
        var customer: String?
        if let uri = f.path("links", "self", "uri") { customer = customerId(inURI: uri) }
        guard let id else { return nil }
        return PartnerCenterSubscription(origin: origin, id: id, customerId: customer, offerName: f.string("offerName", required: false),
                                         friendlyName: f.string("friendlyName", required: false), quantity: quantity, status: status,
                                         autoRenewEnabled: autoRenew, billingCycle: cycle, termDuration: term, isTrial: isTrial,
                                         creationDate: created, commitmentEndDate: commitmentEnd,
                                         parentSubscriptionId: f.string("parentSubscriptionId", required: false))
    }

    /// `/customers/4d3cf487-…/subscriptions/…` → the customer id (a tenant id).
    static func customerId(inURI uri: String) -> String? {
        let parts = uri.split(separator: "/").map(String.init)
        guard let i = parts.firstIndex(where: { $0.lowercased() == "customers" }), i + 1 < parts.count, GUID.isValid(parts[i + 1]) else { return nil }
        return parts[i + 1].lowercased()
    }
}

struct PartnerCenterInvoice {
    var origin: Origin
    var id: String
    /// Open-ended: invoice, void_note, adjustment_note, Credit Note, … kept as written.
    var documentType: String?
    var invoiceType: String?
    var invoiceDate: CivilDate?
    var currencyCode: String?
    var totalCharges: Amount?
    var paidAmount: Amount?
    var amendsOf: String?
    var amendments: [PartnerCenterInvoice]

    static func read(_ node: JSONNode, _ origin: Origin, _ report: Report) -> PartnerCenterInvoice? {
        guard let f = Fields(node, origin, report, hint: Hints.partnerCenter) else { return nil }
        let id = identifier(f, "id")
        let date = f.date("invoiceDate")
        _ = f.date("billingPeriodStartDate", required: false)
        _ = f.date("billingPeriodEndDate", required: false)
        let total = f.decimal("totalCharges")
        let paid = f.decimal("paidAmount", required: false)
        let currency = f.string("currencyCode", required: false)
        let amendments = (f.array("amendments", required: false) ?? []).compactMap { read($0.node, $0.origin, report) }
        guard let id else { return nil }
        return PartnerCenterInvoice(origin: origin, id: id, documentType: f.string("documentType", required: false),
                                    invoiceType: f.string("invoiceType", required: false), invoiceDate: date, currencyCode: currency,
                                    totalCharges: total, paidAmount: paid, amendsOf: f.string("amendsOf", required: false),
                                    amendments: amendments)
    }
}

struct PartnerCenterLineItem {
    var origin: Origin
    var invoiceId: String?
    var customerId: String?
    var customerName: String?
    var subscriptionId: String?
    var description: String?
    var quantity: Amount?
    var subtotal: Amount?
    var tax: Amount?
    var totalForCustomer: Amount?
    var currency: String?

    /// `provider=Office` (LicenseBasedLineItem) and `provider=OneTime` (OneTimeInvoiceLineItem) items.
    static func read(_ node: JSONNode, _ origin: Origin, _ report: Report, oneTime: Bool, invoiceFromURI: String?) -> PartnerCenterLineItem? {
        guard let f = Fields(node, origin, report, hint: Hints.partnerCenter) else { return nil }
        var customer = f.string("customerId", required: false)?.trimmingCharacters(in: .whitespaces)
        if let c = customer, c.lowercased().hasPrefix("org:") { customer = String(c.dropFirst(4)) }
        let quantity = f.decimal("quantity", required: false)
        _ = f.decimal("unitPrice", required: false)
        let subtotal = f.decimal("subtotal", required: false)
        let tax = f.decimal(oneTime ? "taxTotal" : "tax", required: false)
        let total = f.decimal("totalForCustomer", required: false)
        _ = f.date(oneTime ? "subscriptionStartDate" : "chargeStartDate", required: false)
        _ = f.date(oneTime ? "subscriptionEndDate" : "chargeEndDate", required: false)
        let invoice = oneTime ? f.string("invoiceNumber", required: false) ?? invoiceFromURI : invoiceFromURI
        let subscription = oneTime ? f.string("subscriptionId", required: false)
            : f.string("syndicationPartnerSubscriptionNumber", required: false) ?? f.string("subscriptionId", required: false)
        let description = oneTime ? f.string("productName", required: false) ?? f.string("skuName", required: false)
            : f.string("offerName", required: false) ?? f.string("subscriptionName", required: false)
        return PartnerCenterLineItem(origin: origin, invoiceId: invoice, customerId: customer?.lowercased(),
                                     customerName: f.string("customerName", required: false), subscriptionId: subscription,
                                     description: description, quantity: quantity, subtotal: subtotal, tax: tax,
                                     totalForCustomer: total, currency: f.string("currency", required: false))
    }

    /// `/invoices/1234000000/lineitems?…` → `1234000000`.
    static func invoiceId(inURI uri: String) -> String? {
        let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        let parts = path.split(separator: "/").map(String.init)
        guard let i = parts.firstIndex(where: { $0.lowercased() == "invoices" }), i + 1 < parts.count else { return nil }
        return parts[i + 1]
    }
}

/// An id that the snapshot may use in a file name: 1 to 200 printable characters without spaces.
func identifier(_ f: Fields, _ key: String, required: Bool = true) -> String? {
    guard let text = f.string(key, required: required) else { return nil }
    guard text.utf8.count <= 200, text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
        f.report.error(f.origin.appending(key), "an id must be 1 to 200 printable characters without spaces, found \"\(Fields.preview(text))\"")
        return nil
    }
    return text
}
