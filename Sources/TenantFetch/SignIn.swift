import Crypto
import Foundation
import JWTKit
import TenantModel
import X509

/// How `fetch` signs in to Microsoft Entra ID.
public enum SignIn: Sendable {
    /// OAuth 2.0 client credentials with the app's client secret.
    case clientSecret(String)
    /// Client credentials with a signed client assertion (the app's certificate and private key).
    case certificate(ClientCertificate)
    /// The device-code flow: an admin signs in in a browser with the code shown to them (delegated permissions).
    case deviceCode(show: @Sendable (String) -> Void)

    /// As written in the manifest.
    public var name: String {
        switch self {
        case .clientSecret: return "client-secret"
        case .certificate: return "certificate"
        case .deviceCode: return "device-code"
        }
    }
}

/// An app's certificate credential: the RSA private key that signs client assertions, and the certificate's SHA-256
/// thumbprint that names it (learn.microsoft.com/entra/identity-platform/certificate-credentials).
///
/// jwt-kit signs the assertion (PS256, RSASSA-PSS with SHA-256, as that page asks) and swift-certificates reads the
/// certificate: both are well-kept libraries over swift-crypto, so no RSA or ASN.1 code is written here.
public struct ClientCertificate: Sendable {
    let key: JWTKit.Insecure.RSA.PrivateKey
    /// Base64url SHA-256 of the certificate's DER: the assertion's `x5t#S256`.
    public let thumbprint: String
    public let notValidAfter: Date
    public let subject: String

    public struct Problem: Error, CustomStringConvertible {
        public var file: String
        public var message: String
        public var description: String { "\(file): \(message)" }
    }

    /// Reads a PEM certificate and its PEM private key (PKCS#1 or PKCS#8, not encrypted). The key must be the
    /// certificate's.
    public static func load(certificate certificateText: String, certificateFile: String, privateKey keyText: String, keyFile: String) throws(Problem) -> ClientCertificate {
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: certificateText)
        } catch {
            throw Problem(file: certificateFile, message: "not a PEM certificate (-----BEGIN CERTIFICATE-----): \(error)")
        }
        let der: [UInt8]
        do {
            der = try certificate.serializeAsPEM().derBytes
        } catch {
            throw Problem(file: certificateFile, message: "the certificate cannot be encoded: \(error)")
        }
        if keyText.contains("ENCRYPTED PRIVATE KEY") || keyText.contains("Proc-Type: 4,ENCRYPTED") {
            throw Problem(file: keyFile, message: "the private key is encrypted: give it unencrypted (openssl pkey -in KEY -out KEY.pem) in a file only you can read")
        }
        let key: JWTKit.Insecure.RSA.PrivateKey
        do {
            key = try JWTKit.Insecure.RSA.PrivateKey(pem: keyText)
        } catch {
            throw Problem(file: keyFile, message: "not an RSA private key in PEM (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----, 2048 bits or more)")
        }
        let certificateKey = try? JWTKit.Insecure.RSA.PublicKey(certificatePEM: certificateText)
        guard let certificateKey, certificateKey == key.publicKey else {
            throw Problem(file: keyFile, message: "this private key is not the key of the certificate in \(certificateFile)")
        }
        return ClientCertificate(key: key, thumbprint: Base64URL.encode(SHA256.hash(data: der)),
                                 notValidAfter: certificate.notValidAfter, subject: "\(certificate.subject)")
    }

    struct Assertion: JWTPayload {
        var aud: AudienceClaim
        var iss: IssuerClaim
        var sub: SubjectClaim
        var jti: IDClaim
        var nbf: NotBeforeClaim
        var iat: IssuedAtClaim
        var exp: ExpirationClaim
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A client assertion for the token endpoint `audience`, valid for 10 minutes from `now`.
    func assertion(clientID: String, audience: String, now: Date) async throws -> String {
        let keys = await JWTKeyCollection().add(pss: key, digestAlgorithm: .sha256)
        let payload = Assertion(aud: .init(value: [audience]), iss: .init(value: clientID), sub: .init(value: clientID),
                                jti: .init(value: UUID().uuidString.lowercased()), nbf: .init(value: now),
                                iat: .init(value: now), exp: .init(value: now.addingTimeInterval(600)))
        return try await keys.sign(payload, header: ["typ": .string("JWT"), "x5t#S256": .string(thumbprint)])
    }
}
