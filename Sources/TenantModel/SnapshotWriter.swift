import Foundation

/// Writes a `Snapshot` as the canonical JSON of format version 1 (docs/snapshot-format.md).
///
/// Canonical means: two-space indentation, keys in the order of the format's tables, optional fields left
/// out when they are nil (and `groups` when empty), decimals as their exact decimal text (never through
/// `Double`), dates as `YYYY-MM-DD`, timestamps as `2026-11-20T07:30:00Z`, a final newline. The same
/// snapshot always gives the same bytes, and `SnapshotDecoder.decode(SnapshotWriter.encode(s))` reads back
/// the same values.
public enum SnapshotWriter {
    public static func encode(_ snapshot: Snapshot) -> [UInt8] {
        var out = JSONOut()
        out.object {
            $0.field("schemaVersion", .raw(String(Snapshot.currentSchemaVersion)))
            $0.field("capturedDateTime", .string(snapshot.capturedDateTime.description))
            $0.field("tenant", tenant(snapshot.tenant))
            if !snapshot.groups.isEmpty {
                $0.field("groups", .array(snapshot.groups.map { group in
                    .object([("id", .string(group.id)), ("displayName", .string(group.displayName))])
                }))
            }
            $0.field("subscriptions", .array(snapshot.subscriptions.map(subscription)))
            $0.field("users", .array(snapshot.users.map(user)))
            $0.field("invoices", .array(snapshot.invoices.map(invoice)))
            if !snapshot.disagreements.isEmpty {
                $0.field("disagreements", .array(snapshot.disagreements.map { d in
                    var f: [(String, JSONOut.Value)] = [("subject", .string(d.subject.rawValue)), ("id", .string(d.id)),
                                                        ("name", .string(d.name)), ("field", .string(d.field))]
                    f.optional("sku", d.sku.map(JSONOut.Value.string))
                    f.append(("claims", .array(d.claims.map { .object([("source", .string($0.source)), ("value", .string($0.value))]) })))
                    f.optional("kept", d.kept.map(JSONOut.Value.string))
                    return .object(f)
                }))
            }
        }
        out.bytes.append(0x0A)
        return out.bytes
    }

    // MARK: - One function per object kind, fields in the documented order

    static func tenant(_ t: Tenant) -> JSONOut.Value {
        var f: [(String, JSONOut.Value)] = [
            ("id", .string(t.id)),
            ("displayName", .string(t.displayName)),
            ("defaultDomain", .string(t.defaultDomain)),
            ("countryLetterCode", .string(t.countryLetterCode)),
            ("preferredLanguage", .string(t.preferredLanguage.rawValue)),
        ]
        f.optional("nip", t.nip.map(JSONOut.Value.string))
        f.optional("billingContact", t.billingContact.map { c in
            .object([("displayName", .string(c.displayName)), ("email", .string(c.email))])
        })
        var m: [(String, JSONOut.Value)] = [("channel", .string(t.management.channel.rawValue))]
        m.optional("partnerName", t.management.partnerName.map(JSONOut.Value.string))
        m.optional("panelLastSyncedDateTime", t.management.panelLastSyncedDateTime.map { .string($0.description) })
        f.append(("management", .object(m)))
        return .object(f)
    }

    static func subscription(_ s: Subscription) -> JSONOut.Value {
        var f: [(String, JSONOut.Value)] = [("id", .string(s.id))]
        f.optional("commerceSubscriptionId", s.commerceSubscriptionId.map(JSONOut.Value.string))
        f.append(("skuId", .string(s.skuId)))
        f.append(("skuPartNumber", .string(s.skuPartNumber)))
        f.optional("productName", s.productName.map(JSONOut.Value.string))
        f.append(("status", .string(s.status.rawValue)))
        f.append(("isTrial", .bool(s.isTrial)))
        f.append(("prepaidUnits", .object([
            ("enabled", .int(s.prepaidUnits.enabled)),
            ("suspended", .int(s.prepaidUnits.suspended)),
            ("warning", .int(s.prepaidUnits.warning)),
            ("lockedOut", .int(s.prepaidUnits.lockedOut)),
        ])))
        f.append(("consumedUnits", .int(s.consumedUnits)))
        f.optional("createdDateTime", s.createdDateTime.map { .string($0.description) })
        f.optional("nextLifecycleDateTime", s.nextLifecycleDateTime.map { .string($0.description) })
        f.optional("billingCycle", s.billingCycle.map { .string($0.rawValue) })
        f.optional("termDuration", s.termDuration.map(JSONOut.Value.string))
        f.optional("autoRenewEnabled", s.autoRenewEnabled.map(JSONOut.Value.bool))
        f.optional("unitPrice", s.unitPrice.map(JSONOut.Value.decimal))
        f.optional("currencyCode", s.currencyCode.map(JSONOut.Value.string))
        f.append(("purchaseChannel", .string(s.purchaseChannel.rawValue)))
        f.optional("purchasedBy", s.purchasedBy.map { p in
            var b: [(String, JSONOut.Value)] = []
            b.optional("id", p.id.map(JSONOut.Value.string))
            b.append(("displayName", .string(p.displayName)))
            b.append(("userPrincipalName", .string(p.userPrincipalName)))
            return .object(b)
        })
        return .object(f)
    }

