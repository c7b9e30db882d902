import Foundation

/// Reads a lead list on a thread of its own: inflating, CSV parsing, the encoding guess, the
/// phone normalizer, the duplicate rule (which needs input order, which this thread has) and
/// the list lookups run there while the scrubbing thread judges the batch before. A few batches go round
/// (memory stays flat, through a `Handoff`), each holding copies of its records' fields; an
/// error arrives after the records read before it, as it would from `CSVReader.next()`.
final class RecordBatches {
    final class Batch {
        private(set) var bytes: UnsafeMutableRawPointer
        private var bytesCapacity: Int
        private var bytesCount = 0
        private(set) var ends: UnsafeMutablePointer<Int>
        private var endsCapacity: Int
        private var endsCount = 0
        private var records: [(firstField: Int, count: Int, line: UInt64, problem: CSVProblem?)] = []
        /// Each record's phone fields in phone-column order (placeholders for records that are
        /// not judged: malformed or of the wrong width).
        fileprivate var numbers: [PreparedNumber] = []
        /// The second and further numbers of fields that hold several (`PreparedNumber.more`).
        fileprivate var more: [PreparedNumber] = []
        private var phoneColumnCount: Int
        /// The reader's position after this batch, for progress and the report.
        fileprivate(set) var compressedBytesRead: UInt64 = 0
        fileprivate(set) var recordsRead: UInt64 = 0
        /// Whether the file ends with these records (known to the reading thread only).
        fileprivate(set) var isLast = false
        /// Of a file's sample: its first records that the content checks read (the others were
        /// read ahead to learn whether the file is small).
        fileprivate(set) var sampledCount = 0

        init(bytes: Int, fields: Int, records capacity: Int, phoneColumns: Int) {
            phoneColumnCount = phoneColumns
            numbers.reserveCapacity(capacity * phoneColumns)
            bytesCapacity = bytes
            self.bytes = .allocate(byteCount: bytes, alignment: 16)
            endsCapacity = fields
            ends = .allocate(capacity: fields)
            records.reserveCapacity(capacity)
        }

        deinit {
            bytes.deallocate()
            ends.deallocate()
        }

        var count: Int { records.count }
        var byteCount: Int { bytesCount }

        /// Record `index`, valid until the batch goes back to its reader.
        @inline(__always)
        func record(_ index: Int) -> CSVRecord {
            let r = records[index]
            return CSVRecord(line: r.line, count: r.count, problem: r.problem, bytes: UnsafeRawPointer(bytes),
                             ends: UnsafePointer(ends + r.firstField), start: r.firstField == 0 ? 0 : ends[r.firstField - 1])
        }

        /// Phone field `column` (a position in the phone columns) of record `index`.
        @inline(__always)
        func number(_ index: Int, _ column: Int) -> PreparedNumber { numbers[index * phoneColumnCount + column] }

        /// Field `column` of each well-formed sampled record of `columns` fields (valid while the
        /// batch is).
        func fields(column: Int, columns: Int) -> some Sequence<UnsafeRawBufferPointer> {
            (0..<sampledCount).lazy.map { self.record($0) }.filter { $0.problem == nil && $0.count == columns }.map { $0.field(column) }
        }

        /// The numbers after the first of a field that holds several.
        func moreNumbers(of number: PreparedNumber) -> ArraySlice<PreparedNumber> { more[number.more] }

        fileprivate func reset() {
            clearNumbers()
            bytesCount = 0
            endsCount = 0
            records.removeAll(keepingCapacity: true)
            isLast = false
        }

        /// Forgets the prepared numbers, keeping the records (a sample read before the phone
        /// columns were known is prepared again with them).
        fileprivate func clearNumbers(phoneColumns: Int? = nil) {
            if let phoneColumns { phoneColumnCount = phoneColumns }
            numbers.removeAll(keepingCapacity: true)
            more.removeAll(keepingCapacity: true)
        }

        /// Copies a record in: its fields are back to back in the reader's memory.
        func append(_ record: CSVRecord) {
            let size = record.totalBytes
            if bytesCount + size > bytesCapacity {
                BufferGrowth.grow(&bytes, capacity: &bytesCapacity, keeping: bytesCount, toHold: bytesCount + size)
            }
            if endsCount + record.count > endsCapacity {
                BufferGrowth.grow(&ends, capacity: &endsCapacity, keeping: endsCount, toHold: endsCount + record.count)
            }
            if size > 0 { (bytes + bytesCount).copyMemory(from: record.bytes + record.start, byteCount: size) }
            let shift = bytesCount - record.start
            for i in 0..<record.count { ends[endsCount + i] = record.ends[i] + shift }
            records.append((endsCount, record.count, record.line, record.problem))
            endsCount += record.count
            bytesCount += size
        }
    }

