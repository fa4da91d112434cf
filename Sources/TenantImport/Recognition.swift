import TenantModel

/// The responses `tenantsite import` reads, recognised by their content (never by file name).
public enum ResponseKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case graphSubscribedSkus
    case graphDirectorySubscriptions
    case graphUsers
    case graphLicenseDetails
    case graphOrganization
    case graphGroups
    case partnerCenterSubscriptions
    case partnerCenterInvoices
    case partnerCenterLicenseBasedLineItems
    case partnerCenterOneTimeLineItems

    /// The request that gives this response, as docs/import.md names it.
    public var description: String {
        switch self {
        case .graphSubscribedSkus: return "Microsoft Graph GET /subscribedSkus"
        case .graphDirectorySubscriptions: return "Microsoft Graph GET /directory/subscriptions"
        case .graphUsers: return "Microsoft Graph GET /users"
        case .graphLicenseDetails: return "Microsoft Graph GET /users/{id}/licenseDetails"
        case .graphOrganization: return "Microsoft Graph GET /organization"
        case .graphGroups: return "Microsoft Graph GET /groups"
        case .partnerCenterSubscriptions: return "Partner Center GET /v1/customers/{id}/subscriptions"
        case .partnerCenterInvoices: return "Partner Center GET /v1/invoices"
        case .partnerCenterLicenseBasedLineItems: return "Partner Center GET /v1/invoices/{id}/lineitems?provider=Office"
        case .partnerCenterOneTimeLineItems: return "Partner Center GET /v1/invoices/{id}/lineitems?provider=OneTime"
        }
    }

    var isGraph: Bool { rawValue.hasPrefix("graph") }
}

/// What one file turned out to be.
public struct RecognisedResponse: Sendable {
    public var file: String
    public var kind: ResponseKind
    /// One object (`GET …/{id}`) rather than a list.
    public var isSingle: Bool
    /// The response says more pages follow (`@odata.nextLink`, Partner Center `links.next`).
    public var continues: Bool
    public var itemCount: Int
}

/// A parsed, recognised file: its items, each with where it came from.
struct Document {
    var file: String
    var kind: ResponseKind
    var isSingle: Bool
    var continues: Bool
    var items: [(node: JSONNode, origin: Origin)]
    /// The top-level object (for `links.self.uri` and the like).
    var top: Fields
    /// licenseDetails: the user named in `@odata.context` (`users('id')/licenseDetails`).
    var licenseDetailsUser: String?

    var summary: RecognisedResponse {
        RecognisedResponse(file: file, kind: kind, isSingle: isSingle, continues: continues, itemCount: items.count)
    }
}

enum Recogniser {
    static let knownList = "Microsoft Graph v1.0 /subscribedSkus, /directory/subscriptions, /users, /users/{id}/licenseDetails or /organization, or Partner Center customer subscriptions, invoices or invoice line items (provider Office or OneTime); see docs/import.md"

    /// Parses and recognises one file. Reports and returns nil when the file is not JSON or not a known response.
    static func recognise(file: String, bytes original: [UInt8], report: Report) -> Document? {
        // Partner Center answers with a UTF-8 byte-order mark; it is not part of the JSON.
        let bytes = original.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(original.dropFirst(3)) : original
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            let hint = error.message.contains("not valid UTF-8") ? PowerShellHabits.encodingHint(bytes) ?? syntaxHint(error, bytes) : syntaxHint(error, bytes)
            report.error(file: file, .lineColumn(line: error.line, column: error.column), error.message + hint)
            return nil
        }
        let rootOrigin = Origin(file: file, path: .root)
        func at(_ node: JSONNode) -> SourceLocation {
            let (line, column) = JSONParser.lineColumn(of: node.offset, in: bytes)
            return .lineColumn(line: line, column: column)
        }
        func unknown(_ node: JSONNode, _ what: String) -> Document? {
            report.error(file: file, at(node), "\(what); tenantsite import reads \(knownList)")
            return nil
        }
        // PowerShell's habits, each with what to run instead (`PowerShellHabits`).
        if let cut = PowerShellHabits.truncation(in: root) {
            report.error(file: file, at(cut), PowerShellHabits.depthHint)
            return nil
        }
        if case .array(let elements) = root.value, let first = elements.first, PowerShellHabits.isSDKObject(first) {
            report.error(file: file, at(root), PowerShellHabits.sdkHint)
            return nil
        }
        if PowerShellHabits.isSDKObject(root) {
            report.error(file: file, at(root), PowerShellHabits.sdkHint)
            return nil
        }
        // `$r.value | ConvertTo-Json`: a bare list of Microsoft's items, read as the `value` of a response.
        if case .array(let elements) = root.value, !elements.isEmpty {
            let wrapped = JSONNode(value: .object([JSONNode.Member(key: "value", value: root)]), offset: root.offset)
            guard let top = Fields(wrapped, rootOrigin, report, quiet: true) else { return nil }
            report.warn(file: file, .wholeFile, "a bare list (ConvertTo-Json of $r.value?): read by the shape of its items; it cannot say whether more pages follow, so save each page whole with \(PowerShellHabits.save)")
            return byShape(top: top, root: wrapped, file: file, report: report, unknown: unknown)
        }
        guard let top = Fields(root, rootOrigin, report, quiet: true) else {
            return unknown(root, "not a known response: the file holds \(root.kindName), not an object")
        }

