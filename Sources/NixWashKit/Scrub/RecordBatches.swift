import Foundation

/// Reads a lead list on two threads of its own, a batch of records at a time: the reading
/// thread inflates, splits records and guesses the encoding; the preparing thread runs
/// `Prepare` on each batch read (the phone fields, the duplicate rule, which needs input order,
/// which one thread keeps, and the list probes), while the scrubbing thread judges the batch
/// before. A few batches go round (memory stays flat, through `Handoff`s), each holding copies
/// of its records' fields; an error arrives after the records read before it, as it would from
/// `CSVReader.next()`.
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
        var numbers: [PreparedNumber] = []
        /// The second and further numbers of fields that hold several (`PreparedNumber.more`).
        var more: [PreparedNumber] = []
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

    private let reader: CSVReader
    private let layout: PhoneLayout
    private let prepare: Prepare
    /// The first records of the file, read before the phone columns were chosen: the first batch.
    private var sample: Batch?
    private let firstBatch: Batch?
    private let recordsPerBatch: Int
    private let bytesPerBatch: Int
    private let batches: Handoff<Batch>
    /// Batches read and not yet prepared, from the reading thread to the preparing one.
    private let parsed = Handoff<Batch>(capacity: 2)
    private var started = false
    /// The encoding seen in every field; complete once `next` returned nil.
    private(set) var encoding = EncodingGuess()
    /// What the checked columns hold; complete once `next` returned nil.
    private(set) var contentCounts: ColumnContentCounts

    /// A sample batch (records only) made by `sampleBatch`, read from `reader` before.
    /// `restoresLeadingZero`: per phone column, whether a number without its 0 gets it back.
    init(reader: CSVReader, sample: Batch?, phoneColumns: [Int], restoresLeadingZero: [Bool]? = nil, checkedColumns: [Int],
         prepare: Prepare, batches: Int = 4, recordsPerBatch: Int = 4096, bytesPerBatch: Int = 1 << 19) {
        self.reader = reader
        layout = PhoneLayout(columns: reader.header.count, phoneColumns: phoneColumns,
                             restoresLeadingZero: restoresLeadingZero ?? phoneColumns.map { _ in false },
                             checkedColumns: checkedColumns)
        contentCounts = ColumnContentCounts(columns: reader.header.count)
        self.prepare = prepare
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
            let reading = Thread { [self] in
                do {
                    try read()
                    parsed.finish()
                } catch {
                    parsed.finish(throwing: error)
                }
            }
            reading.name = "nixwash-parse"
            let preparing = Thread { [self] in
                let outcome = Result { try prepareParsed() }
                // The reading thread may still take an empty batch: it ends before the stream does.
                parsed.cancel()
                parsed.waitForProducer()
                switch outcome {
                case .success: batches.finish()
                case let .failure(error): batches.finish(throwing: error)
                }
            }
            preparing.name = "nixwash-prepare"
            reading.start()
            preparing.start()
        }
        // The sample is of its own size and used once.
        if let previous, previous !== firstBatch { batches.recycle(previous) }
        return try batches.receive()
    }

    /// Stops the reading and preparing threads early (the scrub failed) and waits until they
    /// have let go of the reader and `Prepare`; safe to call at any time.
    func cancel() {
        batches.cancel()
        if started { batches.waitForProducer() }
    }

    /// The reading thread: reads the whole file into batches (inflating, splitting records, the
    /// encoding guess) for the preparing thread; throws what ended it early (after sending the
    /// records read before), or a cancellation.
    private func read() throws {
        var encoding = EncodingGuess()
        while true {
            let batch: Batch
            if let sample {
                // The sample's records are the first batch's first records.
                self.sample = nil
                batch = sample
                for index in 0..<batch.count {
                    let record = batch.record(index)
                    for i in 0..<record.count { encoding.observe(record.field(i)) }
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
                }
            } catch {
                failure = error
            }
            batch.compressedBytesRead = reader.input.compressedBytesRead
            batch.recordsRead = reader.recordsRead
            // Read by the scrubbing side once `next` returned nil (the hand-offs order it).
            if batch.isLast { self.encoding = encoding }
            try parsed.send(batch)
            if let failure { throw failure }
            if batch.isLast { return }
        }
    }

    /// The preparing thread: the phone fields, the duplicate rule (in input order: one thread)
    /// and the list probes of each batch read, which then goes to the scrubbing side. Throws
    /// the reading thread's error after the batches read before it, or a cancellation.
    private func prepareParsed() throws {
        var counts = ColumnContentCounts(columns: layout.columns)
        while let batch = try parsed.receive() {
            for index in 0..<batch.count {
                prepare.prepare(batch.record(index), layout: layout, into: batch, counts: &counts)
            }
            prepare.finish(batch)
            if batch.isLast { contentCounts = counts }
            try batches.send(batch)
        }
    }
}
