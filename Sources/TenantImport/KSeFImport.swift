import Foundation
import TenantModel

/// FA(3) invoices (and a KSeF export's `_metadata.json`) joined to a tenant's snapshot: each file checked, given its
/// KSeF number, and kept byte for byte under a name of its own in the tenant's KSeF folder (docs/ksef.md).
///
/// Joining is idempotent: the same file again changes nothing (a KSeF number learnt since is added). An invoice is
/// one seller's number; a second, different file of it is an error, as KSeF documents never change.
enum KSeFImport {
    /// Whether a file is XML (what is not JSON here): its first byte past a byte-order mark and white space is `<`,
    /// and it is not an HTML page (a sign-in page saved instead of a response, which import names as such).
    static func isXML(_ bytes: [UInt8]) -> Bool {
        var rest = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        while let first = rest.first, first == 0x20 || first == 0x0A || first == 0x0D || first == 0x09 { rest = rest.dropFirst() }
        guard rest.first == UInt8(ascii: "<") else { return false }
        let head = String(decoding: rest.prefix(16), as: UTF8.self).lowercased()
        return !head.hasPrefix("<!doctype html") && !head.hasPrefix("<html")
    }

    /// Whether a JSON file is KSeF's invoice metadata: an array of objects with `ksefNumber`, or such an array under
    /// `invoices`. (Graph and Partner Center responses never carry that field.)
    static func isMetadata(_ bytes: [UInt8]) -> Bool {
        // Parse only what may be metadata: every Graph and Partner Center page is parsed again by the recogniser.
        guard bytes.contains(bytes: Array("\"ksefNumber\"".utf8)) || bytes.contains(bytes: Array("\"invoices\"".utf8)) else { return false }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard let root = try? JSONParser.parse(body) else { return false }
        func listOfInvoices(_ node: JSONNode) -> Bool {
            guard case .array(let items) = node.value, let first = items.first, case .object(let members) = first.value else { return false }
            return members.contains { $0.key == "ksefNumber" }
        }
        if listOfInvoices(root) { return true }
        if case .object(let members) = root.value, let invoices = members.first(where: { $0.key == "invoices" }) {
            return listOfInvoices(invoices.value) || (members.contains { $0.key == "hasMore" || $0.key == "isTruncated" })
        }
        return false
    }

    /// The name a file is kept under: its KSeF number, else its seller's NIP and its number made safe, and the start
    /// of its SHA-256 (an invoice issued offline, whose number KSeF has not given yet).
    static func fileName(ksefNumber: String?, invoice: FA3Invoice, hash: String) -> String {
        if let ksefNumber { return ksefNumber + ".xml" }
        var number = ""
        for scalar in invoice.number.unicodeScalars {
            number.unicodeScalars.append(scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? scalar : "_")
        }
        let safeHash = hash.prefix(8).map { $0 == "-" || $0 == "_" ? "x" : $0 }
        return "\(invoice.seller.nip ?? "foreign")_\(number.prefix(60))_\(String(safeHash)).xml"
    }

    /// Which subscription each net-priced line bills, where the line names exactly one: its description holds the
    /// subscription's product name (or sku part number), the longest such name wins, and only subscriptions a reseller
    /// or partner sells count (self-service and direct ones are Microsoft's invoices, not KSeF's). The snapshot keeps
    /// the links (`ksef.lines`), so a wrong or missing one can be mended there.
    static func links(_ invoice: FA3Invoice, _ subscriptions: [Subscription], typed: Invoice? = nil) -> [Int: KSeFDocument.Link] {
        let sold = subscriptions.filter { $0.purchaseChannel != .selfService && $0.purchaseChannel != .direct }
        var links: [Int: KSeFDocument.Link] = [:]
        for line in invoice.lines where line.netValue != nil {
            let description = line.description.lowercased()
            var best: (length: Int, ids: Set<String>) = (0, [])
            for subscription in sold {
                for name in [subscription.productName, subscription.skuPartNumber].compactMap({ $0?.lowercased() }) where description.contains(name) {
                    if name.count > best.length { best = (name.count, [subscription.id]) } else if name.count == best.length { best.ids.insert(subscription.id) }
                }
            }
            guard best.ids.count == 1, let id = best.ids.first else { continue }
            // The invoice typed in before gave this subscription's line a charge period: it is kept.
            let before = typed?.lines.first { $0.subscriptionId == id && $0.chargeStartDate != nil }
            links[line.number] = KSeFDocument.Link(subscriptionId: id, chargeStartDate: before?.chargeStartDate, chargeEndDate: before?.chargeEndDate)
        }
        return links
    }