        // Error answers saved by mistake: say what Microsoft said.
        if let error = top.node("error"), let e = Fields(error, rootOrigin.appending("error"), report, quiet: true),
           let code = e.path("code") ?? e.node("code").map(Fields.describe) {
            let message = e.path("message") ?? ""
            report.error(file: file, at(root), "this is an error response from Microsoft (\(code): \(Fields.preview(message, limit: 200))), not data: fix the request and save the response again")
            return nil
        }
        if let metadata = top.path("odata.metadata") {
            return unknown(root, "an Azure AD Graph response (\(Fields.preview(metadata))), which Microsoft retired: save the Microsoft Graph v1.0 response instead")
        }

        // Microsoft Graph: @odata.context names what the response holds.
        if let contextNode = top.node("@odata.context") {
            guard case .string(let context) = contextNode.value else { return unknown(contextNode, "@odata.context is not a string") }
            return graphByContext(context, contextNode: contextNode, top: top, file: file, report: report, at: at, unknown: unknown)
        }

        // Partner Center: attributes.objectType names the resource.
        if let objectType = top.path("attributes", "objectType") {
            let typeNode = top.object("attributes", required: false)?.node("objectType") ?? root
            return partnerCenter(objectType, typeNode: typeNode, top: top, file: file, report: report, at: at, unknown: unknown)
        }