    static func user(_ u: User) -> JSONOut.Value {
        var f: [(String, JSONOut.Value)] = [
            ("id", .string(u.id)),
            ("displayName", .string(u.displayName)),
            ("userPrincipalName", .string(u.userPrincipalName)),
        ]
        f.optional("department", u.department.map(JSONOut.Value.string))
        f.optional("jobTitle", u.jobTitle.map(JSONOut.Value.string))
        f.append(("accountEnabled", .bool(u.accountEnabled)))
        f.append(("licenseAssignmentStates", .array(u.licenseAssignmentStates.map { l in
            var a: [(String, JSONOut.Value)] = [("skuId", .string(l.skuId))]
            a.optional("subscriptionId", l.subscriptionId.map(JSONOut.Value.string))
            a.optional("assignedByGroup", l.assignedByGroup.map(JSONOut.Value.string))
            a.append(("state", .string(l.state.rawValue)))
            a.optional("error", l.error.map { .string($0.rawValue) })
            return .object(a)
        })))
        if let s = u.signInActivity {
            var a: [(String, JSONOut.Value)] = []
            a.optional("lastSignInDateTime", s.lastSignInDateTime.map { .string($0.description) })
            a.optional("lastNonInteractiveSignInDateTime", s.lastNonInteractiveSignInDateTime.map { .string($0.description) })
            a.optional("lastSuccessfulSignInDateTime", s.lastSuccessfulSignInDateTime.map { .string($0.description) })
            f.append(("signInActivity", .object(a)))
        }
        return .object(f)
    }

    static func party(_ p: Party) -> JSONOut.Value {
        var f: [(String, JSONOut.Value)] = [
            ("name", .string(p.name)),
            ("addressLines", .array(p.addressLines.map(JSONOut.Value.string))),
        ]
        f.optional("nip", p.nip.map(JSONOut.Value.string))
        f.optional("vatId", p.vatId.map(JSONOut.Value.string))
        f.optional("countryCode", p.countryCode.map(JSONOut.Value.string))
        return .object(f)
    }

    static func invoice(_ i: Invoice) -> JSONOut.Value {
        if let ksef = i.ksef {
            var f: [(String, JSONOut.Value)] = [
                ("id", .string(i.id)),
                ("ksef", .object([("file", .string(ksef.file)), ("sha256", .string(ksef.hash))]
                    + (ksef.links.isEmpty ? [] : [("lines", .array(ksef.links.sorted { $0.key < $1.key }.map {
                        var link: [(String, JSONOut.Value)] = [("number", .raw(String($0.key))), ("subscriptionId", .string($0.value.subscriptionId))]
                        link.optional("chargeStartDate", $0.value.chargeStartDate.map { .string($0.iso) })
                        link.optional("chargeEndDate", $0.value.chargeEndDate.map { .string($0.iso) })
                        return .object(link)
                    }))]))),
            ]
            f.optional("ksefNumber", i.ksefNumber.map(JSONOut.Value.string))
            f.append(("paidAmount", .decimal(i.paidAmount)))
            return .object(f)
        }
        var f: [(String, JSONOut.Value)] = [
            ("id", .string(i.id)),
            ("documentType", .string(i.documentType.rawValue)),
        ]
        f.optional("correctedInvoiceId", i.correctedInvoiceId.map(JSONOut.Value.string))
        f.append(("invoiceDate", .string(i.invoiceDate.iso)))
        f.optional("saleDate", i.saleDate.map { .string($0.iso) })
        f.append(("dueDate", .string(i.dueDate.iso)))
        f.optional("billingPeriodStartDate", i.billingPeriodStartDate.map { .string($0.iso) })
        f.optional("billingPeriodEndDate", i.billingPeriodEndDate.map { .string($0.iso) })
        f.append(("currencyCode", .string(i.currencyCode)))
        f.append(("seller", party(i.seller)))
        f.append(("buyer", party(i.buyer)))
        f.append(("lines", .array(i.lines.map(line))))
        f.append(("totalCharges", .decimal(i.totalCharges)))
        f.append(("paidAmount", .decimal(i.paidAmount)))
        f.optional("ksefNumber", i.ksefNumber.map(JSONOut.Value.string))
        f.optional("exchangeRate", i.exchangeRate.map { x in
            var r: [(String, JSONOut.Value)] = [("rate", .decimal(x.rate)), ("date", .string(x.date.iso))]
            r.optional("source", x.source.map(JSONOut.Value.string))
            return .object(r)
        })
        return .object(f)
    }

