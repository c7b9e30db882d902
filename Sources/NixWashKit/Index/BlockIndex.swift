#if _endian(big)
#error("The index body is read in place as little-endian UInt64 keys.")
#endif

/// A block index file (NIX register or company block list) mapped into memory, answering
/// "is this number on the list?" The file stays mapped as long as the object lives.
///
/// Opening checks the header (magic, version, header checksum, sizes against the file size)
/// and the level-one table, so lookups can never read outside the file; it also checksums the
/// whole body (`BodyCheck`), so a flipped byte anywhere is an error rather than a wrong answer
/// that reaches an output. `verify()` adds the order and table checks that only an audit needs.
public final class BlockIndex {
    public let header: IndexHeader
    public let path: String
    private let file: MappedFile
    /// The search structure; its pointers stay valid while `file` lives.
    public let lookup: KeyLookup
    /// The body's checksum being computed (`BodyCheck.inBackground`).
    private let bodyCheck: BackgroundWork<Void>?

    public enum BodyCheck: Sendable {
        /// Before the initializer returns.
        case beforeUse
        /// On a thread of its own while the caller goes on; `confirmBody()` waits for it and
        /// throws what it found. A run looks numbers up meanwhile and publishes only after.
        /// (The body of the 5M-number register is 40 MB: about 15 ms of a small run.)
        case inBackground
        /// Not at all: for reading the header only (`index info`).
        case skipped
    }

    public init(path: String, checkBody: BodyCheck = .beforeUse) throws {
        // Read in at once when it is checked now; page by page, by the lookups and the check, otherwise.
        let file = try MappedFile(path: path, populate: checkBody == .beforeUse)
        let header = try IndexHeader.decode(file.bytes, path: path)
        let body = UnsafeRawBufferPointer(rebasing: file.bytes[header.headerLength...])
        switch checkBody {
        case .beforeUse:
            try Self.checkBody(body, header: header, path: path)
            bodyCheck = nil
        case .inBackground:
            // The thread reads the mapping, which `file` keeps alive: the work holds it.
            bodyCheck = BackgroundWork(name: "nixwash index check") { [file] in
                try Self.checkBody(UnsafeRawBufferPointer(rebasing: file.bytes[header.headerLength...]), header: header, path: path)
            }
        case .skipped:
            bodyCheck = nil
        }
        // The body starts at a multiple of 64 from a page-aligned mapping, and the key and
        // level-one regions are multiples of 8 bytes long, so every region is aligned.
        let keys = body.baseAddress!.assumingMemoryBound(to: UInt64.self)
        let levelOne = keys + header.entryCount
        let levelTwo = UnsafeRawPointer(levelOne + header.levelOneCount).assumingMemoryBound(to: UInt32.self)
        if let reason = KeyLookup.validateLevelOne(UnsafeBufferPointer(start: levelOne, count: header.levelOneCount),
                                                   shift: header.levelOneShift, levelTwoCount: header.levelTwoCount) {
            throw NixWashError.indexCorrupt(path: path, reason: reason)
        }
        self.file = file
        self.header = header
        self.path = path
        self.lookup = KeyLookup(keys: keys, count: header.entryCount, minKey: header.minKey, maxKey: header.maxKey,
                                levelOneShift: header.levelOneShift, levelOne: levelOne, levelTwo: levelTwo)
    }

    private static func checkBody(_ body: UnsafeRawBufferPointer, header: IndexHeader, path: String) throws {
        guard XXHash64.hash(body) == header.bodyChecksum else {
            throw NixWashError.indexCorrupt(path: path, reason: "the body checksum does not match the header (the keys or tables were changed or damaged)")
        }
    }

    /// Waits for a check started `inBackground` and throws what it found; returns at once
    /// otherwise.
    public func confirmBody() throws {
        try bodyCheck?.result()
    }

    deinit {
        // The thread reads the mapping: never unmap under it, also when a run fails early.
        bodyCheck?.waitUntilDone()
    }

    /// True when the number is on the list. The hot path of every scrub.
    @inlinable @inline(__always)
    public func contains(key: PhoneKey) -> Bool {
        lookup.contains(key.rawValue)
    }

    /// The sorted keys, valid while this object lives.
    public var keys: UnsafeBufferPointer<UInt64> {
        UnsafeBufferPointer(start: lookup.keys, count: header.entryCount)
    }

    /// The full audit: body checksum, keys strictly ascending and inside the header's range,
    /// and both lookup tables equal to the ones the keys produce. Throws `indexCorrupt`
    /// naming the first problem.
    public func verify() throws {
        let body = UnsafeRawBufferPointer(rebasing: file.bytes[header.headerLength...])
        guard XXHash64.hash(body) == header.bodyChecksum else {
            throw NixWashError.indexCorrupt(path: path, reason: "the body checksum does not match the header (the keys or tables were changed or damaged)")
        }
        let keys = self.keys
        if keys.count > 0 {
            guard keys[0] == header.minKey, keys[keys.count - 1] == header.maxKey else {
                throw NixWashError.indexCorrupt(path: path, reason: "the first and last keys do not match the key range in the header")
            }
            for i in 1..<keys.count where keys[i - 1] >= keys[i] {
                throw NixWashError.indexCorrupt(path: path, reason: "the keys are not in strictly ascending order at entry \(i) (\(keys[i - 1]) then \(keys[i]))")
            }
        } else if header.minKey != 0 || header.maxKey != 0 {
            throw NixWashError.indexCorrupt(path: path, reason: "an empty index has a key range in its header")
        }
        let tables = KeyLookup.buildTables(keys: keys)
        let levelOne = UnsafeBufferPointer(start: lookup.levelOne, count: header.levelOneCount)
        let levelTwo = UnsafeBufferPointer(start: lookup.levelTwo, count: header.levelTwoCount)
        guard tables.levelOneShift == header.levelOneShift, tables.levelOne.elementsEqual(levelOne),
              tables.levelTwo.elementsEqual(levelTwo) else {
            throw NixWashError.indexCorrupt(path: path, reason: "the lookup tables do not match the keys")
        }
    }
}