        // Neither: recognise Microsoft's documented shapes (documentation examples often omit @odata.context).
        return byShape(top: top, root: root, file: file, report: report, unknown: unknown)
    }

    // MARK: - Microsoft Graph

    private static func graphByContext(_ context: String, contextNode: JSONNode, top: Fields, file: String, report: Report,
                                       at: (JSONNode) -> SourceLocation, unknown: (JSONNode, String) -> Document?) -> Document? {
        guard let hash = context.range(of: "$metadata#") else {
            return unknown(contextNode, "@odata.context \"\(Fields.preview(context))\" is not a Microsoft Graph metadata URL")
        }
        let base = context[..<hash.lowerBound]
        if base.hasSuffix("/beta/") {
            return unknown(contextNode, "a Microsoft Graph beta response (\(Fields.preview(context))); beta APIs change without notice, save the v1.0 response instead")
        }
        guard base.hasSuffix("/v1.0/") else {
            return unknown(contextNode, "@odata.context \"\(Fields.preview(context))\" is not Microsoft Graph v1.0")
        }
        var fragment = String(context[hash.upperBound...])
        var single = false
        if fragment.hasSuffix("/$entity") {
            single = true
            fragment.removeLast("/$entity".count)
        }
        // users('48d3…')/licenseDetails → segments ["users", "licenseDetails"], key "48d3…"; users(id,displayName) → ["users"].
        var key: String?
        var segments: [String] = []
        for raw in fragment.split(separator: "/", omittingEmptySubsequences: false) {
            var segment = String(raw)
            if let open = segment.firstIndex(of: "(") {
                let inside = segment[segment.index(after: open)...].dropLast(segment.hasSuffix(")") ? 1 : 0)
                // Graph writes a sign-in name URL-encoded in @odata.context (`users('ola%40glina.pl')`).
                if inside.hasPrefix("'"), inside.hasSuffix("'"), inside.count >= 2 {
                    let raw = String(inside.dropFirst().dropLast())
                    key = raw.removingPercentEncoding ?? raw
                }
                segment = String(segment[..<open])
            }
            segments.append(segment)
        }
        let kind: ResponseKind
        switch segments.map({ $0.lowercased() }) {
        case ["subscribedskus"]: kind = .graphSubscribedSkus
        case ["directory", "subscriptions"]: kind = .graphDirectorySubscriptions
        case ["users"]: kind = .graphUsers
        case ["users", "licensedetails"], ["me", "licensedetails"]: kind = .graphLicenseDetails
        case ["organization"]: kind = .graphOrganization
        case ["groups"]: kind = .graphGroups
        default:
            return unknown(contextNode, "a Microsoft Graph response of \"\(Fields.preview(fragment))\", which is not one tenantsite import reads")
        }
        return graphDocument(kind, single: single, top: top, file: file, report: report, licenseUser: kind == .graphLicenseDetails ? key : nil)
    }

    private static func graphDocument(_ kind: ResponseKind, single: Bool, top: Fields, file: String, report: Report, licenseUser: String?) -> Document? {
        let continues = top.path("@odata.nextLink") != nil
        if single {
            return Document(file: file, kind: kind, isSingle: true, continues: false, items: [(top.nodeSelf, top.origin)], top: top,
                            licenseDetailsUser: licenseUser)
        }
        guard let items = top.array("value") else { return nil }
        return Document(file: file, kind: kind, isSingle: false, continues: continues, items: items, top: top, licenseDetailsUser: licenseUser)
    }

    // MARK: - Partner Center

    private static let partnerCenterItemKinds: [String: ResponseKind] = [
        "subscription": .partnerCenterSubscriptions,
        "invoice": .partnerCenterInvoices,
        "licensebasedlineitem": .partnerCenterLicenseBasedLineItems,
        "onetimeinvoicelineitem": .partnerCenterOneTimeLineItems,
    ]

    private static func partnerCenter(_ objectType: String, typeNode: JSONNode, top: Fields, file: String, report: Report,
                                      at: (JSONNode) -> SourceLocation, unknown: (JSONNode, String) -> Document?) -> Document? {
        let normalised = objectType.trimmingCharacters(in: .whitespaces).lowercased()
        if let kind = partnerCenterItemKinds[normalised], kind == .partnerCenterSubscriptions || kind == .partnerCenterInvoices {
            return Document(file: file, kind: kind, isSingle: true, continues: false, items: [(top.nodeSelf, top.origin)], top: top)
        }
        guard normalised == "collection" else {
            return unknown(typeNode, "a Partner Center \"\(Fields.preview(objectType))\" resource, which is not one tenantsite import reads")
        }
        guard let items = top.array("items") else { return nil }
        let continues = top.object("links", required: false)?.object("next", required: false) != nil
        var kind: ResponseKind?
        for (node, origin) in items {
            guard let item = Fields(node, origin, report) else { return nil }
            let itemTypeNode = item.object("attributes", required: false)?.node("objectType") ?? node
            let itemKind: ResponseKind
            if let type = item.path("attributes", "objectType") {
                guard let known = partnerCenterItemKinds[type.trimmingCharacters(in: .whitespaces).lowercased()] else {
                    return unknown(itemTypeNode, "Partner Center items of type \"\(Fields.preview(type))\", which tenantsite import does not read")
                }
                itemKind = known
            } else if let shaped = partnerCenterShape(item) {
                itemKind = shaped
            } else {
                return unknown(node, "a Partner Center item without attributes.objectType and of no known shape")
            }
            if let kind, kind != itemKind {
                return unknown(itemTypeNode, "a Partner Center collection that mixes \(kind) and \(itemKind) items")
            }
            kind = itemKind
        }
        if kind == nil, let uri = top.path("links", "self", "uri")?.lowercased() {
            // An empty page: the request tells what it lists.
            if uri.contains("/lineitems") {
                kind = uri.contains("provider=onetime") ? .partnerCenterOneTimeLineItems : uri.contains("provider=office") ? .partnerCenterLicenseBasedLineItems : nil
            } else if uri.contains("/subscriptions") {
                kind = .partnerCenterSubscriptions
            } else if uri.contains("/invoices") {
                kind = .partnerCenterInvoices
            }
        }
        guard let kind else {
            return unknown(top.nodeSelf, "an empty Partner Center collection whose links.self.uri does not tell what it lists")
        }
        return Document(file: file, kind: kind, isSingle: false, continues: continues, items: items, top: top)
    }

    /// Partner Center items as some documentation prints them, without `attributes`.
    private static func partnerCenterShape(_ item: Fields) -> ResponseKind? {
        if item.has("offerId"), item.has("quantity"), item.has("status") { return .partnerCenterSubscriptions }
        if item.has("invoiceDate"), item.has("totalCharges") { return .partnerCenterInvoices }
        switch item.path("billingProvider")?.lowercased() {
        case "office": return .partnerCenterLicenseBasedLineItems
        case "one_time", "onetime": return .partnerCenterOneTimeLineItems
        default: return nil
        }
    }

    // MARK: - By shape

    private static func graphShape(_ item: Fields) -> ResponseKind? {
        if item.has("skuId"), item.has("prepaidUnits") { return .graphSubscribedSkus }
        if item.has("skuId"), item.has("status"), item.has("totalLicenses") || item.has("commerceSubscriptionId") { return .graphDirectorySubscriptions }
        if item.has("userPrincipalName") || item.contains("assignedLicenses") || item.contains("licenseAssignmentStates") { return .graphUsers }
        if item.has("skuId"), item.has("servicePlans") { return .graphLicenseDetails }
        if item.has("verifiedDomains") || item.has("tenantType") { return .graphOrganization }
        return nil
    }

    private static func byShape(top: Fields, root: JSONNode, file: String, report: Report, unknown: (JSONNode, String) -> Document?) -> Document? {
        if let value = top.node("value"), case .array(let elements) = value.value {
            guard !elements.isEmpty else {
                return unknown(root, "an empty list without @odata.context: it cannot tell which response it is")
            }
            var kind: ResponseKind?
            for (index, element) in elements.enumerated() {
                let origin = top.origin.appending("value").appending(index)
                guard let item = Fields(element, origin, report, quiet: true), let itemKind = graphShape(item) else {
                    let type = Fields(element, origin, report, quiet: true)?.path("@odata.type").map { " (@odata.type \"\(Fields.preview($0))\")" } ?? ""
                    return unknown(element, "an item of no known shape\(type), and no @odata.context says what the list holds")
                }
                if let kind, kind != itemKind {
                    return unknown(element, "a list that mixes \(kind) and \(itemKind) items")
                }
                kind = itemKind
            }
            return graphDocument(kind!, single: false, top: top, file: file, report: report, licenseUser: nil)
        }
        if let items = top.node("items"), case .array = items.value {
            // A Partner Center collection printed without its attributes.
            guard let list = top.array("items"), let first = list.first, let item = Fields(first.node, first.origin, report, quiet: true),
                  let kind = partnerCenterShape(item) else {
                return unknown(root, "an \"items\" list of no known shape")
            }
            let continues = top.object("links", required: false)?.object("next", required: false) != nil
            return Document(file: file, kind: kind, isSingle: false, continues: continues, items: list, top: top)
        }
        if let kind = graphShape(top) {
            return graphDocument(kind, single: true, top: top, file: file, report: report, licenseUser: nil)
        }
        if let kind = partnerCenterShape(top), kind == .partnerCenterSubscriptions || kind == .partnerCenterInvoices {
            return Document(file: file, kind: kind, isSingle: true, continues: false, items: [(top.nodeSelf, top.origin)], top: top)
        }
        return unknown(root, "not a known response: no @odata.context, no Partner Center attributes.objectType and no known shape")
    }

    // MARK: - Messages for files that are not JSON

    static func syntaxHint(_ error: JSONSyntaxError, _ bytes: [UInt8]) -> String {
        if bytes.starts(with: Array("HTTP/".utf8)) {
            return " (the file starts with an HTTP status line: save only the JSON body of the response)"
        }
        if let first = bytes.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }), first == UInt8(ascii: "<") {
            return " (this looks like an HTML or XML page, not a JSON response: a sign-in or error page?)"
        }
        if error.message.contains("found '#'") || error.message.contains("found '/'") {
            return " (JSON has no comments: save the response exactly as Microsoft sent it)"
        }
        if error.message.contains("found '.'") {
            return " (\"...\" stands for left-out text in documentation; a saved response has none)"
        }
        if error.message.contains("expected a quoted key, found '}'") || error.message.contains("expected a value, found ']'") {
            return " (a comma before a closing bracket is not allowed in JSON)"
        }
        return " (not a JSON response)"
    }
}

extension Fields {
    /// The object node this reader reads (for a single-object response, the whole document).
    var nodeSelf: JSONNode { selfNode }
}