    static func line(_ l: InvoiceLine) -> JSONOut.Value {
        var f: [(String, JSONOut.Value)] = [
            ("description", .string(l.description)),
            ("quantity", .decimal(l.quantity)),
            ("unit", .string(l.unit)),
            ("unitPrice", .decimal(l.unitPrice)),
            ("vatRate", .string(l.vatRate.code)),
            ("subtotal", .decimal(l.subtotal)),
            ("taxTotal", .decimal(l.taxTotal)),
            ("totalForCustomer", .decimal(l.totalForCustomer)),
        ]
        f.optional("subscriptionId", l.subscriptionId.map(JSONOut.Value.string))
        f.optional("chargeStartDate", l.chargeStartDate.map { .string($0.iso) })
        f.optional("chargeEndDate", l.chargeEndDate.map { .string($0.iso) })
        return .object(f)
    }

    // MARK: - Text of single values, public for other writers of JSON in the project

    /// A JSON string literal: quotes, backslashes and every control character escaped, and U+2028/U+2029
    /// too (so the text is also safe inside a `<script>` block). Other characters are written as UTF-8.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    /// The exact decimal text of an amount: `19.99`, `-120`, `0.05` — never an exponent, never through
    /// `Double`. Trailing zeros after the point are not kept (`25.90` is written `25.9`).
    public static func decimalText(_ value: Amount) -> String { value.description }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

private extension Array where Element == (String, JSONOut.Value) {
    mutating func optional(_ key: String, _ value: JSONOut.Value?) {
        if let value { append((key, value)) }
    }
}

/// A tiny pretty-printer: two-space indentation, `"key": value`, one member or element per line.
struct JSONOut {
    indirect enum Value {
        case string(String)
        case bool(Bool)
        case int(Int)
        case decimal(Amount)
        case raw(String)
        case array([Value])
        case object([(String, Value)])
    }

    struct ObjectBuilder {
        var members: [(String, Value)] = []
        mutating func field(_ key: String, _ value: Value) { members.append((key, value)) }
    }

    var bytes: [UInt8] = []

    mutating func object(_ build: (inout ObjectBuilder) -> Void) {
        var builder = ObjectBuilder()
        build(&builder)
        write(.object(builder.members), indent: 0)
    }

    private mutating func emit(_ text: String) { bytes.append(contentsOf: text.utf8) }

    private mutating func write(_ value: Value, indent: Int) {
        switch value {
        case .string(let text): emit(SnapshotWriter.jsonString(text))
        case .bool(let flag): emit(flag ? "true" : "false")
        case .int(let number): emit(String(number))
        case .decimal(let number): emit(SnapshotWriter.decimalText(number))
        case .raw(let text): emit(text)
        case .array(let items):
            if items.isEmpty { emit("[]"); return }
            emit("[\n")
            for (i, item) in items.enumerated() {
                emit(String(repeating: " ", count: indent + 2))
                write(item, indent: indent + 2)
                emit(i + 1 < items.count ? ",\n" : "\n")
            }
            emit(String(repeating: " ", count: indent) + "]")
        case .object(let members):
            if members.isEmpty { emit("{}"); return }
            emit("{\n")
            for (i, (key, item)) in members.enumerated() {
                emit(String(repeating: " ", count: indent + 2) + SnapshotWriter.jsonString(key) + ": ")
                write(item, indent: indent + 2)
                emit(i + 1 < members.count ? ",\n" : "\n")
            }
            emit(String(repeating: " ", count: indent) + "}")
        }
    }
}
