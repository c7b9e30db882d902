#if canImport(Glibc)
import Glibc
#endif

/// Distinct byte strings (names, address sources), each given a dense index in the order first
/// seen. Hashed with open addressing, so finding a string seen before allocates nothing and a
/// column with a new value on every row stays linear.
struct ByteStringTable {
    private(set) var strings: [[UInt8]] = []
    private var hashes: [UInt64] = []
    /// Indices into `strings` + 1; 0 = empty. A power of two, at most half full.
    private var slots = [Int32](repeating: 0, count: 64)

    var count: Int { strings.count }

    subscript(index: Int) -> [UInt8] { strings[index] }

    /// The index of `bytes`, or nil when it was never added.
    func find(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let (slot, found) = probe(bytes, hash: Self.hash(bytes))
        return found ? Int(slots[slot]) - 1 : nil
    }

    /// The index of `bytes`, adding it when new.
    mutating func add(_ bytes: UnsafeRawBufferPointer) -> Int {
        let hash = Self.hash(bytes)
        let (slot, found) = probe(bytes, hash: hash)
        if found { return Int(slots[slot]) - 1 }
        strings.append(Array(bytes))
        hashes.append(hash)
        slots[slot] = Int32(strings.count)
        if strings.count * 2 > slots.count { rehash() }
        return strings.count - 1
    }

    /// Whether `stored` holds exactly `bytes`.
    @inline(__always)
    static func equal(_ stored: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        stored.count == bytes.count
            && (bytes.count == 0 || stored.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
    }

    /// FNV-1a.
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// The slot holding `bytes`, or the empty slot where it would go.
    private func probe(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> (slot: Int, found: Bool) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while slots[slot] != 0 {
            let known = Int(slots[slot]) - 1
            if hashes[known] == hash, Self.equal(strings[known], bytes) { return (slot, true) }
            slot = (slot + 1) & mask
        }
        return (slot, false)
    }

    private mutating func rehash() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }
}
