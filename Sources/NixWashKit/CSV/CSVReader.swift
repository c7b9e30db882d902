#if canImport(Glibc)
import Glibc
#endif
import CLibCSV

/// Settings for reading one CSV input.
public struct CSVOptions: Sendable {
    /// The field delimiter, or nil to detect it from the first line.
    public var delimiter: UInt8?
    /// Whether the first record is a header.
    public var hasHeader: Bool
    /// The largest record accepted, in bytes: a quote that is never closed must not eat memory.
    public var maxRecordSize: Int
    /// How many content bytes are parsed at a time (tests use tiny sizes).
    public var chunkSize: Int
    /// Whether a file with a header and no data rows is an error.
    public var requireDataRows: Bool

    public init(delimiter: UInt8? = nil, hasHeader: Bool = true, maxRecordSize: Int = 1 << 20,
                chunkSize: Int = 1 << 16, requireDataRows: Bool = true) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.maxRecordSize = maxRecordSize
        self.chunkSize = chunkSize
        self.requireDataRows = requireDataRows
    }
}

/// What is wrong with a record that libcsv could not parse cleanly. The reader skips the rest
/// of that line and carries on, so one bad row never stops a run.
public struct CSVProblem: Equatable, Sendable {
    /// The physical line and 1-based byte column of the offending quote or character.
    public var line: UInt64
    public var column: Int
    public var message: String { "a quote in the middle of a field, or text after a closing quote: quote the whole field and double inner quotes (\"\")" }
}

/// One record of a CSV file: its fields' exact bytes (quotes removed, everything else as in
/// the file) and the line it starts on. Valid until the reader's next `next()` call.
public struct CSVRecord {
    /// The 1-based line of the file where the record starts (quoted newlines make a record
    /// span several lines).
    public let line: UInt64
    /// Number of fields.
    public let count: Int
    /// Set when the line was malformed; the fields are those read before the fault.
    public let problem: CSVProblem?
    @usableFromInline let bytes: UnsafeRawPointer
    @usableFromInline let ends: UnsafePointer<Int>
    @usableFromInline let start: Int

    /// The bytes of field `index`.
    @inlinable
    public func field(_ index: Int) -> UnsafeRawBufferPointer {
        let from = index == 0 ? start : ends[index - 1]
        return UnsafeRawBufferPointer(start: bytes + from, count: ends[index] - from)
    }

    /// Field `index` as text (UTF-8, or Latin-1 when not valid UTF-8); not for hot paths.
    public func string(_ index: Int) -> String { decodeText(field(index)) }

    /// All fields' bytes of the record, for byte-exact copies.
    public var totalBytes: Int { count == 0 ? 0 : ends[count - 1] - start }
}

/// Streams CSV records out of a `ContentSource` (a file, zip member or sheet) through libcsv, in flat memory: content is
/// parsed a chunk at a time, and a chunk's records are kept only until they are read.
/// Line numbers are absolute and stay right across chunk boundaries, CRLF, blank lines and
/// quoted newlines.
public final class CSVReader {
    public let input: ContentSource
    public let options: CSVOptions
    /// The dialect found in the input (delimiter, line ending, byte order mark).
    public private(set) var dialect: CSVDialect
    /// The header's names (empty when the input has no header).
    public private(set) var header: [String] = []
    /// The header's raw field bytes, for writing it back unchanged.
    public private(set) var headerFields: [[UInt8]] = []
    /// Blank lines skipped so far (they hold no record).
    public private(set) var blankLines: UInt64 = 0
    /// Data records returned so far.
    public private(set) var recordsRead: UInt64 = 0
    /// Content bytes parsed so far (uncompressed).
    public private(set) var contentBytesRead: UInt64 = 0
    /// Data records that ended in a trailing delimiter (one empty field more than the header),
    /// returned without that field.
    public private(set) var trailingDelimiterRows: UInt64 = 0
    /// Whether the header line ended in a delimiter (an empty last name), dropped from `header`.
    public private(set) var headerHadTrailingDelimiter = false
    /// The header's width, or -1 without a header.
    private var headerWidth = -1

    public var delimiter: UInt8 { dialect.delimiter }
    public var path: String { input.path }

    private var parser = csv_parser()
    private let chunk: UnsafeMutableRawBufferPointer
    private var finished = false

