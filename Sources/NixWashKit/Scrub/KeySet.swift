#if canImport(Glibc)
import Glibc
#endif

/// The numbers seen so far in a run, for the `duplicate` rule, in memory that does not grow
/// with the lead lists: Swedish numbers (all but a handful of any Swedish campaign's) are
/// bits in one bitmap per national-number length, mapped lazily so only the pages of number
/// ranges that occur are ever touched (mobile numbers, 9 digits starting with 7, share one
/// 12.5 MB stretch; all Swedish ranges together are at most 139 MB of address space). Other
/// countries' numbers go to a small open-addressing hash set.
final class KeySet {
    /// Bitmaps for national significant numbers of 1...9 digits after +46, back to back.
    private let bitmap: UnsafeMutablePointer<UInt64>
    private let bitmapWords: Int
    private static let offsets: [Int] = {
        var offsets = [0]
        var power = 1
        for _ in 1...9 {
            power *= 10
            offsets.append(offsets.last! + power)
        }
        return offsets
    }()
    private let others = HashKeySet()

    init() {
        let bits = KeySet.offsets.last!
        bitmapWords = (bits + 63) / 64
        let bytes = bitmapWords * 8
        let address = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let address, address != MAP_FAILED else { fatalError("nixwash: cannot reserve \(bytes) bytes of address space") }
        bitmap = address.assumingMemoryBound(to: UInt64.self)
    }

    deinit { munmap(bitmap, bitmapWords * 8) }

    /// Inserts `key`; false when it was already there.
    @inline(__always)
    func insert(_ key: UInt64) -> Bool {
        // +46 followed by 1...9 digits: 46 * 10^L ..< 47 * 10^L for length L.
        var power: UInt64 = 10
        for length in 1...9 {
            if key < 46 * power { break }
            if key < 47 * power {
                let bit = KeySet.offsets[length - 1] + Int(key - 46 * power)
                let word = bit >> 6
                let mask: UInt64 = 1 << UInt64(bit & 63)
                if bitmap[word] & mask != 0 { return false }
                bitmap[word] |= mask
                return true
            }
            power *= 10
        }
        return others.insert(key)
    }
}

/// An open-addressing hash set of non-zero `UInt64` keys (no E.164 number packs to 0).
final class HashKeySet {
    private var slots: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private(set) var count = 0

    init(initialCapacity: Int = 1 << 10) {
        capacity = max(16, initialCapacity.nextPowerOfTwo)
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
    }

    deinit { slots.deallocate() }

    /// Inserts `key`; false when it was already there.
    func insert(_ key: UInt64) -> Bool {
        if (count + 1) * 2 > capacity { grow() }
        return Self.insert(key, into: slots, mask: capacity - 1, count: &count)
    }

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
