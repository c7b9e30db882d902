import CPrefetch

/// Membership search over sorted, distinct `UInt64` keys, narrowed by two radix tables so that
/// a probe touches one small table entry, one bucket boundary pair and one or two keys
/// (usually one cache line) instead of the ~23 scattered reads of a binary search
/// over 10 million keys.
///
/// Level one splits the key span `maxKey - minKey` into at most 2^16 equal slices by the high
/// bits of `key - minKey`. Each slice gets its own level-two table, sized to the number of keys
/// in that slice (about `keysPerBucket` keys per bucket), so dense number series (mobile
/// 070/072/073/076/079) get fine buckets and sparse ones coarse buckets: the tables adapt to
/// the numbering plan's clusters instead of assuming uniform keys.
///
/// - level-one entry (UInt64): low 32 bits = index of the slice's first level-two entry,
///   high 32 bits = shift that turns the key's offset inside the slice into a bucket number;
/// - level-two entry (UInt32): index of the first key of the bucket; a slice with `b` buckets
///   owns `b + 1` consecutive entries, the last one being the end of its last bucket.
///
/// The struct holds raw pointers into memory owned by someone else (a mapped index file, or
/// the tables of a `NumberRows` built for one run); it copies no arrays and retains nothing,
/// so lookups cause no ARC traffic.
public struct KeyLookup {
    @usableFromInline let keys: UnsafePointer<UInt64>
    @usableFromInline let count: Int
    @usableFromInline let minKey: UInt64
    @usableFromInline let span: UInt64
    @usableFromInline let levelOneShift: UInt64
    @usableFromInline let levelOne: UnsafePointer<UInt64>
    @usableFromInline let levelTwo: UnsafePointer<UInt32>

    /// Target average number of keys per level-two bucket. Measured on 10 million keys
    /// (`nixwash-bench index`): 1 key 45-52 M lookups/s (file 145 MB), 2 keys 52-54 M/s
    /// (113 MB), 4 keys 36-43 M/s (97 MB), 8 keys 36-39 M/s (89 MB). With 2, a bucket is
    /// nearly always inside one cache line and the level-two table costs about 3 bytes a key.
    public static let keysPerBucket = 2
    /// Upper bound of level-one slices in an index file (2^16 entries, 512 KiB).
    public static let maxLevelOneBits = 16
    /// Upper bound for tables built in memory for one run (`NumberRows`), which no file
    /// format fixes: 2^18 entries (2 MiB). A key set spanning several countries' numbers
    /// has most of its keys in a few of 2^16 slices; in the bench's history snapshot (1.7
    /// million numbers from +45 to +358) 57 % of the keys sat in buckets of more than 8, with
    /// 2^18 slices 2 %.
    public static let maxInMemoryLevelOneBits = 18

    init(keys: UnsafePointer<UInt64>, count: Int, minKey: UInt64, maxKey: UInt64, levelOneShift: Int,
         levelOne: UnsafePointer<UInt64>, levelTwo: UnsafePointer<UInt32>) {
        self.keys = keys
        self.count = count
        self.minKey = minKey
        self.span = maxKey &- minKey
        self.levelOneShift = UInt64(levelOneShift)
        self.levelOne = levelOne
        self.levelTwo = levelTwo
    }

    /// True when `key` is one of the keys. Memory-safe even over tables that were never
    /// checked against their checksum: bucket bounds are clamped to the key count, and the
    /// level-one entries are checked once when the tables are opened (`validateLevelOne`).
    @inlinable @inline(__always)
    public func contains(_ key: UInt64) -> Bool {
        index(of: key) != nil
    }

    /// The position of `key` among the sorted keys, or nil.
    @inlinable @inline(__always)
    public func index(of key: UInt64) -> Int? {
        guard let bucket = bucket(of: key) else { return nil }
        let lower = min(Int(truncatingIfNeeded: levelTwo[bucket]), count)
        let upper = min(Int(truncatingIfNeeded: levelTwo[bucket &+ 1]), count)
        if upper <= lower { return nil }
        // Buckets hold about `keysPerBucket` keys on average, but numbers cluster: half the
        // bench register's keys sit in buckets of 5 to 8. Up to 8 keys (the two cache lines
        // `prefetchKeys` fetches) are compared in one pass; a rare bigger bucket is halved first.
        var base = lower
        var length = upper &- lower
        while length > 8 {
            let half = length &>> 1
            base = keys[base &+ half] <= key ? base &+ half : base
            length &-= half
        }
        // Compare every remaining key and combine the results arithmetically: only `length`,
        // known before the keys arrive from memory, steers a branch. A branch on the key
        // comparison (what the compiler makes of a binary search's conditional move inside
        // a loop) mispredicts half the time and stops the CPU from overlapping the memory
        // reads of consecutive lookups.
        var position = 0
        var i = 0
        repeat {
            let candidate = base &+ i
            let equal = Int(truncatingIfNeeded: (keys[candidate] == key ? 1 : 0) as UInt8)
            position |= (candidate &+ 1) &* equal
            i &+= 1
        } while i < length
        return position > 0 ? position &- 1 : nil
    }