    // Parsed fields of the records of the current chunk, back to back.
    private var fieldBytes: UnsafeMutableRawPointer
    private var fieldBytesCapacity: Int
    private var fieldBytesCount = 0
    private var fieldEnds: UnsafeMutablePointer<Int>
    private var fieldEndsCapacity: Int
    private var fieldCount = 0
    // Completed records: (index of first field, field count, line, fault).
    private var records: [(firstField: Int, count: Int, line: UInt64, problem: CSVProblem?)] = []
    private var nextRecord = 0
    // The record being assembled.
    private var openRecordFirstField = 0
    private var openRecordNewlines: UInt64 = 0
    /// The line of the first record found larger than `maxRecordSize`, which may have ended
    /// (and `nextLine` moved on) before the check runs.
    private var tooLargeRecordLine: UInt64?
    private var nextLine: UInt64 = 1
    private var pendingCarriageReturn = false
    // After a malformed field: the fault, while the rest of its line is skipped.
    private var skippedLineProblem: CSVProblem?
    // Bytes since the last line break, to give a fault's column.
    private var bytesSinceLineBreak = 0

    public init(input: ContentSource, options: CSVOptions = CSVOptions()) throws {
        self.input = input
        self.options = options
        dialect = CSVDialect(delimiter: options.delimiter ?? UInt8(ascii: ","))
        chunk = .allocate(byteCount: max(options.chunkSize, 1), alignment: 16)
        fieldBytesCapacity = 1 << 16
        fieldBytes = .allocate(byteCount: fieldBytesCapacity, alignment: 16)
        fieldEndsCapacity = 1024
        fieldEnds = .allocate(capacity: fieldEndsCapacity)
        records.reserveCapacity(1024)
        guard csv_init(&parser, UInt8(CSV_REPALL_NL | CSV_STRICT)) == 0 else {
            throw NixWashError.readFailed(path: input.path, reason: "libcsv could not start")
        }
        // Spaces are data: a field keeps its leading and trailing blanks byte for byte.
        csv_set_space_func(&parser) { _ in 0 }
        try readPreamble()
    }

    deinit {
        csv_free(&parser)
        chunk.deallocate()
        fieldBytes.deallocate()
        fieldEnds.deallocate()
    }

