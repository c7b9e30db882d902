#if canImport(Glibc)
import Glibc
#endif

/// How far a scrub has come, for a progress display.
public struct ScrubProgress: Sendable {
    public var rows: UInt64
    public var file: String
    public var fileIndex: Int
    public var files: Int
    /// Bytes of the current file read so far (compressed bytes for gzip) and its size.
    public var fileBytesRead: UInt64
    public var fileSize: UInt64?
    /// Bytes of all earlier files plus the current one read so far, and of all files.
    public var totalBytesRead: UInt64
    public var totalSize: UInt64?
}

/// The whole wash (SPEC sections 1 and 3): streams every lead list once, judges every number
/// in every phone column, writes `callable.csv.gz`, `rejects.csv.gz`, `report.json` and
/// `report.html` into an output folder that appears only when everything is written and the
/// accounting balances.
public final class Scrubber {
    public static let callableColumns = ["e164", "source", "attempts_left_today", "not_before", "nix_exemption"]
    public static let rejectColumns = ["file", "line", "phone_column", "raw_number", "e164", "reason", "reasons", "detail", "source"]

    public let configuration: ScrubConfiguration

    public init(configuration: ScrubConfiguration) {
        self.configuration = configuration
    }

    /// One lead list, opened and checked before any output exists.
    private struct Lead {
        var reader: CSVReader
        var roles: ColumnRoles
        var group: Int
        var hasher: InputFingerprint
    }

    /// Inputs with the same header and dialect share one callable and one rejects file.
    private final class OutputGroup {
        let callableName: String
        let rejectsName: String
        let callable: CSVWriter
        let rejects: CSVWriter
        var callableRows: UInt64 = 0
        var rejectRows: UInt64 = 0

        init(index: Int, dialect: CSVDialect, header: [[UInt8]], folder: OutputFolder, workers: CompressionWorkers) throws {
            let suffix = index == 0 ? "" : "-\(index + 1)"
            callableName = "callable\(suffix).csv.gz"
            rejectsName = "rejects\(suffix).csv.gz"
            callable = CSVWriter(sink: try BlockGzipFileSink(path: folder.path(for: callableName), workers: workers), dialect: dialect)
            rejects = CSVWriter(sink: try BlockGzipFileSink(path: folder.path(for: rejectsName), workers: workers), dialect: dialect)
            for field in header { try callable.writeField(field) }
            for name in Scrubber.callableColumns { try callable.writeField(name) }
            try callable.endRow()
            for field in header { try rejects.writeField(field) }
            for name in Scrubber.rejectColumns { try rejects.writeField(name) }
            try rejects.endRow()
        }
    }

