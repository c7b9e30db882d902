/// The numbers seen so far in a run, for the `duplicate` rule: an open-addressing hash set of
/// non-zero `UInt64` keys (no E.164 number packs to 0). It grows with the distinct numbers,
/// 8 bytes a slot at most half full, and never allocates per insert otherwise.
final class KeySet {
    private var slots: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private(set) var count = 0

    init(initialCapacity: Int = 1 << 16) {
        capacity = max(16, initialCapacity.nextPowerOfTwo)
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
    }

    deinit { slots.deallocate() }

    /// Inserts `key`; false when it was already there.
    @inline(__always)
    func insert(_ key: UInt64) -> Bool {
        if (count + 1) * 2 > capacity { grow() }
        return Self.insert(key, into: slots, mask: capacity - 1, count: &count)
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
