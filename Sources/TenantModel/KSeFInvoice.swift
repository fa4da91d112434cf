import Foundation

/// Where a tenant's KSeF invoice files live: `ksef/<slug>/` beside the `tenants/` folder of its snapshot
/// (`content/tenants/acme.json` → `content/ksef/acme/`). A snapshot names each file (`invoices[].ksef.file`); the
/// file is the invoice, kept byte for byte as KSeF gave it.
public struct KSeFFiles: Sendable {
    public enum Storage: Sendable {
        case folder(String)
        /// Files by name, for an import that has not written them yet; `fallback` is read for names it lacks.
        case memory([String: [UInt8]], fallback: String?)
    }

    public let storage: Storage

    public init(folder: String) { storage = .folder(folder) }
    public init(files: [String: [UInt8]], fallback: String?) { storage = .memory(files, fallback: fallback) }

    /// An FA(3) file is at most 1 MB without attachments and 3 MB with them (KSeF's limits).
    public static let maxFileBytes = 3 * 1024 * 1024

    /// The folder of KSeF files for the snapshot at `snapshotPath`.
    public static func folder(forSnapshotAt snapshotPath: String, slug: String) -> String {
        ContentFolders.folder("ksef", forSnapshotAt: snapshotPath, slug: slug)
    }

    /// A file name the snapshot may give: letters, digits, `.`, `_`, `-`, ending `.xml`, no folder.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (5...132).contains(bytes.count), name.hasSuffix(".xml"), let first = bytes.first, first != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }

    /// The path messages name the file by.
    public func display(_ name: String) -> String {
        switch storage {
        case .folder(let folder): return folder + "/" + name
        case .memory(let files, let fallback): return files[name] != nil || fallback == nil ? name : fallback! + "/" + name
        }
    }

    public func read(_ name: String) -> Result<[UInt8], InputFile.Failure> {
        switch storage {
        case .memory(let files, let fallback):
            if let bytes = files[name] { return .success(bytes) }
            guard let fallback else { return .failure(.missing) }
            return Self.read(fallback + "/" + name)
        case .folder(let folder):
            return Self.read(folder + "/" + name)
        }
    }

    private static func read(_ path: String) -> Result<[UInt8], InputFile.Failure> {
        do {
            return .success(try InputFile.read(path, limit: maxFileBytes))
        } catch {
            return .failure(error)
        }
    }
}

/// A KSeF invoice as the site holds it: the file's exact bytes and what they say. A class, so that an `Invoice` carries
/// one reference rather than the whole document: invoices are copied often, and most have none.
public final class KSeFDocument: Sendable {
    /// Its name in the tenant's KSeF folder.
    public let file: String
    public let bytes: [UInt8]
    /// SHA-256 of `bytes`, Base64URL (as KOD I carries it).
    public let hash: String
    public let invoice: FA3Invoice
    /// The subscription a line bills and the period it charges for, facts the XML does not hold (`ksef.lines`).
    public struct Link: Sendable, Equatable {
        public var subscriptionId: String
        public var chargeStartDate: CivilDate?
        public var chargeEndDate: CivilDate?
        public init(subscriptionId: String, chargeStartDate: CivilDate? = nil, chargeEndDate: CivilDate? = nil) {
            self.subscriptionId = subscriptionId
            self.chargeStartDate = chargeStartDate
            self.chargeEndDate = chargeEndDate
        }
    }

    /// The links of lines to subscriptions, by line number (NrWierszaFa), when known.
    public let links: [Int: Link]

    public init(file: String, bytes: [UInt8], invoice: FA3Invoice, links: [Int: Link] = [:]) {
        self.file = file
        self.bytes = bytes
        self.hash = KSeFCode.fileHash(bytes)
        self.invoice = invoice
        self.links = links
    }

    /// The lines that bill a subscription, as invoice lines of their net value (a gross-priced line has no net value
    /// of its own, so it is never linked).
    /// KOD I's link: the file's SHA-256 is the one worked out when it was read.
    public func verificationURL(_ environment: KSeFCode.Environment) -> String {
        KSeFCode.url(environment, sellerNIP: invoice.seller.nip ?? "", issueDate: invoice.issueDate, hash: hash)
    }

    public var subscriptionLines: [(index: Int, line: InvoiceLine)] {
        invoice.lines.enumerated().compactMap { index, line in
            guard let link = links[line.number], let net = line.netValue else { return nil }
            let rate = line.rate.flatMap { InvoiceLine.VATRate(code: $0) } ?? .notSubject
            return (index, InvoiceLine(description: line.description, quantity: line.quantity ?? 1, unit: line.unit ?? "",
                                       unitPrice: line.unitNetPrice ?? net, vatRate: rate, subtotal: net, taxTotal: 0,
                                       totalForCustomer: net, subscriptionId: link.subscriptionId, chargeStartDate: link.chargeStartDate,
                                       chargeEndDate: link.chargeEndDate))
        }
    }
}