    public func run(progress: ((ScrubProgress) -> Void)? = nil) throws -> ScrubReport {
        let c = configuration
        let started = StockholmTime.iso8601(Int64(time(nil)))
        let judge = try NumberJudge(configuration: c)

        var leads: [Lead] = []
        var shapes: [(header: [[UInt8]], dialect: CSVDialect)] = []
        for path in c.leadFiles {
            let hasher = InputFingerprint()
            let input = try InputFile(path: path, observer: hasher)
            let reader = try CSVReader(input: input, options: c.csv)
            let roles = try ColumnRoles.resolve(header: reader.header, path: path, phoneColumns: c.phoneColumns,
                                                sourceColumn: c.sourceColumn)
            if roles.sourceColumn == nil, c.source == nil {
                throw NixWashError.noSource(path: path, header: reader.header)
            }
            let group: Int
            if let known = shapes.firstIndex(where: { $0.header == reader.headerFields && $0.dialect == reader.dialect }) {
                group = known
            } else {
                shapes.append((reader.headerFields, reader.dialect))
                group = shapes.count - 1
            }
            leads.append(Lead(reader: reader, roles: roles, group: group, hasher: hasher))
        }

        let folder = try OutputFolder(path: c.outputFolder, replaceExisting: c.replaceOutput)
        // Output compression runs on every core while this thread judges (the pipeline:
        // read-ahead thread inflates, this one parses and judges, workers deflate blocks).
        let workers = CompressionWorkers(level: c.compressionLevel)
        defer { workers.shutdown() }
        let groups = try shapes.enumerated().map { i, shape in
            try OutputGroup(index: i, dialect: shape.dialect, header: shape.header, folder: folder, workers: workers)
        }
        var tally = Tally(defaultSource: c.source)
        var inputReports: [ScrubReport.InputFileReport] = []
        let totalSize = leads.reduce(UInt64(0) as UInt64?) { sum, lead in
            guard let sum, let size = lead.reader.input.compressedSize else { return nil }
            return sum + size
        }
        var bytesBefore: UInt64 = 0
        for (fileIndex, lead) in leads.enumerated() {
            let group = groups[lead.group]
            var encoding = EncodingGuess()
            try scrubFile(lead, group: group, judge: judge, tally: &tally, encoding: &encoding) { rows, read in
                guard let progress else { return }
                progress(ScrubProgress(rows: rows, file: lead.reader.path, fileIndex: fileIndex, files: leads.count,
                                       fileBytesRead: read, fileSize: lead.reader.input.compressedSize,
                                       totalBytesRead: bytesBefore + read, totalSize: totalSize))
            }
            bytesBefore += lead.reader.input.compressedBytesRead
            let reader = lead.reader
            inputReports.append(ScrubReport.InputFileReport(
                path: reader.path, size: reader.input.compressedSize, sha256: lead.hasher.digest(),
                compression: reader.input.isGzip ? "gzip" : "none", delimiter: reader.dialect.delimiterName,
                encoding: encoding.name, rows: reader.recordsRead,
                phoneColumns: lead.roles.phoneColumns.map { reader.header[$0] },
                sourceColumn: lead.roles.sourceColumn.map { reader.header[$0] },
                outputs: [group.callableName, group.rejectsName]))
        }
        for group in groups {
            try group.callable.finish()
            try group.rejects.finish()
        }

        let totals = tally.totals
        let writtenCallable = groups.reduce(0) { $0 + $1.callableRows }
        let writtenRejects = groups.reduce(0) { $0 + $1.rejectRows }
        let balanced = totals.rowsBalance && totals.numbersBalance
            && writtenCallable == totals.rowsCallable && writtenRejects == totals.numbersRejected
            && tally.bySource.values.allSatisfy { $0.rowsBalance && $0.numbersBalance }
        guard balanced else {
            throw NixWashError.accountingBroken(detail: "rows in \(totals.rowsIn), callable \(totals.rowsCallable) (written \(writtenCallable)), not callable \(totals.rowsNotCallable); numbers in \(totals.numbersIn), callable \(totals.numbersCallable), rejected \(totals.numbersRejected) (written \(writtenRejects))")
        }

        let outputNames = groups.flatMap { [$0.callableName, $0.rejectsName] } + ["report.json", "report.html"]
        let report = ScrubReport(
            started: started, finished: StockholmTime.iso8601(Int64(time(nil))),
            callDate: c.callDate.description, campaign: c.campaign, offer: c.offer, contactCentre: c.contactCentre,
            productCategory: c.productCategory, ruleProfile: c.profile, ruleProfilePath: c.profilePath,
            callingWindow: ["open": StockholmTime.iso8601(judge.quotaJudge.window.open),
                            "close": StockholmTime.iso8601(judge.quotaJudge.window.close)],
            inputs: inputReports,
            registers: ([judge.nix] + judge.blockLists).map(Self.listReport),
            customers: judge.customers.map { ["path": c.customers ?? "", "numbers": String($0.table.count)] },
            consents: judge.consents.map { ["path": c.consents ?? "", "numbers": String($0.table.count)] },
            history: judge.history.map { ["path": c.historyDatabase.map { HistoryLocation($0).description } ?? "", "numbers_with_attempts": String($0.count)] },
            totals: totals, bySource: tally.bySource,
            accounting: ScrubReport.Accounting(
                rows: "\(totals.rowsIn) rows in = \(totals.rowsCallable) callable + \(totals.rowsNotCallable) with no callable number",
                numbers: "\(totals.numbersIn) numbers in = \(totals.numbersCallable) callable + \(totals.numbersRejected) rejected",
                balanced: balanced),
            outputs: outputNames)
        try ReportWriter.writeJSON(report, to: folder.path(for: "report.json"))
        try ReportWriter.writeHTML(report, to: folder.path(for: "report.html"))
        try folder.commit()
        return report
    }

    private static func listReport(_ index: BlockIndex) -> ScrubReport.ListReport {
        let h = index.header
        return ScrubReport.ListReport(
            kind: h.kind.name, label: h.label, path: index.path,
            registerDate: h.registerDate.map { LocalDate(daysSinceEpoch: Int($0)).description },
            entries: h.entryCount, indexChecksum: String(h.bodyChecksum, radix: 16))
    }