    /// Adds the files' invoices to `snapshot`. Returns the snapshot and the files to write into the KSeF folder (by
    /// name), or nil after reporting errors.
    static func join(xml: [(name: String, bytes: [UInt8])], metadata: [(name: String, bytes: [UInt8])], into base: Snapshot,
                     nip: String?, report: Report) -> (snapshot: Snapshot, files: [String: [UInt8]])? {
        var snapshot = base
        var numbers: [KSeFMetadata.Entry] = []
        for file in metadata {
            switch KSeFMetadata.read(file.bytes, file: file.name) {
            case .success(let read): numbers += read.entries
            case .failure(let invalid): invalid.diagnostics.forEach { report.error(file: $0.file, $0.location, $0.message) }
            }
        }
        let buyerNIP = nip ?? snapshot.tenant.nip
        if let nip, let own = snapshot.tenant.nip, own != nip {
            report.error(file: Report.commandLine, .wholeFile, "--nip \(nip) is not the tenant's NIP in the snapshot, \(own)")
            return nil
        }
        guard let buyerNIP else {
            report.error(file: Report.commandLine, .wholeFile, "FA(3) invoices are checked against the tenant's NIP: give --nip (the snapshot has none)")
            return nil
        }
        snapshot.tenant.nip = buyerNIP
        let metadataIndex = KSeFMetadata(entries: numbers)

        var files: [String: [UInt8]] = [:]
        var added: [Invoice] = []
        for file in xml {
            let invoice: FA3Invoice
            switch FA3Invoice.read(file.bytes, file: file.name) {
            case .success(let read): invoice = read
            case .failure(let invalid):
                invalid.diagnostics.forEach { report.error(file: $0.file, $0.location, $0.message) }
                continue
            }
            guard invoice.buyer.nip == buyerNIP else {
                let whom = invoice.buyer.nip.map { "NIP \($0)" } ?? (invoice.buyer.foreignId.map { "\($0) (no NIP)" } ?? "no NIP")
                report.error(file: file.name, .line(invoice.buyerLine),
                             "invoice \(invoice.number) is to \(whom), not to the tenant's NIP \(buyerNIP): the buyer (Podmiot2) must be this tenant")
                continue
            }
            // Its KSeF number: from the export's metadata, else from the file's name; the two must agree.
            let fromMetadata = metadataIndex.ksefNumber(file: file.bytes, invoice: invoice)
            var fromName: String?
            switch FA3Invoice.ksefNumber(fromFileName: file.name) {
            case .success(let number): fromName = number
            case .failure(let invalid):
                invalid.diagnostics.forEach { report.error(file: $0.file, $0.location, $0.message) }
                continue
            case nil: break
            }
            if let fromMetadata, let fromName, fromMetadata != fromName {
                report.error(file: file.name, .wholeFile, "the file is named by KSeF number \(fromName), but _metadata.json gives \(fromMetadata) for invoice \(invoice.number)")
                continue
            }
            let number = fromMetadata ?? fromName
            if let number, let seller = invoice.seller.nip, KSeFNumber.sellerNIP(number) != seller {
                report.error(file: file.name, .line(invoice.numberLine),
                             "the KSeF number \(number) starts with NIP \(KSeFNumber.sellerNIP(number)), but invoice \(invoice.number)'s seller is NIP \(seller)")
                continue
            }
            let hash = KSeFCode.fileHash(file.bytes)

            // The same invoice again: the same file changes nothing but a KSeF number learnt since.
            let sameInvoice: (Invoice) -> Bool = { $0.id == invoice.number && $0.seller.nip == invoice.seller.nip }
            if let index = snapshot.invoices.firstIndex(where: { $0.ksef != nil && sameInvoice($0) }) {
                let known = snapshot.invoices[index]
                guard known.ksef?.hash == hash else {
                    report.error(file: file.name, .line(invoice.numberLine),
                                 "invoice \(invoice.number) of NIP \(invoice.seller.nip ?? "?") is already in the snapshot from another file, \(known.ksef!.file): a KSeF invoice never changes (a correction is a new invoice)")
                    continue
                }
                if let number, let had = known.ksefNumber, had != number {
                    report.error(file: file.name, .wholeFile, "invoice \(invoice.number) has KSeF number \(had) in the snapshot, not \(number)")
                    continue
                }
                if let number, known.ksefNumber == nil {
                    let name = fileName(ksefNumber: number, invoice: invoice, hash: hash)
                    files[name] = file.bytes
                    snapshot.invoices[index] = Invoice(ksef: KSeFDocument(file: name, bytes: file.bytes, invoice: invoice,
                                                                          links: known.ksef!.links), ksefNumber: number,
                                                       paidAmount: known.paidAmount)
                    report.warn(file: file.name, .wholeFile, "invoice \(invoice.number) now has its KSeF number \(number); its file is kept as \(name) (the old copy, \(known.ksef!.file), can be removed)")
                }
                continue
            }
            if added.contains(where: sameInvoice) {
                if added.first(where: sameInvoice)?.ksef?.hash != hash {
                    report.error(file: file.name, .line(invoice.numberLine), "invoice \(invoice.number) of NIP \(invoice.seller.nip ?? "?") is given twice, in two different files")
                }
                continue
            }
            // An invoice typed into the snapshot gives way to its file; what was paid (which the file cannot know) stays.
            var paid: Amount?
            var replaced: Invoice?
            if let typed = snapshot.invoices.firstIndex(where: { $0.ksef == nil && $0.id == invoice.number }) {
                report.warn(file: file.name, .wholeFile, "invoice \(invoice.number) was typed into the snapshot; its KSeF file replaces it (the amount paid, \(snapshot.invoices[typed].paidAmount), is kept)")
                paid = snapshot.invoices[typed].paidAmount
                replaced = snapshot.invoices[typed]
                snapshot.invoices.remove(at: typed)
            }
            let name = fileName(ksefNumber: number, invoice: invoice, hash: hash)
            files[name] = file.bytes
            let document = KSeFDocument(file: name, bytes: file.bytes, invoice: invoice, links: links(invoice, snapshot.subscriptions, typed: replaced))
            added.append(Invoice(ksef: document, ksefNumber: number, paidAmount: paid))
        }
        guard !report.hasErrors else { return nil }
        added.sort { ($0.invoiceDate, $0.seller.nip ?? "", $0.id) < ($1.invoiceDate, $1.seller.nip ?? "", $1.id) }
        snapshot.invoices += added
        return (snapshot, files)
    }
}