    /// A number of a phone field as the reading thread left it: `parsed` nil for a blank field.
    struct PreparedNumber {
        var parsed: PhoneParseResult?
        var duplicate = false
        var hits = NumberJudge.ListHits.none
        /// Excel's artefacts undone before it was read.
        var repairs = ExcelRepairs()
        /// Its bytes in the field, and where the separator before it starts (`FieldNumber`).
        var start: Int32 = 0
        var end: Int32 = 0
        var separatorStart: Int32 = 0
        /// For the first number of a field that holds several: the others, in `Batch.more`.
        var more: Range<Int> = 0..<0

        init(parsed: PhoneParseResult?) {
            self.parsed = parsed
        }

        init(_ number: FieldNumber) {
            parsed = number.parsed
            repairs = number.repairs
            start = Int32(truncatingIfNeeded: number.start)
            end = Int32(truncatingIfNeeded: number.end)
            separatorStart = Int32(truncatingIfNeeded: number.separatorStart)
        }

        /// The first number of a field that holds one number as written, all of the field.
        var isWholeField: Bool { repairs.isEmpty && more.isEmpty }
    }

    private let reader: CSVReader
    private let columns: Int
    private let phoneColumns: [Int]
    /// Per phone column: restore a leading 0 (the column is plainly an Excel export).
    private let restoresLeadingZero: [Bool]
    /// The columns whose content is checked for phone numbers: neither washed nor declared.
    private let checkedColumns: [Int]
    private let content: PhoneContent
    private let judge: NumberJudge
    private let fields: LeadPhoneFields
    /// The further numbers of the field being read (reused).
    private var fieldNumbers: [FieldNumber] = []
    /// The first records of the file, read before the phone columns were chosen: the first batch.
    private var sample: Batch?
    private let firstBatch: Batch?
    private let recordsPerBatch: Int
    private let bytesPerBatch: Int
    private let batches: Handoff<Batch>
    private var started = false
    /// Keeps the read-ahead loads of `markDuplicates` from being optimized away.
    private var peekSink: UInt64 = 0
    /// The encoding seen in every field; complete once `next` returned nil.
    private(set) var encoding = EncodingGuess()
    /// What the checked columns hold; complete once `next` returned nil.
    private(set) var contentCounts: ColumnContentCounts

    /// A sample batch (records only) made by `sampleBatch`, read from `reader` before.
    /// `restoresLeadingZero`: per phone column, whether a number without its 0 gets it back.
    init(reader: CSVReader, sample: Batch?, phoneColumns: [Int], restoresLeadingZero: [Bool]? = nil, checkedColumns: [Int],
         judge: NumberJudge, batches: Int = 4, recordsPerBatch: Int = 4096, bytesPerBatch: Int = 1 << 19) {
        self.reader = reader
        columns = reader.header.count
        self.phoneColumns = phoneColumns
        self.restoresLeadingZero = restoresLeadingZero ?? phoneColumns.map { _ in false }
        self.checkedColumns = checkedColumns
        content = PhoneContent(normalizer: judge.normalizer)
        contentCounts = ColumnContentCounts(columns: reader.header.count)
        self.judge = judge
        fields = judge.leadFields
        self.sample = sample
        firstBatch = sample
        sample?.clearNumbers(phoneColumns: phoneColumns.count)
        self.recordsPerBatch = recordsPerBatch
        self.bytesPerBatch = bytesPerBatch
        let phoneColumnCount = phoneColumns.count
        self.batches = Handoff(capacity: max(batches, 2)) {
            Batch(bytes: bytesPerBatch + (1 << 16), fields: recordsPerBatch * 16, records: recordsPerBatch,
                  phoneColumns: phoneColumnCount)
        }
    }

    /// A file's first `rows` records, read before its phone columns are chosen (from their
    /// names and this sample's content); they become the first batch. Up to `aheadRows` records
    /// and `aheadBytes` bytes are read in all, so that a small file is known to be whole
    /// (`isLast`) before the wash starts.
    static func readSample(from reader: CSVReader, rows: Int, aheadRows: Int = 0, aheadBytes: Int = 0) throws -> Batch {
        let sample = Batch(bytes: 1 << 16, fields: 1 << 12, records: rows, phoneColumns: 0)
        let limit = max(rows, aheadRows)
        while sample.count < limit, sample.count < rows || sample.byteCount < aheadBytes {
            guard let record = try reader.next() else {
                sample.isLast = true
                break
            }
            sample.append(record)
        }
        sample.sampledCount = min(rows, sample.count)
        // A file of exactly that many rows is whole too (the sample holds copies of its records).
        if !sample.isLast, try reader.isAtEnd() { sample.isLast = true }
        return sample
    }

    /// The next batch (the one before goes back for reuse), or nil after the last. Throws
    /// what ended the file early, after the batches read before it.
    func next(after previous: Batch?) throws -> Batch? {
        if !started {
            started = true
            let thread = Thread { [self] in
                do {
                    try produce()
                    batches.finish()
                } catch {
                    batches.finish(throwing: error)
                }
            }
            thread.name = "nixwash-parse"
            thread.start()
        }
        // The sample is of its own size and used once.
        if let previous, previous !== firstBatch { batches.recycle(previous) }
        return try batches.receive()
    }