extension Invoice {
    /// The invoice a KSeF file states: every fact from the XML; the KSeF number (which the XML does not hold) and
    /// the amount paid so far (which changes after it is issued) from the snapshot. No sum is recomputed: the net and
    /// VAT totals are the XML's P_13_x and P_14_x added up, the total due is its P_15.
    public init(ksef document: KSeFDocument, ksefNumber: String?, paidAmount: Amount?) {
        let x = document.invoice
        func party(_ p: FA3Invoice.Party) -> Party {
            Party(name: p.name, addressLines: p.addressLines, nip: p.nip, vatId: p.foreignId, countryCode: p.countryCode)
        }
        let due = x.payment?.dueDates.min() ?? x.payment?.paidOn ?? x.issueDate
        self.init(id: x.number, documentType: x.kind.isCorrection ? .creditNote : .invoice, correctedInvoiceId: x.corrected.first?.number,
                  invoiceDate: x.issueDate, saleDate: x.saleDate, dueDate: max(due, x.issueDate), billingPeriodStartDate: x.period?.from,
                  billingPeriodEndDate: x.period?.to, currencyCode: x.currency, seller: party(x.seller), buyer: party(x.buyer),
                  lines: [], totalCharges: x.total, paidAmount: paidAmount ?? x.statedPaid, ksefNumber: ksefNumber)
        ksef = document
        netTotal = x.rateSums.reduce(Amount.zero) { $0 + $1.net }
        taxTotal = x.rateSums.reduce(Amount.zero) { $0 + ($1.vat ?? 0) }
    }
}

extension FA3Invoice.Kind {
    public var isCorrection: Bool { self == .correction || self == .advanceCorrection || self == .settlementCorrection }
}

extension FA3Invoice {
    /// What the XML says was paid: all of it (Zaplacono), or its part payments (ZaplataCzesciowa), else nothing.
    public var statedPaid: Amount {
        guard let payment else { return 0 }
        if payment.paid { return total }
        return payment.partPayments.reduce(Amount.zero) { $0 + $1.amount }
    }

    /// Which P_13_x each rate P_12 writes is summed in (the schema's documentation of each field); where a field has
    /// two rates, the current one comes first.
    static let rateFields: [(rate: String, field: String)] = [
        ("23", "1"), ("22", "1"), ("8", "2"), ("7", "2"), ("5", "3"), ("4", "4"), ("3", "4"), ("0 KR", "6_1"), ("0 WDT", "6_2"),
        ("0 EX", "6_3"), ("zw", "7"), ("np I", "8"), ("np II", "9"), ("oo", "10"),
    ]

    /// The x of P_13_x a line's rate (P_12) is summed in: `23` → 1, `0 KR` → 6_1, `oo` → 10, …
    public static func sumField(forRate rate: String) -> String? { rateFields.first { $0.rate == rate }?.field }

    /// Where the XML's lines and its sums disagree: per rate, the lines' values against P_13_x (net-priced lines) or
    /// P_13_x + P_14_x (gross-priced lines); and the sums against P_15. A correction's lines as they stood before
    /// (StanPrzed) count against. Nothing is checked that the XML does not let one check: an invoice without lines
    /// (an advance invoice lists its order instead), or with a line whose rate or value is missing, is checked only
    /// against P_15.
    public struct Mismatch: Sendable, Equatable {
        /// The x of P_13_x; nil for the total due.
        public var field: String?
        public var stated: Amount
        public var fromParts: Amount
    }

    public var mismatches: [Mismatch] {
        var found: [Mismatch] = []
        let statedByField = Dictionary(rateSums.map { ($0.field, $0) }, uniquingKeysWith: { a, _ in a })
        let checkable = !lines.isEmpty && lines.allSatisfy { line in
            line.rate.flatMap(Self.sumField(forRate:)) != nil && (line.netValue != nil || line.grossValue != nil)
        }
        if checkable {
            var net: [String: Amount] = [:], gross: [String: Amount] = [:]
            for line in lines {
                let field = Self.sumField(forRate: line.rate!)!
                let sign: Amount = line.before ? -1 : 1
                if let value = line.netValue { net[field, default: 0] = net[field, default: 0] + value * sign }
                else if let value = line.grossValue { gross[field, default: 0] = gross[field, default: 0] + value * sign }
            }
            let fields = Set(net.keys).union(gross.keys).union(statedByField.keys).sorted { Self.fieldOrder($0).lexicographicallyPrecedes(Self.fieldOrder($1)) }
            for field in fields {
                let stated = statedByField[field]
                let netParts: Amount? = net[field], grossParts: Amount? = gross[field]
                if grossParts == nil {
                    let parts = netParts ?? 0, sum = stated?.net ?? 0
                    if !(parts == sum) { found.append(Mismatch(field: field, stated: sum, fromParts: parts)) }
                } else if let parts = grossParts, netParts == nil {
                    let sum = (stated?.net ?? 0) + (stated?.vat ?? 0)
                    if !(parts == sum) { found.append(Mismatch(field: field, stated: sum, fromParts: parts)) }
                }
                // Net- and gross-priced lines under one rate: nothing the XML lets one add up.
            }
        }
        let sums = rateSums.reduce(Amount.zero) { $0 + $1.net + ($1.vat ?? 0) }
        if !rateSums.isEmpty, !(sums == total) { found.append(Mismatch(field: nil, stated: total, fromParts: sums)) }
        return found
    }

    static func fieldOrder(_ field: String) -> [Int] { field.split(separator: "_").map { Int($0) ?? 0 } }

    /// The rate a P_13_x field is for, as P_12 writes it (`23`, `0 KR`, `zw`…; `OSS` and `margin` for P_13_5 and
    /// P_13_11, which have no P_12): the rate its lines use, else the current one.
    public func rateLabel(forField field: String) -> String {
        if let rate = lines.first(where: { $0.rate.flatMap(Self.sumField(forRate:)) == field })?.rate { return rate }
        return Self.rateFields.first { $0.field == field }?.rate ?? (field == "5" ? "OSS" : "margin")
    }
}