    /// Streams one lead list through the judge into its group's writers.
    private func scrubFile(_ lead: Lead, group: OutputGroup, judge: NumberJudge, tally: inout Tally,
                           encoding: inout EncodingGuess, progress: (_ rows: UInt64, _ bytesRead: UInt64) -> Void) throws {
        let reader = lead.reader
        let header = reader.header
        let columns = header.count
        let phoneColumns = lead.roles.phoneColumns
        let sourceColumn = lead.roles.sourceColumn
        let fileBytes = Array(reader.path.utf8)
        // Per-row state lives in buffers made once per file: the hot loop allocates nothing.
        let rejected = UnsafeMutablePointer<Bool>.allocate(capacity: max(columns, 1))
        rejected.initialize(repeating: false, count: max(columns, 1))
        defer { rejected.deallocate() }
        // `not_before` is the window's opening for nearly every number: formatted once per value.
        var notBefore: Int64 = .min
        var notBeforeText: [UInt8] = []
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        // Words that repeat from reject to reject, made once: "nix|duplicate" by reason set,
        // the detail of each distinct case, source names as text.
        var reasonLists = [[UInt8]?](repeating: nil, count: 1 << Reason.allCases.count)
        var details: [NumberJudge.DetailKey: [UInt8]] = [:]
        var fixedDetails = [[UInt8]?](repeating: nil, count: 1 << Reason.allCases.count)
        var sourceNames: [[UInt8]?] = []
        let callable = group.callable
        let rejects = group.rejects
        // The same words on every reject: quoted (where they must be) once, not checked per row.
        let encodedFile = rejects.encoded(reader.path)
        let encodedPhoneNames = header.map { rejects.encoded($0) }
        let encodedReasonNames = Self.reasonNames.map { rejects.encoded(String(decoding: $0, as: UTF8.self)) }

        func writeReject(_ record: CSVRecord, column: Int?, raw: UnsafeRawBufferPointer?, verdict: NumberVerdict?,
                         reasons: ReasonSet, detail: [UInt8], source: Int) throws {
            for i in 0..<columns {
                if i < record.count { try rejects.writeField(record.field(i)) } else { try rejects.writeField(UnsafeRawBufferPointer(start: nil, count: 0)) }
            }
            rejects.writeEncodedField(encodedFile)
            try rejects.writeField(record.line)
            rejects.writeEncodedField(column.map { encodedPhoneNames[$0] } ?? [])
            try rejects.writeField(raw ?? UnsafeRawBufferPointer(start: nil, count: 0))
            if let key = verdict?.number?.key { try rejects.writeField(key.rawValue, prefix: UInt8(ascii: "+")) } else { try rejects.writeField(empty) }
            rejects.writeEncodedField(encodedReasonNames[reasons.rawValue.trailingZeroBitCount])
            if let text = reasonLists[Int(reasons.rawValue)] {
                rejects.writeEncodedField(text)
            } else {
                let text = rejects.encoded(reasons.reasons.map(\.rawValue).joined(separator: "|"))
                reasonLists[Int(reasons.rawValue)] = text
                rejects.writeEncodedField(text)
            }
            rejects.writeEncodedField(detail)
            while sourceNames.count <= source { sourceNames.append(nil) }
            if let name = sourceNames[source] {
                rejects.writeEncodedField(name)
            } else {
                let name = rejects.encoded(tally.sourceName(source))
                sourceNames[source] = name
                rejects.writeEncodedField(name)
            }
            try rejects.endRow()
            group.rejectRows += 1
        }

        // Reading runs on a thread of its own, a batch of records ahead of this loop.
        let batches = RecordBatches(reader: reader, phoneColumns: phoneColumns, judge: judge)
        defer { batches.cancel() }
        var batch: RecordBatches.Batch?
        while let current = batches.next(after: batch) {
            batch = current
            for index in 0..<current.count {
                let record = current.record(index)
                let source = tally.sourceIndex(for: sourceColumn.flatMap { $0 < record.count ? record.field($0) : nil },
                                               fallback: fileBytes)
                tally.countRow(source: source)

                if let problem = record.problem {
                    let detail = "line \(problem.line), column \(problem.column): \(problem.message)"
                    try writeReject(record, column: nil, raw: nil, verdict: nil, reasons: ReasonSet(.malformedRow), detail: rejects.encoded(detail), source: source)
                    tally.countRejected(ReasonSet(.malformedRow), source: source)
                    tally.countRowNotCallable(source: source)
                    continue
                }
                if record.count != columns {
                    var detail = "the row has \(record.count) fields, the header has \(columns)"
                    if record.count > columns {
                        detail += "; fields beyond the header: " + (columns..<record.count).map { record.string($0) }.joined(separator: " | ")
                    }
                    try writeReject(record, column: nil, raw: nil, verdict: nil, reasons: ReasonSet(.malformedRow), detail: rejects.encoded(detail), source: source)
                    tally.countRejected(ReasonSet(.malformedRow), source: source)
                    tally.countRowNotCallable(source: source)
                    continue
                }

                var first: (verdict: NumberVerdict, column: Int)?
                var sawNumber = false
                for (position, column) in phoneColumns.enumerated() {
                    let prepared = current.number(index, position)
                    guard let parsed = prepared.parsed else { continue }
                    let field = record.field(column)
                    sawNumber = true
                    let verdict = judge.judge(parsed, duplicate: prepared.duplicate, hits: prepared.hits)
                    if verdict.isCallable {
                        tally.countCallable(exemption: verdict.exemption, source: source)
                        if first == nil { first = (verdict, column) }
                    } else {
                        rejected[column] = true
                        let detail: [UInt8]
                        let reasonBits = Int(verdict.reasons.rawValue)
                        if verdict.reasons.rawValue & ~Self.fixedWordReasons.rawValue == 0, let known = fixedDetails[reasonBits] {
                            detail = known  // the common case (nix, duplicate), without hashing
                        } else {
                            let detailKey = judge.detailKey(of: verdict)
                            if let known = details[detailKey] {
                                detail = known
                            } else {
                                detail = rejects.encoded(judge.details(of: verdict).map { "\($0.0.rawValue): \($0.1)" }.joined(separator: "; "))
                                if details.count < 65_536 { details[detailKey] = detail }
                            }
                            if verdict.reasons.rawValue & ~Self.fixedWordReasons.rawValue == 0 { fixedDetails[reasonBits] = detail }
                        }
                        try writeReject(record, column: column, raw: field, verdict: verdict, reasons: verdict.reasons, detail: detail, source: source)
                        tally.countRejected(verdict.reasons, source: source)
                    }
                }
                if !sawNumber {
                    let detail = "invalid_number: the row has no phone number (\(phoneColumns.map { header[$0] }.joined(separator: ", ")) are empty)"
                    try writeReject(record, column: phoneColumns[0], raw: record.field(phoneColumns[0]), verdict: nil,
                                    reasons: ReasonSet(.invalidNumber), detail: rejects.encoded(detail), source: source)
                    tally.countRejected(ReasonSet(.invalidNumber), source: source)
                }
                if let first {
                    for i in 0..<columns {
                        try callable.writeField(rejected[i] ? empty : record.field(i))
                    }
                    try callable.writeField(first.verdict.number!.key.rawValue, prefix: UInt8(ascii: "+"))
                    try callable.writeField(tally.sourceBytes(source))
                    try callable.writeField(UInt64(first.verdict.quota.attemptsLeftToday))
                    if first.verdict.quota.notBefore != notBefore {
                        notBefore = first.verdict.quota.notBefore
                        notBeforeText.removeAll(keepingCapacity: true)
                        StockholmTime.appendISO8601(notBefore, to: &notBeforeText)
                    }
                    try callable.writeField(notBeforeText)
                    switch first.verdict.exemption {
                    case nil: try callable.writeField(empty)
                    case .customer?: try callable.writeField(Self.customerExemption)
                    case .consent?: try callable.writeField(Self.consentExemption)
                    }
                    try callable.endRow()
                    group.callableRows += 1
                    tally.countRowCallable(source: source)
                } else {
                    tally.countRowNotCallable(source: source)
                }
                for column in phoneColumns { rejected[column] = false }
            }
            progress(current.recordsRead, current.compressedBytesRead)
            if let error = current.error { throw error }
        }
        encoding = batches.encoding
    }

    /// Reason names by precedence (a set's primary reason is its lowest bit).
    private static let reasonNames: [[UInt8]] = (0..<Reason.allCases.count).map { precedence in
        Array(Reason.allCases.first { $0.precedence == precedence }!.rawValue.utf8)
    }

    /// Reasons whose words in `details(of:)` are the same for every number of a run.
    private static let fixedWordReasons = ReasonSet(rawValue: ReasonSet(.duplicate).rawValue | ReasonSet(.nix).rawValue)

    private static let customerExemption = Array(NixExemption.customer.rawValue.utf8)
    private static let consentExemption = Array(NixExemption.consent.rawValue.utf8)

    @inline(__always)
    static func isBlank(_ field: UnsafeRawBufferPointer) -> Bool {
        for byte in field where byte != 0x20 && byte != 0x09 { return false }
        return true
    }
}