    /// The bucket a lookup of `key` reads its bounds from, or nil when the key is outside the span.
    @inlinable @inline(__always)
    func bucket(of key: UInt64) -> Int? {
        let offset = key &- minKey
        if offset > span { return nil }
        let entry = levelOne[Int(truncatingIfNeeded: offset &>> levelOneShift)]
        let sliceMask: UInt64 = (1 &<< levelOneShift) &- 1
        return Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &+ Int(truncatingIfNeeded: (offset & sliceMask) &>> (entry &>> 32))
    }

    /// The first of two steps that read a lookup's memory ahead (a batch does each step for
    /// many keys, then the lookups): fetches the bucket bounds.
    @inlinable @inline(__always)
    public func prefetchBucket(_ key: UInt64) {
        if let bucket = bucket(of: key) { nixwash_prefetch(levelTwo + bucket) }
    }

    /// The second step: fetches the bucket's first 8 keys (its bounds should be cached by now).
    /// Returns the index of the first, for tables beside the keys (see `NumberRowsView`).
    @inlinable @inline(__always) @discardableResult
    public func prefetchKeys(_ key: UInt64) -> Int? {
        guard let bucket = bucket(of: key) else { return nil }
        let first = min(Int(truncatingIfNeeded: levelTwo[bucket]), count)
        nixwash_prefetch(keys + first)
        nixwash_prefetch(keys + first + 7)
        return first
    }

    /// Builds both tables for sorted, distinct `keys`. `levelTwo` entries hold key indexes, so
    /// at most `UInt32.max` keys are supported (the caller checks).
    static func buildTables(keys: UnsafeBufferPointer<UInt64>, maxLevelOneBits: Int = maxLevelOneBits,
                            keysPerSlice: Int = 256) -> (levelOneShift: Int, levelOne: [UInt64], levelTwo: [UInt32]) {
        let count = keys.count
        guard let minKey = keys.first, let maxKey = keys.last else {
            // One slice with one empty bucket: every probe ends in an empty range.
            return (0, [0], [0, 0])
        }
        let span = maxKey - minKey
        // About `keysPerSlice` keys per slice on average, between 2 and 2^maxLevelOneBits slices; at least one bit so
        // that the shift stays below 64.
        let wantedBits = max(1, min(maxLevelOneBits, (Int.bitWidth - (count / keysPerSlice).leadingZeroBitCount)))
        let shift = max(0, (UInt64.bitWidth - span.leadingZeroBitCount) - wantedBits)
        let sliceCount = Int(span >> UInt64(shift)) + 1
        var levelOne = [UInt64](repeating: 0, count: sliceCount)
        var levelTwo: [UInt32] = []
        levelTwo.reserveCapacity(count / keysPerBucket * 2 + sliceCount * 2)
        var position = 0
        let sliceMask: UInt64 = (1 << UInt64(shift)) - 1
        for slice in 0..<sliceCount {
            var end = position
            while end < count && Int((keys[end] - minKey) >> UInt64(shift)) == slice { end += 1 }
            let keysInSlice = end - position
            // Buckets: a power of two near keysInSlice / keysPerBucket, never finer than one
            // number per bucket.
            var bucketBits = 0
            while bucketBits < shift && (1 << bucketBits) * keysPerBucket < keysInSlice { bucketBits += 1 }
            let bucketShift = shift - bucketBits
            levelOne[slice] = UInt64(levelTwo.count) | (UInt64(bucketShift) << 32)
            var cursor = position
            for bucket in 0..<(1 << bucketBits) {
                while cursor < end && Int(((keys[cursor] - minKey) & sliceMask) >> UInt64(bucketShift)) < bucket {
                    cursor += 1
                }
                levelTwo.append(UInt32(cursor))
            }
            levelTwo.append(UInt32(end))
            position = end
        }
        return (shift, levelOne, levelTwo)
    }

    /// Checks that every level-one entry points inside the level-two table, so that a lookup
    /// over unchecked tables can never read outside them. Returns a reason when not.
    static func validateLevelOne(_ levelOne: UnsafeBufferPointer<UInt64>, shift: Int, levelTwoCount: Int) -> String? {
        for (slice, entry) in levelOne.enumerated() {
            let start = Int(entry & 0xFFFF_FFFF)
            let bucketShift = Int(entry >> 32)
            guard bucketShift <= shift, shift - bucketShift < 32 else {
                return "level-one entry \(slice) has bucket shift \(bucketShift), which does not fit the slice shift \(shift)"
            }
            let buckets = 1 << (shift - bucketShift)
            guard start + buckets + 1 <= levelTwoCount else {
                return "level-one entry \(slice) points past the end of the level-two table"
            }
        }
        return nil
    }
}
