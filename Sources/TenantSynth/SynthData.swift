import TenantModel

/// The words synthetic tenants are made of. Companies, people, addresses and tax ids are fictional (tax ids
/// have valid check digits); the Microsoft sku ids and part numbers are the real ones.
enum SynthData {
    struct Product {
        var part: String
        var skuId: String
        var name: String?
        /// Net price of one licence for one month, in grosz (PLN) and cents (EUR).
        var monthlyPLN: Int
        var monthlyEUR: Int
        /// A suite: a user holds one of these; the others are add-ons.
        var suite: Bool
    }

    static let products: [Product] = [
        Product(part: "O365_BUSINESS_ESSENTIALS", skuId: "3b555118-da6a-4418-894f-7df1e2096870", name: "Microsoft 365 Business Basic", monthlyPLN: 2760, monthlyEUR: 560, suite: true),
        Product(part: "O365_BUSINESS_PREMIUM", skuId: "f245ecc8-75af-4f8e-b61f-27d8114de5f3", name: "Microsoft 365 Business Standard", monthlyPLN: 5740, monthlyEUR: 1170, suite: true),
        Product(part: "SPB", skuId: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", name: "Microsoft 365 Business Premium", monthlyPLN: 10340, monthlyEUR: 2060, suite: true),
        Product(part: "O365_BUSINESS", skuId: "cdd28e44-67e3-425e-be4c-737fab2899d3", name: "Microsoft 365 Apps for business", monthlyPLN: 4280, monthlyEUR: 980, suite: true),
        Product(part: "ENTERPRISEPACK", skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900", name: "Office 365 E3", monthlyPLN: 10580, monthlyEUR: 2180, suite: true),
        Product(part: "SPE_E3", skuId: "05e9a617-0261-4cee-bb44-138d3ef5d965", name: "Microsoft 365 E3", monthlyPLN: 16560, monthlyEUR: 3375, suite: true),
        Product(part: "EXCHANGESTANDARD", skuId: "4b9405b0-7788-4568-add1-99614e613b69", name: "Exchange Online (Plan 1)", monthlyPLN: 1840, monthlyEUR: 400, suite: false),
        Product(part: "POWER_BI_PRO", skuId: "f8a1db68-be16-40ed-86d5-cb42ce701560", name: "Power BI Pro", monthlyPLN: 6440, monthlyEUR: 1370, suite: false),
        Product(part: "PROJECTPROFESSIONAL", skuId: "53818b1b-4a27-454b-8896-0dba576410e6", name: "Project Plan 3", monthlyPLN: 13790, monthlyEUR: 2800, suite: false),
        Product(part: "VISIOCLIENT", skuId: "c5928f49-12ba-48f7-ada3-0d743a3601d5", name: "Visio Plan 2", monthlyPLN: 6900, monthlyEUR: 1400, suite: false),
        Product(part: "Microsoft_365_Copilot", skuId: "639dec6b-bb19-468b-871c-c5c441c4b0cb", name: "Microsoft 365 Copilot", monthlyPLN: 13800, monthlyEUR: 2810, suite: false),
        Product(part: "AAD_PREMIUM", skuId: "078d2b04-f1bd-4111-bbd4-b4b1b354cef4", name: "Microsoft Entra ID P1", monthlyPLN: 2760, monthlyEUR: 560, suite: false),
        // Not in tenantsite's table of common part numbers and never named: the unknown-part-number path.
        Product(part: "RMSBASIC", skuId: "093e8d14-a334-43d9-93e3-30589a8b47d0", name: nil, monthlyPLN: 900, monthlyEUR: 200, suite: false),
    ]

    /// Add-ons people buy with their own card (self-service purchases).
    static let selfServiceParts = ["POWER_BI_PRO", "VISIOCLIENT", "PROJECTPROFESSIONAL"]

    // MARK: Companies

    static let polishTrades = [
        "Kwiaciarnia", "Piekarnia", "Biuro Rachunkowe", "Kancelaria Adwokacka", "Pracownia Architektoniczna",
        "Hurtownia Budowlana", "Apteka", "Szkoła Językowa", "Przychodnia Weterynaryjna", "Drukarnia",
        "Warsztat Samochodowy", "Biuro Podróży", "Studio Fotograficzne", "Agencja Reklamowa", "Zakład Stolarski",
        "Pensjonat", "Cukiernia", "Transport i Spedycja", "Gabinet Stomatologiczny", "Księgarnia",
    ]
    static let polishNames = [
        "Łąkowa", "Pod Lipami", "Zielony Zakątek", "Bursztyn", "Nad Wisłą", "Tatry", "Mazowsze", "Żuraw", "Sosnowa",
        "Słoneczna", "Kasztan", "Pod Wierzbą", "Gołębia", "Młyn", "Orzeł", "Jantar", "Podhale", "Dębowa", "Warmia",
        "Kujawy", "Źródło", "Wrzos", "Przystań", "Jarzębina",
    ]
    static let polishForms = ["sp. z o.o.", "sp. z o.o.", "sp. z o.o.", "S.A.", "s.c.", "sp.j.", "sp.k."]
    static let polishCities: [(city: String, postcode: String, street: String)] = [
        ("Warszawa", "00-950", "ul. Marszałkowska"), ("Kraków", "31-011", "ul. Floriańska"), ("Gdańsk", "80-831", "ul. Długa"),
        ("Wrocław", "50-116", "ul. Świdnicka"), ("Poznań", "61-772", "ul. Półwiejska"), ("Łódź", "90-136", "ul. Piotrkowska"),
        ("Lublin", "20-400", "ul. Krakowskie Przedmieście"), ("Szczecin", "70-535", "al. Niepodległości"),
        ("Białystok", "15-427", "ul. Lipowa"), ("Rzeszów", "35-064", "ul. 3 Maja"), ("Toruń", "87-100", "ul. Szeroka"),
        ("Zakopane", "34-500", "ul. Krupówki"), ("Olsztyn", "10-516", "ul. Staromiejska"), ("Opole", "45-015", "ul. Ozimska"),
    ]

    static let foreignNames = [
        "Northwind", "Harbor", "Bluebell", "Riverside", "Oakfield", "Silverline", "Greenway", "Brightstone", "Kestrel",
        "Lakeside", "Meridian", "Fjord", "Alder", "Summit", "Copperleaf", "Tailspin", "Wingtip", "Litware",
    ]
    static let foreignTrades = [
        "Logistics", "Analytics", "Consulting", "Design Studio", "Engineering", "Trading", "Software", "Dental Care",
        "Legal Services", "Travel",
    ]
    /// Legal form, country, currency, city line.
    static let foreignForms: [(form: String, country: String, currency: String, street: String, city: String)] = [
        ("GmbH", "DE", "EUR", "Speicherstraße 12", "20457 Hamburg"), ("GmbH", "DE", "EUR", "Leopoldstraße 70", "80802 München"),
        ("B.V.", "NL", "EUR", "Keizersgracht 221", "1016 DV Amsterdam"), ("Ltd", "IE", "EUR", "14 Harcourt Street", "Dublin 2, D02 PX29"),
        ("sp. z o.o.", "PL", "PLN", "ul. Prosta 51", "00-838 Warszawa"), ("sp. z o.o.", "PL", "PLN", "ul. Kapelanka 42", "30-347 Kraków"),
    ]

    // MARK: Sellers

    struct Seller {
        var name: String
        var addressLines: [String]
        var nipPrefix: String
        var invoicePrefix: String
    }

    static let homePl = Seller(name: "home.pl S.A.", addressLines: ["ul. Zbożowa 4", "70-653 Szczecin"], nipPrefix: "852248232", invoicePrefix: "FV/H")
    static let azPl = Seller(name: "AZ.pl sp. z o.o.", addressLines: ["ul. Zbożowa 4", "70-653 Szczecin"], nipPrefix: "852258310", invoicePrefix: "AZ")
    static let partners = [
        Seller(name: "Contoso Chmura sp. z o.o.", addressLines: ["ul. Grzybowska 62", "00-844 Warszawa"], nipPrefix: "527281904", invoicePrefix: "FV/CC"),
        Seller(name: "Fabrikam IT Services sp. z o.o.", addressLines: ["ul. Legnicka 48", "54-202 Wrocław"], nipPrefix: "894305117", invoicePrefix: "FIT"),
        Seller(name: "Adatum Cloud Partner S.A.", addressLines: ["al. Grunwaldzka 472", "80-309 Gdańsk"], nipPrefix: "584276530", invoicePrefix: "ACP"),
    ]
    static let microsoft = Seller(name: "Microsoft Ireland Operations Ltd",
                                  addressLines: ["One Microsoft Place", "South County Business Park", "Leopardstown, Dublin 18", "Ireland"],
                                  nipPrefix: "", invoicePrefix: "E0")

    // MARK: People

    static let polishMen = [
        "Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Grzegorz", "Łukasz", "Adam",
        "Marek", "Wojciech", "Mateusz", "Kamil", "Jakub", "Rafał", "Dariusz", "Bartosz", "Szymon",
    ]
    static let polishWomen = [
        "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Magdalena", "Joanna",
        "Aleksandra", "Zofia", "Monika", "Natalia", "Karolina", "Marta", "Beata", "Dorota", "Justyna", "Paulina",
    ]
    /// Masculine forms; `-ski`, `-cki`, `-dzki` take `-ska`, `-cka`, `-dzka` for women, the rest do not change.
    static let polishSurnames = [
        "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
        "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski",
        "Pawłowski", "Michalski", "Król", "Wieczorek", "Jabłoński", "Wróbel", "Majewski", "Olszewski", "Stępień",
        "Jaworski", "Malinowski", "Górski", "Rutkowski", "Sikora", "Baran", "Duda", "Szewczyk", "Ostrowski",
        "Tomaszewski", "Pietrzak", "Zalewski", "Wróblewski", "Zawadzki", "Sadowski",
    ]
    static let englishFirst = [
        "Oliver", "George", "Harry", "Jack", "Charlie", "Thomas", "James", "William", "Emily", "Olivia", "Amelia",
        "Isla", "Ava", "Sophie", "Grace", "Lily", "Lukas", "Jonas", "Felix", "Lena", "Hannah", "Sanne", "Daan", "Siobhán",
    ]
    static let englishLast = [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "de Vries", "van Dijk",
        "Bakker", "O'Brien", "Murphy", "Kelly",
    ]

    static let departments: [Language: [String]] = [
        .pl: ["Księgowość", "Sprzedaż", "Zarząd", "Magazyn", "IT", "Marketing", "Obsługa klienta", "Kadry i płace"],
        .en: ["Finance", "Sales", "Management", "Warehouse", "IT", "Marketing", "Customer Service", "People & Culture"],
    ]
    static let jobTitles: [Language: [String]] = [
        .pl: ["Specjalista ds. sprzedaży", "Kierownik biura", "Prezes zarządu", "Magazynier", "Administrator IT",
              "Specjalista ds. marketingu", "Konsultant", "Główna księgowa", "Asystent", "Kierownik projektu"],
        .en: ["Sales Specialist", "Office Manager", "Managing Director", "Warehouse Operative", "IT Administrator",
              "Marketing Specialist", "Consultant", "Chief Accountant", "Assistant", "Project Manager"],
    ]

    /// Extra services on invoices besides licences, with net unit prices in grosz/cents.
    static let services: [(pl: String, en: String, unitPL: String, unitEN: String, pricePLN: Int, priceEUR: Int)] = [
        ("Wsparcie techniczne — pakiet godzin", "Technical support — hour package", "godz.", "h", 18000, 4200),
        ("Kopia zapasowa poczty (Microsoft 365 Backup)", "Mailbox backup (Microsoft 365 Backup)", "szt.", "pcs", 890, 210),
        ("Hosting WWW — pakiet Biznes", "Web hosting — Business plan", "mies.", "month", 4900, 1150),
        ("Odnowienie domeny na rok", "Domain renewal for one year", "szt.", "pcs", 9900, 2300),
        ("Certyfikat SSL", "SSL certificate", "szt.", "pcs", 19900, 4600),
        ("Migracja skrzynki pocztowej", "Mailbox migration", "szt.", "pcs", 12000, 2800),
        ("Konfiguracja urządzenia (Intune)", "Device set-up (Intune)", "szt.", "pcs", 15000, 3500),
        ("Szkolenie Microsoft Teams", "Microsoft Teams training", "godz.", "h", 25000, 5800),
    ]

    static let polishMonthsGenitive = [
        "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października",
        "listopada", "grudnia",
    ]
    static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    // MARK: Text helpers

    static func feminine(_ surname: String) -> String {
        for (masculine, feminine) in [("dzki", "dzka"), ("cki", "cka"), ("ski", "ska")] where surname.hasSuffix(masculine) {
            return String(surname.dropLast(masculine.count)) + feminine
        }
        return surname
    }

    /// Lower-case ASCII for e-mail addresses, slugs and domains: Polish and German letters folded, others dropped.
    static func ascii(_ text: String, keep: Set<Character> = []) -> String {
        let fold: [Character: String] = [
            "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s", "ź": "z", "ż": "z",
            "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "á": "a",
        ]
        var out = ""
        for c in text.lowercased() {
            if let f = fold[c] { out += f } else if c.isASCII && (c.isLetter || c.isNumber) { out.append(c) } else if keep.contains(c) { out.append(c) }
        }
        return out
    }

    static func slug(_ text: String) -> String {
        var out = ""
        for word in text.split(whereSeparator: { $0 == " " || $0 == "." || $0 == "&" || $0 == "'" || $0 == "-" || $0 == "—" }) {
            let part = ascii(String(word))
            if part.isEmpty { continue }
            if !out.isEmpty { out += "-" }
            out += part
        }
        return out
    }

    /// Completes nine digits to a valid NIP, stepping the number when the check digit would be 10.
    static func nip(_ first9: Int) -> String {
        var n = first9
        while true {
            let digits = Array(String(n).leftPadded(9)).map { Int(String($0))! }
            let check = zip(digits, [6, 5, 7, 2, 3, 4, 5, 6, 7]).reduce(0) { $0 + $1.0 * $1.1 } % 11
            if check != 10 { return String(n).leftPadded(9) + String(check) }
            n += 1
        }
    }

    /// CRC-8 (polynomial 0x07), the checksum at the end of a KSeF number (`KSeFNumber.crc8`).
    static func crc8(_ text: String) -> UInt8 { KSeFNumber.crc8(text.utf8) }
}
