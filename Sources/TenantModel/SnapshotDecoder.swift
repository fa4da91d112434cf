import Foundation

/// Turns a snapshot file's bytes into a `Snapshot`, or every problem found in it.
public enum SnapshotDecoder {
    public static let slugPattern = "^[a-z0-9][a-z0-9-]{0,63}$"

    /// The largest snapshot read: a tenant with 20,000 users and ten years of invoices is about 12 MB. A cap far
    /// below the parser's own keeps a runaway export (or 20 MB of padding) from stalling an unattended build.
    public static let maxFileBytes = 16 * 1024 * 1024

    public static func isValidSlug(_ slug: String) -> Bool {
        let bytes = Array(slug.utf8)
        guard let first = bytes.first, bytes.count <= 64, isLowerAlnum(first) else { return false }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlnum(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }

    /// - Parameters:
    ///   - file: the name used in messages (a path as the user typed it)
    ///   - slug: the tenant's slug, from the file name
    ///   - ksefFiles: where the snapshot's KSeF invoice files are (`KSeFFiles.folder(forSnapshotAt:slug:)`)
    public static func decode(_ bytes: [UInt8], file: String, slug: String, ksefFiles: KSeFFiles? = nil) -> Result<Snapshot, InvalidInput> {
        guard isValidSlug(slug) else {
            return .failure(InvalidInput([Diagnostic(file: file, location: .wholeFile,
                message: "the file name must be <slug>.json with a slug matching \(slugPattern)")]))
        }
        guard bytes.count <= maxFileBytes else {
            return .failure(InvalidInput([Diagnostic(file: file, location: .wholeFile, message: tooBig(bytes.count))]))
        }
        let root: JSONNode
        do {
            var limits = JSONParser.Limits()
            limits.maxBytes = maxFileBytes
            root = try JSONParser.parse(bytes, limits: limits)
        } catch {
            return .failure(InvalidInput([Diagnostic(file: file, location: .lineColumn(line: error.line, column: error.column), message: error.message)]))
        }
        let sink = DiagnosticSink(file: file)
        let snapshot = readSnapshot(root, slug: slug, sink: sink, ksefFiles: ksefFiles)
        // Cross-checks only on a snapshot whose every element was read: otherwise a dropped element would
        // be reported again as a dangling reference or a wrong total.
        if let snapshot, !sink.droppedElements {
            SnapshotValidator.crossCheck(snapshot, sink: sink)
        }
        if let snapshot, sink.count == 0 { return .success(snapshot) }
        return .failure(InvalidInput(sink.diagnostics))
    }

    public static func tooBig(_ size: Int) -> String {
        let mb = { (n: Int) in String(format: "%.1f MB", Double(n) / 1_048_576) }
        return "the file is \(size) bytes (\(mb(size))); a snapshot may be at most \(maxFileBytes) bytes (\(mb(maxFileBytes)))"
    }

    // MARK: - Readers, one per object kind

    static func readSnapshot(_ node: JSONNode, slug: String, sink: DiagnosticSink, ksefFiles: KSeFFiles? = nil) -> Snapshot? {
        guard var top = ObjectReader(node, path: .root, sink: sink) else { return nil }
        let version = top.integer("schemaVersion")
        if let version, !Snapshot.readableSchemaVersions.contains(version) {
            sink.report(top.path.appending("schemaVersion"), "this tenantsite reads schemaVersion \(Snapshot.readableSchemaVersions.lowerBound) to \(Snapshot.readableSchemaVersions.upperBound); the file has \(version)")
        }
        let captured = top.timestamp("capturedDateTime")
        let tenant = top.object("tenant").flatMap { readTenant($0) }
        let groups = top.array("groups", required: false) { node, path in readGroup(node, path, sink) }
        let subscriptions = top.array("subscriptions") { node, path in readSubscription(node, path, sink) }
        let users = top.array("users") { node, path in readUser(node, path, sink) }
        let invoices = top.array("invoices") { node, path in readInvoice(node, path, sink, ksefFiles: ksefFiles) }
        let disagreements = top.array("disagreements", required: false) { node, path in readDisagreement(node, path, sink) }
        top.rejectUnknownKeys()
        guard version != nil, let captured, let tenant, let groups, let subscriptions, let users, let invoices else { return nil }
        return Snapshot(slug: slug, capturedDateTime: captured, tenant: tenant, groups: groups,
                        subscriptions: subscriptions, users: users, invoices: invoices, disagreements: disagreements ?? [])
    }

    static func readDisagreement(_ node: JSONNode, _ path: JSONPath, _ sink: DiagnosticSink) -> Disagreement? {
        guard var r = ObjectReader(node, path: path, sink: sink) else { return nil }
        let subject = r.enumeration("subject", Disagreement.Subject.self)
        let id = r.text("id")
        let name = r.text("name")
        let field = r.text("field")
        let sku = r.guid("sku", required: false)
        let claims = r.array("claims") { node, path -> Disagreement.Claim? in
            guard var c = ObjectReader(node, path: path, sink: sink) else { return nil }
            let source = c.text("source")
            let value = c.text("value")
            c.rejectUnknownKeys()
            guard let source, let value else { return nil }
            return Disagreement.Claim(source: source, value: value)
        }
        let kept = r.text("kept", required: false)
        r.rejectUnknownKeys()
        if let claims, claims.count < 2 { sink.report(path.appending("claims"), "a disagreement needs at least two claims") }
        guard let subject, let id, let name, let field, let claims else { return nil }
        return Disagreement(subject: subject, id: id, name: name, field: field, sku: sku, claims: claims, kept: kept)
    }

    static func readTenant(_ reader: ObjectReader) -> Tenant? {
        var r = reader
        let id = r.guid("id")
        let displayName = r.text("displayName")
        let domain = r.text("defaultDomain")
        let country = r.string("countryLetterCode")
        if let country, !(country.utf8.count == 2 && country.utf8.allSatisfy({ (0x41...0x5A).contains($0) })) {
            r.sink.report(r.path.appending("countryLetterCode"), "expected a two-letter upper-case country code like PL")
        }
        let language = r.enumeration("preferredLanguage", Language.self)
        let nip = r.nip("nip", required: false)
        let contact = r.object("billingContact", required: false).flatMap { readContact($0) }
        let management = r.object("management").flatMap { readManagement($0) }
        r.rejectUnknownKeys()
        guard let id, let displayName, let domain, let country, let language, let management else { return nil }
        return Tenant(id: id, displayName: displayName, defaultDomain: domain, countryLetterCode: country,
                      preferredLanguage: language, nip: nip, billingContact: contact, management: management)
    }

    static func readContact(_ reader: ObjectReader) -> Contact? {
        var r = reader
        let name = r.text("displayName")
        let email = r.email("email")
        r.rejectUnknownKeys()
        guard let name, let email else { return nil }
        return Contact(displayName: name, email: email)
    }

    static func readManagement(_ reader: ObjectReader) -> Management? {
        var r = reader
        let channel = r.enumeration("channel", Management.Channel.self)
        let partner = r.text("partnerName", required: false)
        let synced = r.timestamp("panelLastSyncedDateTime", required: false)
        r.rejectUnknownKeys()
        guard let channel else { return nil }
        return Management(channel: channel, partnerName: partner, panelLastSyncedDateTime: synced)
    }

    static func readGroup(_ node: JSONNode, _ path: JSONPath, _ sink: DiagnosticSink) -> Group? {
        guard var r = ObjectReader(node, path: path, sink: sink) else { return nil }
        let id = r.guid("id")
        let name = r.text("displayName")
        r.rejectUnknownKeys()
        guard let id, let name else { return nil }
        return Group(id: id, displayName: name)
    }

    static func readSubscription(_ node: JSONNode, _ path: JSONPath, _ sink: DiagnosticSink) -> Subscription? {
        guard var r = ObjectReader(node, path: path, sink: sink) else { return nil }
        let id = r.identifier("id")
        let commerceId = r.identifier("commerceSubscriptionId", required: false)
        let skuId = r.guid("skuId")
        let part = r.text("skuPartNumber")
        let product = r.text("productName", required: false)
        let status = r.enumeration("status", Subscription.Status.self)
        let isTrial = r.bool("isTrial")
        let prepaid = r.object("prepaidUnits").flatMap { units -> Subscription.PrepaidUnits? in
            var u = units
            let enabled = u.count("enabled")
            let suspended = u.count("suspended", required: false) ?? 0
            let warning = u.count("warning", required: false) ?? 0
            let lockedOut = u.count("lockedOut", required: false) ?? 0
            u.rejectUnknownKeys()
            guard let enabled else { return nil }
            return .init(enabled: enabled, suspended: suspended, warning: warning, lockedOut: lockedOut)
        }
        let consumed = r.count("consumedUnits")
        let created = r.timestamp("createdDateTime", required: false)
        let next = r.timestamp("nextLifecycleDateTime", required: false)
        let cycle = r.enumeration("billingCycle", Subscription.BillingCycle.self, required: false)
        let term = r.string("termDuration", required: false)
        if let term, !["P1M", "P1Y", "P3Y"].contains(term) {
            r.sink.report(path.appending("termDuration"), "expected P1M, P1Y or P3Y, found \"\(preview(term))\"")
        }
        let autoRenew = r.bool("autoRenewEnabled", required: false)
        let price = r.decimal("unitPrice", required: false)
        let currency = r.currency("currencyCode", required: price != nil)
        if let price, price < 0 { r.sink.report(path.appending("unitPrice"), "a price cannot be negative") }
        let channel = r.enumeration("purchaseChannel", Subscription.PurchaseChannel.self)
        let buyer = r.object("purchasedBy", required: channel == .selfService).flatMap { buyer -> Subscription.Purchaser? in
            var b = buyer
            let id = b.guid("id", required: false)
            let name = b.text("displayName")
            let upn = b.text("userPrincipalName")
            b.rejectUnknownKeys()
            guard let name, let upn else { return nil }
            return .init(id: id, displayName: name, userPrincipalName: upn)
        }
        r.rejectUnknownKeys()
        guard let id, let skuId, let part, let status, let isTrial, let prepaid, let consumed, let channel else { return nil }
        return Subscription(id: id, commerceSubscriptionId: commerceId, skuId: skuId, skuPartNumber: part, productName: product,
                            status: status, isTrial: isTrial, prepaidUnits: prepaid, consumedUnits: consumed,
                            createdDateTime: created, nextLifecycleDateTime: next, billingCycle: cycle, termDuration: term,
                            autoRenewEnabled: autoRenew, unitPrice: price, currencyCode: currency, purchaseChannel: channel,
                            purchasedBy: buyer)
    }

    static func readUser(_ node: JSONNode, _ path: JSONPath, _ sink: DiagnosticSink) -> User? {
        guard var r = ObjectReader(node, path: path, sink: sink) else { return nil }
        let id = r.guid("id")
        let name = r.text("displayName")
        let upn = r.text("userPrincipalName")
        let department = r.text("department", required: false)
        let jobTitle = r.text("jobTitle", required: false)
        let enabled = r.bool("accountEnabled")
        let licences = r.array("licenseAssignmentStates") { node, path -> LicenseAssignment? in
            guard var l = ObjectReader(node, path: path, sink: sink) else { return nil }
            let sku = l.guid("skuId")
            let subscription = l.identifier("subscriptionId", required: false)
            let group = l.guid("assignedByGroup", required: false)
            let state = l.enumeration("state", LicenseAssignment.State.self)
            let error = l.enumeration("error", LicenseAssignment.AssignmentError.self, required: false)
            l.rejectUnknownKeys()
            guard let sku, let state else { return nil }
            return LicenseAssignment(skuId: sku, subscriptionId: subscription, assignedByGroup: group, state: state, error: error)
        }
        var activity: SignInActivity?
        if var a = r.object("signInActivity", required: false) {
            activity = SignInActivity(lastSignInDateTime: a.timestamp("lastSignInDateTime", required: false),
                                      lastNonInteractiveSignInDateTime: a.timestamp("lastNonInteractiveSignInDateTime", required: false),
                                      lastSuccessfulSignInDateTime: a.timestamp("lastSuccessfulSignInDateTime", required: false))
            a.rejectUnknownKeys()
        }
        r.rejectUnknownKeys()
        guard let id, let name, let upn, let enabled, let licences else { return nil }
        return User(id: id, displayName: name, userPrincipalName: upn, department: department, jobTitle: jobTitle,
                    accountEnabled: enabled, licenseAssignmentStates: licences, signInActivity: activity)
    }

    static func readParty(_ reader: ObjectReader) -> Party? {
        var r = reader
        let sink = reader.sink
        let name = r.text("name")
        let lines = r.array("addressLines") { node, path -> String? in
            guard case .string(let text) = node.value, !text.isEmpty else {
                sink.report(path, "expected a non-empty string, found \(node.kindName)")
                return nil
            }
            return checkText(text, path: path, sink: sink)
        }
        let nip = r.nip("nip", required: false)
        let vatId = r.text("vatId", required: false)
        let country = r.string("countryCode", required: false)
        if let country, !(country.utf8.count == 2 && country.utf8.allSatisfy({ (0x41...0x5A).contains($0) })) {
            r.sink.report(r.path.appending("countryCode"), "expected a two-letter upper-case country code like PL, found \"\(preview(country))\"")
        }
        r.rejectUnknownKeys()
        guard let name, let lines else { return nil }
        return Party(name: name, addressLines: lines, nip: nip, vatId: vatId, countryCode: country)
    }

    static func readInvoice(_ node: JSONNode, _ path: JSONPath, _ sink: DiagnosticSink, ksefFiles: KSeFFiles? = nil) -> Invoice? {
        if case .object(let members) = node.value, members.contains(where: { $0.key == "ksef" }) {
            return readKSeFInvoice(node, path, sink, files: ksefFiles)
        }
        guard var r = ObjectReader(node, path: path, sink: sink) else { return nil }
        let id = r.text("id")
        let type = r.text("documentType").map { Invoice.DocumentType(rawValue: $0) }
        let corrected = r.text("correctedInvoiceId", required: type?.correctsAnother ?? false)
        let invoiceDate = r.date("invoiceDate")
        let saleDate = r.date("saleDate", required: false)
        let dueDate = r.date("dueDate")
        let periodStart = r.date("billingPeriodStartDate", required: false)
        let periodEnd = r.date("billingPeriodEndDate", required: false)
        if let periodStart, let periodEnd, periodEnd < periodStart {
            sink.report(path.appending("billingPeriodEndDate"), "the billing period ends before it starts")
        }
        let currency = r.currency("currencyCode")
        let seller = r.object("seller").flatMap { readParty($0) }
        let buyer = r.object("buyer").flatMap { readParty($0) }
        let before = sink.count
        let lines = r.array("lines") { node, path in readLine(node, path, sink) }
        if let lines, lines.isEmpty, sink.count == before { sink.report(path.appending("lines"), "an invoice needs at least one line") }
        let total = r.decimal("totalCharges")
        let paid = r.decimal("paidAmount")
        let ksef = r.text("ksefNumber", required: false)
        if let ksef { checkKSeFNumber(ksef, sellerNIP: seller?.nip, of: "the seller's NIP", at: path.appending("ksefNumber"), sink) }
        let rate = r.object("exchangeRate", required: false).flatMap { reader -> Invoice.ExchangeRate? in
            var x = reader
            let rate = x.decimal("rate")
            let date = x.date("date")
            let source = x.text("source", required: false)
            x.rejectUnknownKeys()
            guard let rate, let date else { return nil }
            if rate <= 0 { x.sink.report(x.path.appending("rate"), "an exchange rate must be positive") }
            return .init(rate: rate, date: date, source: source)
        }
        r.rejectUnknownKeys()
        guard let id, let type, let invoiceDate, let dueDate, let currency, let seller, let buyer, let lines, let total, let paid else { return nil }
        return Invoice(id: id, documentType: type, correctedInvoiceId: corrected, invoiceDate: invoiceDate, saleDate: saleDate,
                       dueDate: dueDate, billingPeriodStartDate: periodStart, billingPeriodEndDate: periodEnd, currencyCode: currency,
                       seller: seller, buyer: buyer, lines: lines, totalCharges: total, paidAmount: paid, ksefNumber: ksef,
                       exchangeRate: rate)
    }

    /// A KSeF invoice (v3): `id`, `ksef` {`file`, `sha256`}, optional `ksefNumber` and `paidAmount`. Everything else
    /// comes from the file, read from `files`: a file missing, changed since it was imported (its SHA-256), not
    /// FA(3), or of another invoice number is an error here.
    static func readKSeFInvoice(_ node: JSONNode, _ path: JSONPath, _ sink: DiagnosticSink, files: KSeFFiles?) -> Invoice? {
        guard var r = ObjectReader(node, path: path, sink: sink) else { return nil }
        let id = r.text("id")
        let reference = r.object("ksef").flatMap { reader -> (file: String, hash: String, links: [(Int, KSeFDocument.Link, JSONPath)])? in
            var x = reader
            let file = x.string("file")
            let hash = x.string("sha256")
            let links = x.array("lines", required: false) { node, path -> (Int, KSeFDocument.Link, JSONPath)? in
                guard var l = ObjectReader(node, path: path, sink: sink) else { return nil }
                let number = l.count("number")
                let id = l.identifier("subscriptionId")
                let start = l.date("chargeStartDate", required: false)
                let end = l.date("chargeEndDate", required: false)
                l.rejectUnknownKeys()
                if let start, let end, end < start { sink.report(path.appending("chargeEndDate"), "the charge period ends before it starts") }
                guard let number, let id else { return nil }
                return (number, KSeFDocument.Link(subscriptionId: id, chargeStartDate: start, chargeEndDate: end), path)
            }
            x.rejectUnknownKeys()
            if let file, !KSeFFiles.isValidName(file) {
                sink.report(x.path.appending("file"), "\"\(preview(file))\" is not a KSeF file name: letters, digits, '.', '_' or '-', ending .xml, no folder")
                return nil
            }
            guard let file, let hash, let links else { return nil }
            return (file, hash, links)
        }
        let number = r.text("ksefNumber", required: false)
        let paid = r.decimal("paidAmount", required: false)
        r.rejectUnknownKeys()
        guard let id, let reference else { return nil }
        guard let files else {
            sink.report(path.appending("ksef").appending("file"), "a KSeF invoice's file can be read only from a snapshot in a content folder (content/ksef/<slug>/)")
            return nil
        }
        let display = files.display(reference.file)
        let bytes: [UInt8]
        switch files.read(reference.file) {
        case .success(let read): bytes = read
        case .failure(let failure):
            sink.report(path.appending("ksef").appending("file"), "\(display): \(failure.description)")
            return nil
        }
        let document: KSeFDocument
        switch FA3Invoice.read(bytes, file: display) {
        case .success(let invoice):
            var links: [Int: KSeFDocument.Link] = [:]
            for (number, id, linkPath) in reference.links {
                if !invoice.lines.contains(where: { $0.number == number && $0.netValue != nil }) {
                    sink.report(linkPath.appending("number"), "\(display) has no net-priced line \(number) (NrWierszaFa with P_11)")
                } else if links.updateValue(id, forKey: number) != nil {
                    sink.report(linkPath.appending("number"), "line \(number) is linked twice")
                }
            }
            document = KSeFDocument(file: reference.file, bytes: bytes, invoice: invoice, links: links)
        case .failure(let invalid):
            invalid.diagnostics.forEach(sink.add)
            return nil
        }
        if document.hash != reference.hash {
            sink.report(path.appending("ksef").appending("sha256"), "\(display) has SHA-256 \(document.hash), not \(preview(reference.hash)): the file changed after it was imported (import it again if the new file is right)")
            return nil
        }
        if document.invoice.number != id {
            sink.report(path.appending("id"), "\(display) is invoice \(preview(document.invoice.number)), not \(preview(id))")
            return nil
        }
        if let number { checkKSeFNumber(number, sellerNIP: document.invoice.seller.nip, of: "the seller's NIP in \(display)", at: path.appending("ksefNumber"), sink) }
        return Invoice(ksef: document, ksefNumber: number, paidAmount: paid)
    }

    /// A KSeF number's shape and checksum, and that it starts with its seller's NIP.
    static func checkKSeFNumber(_ number: String, sellerNIP: String?, of seller: String, at path: JSONPath, _ sink: DiagnosticSink) {
        if let problem = KSeFNumber.problem(number) {
            sink.report(path, "\"\(preview(number))\" is not a KSeF number: \(problem)")
        } else if let nip = sellerNIP, KSeFNumber.sellerNIP(number) != nip {
            sink.report(path, "the KSeF number starts with NIP \(KSeFNumber.sellerNIP(number)), but \(seller) is \(nip): KSeF numbers begin with the seller's")
        }
    }

    static func readLine(_ node: JSONNode, _ path: JSONPath, _ sink: DiagnosticSink) -> InvoiceLine? {
        guard var r = ObjectReader(node, path: path, sink: sink) else { return nil }
        let description = r.text("description")
        let quantity = r.decimal("quantity")
        let unit = r.text("unit")
        let unitPrice = r.decimal("unitPrice")
        let rateCode = r.string("vatRate")
        let rate = rateCode.flatMap { code -> InvoiceLine.VATRate? in
            guard let rate = InvoiceLine.VATRate(code: code) else {
                sink.report(path.appending("vatRate"), "\"\(preview(code))\" is not a VAT rate; use \"23\", \"8\", \"5\", \"0\", \"zw\", \"np\" or \"oo\"")
                return nil
            }
            return rate
        }
        let subtotal = r.decimal("subtotal")
        let tax = r.decimal("taxTotal")
        let gross = r.decimal("totalForCustomer")
        let subscription = r.identifier("subscriptionId", required: false)
        let start = r.date("chargeStartDate", required: false)
        let end = r.date("chargeEndDate", required: false)
        r.rejectUnknownKeys()
        guard let description, let quantity, let unit, let unitPrice, let rate, let subtotal, let tax, let gross else { return nil }
        return InvoiceLine(description: description, quantity: quantity, unit: unit, unitPrice: unitPrice, vatRate: rate,
                           subtotal: subtotal, taxTotal: tax, totalForCustomer: gross, subscriptionId: subscription,
                           chargeStartDate: start, chargeEndDate: end)
    }

    /// Free text must be of a sane length and free of control characters that no panel would produce.
    static func checkText(_ text: String, path: @autoclosure () -> JSONPath, sink: DiagnosticSink) -> String? {
        if text.utf8.count > TextLimits.maxValueBytes {
            sink.report(path(), "text of \(text.utf8.count) bytes; the limit is \(TextLimits.maxValueBytes) bytes")
            return nil
        }
        // Fast path: the forbidden characters found by their exact UTF-8 bytes (Polish text is full of 0xE2
        // sequences, "–" and "„”", which are fine); only text that has one is walked again for the message.
        var scanned = text
        guard scanned.withUTF8(TextLimits.hasForbiddenCharacter) else { return text }
        if let bad = TextLimits.firstForbidden(in: text) {
            sink.report(path(), TextLimits.problem(bad.scalar))
            return nil
        }
        return text
    }
}

public enum TextLimits {
    /// No field of a tenant is longer than this; a longer one is an error, not a page-breaking value.
    public static let maxValueBytes = 4096