    /// Stops the reading thread early (the scrub failed) and waits until it has let go of the
    /// reader and the judge; safe to call at any time.
    func cancel() {
        batches.cancel()
        if started { batches.waitForProducer() }
    }

    /// Normalizes the phone fields of a record the scrub judges, in input order, and notes
    /// which numbers were seen before.
    @inline(__always)
    private func prepareNumbers(of record: CSVRecord, into batch: Batch, counts: inout ColumnContentCounts) {
        guard record.problem == nil, record.count == columns else {
            for _ in phoneColumns { batch.numbers.append(PreparedNumber(parsed: nil)) }
            return
        }
        for column in checkedColumns {
            counts.count(content.kind(of: record.field(column)), column: column, line: record.line)
        }
        for (position, column) in phoneColumns.enumerated() {
            let field = record.field(column)
            if Blanks.isBlank(field) {
                batch.numbers.append(PreparedNumber(parsed: nil))
                continue
            }
            var first = PreparedNumber(fields.read(field, restoringLeadingZero: restoresLeadingZero[position], more: &fieldNumbers))
            if !fieldNumbers.isEmpty {
                first.more = batch.more.count..<(batch.more.count + fieldNumbers.count)
                for number in fieldNumbers { batch.more.append(PreparedNumber(number)) }
                fieldNumbers.removeAll(keepingCapacity: true)
            }
            batch.numbers.append(first)
        }
    }

    /// The duplicate rule over a batch, in input order. A first pass reads every number's
    /// place in the set, so the cache misses of thousands of independent loads overlap; the
    /// second then finds them cached.
    private func markDuplicates(in batch: Batch) {
        var peeked: UInt64 = 0
        for item in batch.numbers {
            if case let .valid(number)? = item.parsed { peeked |= judge.peekSighting(number.key) }
        }
        peekSink |= peeked
        for i in batch.numbers.indices {
            if case let .valid(number)? = batch.numbers[i].parsed {
                batch.numbers[i].duplicate = !judge.firstSighting(number.key)
            }
            // A field's further numbers come right after its first, in input order.
            for k in batch.numbers[i].more {
                if case let .valid(number)? = batch.more[k].parsed { batch.more[k].duplicate = !judge.firstSighting(number.key) }
            }
        }
    }

    /// Numbers whose lookups are prefetched together: enough misses in flight to fill the
    /// memory system, few enough that the prefetched lines are still cached when read.
    static let lookupGroup = 32

    /// The batch's list lookups (NIX and its exemptions, block lists, history), a group at a
    /// time: every bucket of the group is fetched, then every first key, then the lookups run
    /// on cached lines. Each step's reads are independent, so their cache misses overlap.
    private func lookUp(_ batch: Batch) {
        lookUp(&batch.numbers)
        lookUp(&batch.more)
    }

    private func lookUp(_ numbers: inout [PreparedNumber]) {
        var start = 0
        while start < numbers.count {
            let group = start..<min(start + Self.lookupGroup, numbers.count)
            for i in group {
                if case let .valid(number)? = numbers[i].parsed { judge.prefetchBuckets(number.key) }
            }
            for i in group {
                if case let .valid(number)? = numbers[i].parsed { judge.prefetchKeys(number.key) }
            }
            for i in group {
                if case let .valid(number)? = numbers[i].parsed {
                    numbers[i].hits = judge.listHits(number.key)
                }
            }
            start = group.upperBound
        }
    }

    /// Reads the whole file into batches; throws what ended it early (after sending the
    /// records read before), or the scrubbing side's cancellation.
    private func produce() throws {
        var encoding = EncodingGuess()
        var counts = ColumnContentCounts(columns: columns)
        while true {
            let batch: Batch
            if let sample {
                // The sample's records are the first batch; only their numbers are new.
                self.sample = nil
                batch = sample
                for index in 0..<batch.count {
                    let record = batch.record(index)
                    for i in 0..<record.count { encoding.observe(record.field(i)) }
                    prepareNumbers(of: record, into: batch, counts: &counts)
                }
            } else {
                batch = try batches.takeEmpty()
                batch.reset()
            }
            var failure: Error?
            do {
                while !batch.isLast, batch.count < recordsPerBatch, batch.byteCount < bytesPerBatch {
                    guard let record = try reader.next() else {
                        batch.isLast = true
                        break
                    }
                    for i in 0..<record.count { encoding.observe(record.field(i)) }
                    batch.append(record)
                    prepareNumbers(of: record, into: batch, counts: &counts)
                }
            } catch {
                failure = error
            }
            markDuplicates(in: batch)
            lookUp(batch)
            batch.compressedBytesRead = reader.input.compressedBytesRead
            batch.recordsRead = reader.recordsRead
            if batch.isLast {
                // Read by the scrubbing side once `next` returned nil (the hand-off orders it).
                self.encoding = encoding
                contentCounts = counts
            }
            try batches.send(batch)
            if let failure { throw failure }
            if batch.isLast { return }
        }
    }
}
