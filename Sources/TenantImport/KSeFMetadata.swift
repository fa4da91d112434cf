import Foundation
import TenantModel

/// The `_metadata.json` of a KSeF export package: an array of `InvoiceMetadata` (or the metadata query's answer, with
/// them under `invoices`), which carries each invoice's KSeF number — the one fact the XML does not hold. Files are
/// matched by their SHA-256 (`invoiceHash`, Base64), else by seller NIP and invoice number.
public struct KSeFMetadata: Sendable {
    public struct Entry: Sendable, Equatable {
        public var ksefNumber: String
        public var invoiceNumber: String
        public var sellerNIP: String
        public var invoiceHash: String?
    }

    public var entries: [Entry]

    public static func read(_ bytes: [UInt8], file: String) -> Result<KSeFMetadata, InvalidInput> {
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes)
        } catch {
            return .failure(InvalidInput([Diagnostic(file: file, location: .lineColumn(line: error.line, column: error.column), message: error.message)]))
        }
        var problems: [Diagnostic] = []
        var list: [JSONNode] = []
        var base = JSONPath.root
        switch root.value {
        case .array(let items): list = items
        case .object(let members):
            if let invoices = members.first(where: { $0.key == "invoices" }), case .array(let items) = invoices.value.value {
                list = items
                base = base.appending("invoices")
            } else {
                problems.append(Diagnostic(file: file, location: .wholeFile, message: "not a KSeF _metadata.json: expected an array of invoice metadata (or \"invoices\")"))
            }
        default:
            problems.append(Diagnostic(file: file, location: .wholeFile, message: "not a KSeF _metadata.json: expected an array of invoice metadata"))
        }
        var entries: [Entry] = []
        for (index, node) in list.enumerated() {
            let path = base.appending(index)
            guard case .object(let members) = node.value else {
                problems.append(Diagnostic(file: file, location: .path(path), message: "expected an object"))
                continue
            }
            func text(_ key: String, in members: [JSONNode.Member]) -> String? {
                guard let member = members.first(where: { $0.key == key }), case .string(let value) = member.value.value else { return nil }
                return value
            }
            guard let number = text("ksefNumber", in: members) else {
                problems.append(Diagnostic(file: file, location: .path(path.appending("ksefNumber")), message: "required field is missing"))
                continue
            }
            if let problem = KSeFNumber.problem(number) {
                problems.append(Diagnostic(file: file, location: .path(path.appending("ksefNumber")), message: "\(number) is not a KSeF number: \(problem)"))
                continue
            }
            var sellerNIP = KSeFNumber.sellerNIP(number)
            if let seller = members.first(where: { $0.key == "seller" }), case .object(let s) = seller.value.value, let nip = text("nip", in: s) {
                if nip != sellerNIP {
                    problems.append(Diagnostic(file: file, location: .path(path.appending("seller").appending("nip")),
                                               message: "the seller's NIP \(nip) is not the one the KSeF number \(number) starts with"))
                }
                sellerNIP = nip
            }
            entries.append(Entry(ksefNumber: number, invoiceNumber: text("invoiceNumber", in: members) ?? "", sellerNIP: sellerNIP,
                                 invoiceHash: text("invoiceHash", in: members)))
        }
        if !problems.isEmpty { return .failure(InvalidInput(problems)) }
        return .success(KSeFMetadata(entries: entries))
    }

    /// The KSeF number of an invoice file: by the file's SHA-256, else by its seller and number.
    public func ksefNumber(file: [UInt8], invoice: FA3Invoice) -> String? {
        let standard = KSeFCode.fileHashBase64(file)
        if let byHash = entries.first(where: { $0.invoiceHash == standard }) { return byHash.ksefNumber }
        return entries.first { $0.invoiceNumber == invoice.number && $0.sellerNIP == invoice.seller.nip }?.ksefNumber
    }
}