    /// DEL and the C1 controls (U+0080–U+009F; U+009B is a terminal's CSI): no panel produces them.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) }

    /// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder the text around them on
    /// screen, so an invoice number or a name could show as something it is not ("Trojan Source"). The plain
    /// marks U+200E/U+200F, which real right-to-left names may carry, stay allowed.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// The first character that no input text may hold (C0 controls but tab and line ends, DEL, C1 controls,
    /// bidirectional controls), with its 1-based line and column; with `lineBreaks: false`, tab, CR and LF too.
    /// Snapshots, help articles and their front matter all pass through this one rule.
    public static func firstForbidden(in text: String, lineBreaks: Bool = true) -> (scalar: Unicode.Scalar, line: Int, column: Int)? {
        var line = 1, column = 1
        for scalar in text.unicodeScalars {
            let isBreak = scalar == "\t" || scalar == "\n" || scalar == "\r"
            if (scalar.value < 0x20 && !(lineBreaks && isBreak)) || isControl(scalar) || isBidiControl(scalar) {
                return (scalar, line, column)
            }
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return nil
    }

    /// What is wrong with a line of text (a title), or nil.
    public static func problem(inLineOfText text: String) -> String? {
        if text.utf8.count > maxValueBytes { return "is \(text.utf8.count) bytes long; the limit is \(maxValueBytes) bytes" }
        return firstForbidden(in: text, lineBreaks: false).map { problem($0.scalar) }
    }

    /// The one wording for a character no input may hold: "contains the control character U+001B", "contains the
    /// bidirectional control character U+202E, which makes text read differently from what it is; remove it".
    public static func problem(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(4)
        return isBidiControl(scalar) ? "contains the bidirectional control character \(code), which makes text read differently from what it is; remove it"
            : "contains the control character \(code)"
    }

    /// Whether UTF-8 text holds a control character other than tab and line ends (`isControl`, C0) or a
    /// bidirectional control (`isBidiControl`), read from the bytes: C1 controls are C2 80…9F, U+202A–202E are
    /// E2 80 AA…AE, U+2066–2069 are E2 81 A6…A9.
    static func hasForbiddenCharacter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x20 {
                if b != 0x09 && b != 0x0A && b != 0x0D { return true }
            } else if b == 0x7F {
                return true
            } else if b == 0xC2 {
                if i + 1 < n, bytes[i + 1] >= 0x80, bytes[i + 1] <= 0x9F { return true }
            } else if b == 0xE2, i + 2 < n {
                let b1 = bytes[i + 1], b2 = bytes[i + 2]
                if b1 == 0x80, b2 >= 0xAA, b2 <= 0xAE { return true }
                if b1 == 0x81, b2 >= 0xA6, b2 <= 0xA9 { return true }
            }
            i += 1
        }
        return false
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

// MARK: - Typed field accessors used by the snapshot reader

extension ObjectReader {
    /// Free text with the length and control-character checks.
    mutating func text(_ key: String, required: Bool = true) -> String? {
        guard let text = string(key, required: required) else { return nil }
        return SnapshotDecoder.checkText(text, path: path.appending(key), sink: sink)
    }

