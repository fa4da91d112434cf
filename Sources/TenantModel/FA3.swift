import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif


/// A structured e-invoice in the Ministry of Finance's schema FA(3) (`schemat_FA(3)_v1-0E.xsd`, namespace
/// `http://crd.gov.pl/wzor/2025/06/25/13775/`), read as it states itself: numbers from their text (`Amount`), every
/// sum as the XML gives it (never recomputed), each problem at its line.
///
/// Read with Foundation's `XMLParser` (libxml2 underneath): namespaces resolved, no external entities or DTDs
/// fetched. The XML is data: an element this reader does not know is skipped, never an error.
public struct FA3Invoice: Sendable {
    public static let namespace = "http://crd.gov.pl/wzor/2025/06/25/13775/"

    public enum Kind: String, Sendable, CaseIterable {
        /// VAT: a regular invoice; KOR: a correction; ZAL: an advance; ROZ: the settlement of advances; UPR: simplified;
        /// KOR_ZAL / KOR_ROZ: corrections of those.
        case vat = "VAT", correction = "KOR", advance = "ZAL", settlement = "ROZ", simplified = "UPR"
        case advanceCorrection = "KOR_ZAL", settlementCorrection = "KOR_ROZ"
    }

    public struct Party: Sendable, Equatable {
        public var nip: String?
        /// `NrVatUE` with its `KodUE`, or `NrID` with `KodKraju`, for a buyer outside Poland.
        public var foreignId: String?
        public var name: String
        public var countryCode: String?
        public var addressLines: [String]
    }

    public struct Line: Sendable, Equatable {
        public var number: Int
        public var description: String
        public var unit: String?
        public var quantity: Amount?
        /// P_9A (net) or P_9B (gross) unit price.
        public var unitNetPrice: Amount?
        public var unitGrossPrice: Amount?
        /// P_11 (net value) or P_11A (gross value).
        public var netValue: Amount?
        public var grossValue: Amount?
        /// P_12 as written: `23`, `8`, `5`, `0 KR`, `zw`, `oo`, `np I`, …
        public var rate: String?
        /// StanPrzed: in a correction, the line as it stood before (its amounts count against the sums).
        public var before = false
    }

    /// One rate's sums as the XML states them: P_13_x (net), P_14_x (VAT), P_14_xW (VAT in złoty).
    public struct RateSum: Sendable, Equatable {
        /// `1` … `11`, `6_1` …: the x of P_13_x.
        public var field: String
        public var net: Amount
        public var vat: Amount?
        public var vatInPLN: Amount?

        public init(field: String, net: Amount, vat: Amount? = nil, vatInPLN: Amount? = nil) {
            self.field = field
            self.net = net
            self.vat = vat
            self.vatInPLN = vatInPLN
        }
    }

    public struct Payment: Sendable, Equatable {
        public var paid: Bool
        public var paidOn: CivilDate?
        public var dueDates: [CivilDate]
        /// FormaPlatnosci: 1 cash, 2 card, 3 voucher, 4 cheque, 5 credit, 6 transfer, 7 mobile.
        public var form: String?
        public var bankAccounts: [String]
        /// ZaplataCzesciowa: part payments made before the invoice was issued.
        public var partPayments: [PartPayment] = []

        public struct PartPayment: Sendable, Equatable {
            public var amount: Amount
            public var date: CivilDate
        }

        public init(paid: Bool, paidOn: CivilDate? = nil, dueDates: [CivilDate] = [], form: String? = nil, bankAccounts: [String] = [],
                    partPayments: [PartPayment] = []) {
            self.paid = paid
            self.paidOn = paidOn
            self.dueDates = dueDates
            self.form = form
            self.bankAccounts = bankAccounts
            self.partPayments = partPayments
        }
    }

    public struct Annotations: Sendable, Equatable {
        /// P_16 cash accounting, P_17 self-billing, P_18 reverse charge, P_18A split payment (value 1 = yes).
        public var cashAccounting = false, selfBilling = false, reverseCharge = false, splitPayment = false
        /// P_19 exempt supply, with its legal basis (P_19A statute, P_19B directive, P_19C other).
        public var exemptionBasis: String?
    }

    public struct Corrected: Sendable, Equatable {
        public var number: String
        public var issueDate: CivilDate?
        /// The corrected invoice's KSeF number, when it was issued in KSeF.
        public var ksefNumber: String?

        public init(number: String, issueDate: CivilDate? = nil, ksefNumber: String? = nil) {
            self.number = number
            self.issueDate = issueDate
            self.ksefNumber = ksefNumber
        }
    }

