import CPrefetch

/// Rows keyed by phone number, held in memory for the run: the distinct numbers sorted, with
/// the same radix-narrowed search as the mapped block index, and each number's rows side by
/// side in flat arrays. Used by the customer and consent lists, which are loaded at scrub start
/// and then asked about millions of lead numbers without allocating.
///
/// `Row` must be a plain value (no references): rows live in manually managed memory.
public final class NumberRows<Row> {
    public let lookup: KeyLookup
    /// Number of distinct numbers.
    public let count: Int
    /// Number of rows (a number can have several).
    public let rowCount: Int
    private let keys: UnsafeMutableBufferPointer<UInt64>
    private let levelOne: UnsafeMutableBufferPointer<UInt64>
    private let levelTwo: UnsafeMutableBufferPointer<UInt32>
    /// Rows of the number at key index i: rowStarts[i] ..< rowStarts[i + 1].
    private let rowStarts: UnsafeMutableBufferPointer<UInt32>
    private let rows: UnsafeMutableBufferPointer<Row>

    /// Groups `entries` by number (order within a number kept as given).
    public convenience init(_ entries: [(key: PhoneKey, row: Row)]) {
        precondition(_isPOD(Row.self), "NumberRows holds plain values only")
        precondition(entries.count < Int(UInt32.max), "too many rows")
        var order = entries.enumerated().map { (key: $0.element.key.rawValue, index: UInt32($0.offset)) }
        order.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        var distinct: [UInt64] = []
        var starts: [UInt32] = []
        let rows = UnsafeMutableBufferPointer<Row>.allocate(capacity: max(1, entries.count))
        for (position, entry) in order.enumerated() {
            if distinct.last != entry.key {
                distinct.append(entry.key)
                starts.append(UInt32(position))
            }
            rows.initializeElement(at: position, to: entries[Int(entry.index)].row)
        }
        starts.append(UInt32(entries.count))
        self.init(distinct: distinct, rowStarts: starts, rows: rows, rowCount: entries.count)
    }

    /// One row per number, numbers already sorted and distinct (a merge produced them).
    public convenience init(sortedDistinctKeys sorted: [UInt64], rows given: [Row]) {
        var keyChunks = [sorted], rowChunks = [given]
        self.init(sortedDistinctKeyChunks: &keyChunks, rowChunks: &rowChunks)
    }

