#if canImport(Glibc)
import Glibc
#endif

/// The numbers seen so far in a run, for the `duplicate` rule, as non-zero `UInt64` keys (no
/// E.164 number packs to 0). Keys below 2^36, every number of up to 11 digits (all of
/// Sweden's, Norway's and Denmark's), are bits in blocks of 4 KiB made on first use, so
/// memory follows the number ranges in use and not the rows: ten million numbers take about
/// what one million take, and a lookup touches one cache line. Blocks are carved from 2 MiB
/// chunks the kernel may back with huge pages, so a lookup rarely misses the TLB as well.
/// Longer keys go to an open-addressing hash set (8 bytes a slot, at most half full). No
/// allocation per insert beyond a new block or a doubling.
///
/// The first `bitmapFrom` keys all go to the hash set: a small run's numbers each fall in a
/// block of their own, and touching a fresh 2 MiB chunk per 512 of them cost a 1,000-row
/// scrub a seventh of its time. When the set reaches that size its short keys move into the
/// bitmap, which takes every short key from then on.
final class KeySet {
    private static let bitmapLimit: UInt64 = 1 << 36
    static let bitmapFrom = 1 << 14
    private var usesBitmap = false
    private static let blockShift: UInt64 = 15  // 2^15 bits = 4 KiB a block
    private let blocks: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>
    private let blockCount = Int(KeySet.bitmapLimit >> KeySet.blockShift)
    private static let chunkSize = 1 << 21
    private var chunks: [UnsafeMutableRawPointer] = []
    private var chunkOffset = KeySet.chunkSize
    private var slots: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private var hashedCount = 0
    private(set) var count = 0

    init(initialCapacity: Int = 1 << 12) {
        // A zeroed directory from calloc costs memory only where it is written.
        blocks = calloc(blockCount, MemoryLayout<UnsafeMutablePointer<UInt64>?>.stride)!
            .assumingMemoryBound(to: UnsafeMutablePointer<UInt64>?.self)
        capacity = max(16, initialCapacity.nextPowerOfTwo)
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
    }

    deinit {
        for chunk in chunks { free(chunk) }
        free(blocks)
        slots.deallocate()
    }

    /// Inserts `key`; false when it was already there.
    @inline(__always)
    func insert(_ key: UInt64) -> Bool {
        if usesBitmap, key < Self.bitmapLimit {
            let blockIndex = Int(key >> Self.blockShift)
            let block = blocks[blockIndex] ?? newBlock(blockIndex)
            let bit = Int(key & ((1 << Self.blockShift) - 1))
            let mask: UInt64 = 1 << UInt64(bit & 63)
            let word = block[bit >> 6]
            if word & mask != 0 { return false }
            block[bit >> 6] = word | mask
            count += 1
            return true
        }
        if (hashedCount + 1) * 2 > capacity { grow() }
        guard Self.insert(key, into: slots, mask: capacity - 1, count: &hashedCount) else { return false }
        count += 1
        if !usesBitmap, count == Self.bitmapFrom { moveShortKeysToTheBitmap() }
        return true
    }

    private func moveShortKeysToTheBitmap() {
        usesBitmap = true
        var longKeys: [UInt64] = []
        for i in 0..<capacity where slots[i] != 0 {
            let key = slots[i]
            if key < Self.bitmapLimit {
                let blockIndex = Int(key >> Self.blockShift)
                let block = blocks[blockIndex] ?? newBlock(blockIndex)
                let bit = Int(key & ((1 << Self.blockShift) - 1))
                block[bit >> 6] |= 1 << UInt64(bit & 63)
            } else {
                longKeys.append(key)
            }
        }
        slots.initialize(repeating: 0, count: capacity)
        hashedCount = 0
        for key in longKeys { _ = Self.insert(key, into: slots, mask: capacity - 1, count: &hashedCount) }
    }

    /// The word holding `key`'s bit, or 0: reading it ahead of `insert`, for many keys in a
    /// row, lets their cache misses overlap.
    @inline(__always)
    func peek(_ key: UInt64) -> UInt64 {
        guard usesBitmap, key < Self.bitmapLimit, let block = blocks[Int(key >> Self.blockShift)] else { return 0 }
        return block[Int(key & ((1 << Self.blockShift) - 1)) >> 6]
    }

    private func newBlock(_ index: Int) -> UnsafeMutablePointer<UInt64> {
        let blockSize = 1 << (Self.blockShift - 3)
        if chunkOffset + blockSize > Self.chunkSize {
            var chunk: UnsafeMutableRawPointer?
            guard posix_memalign(&chunk, Self.chunkSize, Self.chunkSize) == 0, let chunk else {
                fatalError("out of memory for the duplicate set")
            }
            _ = madvise(chunk, Self.chunkSize, Int32(MADV_HUGEPAGE))
            memset(chunk, 0, Self.chunkSize)
            chunks.append(chunk)
            chunkOffset = 0
        }
        let block = (chunks[chunks.count - 1] + chunkOffset).assumingMemoryBound(to: UInt64.self)
        chunkOffset += blockSize
        blocks[index] = block
        return block
    }

    @inline(__always)
    private static func insert(_ key: UInt64, into slots: UnsafeMutablePointer<UInt64>, mask: Int, count: inout Int) -> Bool {
        // Fibonacci hashing spreads the dense low digits of phone numbers over the table.
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while true {
            let slot = slots[i]
            if slot == key { return false }
            if slot == 0 {
                slots[i] = key
                count += 1
                return true
            }
            i = (i + 1) & mask
        }
    }

    private func grow() {
        let newCapacity = capacity * 2
        let newSlots = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        newSlots.initialize(repeating: 0, count: newCapacity)
        var moved = 0
        for i in 0..<capacity where slots[i] != 0 {
            _ = Self.insert(slots[i], into: newSlots, mask: newCapacity - 1, count: &moved)
        }
        slots.deallocate()
        slots = newSlots
        capacity = newCapacity
    }
}

extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