    /// Reads the start of the content: byte order mark, first line (for the delimiter and
    /// line ending) and the header record.
    private func readPreamble() throws {
        var prefix: [UInt8] = []
        var newlineAt: Int?
        while newlineAt == nil {
            let n = try readContent()
            if n == 0 { break }
            prefix.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
            newlineAt = firstUnquotedNewline(prefix)
            if newlineAt == nil, prefix.count > options.maxRecordSize {
                throw NixWashError.recordTooLarge(path: input.path, line: 1, limit: options.maxRecordSize)
            }
        }
        var bodyStart = 0
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) {
            dialect.hasByteOrderMark = true
            bodyStart = 3
        }
        let firstLineEnd = newlineAt ?? prefix.count
        if let at = newlineAt, at > 0, prefix[at - 1] == 0x0D, prefix[at] == 0x0A {
            dialect.lineEnding = [0x0D, 0x0A]
        }
        if options.delimiter == nil {
            dialect.delimiter = prefix.withUnsafeBytes {
                CSVDialect.detectDelimiter(firstLine: UnsafeRawBufferPointer(rebasing: $0[bodyStart..<max(bodyStart, firstLineEnd)]))
            }
        }
        csv_set_delim(&parser, dialect.delimiter)
        let onlyBlank = prefix[bodyStart...].allSatisfy { $0 == 0x0A || $0 == 0x0D }
        if onlyBlank && newlineAt == nil { throw NixWashError.emptyInput(path: input.path) }
        try prefix.withUnsafeBytes { try parse(UnsafeRawBufferPointer(rebasing: $0[bodyStart...])) }
        if options.hasHeader {
            guard let first = try nextRecordInternal() else { throw NixWashError.emptyInput(path: input.path) }
            // A delimiter at the end of the header line ends it; it names no column.
            var width = first.count
            if width > 1, first.field(width - 1).isEmpty {
                width -= 1
                headerHadTrailingDelimiter = true
            }
            headerFields = (0..<width).map { Array(first.field($0)) }
            header = (0..<width).map { first.string($0) }
            headerWidth = width
        }
    }

    /// The index of the `\n` (or lone `\r`) that ends the first line, ignoring quoted ones.
    private func firstUnquotedNewline(_ bytes: [UInt8]) -> Int? {
        var quoted = false
        for (i, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            else if !quoted, byte == 0x0A { return i }
            else if !quoted, byte == 0x0D, i + 1 < bytes.count, bytes[i + 1] != 0x0A { return i }
        }
        return nil
    }

    /// The next data record, or nil at the end of the input.
    ///
    /// A record with one field more than the header, that field empty, ended in a trailing
    /// delimiter (`1;0701234567;A;` under `id;telefon;kalla`, as some exports write every
    /// line): it is returned without that field, so its fields line up with the header and
    /// its bytes are the input's. A non-empty extra field is data in no column, and the
    /// record keeps it (the scrub rejects it as malformed).
    public func next() throws -> CSVRecord? {
        guard let record = try nextRecordInternal() else {
            if options.requireDataRows, options.hasHeader, recordsRead == 0 {
                throw NixWashError.headerOnly(path: input.path)
            }
            return nil
        }
        recordsRead += 1
        if record.count == headerWidth + 1, record.problem == nil, record.field(headerWidth).isEmpty {
            trailingDelimiterRows += 1
            return CSVRecord(line: record.line, count: headerWidth, problem: nil, bytes: record.bytes,
                             ends: record.ends, start: record.start)
        }
        return record
    }

    /// Whether the input holds no further record, reading ahead as far as the next one. The
    /// bytes of the record returned last may be gone after it: copy them first.
    public func isAtEnd() throws -> Bool {
        while nextRecord == records.count {
            if finished { return true }
            discardReadRecords()
            let n = try readContent()
            if n == 0 {
                try finish()
            } else {
                try parse(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
            }
        }
        return false
    }

    private func nextRecordInternal() throws -> CSVRecord? {
        if try isAtEnd() { return nil }
        let r = records[nextRecord]
        nextRecord += 1
        let start = r.firstField == 0 ? 0 : fieldEnds[r.firstField - 1]
        return CSVRecord(line: r.line, count: r.count, problem: r.problem, bytes: UnsafeRawPointer(fieldBytes),
                         ends: UnsafePointer(fieldEnds + r.firstField), start: start)
    }

    private func readContent() throws -> Int {
        let n = try input.read(into: chunk)
        if n > 0, let nul = memchr(chunk.baseAddress!, 0, n) {
            throw NixWashError.binaryInput(path: input.path, offset: contentBytesRead + UInt64(chunk.baseAddress!.distance(to: nul)))
        }
        contentBytesRead += UInt64(n)
        return n
    }

    private func parse(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        let context = Unmanaged.passUnretained(self).toOpaque()
        var offset = 0
        // Where a fault's column is counted from when its line starts before this call.
        var faultOrigin = 0
        var scan = LineScan(bytes)
        while offset < bytes.count {
            if skippedLineProblem != nil {
                guard let end = scan.nextLineBreak(from: offset) else { break }
                endMalformedRecord(terminator: Int32(bytes[end]))
                offset = end + 1
                faultOrigin = offset
                continue
            }
            // Most lines have no quote: at a record boundary they are split at the delimiters
            // here, as libcsv would split them, without a call per field.
            if parser.pstate == 0, parser.entry_pos == 0, openRecordFirstField == fieldCount {
                offset = splitPlainLines(&scan, from: offset)
                if offset == bytes.count { break }
            }
            // libcsv takes the rest of this line: quoted fields, or a line the chunk cuts.
            let end = scan.nextLineBreak(from: offset).map { $0 + 1 } ?? bytes.count
            let rest = end - offset
            let consumed = csv_parse(&parser, bytes.baseAddress! + offset, rest, fieldCallback, rowCallback, context)
            if consumed == rest {
                offset = end
                continue
            }
            guard csv_error(&parser) == CSV_EPARSE else {
                throw NixWashError.readFailed(path: input.path, reason: String(cString: csv_strerror(csv_error(&parser))))
            }
            let at = offset + consumed
            let lineStart = bytes[faultOrigin..<at].lastIndex(where: { $0 == 0x0A || $0 == 0x0D })
            let column = lineStart.map { at - $0 } ?? (bytesSinceLineBreak + at + 1)
            // Line breaks inside the unfinished quoted field are lines of this record too.
            openRecordNewlines += Self.lineBreaks(in: UnsafeRawBufferPointer(start: parser.entry_buf, count: parser.entry_pos))
            skippedLineProblem = CSVProblem(line: nextLine + openRecordNewlines, column: column)
            // Start the parser afresh for the next line.
            parser.status = 0
            parser.pstate = 0
            parser.quoted = 0
            parser.spaces = 0
            parser.entry_pos = 0
            offset = at
        }
        if let lastBreak = bytes.lastIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
            bytesSinceLineBreak = bytes.count - lastBreak - 1
        } else {
            bytesSinceLineBreak += bytes.count
        }
        try checkOpenRecordSize()
    }

    /// Splits whole lines without a quote from `offset` on into records, as libcsv (strict,
    /// spaces kept) would: fields between delimiters, byte for byte; an empty line is an
    /// empty row. Stops at the first line with a quote or without its line break; returns
    /// where it stopped.
    private func splitPlainLines(_ scan: inout LineScan, from start: Int) -> Int {
        let base = scan.base
        let delimiter = dialect.delimiter
        var offset = start
        while let lineEnd = scan.nextLineBreak(from: offset), !scan.hasQuote(from: offset, before: lineEnd) {
            if lineEnd > offset {
                var fieldStart = offset
                while let d = memchr(base + fieldStart, Int32(delimiter), lineEnd - fieldStart) {
                    let at = base.distance(to: UnsafeRawPointer(d))
                    appendPlainField(base + fieldStart, at - fieldStart)
                    fieldStart = at + 1
                }
                appendPlainField(base + fieldStart, lineEnd - fieldStart)
            }
            endRow(Int32(base.load(fromByteOffset: lineEnd, as: UInt8.self)))
            offset = lineEnd + 1
        }
        return offset
    }

    private func finish() throws {
        if skippedLineProblem != nil { endMalformedRecord(terminator: -1) }
        // libcsv's FIELD_BEGUN state (2) in a quoted field: the closing quote never came.
        if parser.pstate == 2 && parser.quoted != 0 {
            throw NixWashError.unterminatedQuote(path: input.path, line: nextLine)
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = csv_fini(&parser, fieldCallback, rowCallback, context)
        try checkOpenRecordSize()
        finished = true
    }

    /// Closes a malformed record at the end of its line, with the fields read before the fault.
    private func endMalformedRecord(terminator: Int32) {
        let problem = skippedLineProblem
        skippedLineProblem = nil
        records.append((openRecordFirstField, fieldCount - openRecordFirstField, nextLine, problem))
        nextLine += openRecordNewlines + 1
        openRecordNewlines = 0
        openRecordFirstField = fieldCount
        pendingCarriageReturn = terminator == 0x0D
    }

    private func checkOpenRecordSize() throws {
        let openBytes = fieldBytesCount - (openRecordFirstField == 0 ? 0 : fieldEnds[openRecordFirstField - 1])
        if let line = tooLargeRecordLine {
            throw NixWashError.recordTooLarge(path: input.path, line: line, limit: options.maxRecordSize)
        }
        if csv_get_buffer_size(&parser) > options.maxRecordSize || openBytes > options.maxRecordSize {
            throw NixWashError.recordTooLarge(path: input.path, line: nextLine, limit: options.maxRecordSize)
        }
    }

    /// Drops the records already returned, keeping the fields of the record still open.
    private func discardReadRecords() {
        let keepFrom = openRecordFirstField
        let byteStart = keepFrom == 0 ? 0 : fieldEnds[keepFrom - 1]
        let keptFields = fieldCount - keepFrom
        let keptBytes = fieldBytesCount - byteStart
        if keptBytes > 0 { fieldBytes.copyMemory(from: fieldBytes + byteStart, byteCount: keptBytes) }
        for i in 0..<keptFields { fieldEnds[i] = fieldEnds[keepFrom + i] - byteStart }
        fieldCount = keptFields
        fieldBytesCount = keptBytes
        openRecordFirstField = 0
        records.removeAll(keepingCapacity: true)
        nextRecord = 0
    }

    fileprivate func appendField(_ data: UnsafeRawPointer?, _ length: Int) {
        if fieldBytesCount + length > fieldBytesCapacity {
            BufferGrowth.grow(&fieldBytes, capacity: &fieldBytesCapacity, keeping: fieldBytesCount, toHold: fieldBytesCount + length)
        }
        if fieldCount == fieldEndsCapacity {
            BufferGrowth.grow(&fieldEnds, capacity: &fieldEndsCapacity, keeping: fieldCount, toHold: fieldCount + 1)
        }
        if let data, length > 0 {
            (fieldBytes + fieldBytesCount).copyMemory(from: data, byteCount: length)
            openRecordNewlines += Self.lineBreaks(in: UnsafeRawBufferPointer(start: data, count: length))
        }
        fieldBytesCount += length
        fieldEnds[fieldCount] = fieldBytesCount
        fieldCount += 1
        let openBytes = fieldBytesCount - (openRecordFirstField == 0 ? 0 : fieldEnds[openRecordFirstField - 1])
        if openBytes > options.maxRecordSize, tooLargeRecordLine == nil { tooLargeRecordLine = nextLine }
    }

    /// `appendField` for a field with no line break in it (the plain-line path).
    @inline(__always)
    private func appendPlainField(_ data: UnsafeRawPointer, _ length: Int) {
        if fieldBytesCount + length > fieldBytesCapacity || fieldCount == fieldEndsCapacity {
            appendField(data, length)
            return
        }
        (fieldBytes + fieldBytesCount).copyMemory(from: data, byteCount: length)
        fieldBytesCount += length
        fieldEnds[fieldCount] = fieldBytesCount
        fieldCount += 1
        let openBytes = fieldBytesCount - (openRecordFirstField == 0 ? 0 : fieldEnds[openRecordFirstField - 1])
        if openBytes > options.maxRecordSize, tooLargeRecordLine == nil { tooLargeRecordLine = nextLine }
    }

    /// Line breaks inside a quoted field: `\n`, and `\r` not followed by `\n`.
    private static func lineBreaks(in bytes: UnsafeRawBufferPointer) -> UInt64 {
        var count: UInt64 = 0
        var previousCR = false
        for byte in bytes {
            if byte == 0x0A { if !previousCR { count += 1 } ; previousCR = false }
            else if byte == 0x0D { count += 1; previousCR = true }
            else { previousCR = false }
        }
        return count
    }

    fileprivate func endRow(_ terminator: Int32) {
        let fields = fieldCount - openRecordFirstField
        if fields == 0 {
            // An empty row: the LF of a CRLF, the end of input, or a blank line.
            if terminator == 0x0A && pendingCarriageReturn {
                pendingCarriageReturn = false
            } else if terminator >= 0 {
                blankLines += 1
                nextLine += 1
                pendingCarriageReturn = terminator == 0x0D
            }
            return
        }
        records.append((openRecordFirstField, fields, nextLine, nil))
        nextLine += openRecordNewlines + 1
        openRecordNewlines = 0
        openRecordFirstField = fieldCount
        pendingCarriageReturn = terminator == 0x0D
    }
}