    /// The same from chunks (a stream's), each freed as soon as it is copied: memory peaks at
    /// the table and one chunk, not at twice the table.
    public convenience init(sortedDistinctKeyChunks keyChunks: inout [[UInt64]], rowChunks: inout [[Row]]) {
        precondition(_isPOD(Row.self), "NumberRows holds plain values only")
        let count = keyChunks.reduce(0) { $0 + $1.count }
        precondition(count == rowChunks.reduce(0) { $0 + $1.count } && count < Int(UInt32.max), "one row per number")
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(1, count))
        let rows = UnsafeMutableBufferPointer<Row>.allocate(capacity: max(1, count))
        var filled = 0
        for i in keyChunks.indices {
            _ = UnsafeMutableBufferPointer(rebasing: keys[filled...]).initialize(from: keyChunks[i])
            filled += keyChunks[i].count
            keyChunks[i] = []
        }
        filled = 0
        for i in rowChunks.indices {
            _ = UnsafeMutableBufferPointer(rebasing: rows[filled...]).initialize(from: rowChunks[i])
            filled += rowChunks[i].count
            rowChunks[i] = []
        }
        precondition(count < 2 || (1..<count).allSatisfy { keys[$0 - 1] < keys[$0] }, "numbers sorted and distinct")
        // With one row per number the row starts are never read.
        self.init(keys: keys, count: count, rowStarts: [0], rows: rows, rowCount: count)
    }

    private convenience init(distinct: [UInt64], rowStarts starts: [UInt32], rows: UnsafeMutableBufferPointer<Row>, rowCount: Int) {
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(1, distinct.count))
        _ = keys.initialize(from: distinct)
        self.init(keys: keys, count: distinct.count, rowStarts: starts, rows: rows, rowCount: rowCount)
    }

    /// Takes `keys` (the first `count` sorted and distinct) and `rows` over; builds the lookup
    /// tables.
    private init(keys: UnsafeMutableBufferPointer<UInt64>, count: Int, rowStarts starts: [UInt32],
                 rows: UnsafeMutableBufferPointer<Row>, rowCount: Int) {
        self.rows = rows
        self.rowCount = rowCount
        self.count = count
        self.keys = keys
        rowStarts = .allocate(capacity: starts.count)
        _ = rowStarts.initialize(from: starts)
        let distinct = UnsafeBufferPointer(rebasing: keys[..<count])
        let tables = KeyLookup.buildTables(keys: distinct, maxLevelOneBits: KeyLookup.maxInMemoryLevelOneBits, keysPerSlice: 8)
        levelOne = .allocate(capacity: tables.levelOne.count)
        _ = levelOne.initialize(from: tables.levelOne)
        levelTwo = .allocate(capacity: tables.levelTwo.count)
        _ = levelTwo.initialize(from: tables.levelTwo)
        lookup = KeyLookup(keys: UnsafePointer(keys.baseAddress!), count: count,
                           minKey: distinct.first ?? 0, maxKey: distinct.last ?? 0,
                           levelOneShift: tables.levelOneShift, levelOne: UnsafePointer(levelOne.baseAddress!),
                           levelTwo: UnsafePointer(levelTwo.baseAddress!))
    }

    deinit {
        keys.deallocate()
        levelOne.deallocate()
        levelTwo.deallocate()
        rowStarts.deallocate()
        rows.deallocate()
    }

    /// The search over this object's memory, for callers that keep this object alive
    /// themselves: a struct of pointers, so a lookup through it causes no ARC traffic.
    public var view: NumberRowsView<Row> {
        NumberRowsView(lookup: lookup, rowStarts: UnsafePointer(rowStarts.baseAddress!),
                       rows: UnsafePointer(rows.baseAddress!), oneRowPerKey: rowCount == count)
    }

    /// The rows of `key` (empty when the number is not in the list). Valid while this object
    /// lives.
    public func rows(for key: PhoneKey) -> UnsafeBufferPointer<Row> { view.rows(for: key) }
}

/// Pointers into a `NumberRows`, valid while it lives.
public struct NumberRowsView<Row> {
    @usableFromInline let lookup: KeyLookup
    @usableFromInline let rowStarts: UnsafePointer<UInt32>
    @usableFromInline let rows: UnsafePointer<Row>
    /// Every number has exactly one row (the usual list): row i belongs to key i, and the
    /// row-start read, a dependent cache miss, is skipped.
    @usableFromInline let oneRowPerKey: Bool

    /// The two steps that read a lookup's memory ahead (see `KeyLookup.prefetchBucket`); the
    /// second also fetches the row of the bucket's first number when each number has one.
    @inlinable @inline(__always)
    public func prefetchBucket(_ key: PhoneKey) { lookup.prefetchBucket(key.rawValue) }

    @inlinable @inline(__always)
    public func prefetchKeys(_ key: PhoneKey) {
        if let first = lookup.prefetchKeys(key.rawValue), oneRowPerKey { nixwash_prefetch(rows + first) }
    }

    /// The rows of `key` (empty when the number is not in the list).
    @inlinable @inline(__always)
    public func rows(for key: PhoneKey) -> UnsafeBufferPointer<Row> {
        guard let index = lookup.index(of: key.rawValue) else { return UnsafeBufferPointer(start: nil, count: 0) }
        if oneRowPerKey { return UnsafeBufferPointer(start: rows + index, count: 1) }
        let start = Int(rowStarts[index])
        return UnsafeBufferPointer(start: rows + start, count: Int(rowStarts[index + 1]) - start)
    }
}