    public var kind: Kind
    public var number: String
    public var issueDate: CivilDate
    public var placeOfIssue: String?
    public var saleDate: CivilDate?
    public var period: (from: CivilDate, to: CivilDate)?
    public var currency: String
    public var exchangeRate: Amount?
    public var seller: Party
    public var buyer: Party
    public var lines: [Line]
    public var rateSums: [RateSum]
    /// P_15: the total due (gross), as stated.
    public var total: Amount
    public var annotations: Annotations
    public var payment: Payment?
    public var corrected: [Corrected]
    public var correctionReason: String?
    /// The line of the buyer (Podmiot2) and of the invoice number (P_2) in the file, for messages.
    public var buyerLine = 0, numberLine = 0

    /// The line of the first occurrence of `needle`, if any.
    static func firstLine(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var line = 1
        for i in 0...(bytes.count - needle.count) {
            if bytes[i] == 0x0A { line += 1 }
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return line }
        }
        return nil
    }

    /// Reads one file; every problem names the file and its line.
    public static func read(_ bytes: [UInt8], file: String) -> Result<FA3Invoice, InvalidInput> {
        // FA(3) has no document type declaration; one can only declare entities, which can expand without bound.
        if let doctype = firstLine(of: Array("<!DOCTYPE".utf8), in: bytes) {
            return .failure(InvalidInput([Diagnostic(file: file, location: .line(doctype), message: "an FA(3) invoice has no <!DOCTYPE> (entities declared there could expand without bound); refused")]))
        }
        let tree: XMLTree
        switch XMLTree.parse(bytes) {
        case .success(let parsed): tree = parsed
        case .failure(let error): return .failure(InvalidInput([Diagnostic(file: file, location: .line(error.line), message: "not well-formed XML: \(error.message)")]))
        }
        var problems: [Diagnostic] = []
        func problem(_ node: XMLTree.Node?, _ message: String) {
            problems.append(Diagnostic(file: file, location: node.map { .line($0.line) } ?? .wholeFile, message: message))
        }
        let root = tree.root
        guard root.name == "Faktura", root.namespace == namespace else {
            problem(root, "not an FA(3) invoice: the root is <\(root.name)> in namespace \"\(root.namespace ?? "")\"; FA(3) is <Faktura> in \(namespace)")
            return .failure(InvalidInput(problems))
        }
        let code = root.child("Naglowek")?.child("KodFormularza")
        guard let code, code.text == "FA", code.attributes["kodSystemowy"] == "FA (3)" else {
            problem(code ?? root, "not an FA(3) invoice: KodFormularza must be FA with kodSystemowy \"FA (3)\"")
            return .failure(InvalidInput(problems))
        }

        func amount(_ node: XMLTree.Node?, required: Bool = false, _ what: String) -> Amount? {
            guard let node else {
                if required { problem(root, "\(what) is missing") }
                return nil
            }
            switch Amount.parse(node.text) {
            case .success(let value): return value
            case .failure: problem(node, "\(what) \"\(node.text)\" is not an amount")
            }
            return nil
        }
        func date(_ node: XMLTree.Node?, required: Bool = false, _ what: String) -> CivilDate? {
            guard let node else {
                if required { problem(root, "\(what) is missing") }
                return nil
            }
            guard let value = CivilDate(iso: node.text) else {
                problem(node, "\(what) \"\(node.text)\" is not a date (RRRR-MM-DD)")
                return nil
            }
            return value
        }
        func party(_ node: XMLTree.Node?, _ what: String) -> Party? {
            guard let node else {
                problem(root, "\(what) is missing")
                return nil
            }
            let ids = node.child("DaneIdentyfikacyjne")
            let nip = ids?.child("NIP")?.text
            if let nip, !NIP.isValid(nip) { problem(ids?.child("NIP"), "\(what)'s NIP \(nip) is not a valid NIP") }
            var foreign: String?
            if let vat = ids?.child("NrVatUE")?.text { foreign = (ids?.child("KodUE")?.text ?? "") + vat }
            if let id = ids?.child("NrID")?.text {
                let country = ids?.child("KodKraju")?.text
                foreign = (country.map { $0 + " " } ?? "") + id
            }
            guard let name = ids?.child("Nazwa")?.text, !name.isEmpty else {
                problem(ids ?? node, "\(what) has no Nazwa")
                return nil
            }
            let address = node.child("Adres")
            return Party(nip: nip, foreignId: foreign, name: name, countryCode: address?.child("KodKraju")?.text,
                         addressLines: [address?.child("AdresL1")?.text, address?.child("AdresL2")?.text].compactMap { $0 })
        }

        let seller = party(root.child("Podmiot1"), "the seller (Podmiot1)")
        let buyer = party(root.child("Podmiot2"), "the buyer (Podmiot2)")
        guard let fa = root.child("Fa") else {
            problem(root, "the invoice's data (Fa) is missing")
            return .failure(InvalidInput(problems))
        }
        let kindNode = fa.child("RodzajFaktury")
        let kind = kindNode.flatMap { Kind(rawValue: $0.text) }
        if kind == nil { problem(kindNode ?? fa, "RodzajFaktury \"\(kindNode?.text ?? "")\" is not one of VAT, KOR, ZAL, ROZ, UPR, KOR_ZAL, KOR_ROZ") }
        let number = fa.child("P_2")?.text
        if number?.isEmpty != false { problem(fa, "the invoice number (P_2) is missing") }
        let issue = date(fa.child("P_1"), required: true, "the issue date (P_1)")
        let currency = fa.child("KodWaluty")?.text ?? ""
        if !ISO4217.codes.contains(currency) { problem(fa.child("KodWaluty") ?? fa, "KodWaluty \"\(currency)\" is not an ISO 4217 code") }
        var period: (CivilDate, CivilDate)?
        if let okres = fa.child("OkresFa"), let from = date(okres.child("P_6_Od"), "P_6_Od"), let to = date(okres.child("P_6_Do"), "P_6_Do") { period = (from, to) }

        var sums: [RateSum] = []
        for field in ["1", "2", "3", "4", "5", "6_1", "6_2", "6_3", "7", "8", "9", "10", "11"] {
            guard let netNode = fa.child("P_13_\(field)") else { continue }
            let net = amount(netNode, "P_13_\(field)")
            let vatField = ["1", "2", "3", "4", "5"].contains(field) ? "P_14_\(field)" : nil
            let vat = vatField.flatMap { amount(fa.child($0), $0) }
            let vatPLN = vatField.flatMap { amount(fa.child($0 + "W"), $0 + "W") }
            if let net { sums.append(RateSum(field: field, net: net, vat: vat, vatInPLN: vatPLN)) }
        }
        let total = amount(fa.child("P_15"), required: true, "the total due (P_15)")

        var annotations = Annotations()
        if let a = fa.child("Adnotacje") {
            annotations.cashAccounting = a.child("P_16")?.text == "1"
            annotations.selfBilling = a.child("P_17")?.text == "1"
            annotations.reverseCharge = a.child("P_18")?.text == "1"
            annotations.splitPayment = a.child("P_18A")?.text == "1"
            if let z = a.child("Zwolnienie"), z.child("P_19")?.text == "1" {
                annotations.exemptionBasis = z.child("P_19A")?.text ?? z.child("P_19B")?.text ?? z.child("P_19C")?.text
            }
        }

        var lines: [Line] = []
        for row in fa.children(named: "FaWiersz") {
            let numberNode = row.child("NrWierszaFa")
            guard let lineNumber = numberNode.flatMap({ Int($0.text) }) else {
                problem(numberNode ?? row, "a line (FaWiersz) without a number (NrWierszaFa)")
                continue
            }
            lines.append(Line(number: lineNumber, description: row.child("P_7")?.text ?? "", unit: row.child("P_8A")?.text,
                              quantity: amount(row.child("P_8B"), "P_8B"), unitNetPrice: amount(row.child("P_9A"), "P_9A"),
                              unitGrossPrice: amount(row.child("P_9B"), "P_9B"), netValue: amount(row.child("P_11"), "P_11"),
                              grossValue: amount(row.child("P_11A"), "P_11A"), rate: row.child("P_12")?.text,
                              before: row.child("StanPrzed")?.text == "1"))
        }

        var payment: Payment?
        if let p = fa.child("Platnosc") {
            payment = Payment(paid: p.child("Zaplacono")?.text == "1", paidOn: date(p.child("DataZaplaty"), "DataZaplaty"),
                              dueDates: p.children(named: "TerminPlatnosci").compactMap { date($0.child("Termin"), "Termin") },
                              form: p.child("FormaPlatnosci")?.text,
                              bankAccounts: p.children(named: "RachunekBankowy").compactMap { $0.child("NrRB")?.text },
                              partPayments: p.children(named: "ZaplataCzesciowa").compactMap { part in
                                  guard let value = amount(part.child("KwotaZaplatyCzesciowej"), "KwotaZaplatyCzesciowej"),
                                        let day = date(part.child("DataZaplatyCzesciowej"), "DataZaplatyCzesciowej") else { return nil }
                                  return Payment.PartPayment(amount: value, date: day)
                              })
        }
        let corrected = fa.children(named: "DaneFaKorygowanej").map { d in
            Corrected(number: d.child("NrFaKorygowanej")?.text ?? "", issueDate: date(d.child("DataWystFaKorygowanej"), "DataWystFaKorygowanej"),
                      ksefNumber: d.child("NrKSeFFaKorygowanej")?.text)
        }
        if let kind, kind.isCorrection, corrected.isEmpty {
            problem(fa, "a correction (\(kind.rawValue)) names no corrected invoice (DaneFaKorygowanej)")
        }
        for c in corrected { if let k = c.ksefNumber, let why = KSeFNumber.problem(k) { problem(fa.child("DaneFaKorygowanej"), "NrKSeFFaKorygowanej \(k): \(why)") } }

        guard problems.isEmpty, let kind, let number, let issue, let seller, let buyer, let total else {
            return .failure(InvalidInput(problems))
        }
        var invoice = FA3Invoice(kind: kind, number: number, issueDate: issue, placeOfIssue: fa.child("P_1M")?.text,
                                   saleDate: fa.child("P_6").flatMap { CivilDate(iso: $0.text) }, period: period, currency: currency,
                                   exchangeRate: fa.child("KursWalutyZ").flatMap { Amount(exactly: $0.text) }, seller: seller, buyer: buyer,
                                   lines: lines, rateSums: sums, total: total, annotations: annotations, payment: payment,
                                   corrected: corrected, correctionReason: fa.child("PrzyczynaKorekty")?.text)
        let buyerNode = root.child("Podmiot2")
        invoice.buyerLine = (buyerNode?.child("DaneIdentyfikacyjne")?.child("NIP") ?? buyerNode)?.line ?? 0
        invoice.numberLine = fa.child("P_2")?.line ?? fa.line
        return .success(invoice)
    }
}

