import Crypto
import Foundation

/// The verification link of a KSeF invoice shown outside KSeF (KOD I, Ministry of Finance "Kody QR"):
/// `{host}/invoice/{seller's NIP}/{P_1 as DD-MM-RRRR}/{SHA-256 of the invoice file, Base64URL}`. The hash is of the
/// file's exact bytes: re-serialising the XML changes it.
public enum KSeFCode {
    public enum Environment: String, Sendable, CaseIterable {
        case prod, demo, test

        /// The host of the verification service in each KSeF environment.
        public var host: String {
            switch self {
            case .prod: "https://qr.ksef.mf.gov.pl"
            case .demo: "https://qr-demo.ksef.mf.gov.pl"
            case .test: "https://qr-test.ksef.mf.gov.pl"
            }
        }
    }

    /// SHA-256 of `bytes` in Base64URL without padding (43 characters), as KOD I carries it.
    public static func fileHash(_ bytes: [UInt8]) -> String {
        Base64URL.encode(SHA256.hash(data: bytes))
    }

    /// The same in standard Base64 with padding, as KSeF's metadata (`invoiceHash`) carries it.
    public static func fileHashBase64(_ bytes: [UInt8]) -> String {
        Data(SHA256.hash(data: bytes)).base64EncodedString()
    }

    /// KOD I's link for an invoice file.
    public static func url(_ environment: Environment = .prod, sellerNIP: String, issueDate: CivilDate, file: [UInt8]) -> String {
        url(environment, sellerNIP: sellerNIP, issueDate: issueDate, hash: fileHash(file))
    }

    /// The same, from the file's `fileHash`.
    public static func url(_ environment: Environment = .prod, sellerNIP: String, issueDate: CivilDate, hash: String) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        let date = "\(two(issueDate.day))-\(two(issueDate.month))-\(issueDate.year)"
        return "\(environment.host)/invoice/\(sellerNIP)/\(date)/\(hash)"
    }
}
