import Crypto

/// A URN that names one thing forever: the same words give the same id on every machine and in every build, so a
/// feed reader never shows an entry twice. An RFC 9562 version 8 UUID made of the SHA-256 of the words (the
/// version 5 recipe with a hash that is not SHA-1).
public enum StableID {
    public static func urn(_ words: [String]) -> String {
        var bytes = Array(SHA256.hash(data: Array(words.joined(separator: "\u{1F}").utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // variant 10
        let hex = bytes.map { b in String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16) }.joined()
        let h = Array(hex)
        return "urn:uuid:" + [h[0..<8], h[8..<12], h[12..<16], h[16..<20], h[20..<32]].map { String($0) }.joined(separator: "-")
    }
}
