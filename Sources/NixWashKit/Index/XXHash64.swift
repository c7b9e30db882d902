/// XXH64 (xxHash, 64-bit variant, seed 0 unless given), the checksum of index bodies and of
/// register sources. It runs at memory speed, so a whole 10-million-key index is checked in a
/// few milliseconds, and its output equals the reference `xxhsum -H1` for the same bytes.
/// Streaming: feed any number of `update` calls, then read `digest`.
public struct XXHash64: Sendable {
    @usableFromInline static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    @usableFromInline static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    @usableFromInline static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    private let seed: UInt64
    private var v1, v2, v3, v4: UInt64
    private var totalLength: UInt64 = 0
    /// Bytes not yet consumed as a full 32-byte stripe.
    private var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var pendingCount = 0

    public init(seed: UInt64 = 0) {
        self.seed = seed
        v1 = seed &+ Self.prime1 &+ Self.prime2
        v2 = seed &+ Self.prime2
        v3 = seed
        v4 = seed &- Self.prime1
    }

    /// The checksum of one buffer.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var hasher = XXHash64(seed: seed)
        hasher.update(bytes)
        return hasher.digest
    }

    @inline(__always)
    static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        var acc = acc &+ input &* prime2
        acc = (acc << 31) | (acc >> 33)
        return acc &* prime1
    }

    @inline(__always)
    static func merge(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        let acc = acc ^ round(0, value)
        return acc &* prime1 &+ prime4
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return }
        totalLength &+= UInt64(bytes.count)
        var position = 0
        let count = bytes.count
        if pendingCount > 0 {
            let take = min(32 - pendingCount, count)
            withUnsafeMutableBytes(of: &pending) { buffer in
                buffer.baseAddress!.advanced(by: pendingCount).copyMemory(from: start, byteCount: take)
            }
            pendingCount += take
            position = take
            guard pendingCount == 32 else { return }
            let (a, b, c, d) = pending
            v1 = Self.round(v1, UInt64(littleEndian: a))
            v2 = Self.round(v2, UInt64(littleEndian: b))
            v3 = Self.round(v3, UInt64(littleEndian: c))
            v4 = Self.round(v4, UInt64(littleEndian: d))
            pendingCount = 0
        }
        var a = v1, b = v2, c = v3, d = v4
        while position + 32 <= count {
            let p = start + position
            a = Self.round(a, UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)))
            b = Self.round(b, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            c = Self.round(c, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
            d = Self.round(d, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
            position += 32
        }
        v1 = a; v2 = b; v3 = c; v4 = d
        if position < count {
            let rest = count - position
            withUnsafeMutableBytes(of: &pending) { buffer in
                buffer.baseAddress!.copyMemory(from: start + position, byteCount: rest)
            }
            pendingCount = rest
        }
    }

    public var digest: UInt64 {
        var h: UInt64
        if totalLength >= 32 {
            h = ((v1 << 1) | (v1 >> 63)) &+ ((v2 << 7) | (v2 >> 57))
                &+ ((v3 << 12) | (v3 >> 52)) &+ ((v4 << 18) | (v4 >> 46))
            h = Self.merge(h, v1)
            h = Self.merge(h, v2)
            h = Self.merge(h, v3)
            h = Self.merge(h, v4)
        } else {
            h = seed &+ Self.prime5
        }
        h &+= totalLength
        var tail = pending
        let tailCount = pendingCount
        withUnsafeBytes(of: &tail) { buffer in
            var i = 0
            while i + 8 <= tailCount {
                let k = Self.round(0, UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                h ^= k
                h = ((h << 27) | (h >> 37)) &* Self.prime1 &+ Self.prime4
                i += 8
            }
            if i + 4 <= tailCount {
                h ^= UInt64(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: i, as: UInt32.self))) &* Self.prime1
                h = ((h << 23) | (h >> 41)) &* Self.prime2 &+ Self.prime3
                i += 4
            }
            while i < tailCount {
                h ^= UInt64(buffer[i]) &* Self.prime5
                h = ((h << 11) | (h >> 53)) &* Self.prime1
                i += 1
            }
        }
        h ^= h >> 33
        h &*= Self.prime2
        h ^= h >> 29
        h &*= Self.prime3
        h ^= h >> 32
        return h
    }
}