/// An XML document as a small tree of elements with their lines, from Foundation's `XMLParser`.
struct XMLTree {
    final class Node {
        let name: String
        let namespace: String?
        let attributes: [String: String]
        let line: Int
        var text = ""
        var elements: [Node] = []

        init(name: String, namespace: String?, attributes: [String: String], line: Int) {
            self.name = name
            self.namespace = namespace
            self.attributes = attributes
            self.line = line
        }

        func child(_ name: String) -> Node? { elements.first { $0.name == name } }
        func children(named name: String) -> [Node] { elements.filter { $0.name == name } }
    }

    struct Failure: Error {
        var line: Int
        var message: String
    }

    let root: Node

    static func parse(_ bytes: [UInt8]) -> Result<XMLTree, Failure> {
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            return .failure(Failure(line: parser.lineNumber, message: parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"))
        }
        // A file cut short can end without an error from the parser: an element left open says so.
        if let open = builder.stack.last {
            return .failure(Failure(line: open.line, message: "<\(open.name)> is not closed (the file is cut short?)"))
        }
        return .success(XMLTree(root: root))
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: Node?
        var stack: [Node] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let node = Node(name: elementName, namespace: namespaceURI, attributes: attributes, line: parser.lineNumber)
            if let parent = stack.last { parent.elements.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            // Text of an element, trimmed and with runs of white space made one space (a description may wrap).
            if let node = stack.popLast() {
                node.text = node.text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

        // Text in a CDATA section is text like any other.
        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) { stack.last?.text += String(decoding: CDATABlock, as: UTF8.self) }
    }
}

extension FA3Invoice {
    /// The KSeF number a file is named by (`<ksefNumber>.xml`, as KSeF's web app and exports name them): nil when the
    /// name is not shaped like one; a failure naming what is wrong when it is shaped like one but does not check.
    public static func ksefNumber(fromFileName name: String) -> Result<String, InvalidInput>? {
        let base = (name as NSString).lastPathComponent
        guard base.lowercased().hasSuffix(".xml") else { return nil }
        let stem = String(base.dropLast(4))
        guard stem.utf8.count == KSeFNumber.length, stem.filter({ $0 == "-" }).count == 3 else { return nil }
        if let problem = KSeFNumber.problem(stem) {
            return .failure(InvalidInput([Diagnostic(file: name, location: .wholeFile, message: "the file is named by a KSeF number, \(stem), that does not check: \(problem)")]))
        }
        return .success(stem)
    }
}