/// Finds line breaks and quotes in a chunk with `memchr`, remembering the next of each so
/// every byte is looked at about once.
private struct LineScan {
    let base: UnsafeRawPointer
    let count: Int
    private var nextLF = -1
    private var nextCR = -1
    private var nextQuote = -1

    init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress!
        count = bytes.count
    }

    private func find(_ byte: UInt8, from offset: Int) -> Int {
        guard offset < count, let p = memchr(base + offset, Int32(byte), count - offset) else { return count }
        return base.distance(to: UnsafeRawPointer(p))
    }

    /// The first `\n` or `\r` at or after `offset`.
    mutating func nextLineBreak(from offset: Int) -> Int? {
        if nextLF < offset { nextLF = find(0x0A, from: offset) }
        if nextCR < offset { nextCR = find(0x0D, from: offset) }
        let end = min(nextLF, nextCR)
        return end < count ? end : nil
    }

    /// Whether a `"` lies in `offset..<end`.
    mutating func hasQuote(from offset: Int, before end: Int) -> Bool {
        if nextQuote < offset { nextQuote = find(UInt8(ascii: "\""), from: offset) }
        return nextQuote < end
    }
}

private let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { data, length, context in
    Unmanaged<CSVReader>.fromOpaque(context!).takeUnretainedValue().appendField(data.map(UnsafeRawPointer.init), length)
}

private let rowCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { terminator, context in
    Unmanaged<CSVReader>.fromOpaque(context!).takeUnretainedValue().endRow(terminator)
}
