import Foundation

/// The number KSeF gives an invoice: `9999999999-RRRRMMDD-FFFFFFFFFFFF-FF` — the seller's NIP, the day KSeF took
/// the invoice, twelve upper-case hexadecimal digits, and a CRC-8 (polynomial 0x07, initial value 0x00) of the first
/// 32 characters as two upper-case hexadecimal digits (Ministry of Finance, "Numer KSeF – struktura i walidacja").
/// It is not in the invoice's XML: it comes with the download.
public enum KSeFNumber {
    public static let length = 35

    /// CRC-8, polynomial 0x07, initial value 0x00, over the bytes of `text`.
    public static func crc8<S: Sequence>(_ bytes: S) -> UInt8 where S.Element == UInt8 {
        var crc: UInt8 = 0
        for byte in bytes {
            crc ^= byte
            for _ in 0..<8 { crc = crc & 0x80 != 0 ? (crc << 1) ^ 0x07 : crc << 1 }
        }
        return crc
    }

    /// The number for its data part (`NIP-RRRRMMDD-FFFFFFFFFFFF`): the data, a hyphen and its CRC-8.
    public static func withChecksum(_ data: String) -> String {
        let crc = crc8(data.utf8)
        let hex = String(crc, radix: 16, uppercase: true)
        return data + "-" + (hex.count == 1 ? "0" + hex : hex)
    }

    /// What is wrong with `text` as a KSeF number, in words; nil when it is one.
    public static func problem(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == length else { return "a KSeF number has \(length) characters; this one has \(text.count)" }
        func digits(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { (0x30...0x39).contains($0) } }
        func hex(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) } }
        guard digits(0..<10), bytes[10] == 0x2D, digits(11..<19), bytes[19] == 0x2D, hex(20..<32), bytes[32] == 0x2D, hex(33..<35) else {
            return "a KSeF number looks like 5265877635-20250826-0100001AF629-AF (NIP, date, 12 upper-case hexadecimal digits, checksum)"
        }
        guard NIP.isValid(String(decoding: bytes[0..<10], as: UTF8.self)) else { return "its first ten digits are not a valid NIP" }
        let expected = withChecksum(String(decoding: bytes[0..<32], as: UTF8.self))
        guard expected == text else { return "its checksum is \(text.suffix(2)), but the CRC-8 of its first 32 characters is \(expected.suffix(2)): a character is wrong" }
        return nil
    }

    /// The seller's NIP the number starts with.
    public static func sellerNIP(_ number: String) -> String { String(number.prefix(10)) }
}
