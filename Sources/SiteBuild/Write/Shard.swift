/// One machine's share of a site built by several (`--shard I/N`, I from 1 to N).
///
/// The split: the tenant files sorted by name, dealt out like cards — the tenant at sorted position `p`
/// (0-based) belongs to shard `p mod N + 1`. Every shard still reads and validates *every* snapshot (the
/// partner home lists all tenants, and an invalid snapshot anywhere fails every shard, as it fails a single
/// build), but renders and writes the pages of its own tenants only, plus the site-wide pages, which come out
/// the same on every shard. Copying the N output folders into one gives the single-machine build, byte for
/// byte. `sitemap.xml` needs every page, so a sharded build does not write it: run `tenantsite sitemap` on
/// the merged folder (docs/scaling.md).
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// `"2/4"`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether the tenant at `position` in the sorted list of tenant files is this shard's.
    public func owns(position: Int) -> Bool { position % count == index - 1 }
}
