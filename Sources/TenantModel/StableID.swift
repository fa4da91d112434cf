import Crypto

/// A URN that names one thing forever: the same words give the same id on every machine and in every build, so a
/// feed reader never shows an entry twice. An RFC 9562 version 8 UUID made of the SHA-256 of the words (the
/// version 5 recipe with a hash that is not SHA-1).
public enum StableID {
    public static func urn(_ words: [String]) -> String {
        var bytes = Array(SHA256.hash(data: Array(words.joined(separator: "\u{1F}").utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // variant 10
        // urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, lowercase.
        var out = Array("urn:uuid:".utf8)
        out.reserveCapacity(45)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            for nibble in [byte >> 4, byte & 15] { out.append(nibble < 10 ? 0x30 + nibble : 0x57 + nibble) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