    mutating func guid(_ key: String, required: Bool = true) -> String? {
        guard let text = string(key, required: required) else { return nil }
        guard GUID.isValid(text) else {
            sink.report(path.appending(key), "expected a GUID like 3b555118-da6a-4418-894f-7df1e2096870, found \"\(preview(text))\"")
            return nil
        }
        return text.lowercased()
    }

    /// An id that ends up in a file name after slugging: printable, at most 200 bytes.
    mutating func identifier(_ key: String, required: Bool = true) -> String? {
        guard let text = string(key, required: required) else { return nil }
        // Ids are nearly always printable ASCII, which passes without looking up Unicode properties.
        var scanned = text
        let printableASCII = scanned.withUTF8 { bytes in bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F } }
        guard text.utf8.count <= 200,
              printableASCII || text.unicodeScalars.allSatisfy({ $0.value > 0x20 && !TextLimits.isControl($0) && !TextLimits.isBidiControl($0) && !$0.properties.isWhitespace })
        else {
            sink.report(path.appending(key), "an id must be 1 to 200 printable characters without spaces")
            return nil
        }
        return text
    }

    mutating func nip(_ key: String, required: Bool) -> String? {
        guard let text = string(key, required: required) else { return nil }
        guard NIP.isValid(text) else {
            sink.report(path.appending(key), "\"\(preview(text))\" is not a valid NIP (ten digits, check digit from weights 6,5,7,2,3,4,5,6,7)")
            return nil
        }
        return text
    }

    mutating func currency(_ key: String, required: Bool = true) -> String? {
        guard let text = string(key, required: required) else { return nil }
        guard ISO4217.isKnown(text) else {
            sink.report(path.appending(key), "\"\(preview(text))\" is not an ISO 4217 currency code")
            return nil
        }
        return text
    }

    mutating func email(_ key: String, required: Bool = true) -> String? {
        guard let text = text(key, required: required) else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"<>()[]\\,;:\"".unicodeScalars.contains($0) })
        else {
            sink.report(path.appending(key), "expected an e-mail address like name@example.com, found \"\(preview(text))\"")
            return nil
        }
        return text
    }
}
