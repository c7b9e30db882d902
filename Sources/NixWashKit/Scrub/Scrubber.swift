import Foundation
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
    /// The columns appended to a callable row; `detail` names the repairs made to its numbers.
    public static let callableColumns = ["e164", "source", "attempts_left_today", "not_before", "nix_exemption", "detail"]

    /// The columns a scrub appended to the callable list with this header: those of this
    /// version, or those of a version before `detail` (read by recheck and sources), or nil.
    public static func appendedCallableColumns(in header: [String]) -> [String]? {
        for appended in [callableColumns, Array(callableColumns.dropLast())]
        where header.count > appended.count && Array(header.suffix(appended.count)) == appended {
            return appended
        }
        return nil
    }
    public static let rejectColumns = ["file", "line", "phone_column", "raw_number", "e164", "reason", "reasons", "detail", "source"]

    public let configuration: ScrubConfiguration

    public init(configuration: ScrubConfiguration) {
        self.configuration = configuration
    }

    /// Rows read from each lead list before its phone columns are chosen: their content finds
    /// phone columns whose names do not say so, and their bytes the encoding of the outputs.
    public static let sampleRows = 1000

    /// At most this many rows in all, every list read whole before the wash: the history is
    /// read per number (`HistoryLookup.perNumber`). The lists' first rows, up to this many and
    /// `readAheadBytes` for the whole run, are read with their samples to learn whether they
    /// are that small.
    static let perNumberHistoryRows = 20_000
    static let readAheadBytes = 8 << 20

    /// One lead list, opened and checked before any output exists.
    private struct Lead {
        var reader: CSVReader
        var sample: RecordBatches.Batch
        var roles: ColumnRoles
        var group: Int
        var input: LeadInput
        /// The columns whose content is checked on every row: neither washed nor declared.
        var checkedColumns: [Int]
        /// Per phone column: most of its sampled values lost their leading 0 (an Excel export).
        var restoresLeadingZero: [Bool]
    }

    /// What a file's first rows hold, column by column.
    private static func sampleContent(_ sample: RecordBatches.Batch, columns: Int,
                                      content: PhoneContent) -> (counts: ColumnContentCounts, nonEmpty: [UInt64]) {
        var counts = ColumnContentCounts(columns: columns)
        var nonEmpty = [UInt64](repeating: 0, count: columns)
        for index in 0..<sample.sampledCount {
            let record = sample.record(index)
            guard record.problem == nil, record.count == columns else { continue }
            for column in 0..<columns {
                let field = record.field(column)
                guard !Blanks.isBlank(field) else { continue }
                nonEmpty[column] += 1
                counts.count(content.kind(of: field), column: column, line: record.line)
            }
        }
        return (counts, nonEmpty)
    }

    /// The columns whose sampled values are mostly whole phone numbers, their names not
    /// saying so (`inspect` shows the same).
    static func phoneColumnsByContent(header: [String], counts: ColumnContentCounts, nonEmpty: [UInt64]) -> [Int] {
        header.indices.filter { column in
            !ColumnRoles.isPhoneName(header[column]) && counts.holdsPhoneNumbers(column)
                && counts.phoneNumbers[column] * 2 > nonEmpty[column]
        }
    }

    /// Opens a lead list, reads its sample and chooses its columns: every phone column found
    /// is washed unless declared; one that is neither washed nor declared refuses the run.
    private func openLead(_ input: LeadInput, content: PhoneContent, leadFields: LeadPhoneFields,
                          aheadRows: Int, aheadBytes: Int) throws -> (Lead, OutputTextEncoding) {
        let c = configuration
        let path = input.name
        var options = c.csv
        if let delimiter = input.delimiter { options.delimiter = delimiter }
        let reader = try CSVReader(input: input.content, options: options)
        let header = reader.header
        let sample = try RecordBatches.readSample(from: reader, rows: Self.sampleRows, aheadRows: aheadRows, aheadBytes: aheadBytes)
        let (counts, nonEmpty) = Self.sampleContent(sample, columns: header.count, content: content)
        let byContent = Self.phoneColumnsByContent(header: header, counts: counts, nonEmpty: nonEmpty)
        let roles: ColumnRoles
        do {
            roles = try ColumnRoles.resolve(header: header, path: path, phoneColumns: c.phoneColumns,
                                            notPhoneColumns: c.notPhoneColumns, sourceColumn: c.sourceColumn,
                                            byContent: byContent)
        } catch NixWashError.noPhoneColumn(_, let header) where input.container == "zip" {
            // A README or a price list beside the lead lists: say what to do with the archive.
            throw NixWashError.archiveMemberNotALeadList(path: path, header: header)
        }
        let checked = header.indices.filter { !roles.phoneColumns.contains($0) && !roles.declaredNotPhone.contains($0) }
        let unwashed = checked.filter { counts.holdsPhoneNumbers($0) }
        if !unwashed.isEmpty {
            throw Self.unwashed(unwashed, counts: counts, path: path, header: header, roles: roles)
        }
        if roles.sourceColumn == nil, c.source == nil {
            throw NixWashError.noSource(path: path, header: header)
        }
        var encoding = EncodingGuess()
        for field in reader.headerFields { field.withUnsafeBytes { encoding.observe($0) } }
        for index in 0..<sample.sampledCount {
            let record = sample.record(index)
            for i in 0..<record.count { encoding.observe(record.field(i)) }
        }
        let restoresLeadingZero = roles.phoneColumns.map { column in
            leadFields.restoresLeadingZero(sample.fields(column: column, columns: header.count))
        }
        let lead = Lead(reader: reader, sample: sample, roles: roles, group: -1, input: input, checkedColumns: checked,
                        restoresLeadingZero: restoresLeadingZero)
        return (lead, OutputTextEncoding(input: encoding))
    }

    private static func unwashed(_ columns: [Int], counts: ColumnContentCounts, path: String, header: [String],
                                 roles: ColumnRoles) -> NixWashError {
        .unwashedPhoneColumns(
            path: path,
            columns: columns.map { column in
                let whole = counts.phoneNumbers[column] > 0 && !counts.isIdentityColumn(column)
                return UnwashedColumn(name: ColumnRoles.displayName(of: column, header: header),
                                      foundBy: whole ? .numbers(count: counts.phoneNumbers[column], firstLine: counts.firstPhoneLine[column])
                                          : .numbersInText(count: counts.numbersInText[column], firstLine: counts.firstTextLine[column]))
            },
            washed: roles.phoneColumns.map { ColumnRoles.displayName(of: $0, header: header) })
    }

    /// Inputs with the same header and dialect share one callable and one rejects file.
    private final class OutputGroup {
        let callableName: String
        let rejectsName: String
        let callable: CSVWriter
        let rejects: CSVWriter
        let encoding: OutputTextEncoding
        var callableRows: UInt64 = 0
        var rejectRows: UInt64 = 0
        /// An input of this group turned out to be Latin-1 after a UTF-8 sample.
        var mixedEncoding = false

        init(index: Int, dialect: CSVDialect, header: [[UInt8]], encoding: OutputTextEncoding, folder: OutputFolder,
             workers: CompressionWorkers) throws {
            let suffix = index == 0 ? "" : "-\(index + 1)"
            callableName = "callable\(suffix).csv.gz"
            rejectsName = "rejects\(suffix).csv.gz"
            self.encoding = encoding
            callable = CSVWriter(sink: try BlockGzipFileSink(path: folder.path(for: callableName), workers: workers),
                                 dialect: dialect, textEncoding: encoding)
            rejects = CSVWriter(sink: try BlockGzipFileSink(path: folder.path(for: rejectsName), workers: workers),
                                dialect: dialect, textEncoding: encoding)
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
        // In a history not yet upgraded the coverage reads every attempt: started first, it runs
        // beside the snapshot and the wash.
        let coverage = c.historyDatabase.map {
            HistoryCoverage.Scan(path: $0, campaign: c.campaign, offer: c.offer, contactCentre: c.contactCentre)
        }
        // Also when the run fails: a process that exits while the scan's thread is still inside
        // libpq or SQLite can crash in their exit handlers (seen as SIGSEGV after a refused login).
        defer { coverage?.waitUntilDone() }
        let signer = try c.signingKey.map { try ReportSignature(pemFile: $0, isPrivate: true) }

        var leads: [Lead] = []
        // Inputs share an output pair when header, dialect and encoding are the same.
        var shapes: [(header: [[UInt8]], dialect: CSVDialect, encoding: OutputTextEncoding)] = []
        let content = PhoneContent(normalizer: PhoneNormalizer(defaultCountry: c.defaultCountry))
        let leadFields = LeadPhoneFields(defaultCountry: c.defaultCountry)
        // The read-ahead left for the run: once it is used up the run reads the history by
        // ranges anyway, and each further list keeps only its sample, so memory stays flat
        // in the number of lists.
        var aheadRows = Self.perNumberHistoryRows, aheadBytes = Self.readAheadBytes
        // Folders, patterns, archives and workbooks become inputs in Sources.swift.
        for input in try LeadSources.inputs(c.leadFiles, sheet: c.sheet) {
            var (lead, encoding) = try openLead(input, content: content, leadFields: leadFields,
                                                aheadRows: aheadRows, aheadBytes: aheadBytes)
            aheadRows = max(0, aheadRows - lead.sample.count)
            aheadBytes = max(0, aheadBytes - lead.sample.byteCount)
            let reader = lead.reader
            if let known = shapes.firstIndex(where: { $0.header == reader.headerFields && $0.dialect == reader.dialect && $0.encoding == encoding }) {
                lead.group = known
            } else {
                shapes.append((reader.headerFields, reader.dialect, encoding))
                lead.group = shapes.count - 1
            }
            leads.append(lead)
        }
        // Lists read whole with their samples are small: reading their numbers' history one by
        // one takes milliseconds, where the campaign's and the offer's ranges take seconds.
        let wholeInSamples = leads.allSatisfy(\.sample.isLast)
            && leads.reduce(0) { $0 + $1.sample.count } <= Self.perNumberHistoryRows
        let judge = try NumberJudge(configuration: c, historyLookup: wholeInSamples ? .perNumber : .ranges,
                                    indexChecks: .inBackground)

        let folder = try OutputFolder(path: c.outputFolder, replaceExisting: c.replaceOutput)
        // The pipeline: a reading thread inflates, parses, normalizes and looks up a batch
        // (`RecordBatches`), this one judges and writes rows, and the compressing threads
        // deflate output blocks on every core.
        let workers = CompressionWorkers(level: c.compressionLevel)
        defer { workers.shutdown() }
        let groups = try shapes.enumerated().map { i, shape in
            try OutputGroup(index: i, dialect: shape.dialect, header: shape.header, encoding: shape.encoding,
                            folder: folder, workers: workers)
        }
        // Sources are counted by their bytes in each file's encoding (see `scrubFile`).
        var tally = Tally(defaultSource: nil)
        var inputReports: [ScrubReport.InputFileReport] = []
        let totalSize = leads.reduce(UInt64(0) as UInt64?) { sum, lead in
            guard let sum, let size = lead.reader.input.compressedSize else { return nil }
            return sum + size
        }
        var bytesBefore: UInt64 = 0
        for (fileIndex, lead) in leads.enumerated() {
            let group = groups[lead.group]
            var encoding = EncodingGuess()
            var malformed = MalformedRows()
            try scrubFile(lead, group: group, judge: judge, tally: &tally, encoding: &encoding, malformed: &malformed) { rows, read in
                guard let progress else { return }
                progress(ScrubProgress(rows: rows, file: lead.reader.path, fileIndex: fileIndex, files: leads.count,
                                       fileBytesRead: read, fileSize: lead.reader.input.compressedSize,
                                       totalBytesRead: bytesBefore + read, totalSize: totalSize))
            }
            bytesBefore += lead.reader.input.compressedBytesRead
            let reader = lead.reader
            if malformed.count > 0, Double(malformed.count) > Double(reader.recordsRead) * c.maxMalformedShare {
                throw NixWashError.tooManyMalformedRows(
                    path: reader.path, malformed: malformed.count, rows: reader.recordsRead, maxShare: c.maxMalformedShare,
                    firstLines: malformed.firstLines, likelyCause: malformed.likelyCause(dialect: reader.dialect, encoding: encoding))
            }
            if OutputTextEncoding(input: encoding) != group.encoding { group.mixedEncoding = true }
            let header = reader.header
            func names(_ columns: [Int]) -> [String] { columns.map { ColumnRoles.displayName(of: $0, header: header) } }
            inputReports.append(ScrubReport.InputFileReport(
                path: reader.path, file: lead.input.file, container: lead.input.container, member: lead.input.member,
                sheet: lead.input.sheet, size: lead.input.fileSize, sha256: lead.input.sha256(),
                compression: lead.input.compression, delimiter: reader.dialect.delimiterName,
                encoding: lead.input.inputEncoding(guess: encoding), outputEncoding: lead.input.outputEncoding(guess: encoding),
                trailingDelimiterRows: reader.trailingDelimiterRows, rows: reader.recordsRead,
                phoneColumns: names(lead.roles.phoneColumns), phoneColumnsByContent: names(lead.roles.phoneColumnsByContent),
                notPhoneColumns: names(lead.roles.declaredNotPhone),
                sourceColumn: lead.roles.sourceColumn.map { ColumnRoles.displayName(of: $0, header: header) },
                malformedRows: malformed.count, outputs: [group.callableName, group.rejectsName]))
        }
        // A damaged index or a history read that failed: the verdicts cannot be trusted.
        try judge.confirm()
        for group in groups {
            try group.callable.finish()
            try group.rejects.finish()
        }

        if let copy = LeadSources.repeatedContent(inputReports.map { ($0.file ?? $0.path, $0.sha256) }) {
            throw NixWashError.sameInputTwice(first: copy.first, second: copy.second, how: "the same content: same SHA-256")
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

        let csvOutputs = groups.flatMap { [$0.callableName, $0.rejectsName] }
        let outputNames = csvOutputs + ["report.json", "report.html"] + AuditTrail.names(signed: signer != nil)
        var outputEncodings = ["report.json": "utf-8", "report.html": "utf-8"]
        for group in groups {
            let name = group.mixedEncoding ? "mixed" : group.encoding.rawValue
            outputEncodings[group.callableName] = name
            outputEncodings[group.rejectsName] = name
        }
        var report = ScrubReport(
            started: started, finished: StockholmTime.iso8601(Int64(time(nil))),
            callDate: c.callDate.description, campaign: c.campaign, offer: c.offer, contactCentre: c.contactCentre,
            productCategory: c.productCategory, ruleProfile: c.profile, ruleProfilePath: c.profilePath,
            callingWindow: Self.callingWindow(judge),
            inputs: inputReports,
            registers: Self.registers(judge),
            customers: Self.customers(judge), consents: Self.consents(judge), history: Self.history(judge),
            historyCoverage: try coverage?.result(),
            totals: totals, bySource: tally.bySource,
            accounting: ScrubReport.Accounting(
                rows: "\(totals.rowsIn) rows in = \(totals.rowsCallable) callable + \(totals.rowsNotCallable) with no callable number",
                numbers: "\(totals.numbersIn) numbers in = \(totals.numbersCallable) callable + \(totals.numbersRejected) rejected",
                balanced: balanced),
            maxMalformedShare: c.maxMalformedShare, outputs: outputNames, outputEncodings: outputEncodings)
        report.workingDirectory = FileManager.default.currentDirectoryPath
        report.defaultCountry = c.defaultCountry.rawValue
        try ReportWriter.writeHTML(report, to: folder.path(for: "report.html"))
        report.outputFiles = try AuditTrail.digests(of: csvOutputs + ["report.html"], in: folder.temporaryPath)
        try ReportWriter.writeJSON(report, to: folder.path(for: AuditTrail.reportName))
        try AuditTrail.seal(folder, signer: signer)
        try folder.commit()
        return report
    }

    // The parts of a report that say what a run judged with, the same in a scrub and a recheck.
    static func callingWindow(_ judge: NumberJudge) -> [String: String] {
        ["open": StockholmTime.iso8601(judge.quotaJudge.window.open), "close": StockholmTime.iso8601(judge.quotaJudge.window.close)]
    }

    static func registers(_ judge: NumberJudge) -> [ScrubReport.ListReport] {
        ([judge.nix] + judge.blockLists).map(listReport)
    }

    static func customers(_ judge: NumberJudge) -> ScrubReport.ExemptionListReport? {
        judge.customers.map { .init(path: judge.configuration.customers ?? "", numbers: $0.table.count) }
    }

    static func consents(_ judge: NumberJudge) -> ScrubReport.ExemptionListReport? {
        judge.consents.map { .init(path: judge.configuration.consents ?? "", numbers: $0.table.count) }
    }

    /// The history as the report names it: a PostgreSQL URL without its password.
    static func history(_ judge: NumberJudge) -> ScrubReport.HistoryReport? {
        judge.history.map {
            .init(path: judge.configuration.historyDatabase.map { HistoryLocation($0).description } ?? "",
                  lookup: $0.lookup, numbersWithAttempts: $0.count)
        }
    }

    static func listReport(_ index: BlockIndex) -> ScrubReport.ListReport {
        let h = index.header
        return ScrubReport.ListReport(
            kind: h.kind.name, label: h.label, path: index.path,
            registerDate: h.registerDate.map { LocalDate(daysSinceEpoch: Int($0)).description },
            entries: h.entryCount, indexChecksum: hex16(h.bodyChecksum))
    }

    /// Streams one lead list through the judge into its group's writers.
    private func scrubFile(_ lead: Lead, group: OutputGroup, judge: NumberJudge, tally: inout Tally,
                           encoding: inout EncodingGuess, malformed: inout MalformedRows,
                           progress: (_ rows: UInt64, _ bytesRead: UInt64) -> Void) throws {
        let reader = lead.reader
        let header = reader.header
        let columns = header.count
        let phoneColumns = lead.roles.phoneColumns
        let sourceColumn = lead.roles.sourceColumn
        // The source of rows without one, in the file's encoding like the sources of its rows.
        let fallbackSource = group.encoding.bytes(configuration.source ?? reader.path)
        let phoneNames = header.indices.map { ColumnRoles.displayName(of: $0, header: header) }
        // Per-row state lives in buffers made once per file: the hot loop allocates nothing.
        let rejected = UnsafeMutablePointer<Bool>.allocate(capacity: max(columns, 1))
        rejected.initialize(repeating: false, count: max(columns, 1))
        defer { rejected.deallocate() }
        // A field of several numbers some of which were rejected: the callable ones' text.
        var keptText = [[UInt8]?](repeating: nil, count: columns)
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
        let encodedPhoneNames = phoneNames.map { rejects.encoded($0) }
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
                let name = rejects.encoded(bytes: tally.sourceBytes(source))
                sourceNames[source] = name
                rejects.writeEncodedField(name)
            }
            try rejects.endRow()
            group.rejectRows += 1
        }

        // Reading runs on a thread of its own, a batch of records ahead of this loop.
        let batches = RecordBatches(reader: reader, sample: lead.sample, phoneColumns: phoneColumns,
                                    restoresLeadingZero: lead.restoresLeadingZero,
                                    checkedColumns: lead.checkedColumns, judge: judge)
        defer { batches.cancel() }
        var batch: RecordBatches.Batch?
        while let current = try batches.next(after: batch) {
            batch = current
            for index in 0..<current.count {
                let record = current.record(index)
                let source = tally.sourceIndex(for: sourceColumn.flatMap { $0 < record.count ? record.field($0) : nil },
                                               fallback: fallbackSource)
                tally.countRow(source: source)

                if let problem = record.problem {
                    malformed.note(line: record.line, fields: nil)
                    let detail = "line \(problem.line), column \(problem.column): \(problem.message)"
                    try writeReject(record, column: nil, raw: nil, verdict: nil, reasons: ReasonSet(.malformedRow), detail: rejects.encoded(detail), source: source)
                    tally.countRejected(ReasonSet(.malformedRow), source: source)
                    tally.countRowNotCallable(source: source)
                    continue
                }
                if record.count != columns {
                    malformed.note(line: record.line, fields: record.count > columns ? .more : .fewer)
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
                var rowDetail: [String] = []
                /// Judges one number of the field in `column`, writes its reject; true if callable.
                func judgeNumber(_ prepared: RecordBatches.PreparedNumber, column: Int, raw: UnsafeRawBufferPointer,
                                 note: String?) throws -> Bool {
                    guard let parsed = prepared.parsed else { return false }
                    let verdict = judge.judge(parsed, duplicate: prepared.duplicate, hits: prepared.hits)
                    if verdict.isCallable {
                        tally.countCallable(exemption: verdict.exemption, source: source)
                        if first == nil { first = (verdict, column) }
                        return true
                    }
                    var detail: [UInt8]
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
                    if let note {
                        // Rare (a repaired or listed number): its words are not kept.
                        detail = rejects.encoded(judge.details(of: verdict).map { "\($0.0.rawValue): \($0.1)" }.joined(separator: "; ") + "; " + note)
                    }
                    try writeReject(record, column: column, raw: raw, verdict: verdict, reasons: verdict.reasons, detail: detail, source: source)
                    tally.countRejected(verdict.reasons, source: source)
                    return false
                }
                for (position, column) in phoneColumns.enumerated() {
                    let prepared = current.number(index, position)
                    guard prepared.parsed != nil else { continue }
                    let field = record.field(column)
                    sawNumber = true
                    if prepared.isWholeField {
                        if case .invalid(.digitsLostInScientificNotation)? = prepared.parsed { tally.countDigitsLost(source: source) }
                        if try !judgeNumber(prepared, column: column, raw: field, note: nil) { rejected[column] = true }
                        continue
                    }
                    // Repaired, or several numbers: each judged, the callable ones kept in the field.
                    let numbers = [prepared] + current.moreNumbers(of: prepared)
                    if numbers.count > 1 { tally.countFieldWithSeveralNumbers(source: source) }
                    var kept: [RecordBatches.PreparedNumber] = []
                    for (n, number) in numbers.enumerated() {
                        let raw = UnsafeRawBufferPointer(rebasing: field[Int(number.start)..<Int(number.end)])
                        var notes: [String] = []
                        if numbers.count > 1 { notes.append("number \(n + 1) of \(numbers.count) in the field") }
                        if !number.repairs.isEmpty { notes.append("repaired: " + number.repairs.detail) }
                        if case .invalid(.digitsLostInScientificNotation)? = number.parsed { tally.countDigitsLost(source: source) }
                        tally.countRepairs(number.repairs, source: source)
                        if try judgeNumber(number, column: column, raw: raw, note: notes.isEmpty ? nil : notes.joined(separator: "; ")) {
                            kept.append(number)
                            if !number.repairs.isEmpty {
                                let which = numbers.count > 1 ? " number \(n + 1)" : ""
                                rowDetail.append("\(phoneNames[column])\(which): \(number.repairs.detail)")
                            }
                        }
                    }
                    if kept.isEmpty {
                        rejected[column] = true
                    } else if kept.count < numbers.count {
                        keptText[column] = LeadPhoneFields.text(of: kept.map { (Int($0.start), Int($0.end), Int($0.separatorStart)) }, in: field)
                        rowDetail.append("\(phoneNames[column]): \(kept.count) of \(numbers.count) numbers in the field callable, the others removed")
                    } else if numbers.count > 1 {
                        rowDetail.append("\(phoneNames[column]): \(numbers.count) numbers in the field, all callable")
                    }
                }
                if !sawNumber {
                    let detail = "invalid_number: the row has no phone number (\(phoneColumns.map { phoneNames[$0] }.joined(separator: ", ")) are empty)"
                    try writeReject(record, column: phoneColumns[0], raw: record.field(phoneColumns[0]), verdict: nil,
                                    reasons: ReasonSet(.invalidNumber), detail: rejects.encoded(detail), source: source)
                    tally.countRejected(ReasonSet(.invalidNumber), source: source)
                }
                if let first {
                    for i in 0..<columns {
                        if let text = keptText[i] { try callable.writeField(text) } else { try callable.writeField(rejected[i] ? empty : record.field(i)) }
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
                    if rowDetail.isEmpty { try callable.writeField(empty) } else { try callable.writeField(rowDetail.joined(separator: "; ")) }
                    try callable.endRow()
                    group.callableRows += 1
                    tally.countRowCallable(source: source)
                } else {
                    tally.countRowNotCallable(source: source)
                }
                for column in phoneColumns {
                    rejected[column] = false
                    keptText[column] = nil
                }
            }
            progress(current.recordsRead, current.compressedBytesRead)
        }
        encoding = batches.encoding
        let counts = batches.contentCounts
        let unwashed = lead.checkedColumns.filter { counts.holdsPhoneNumbers($0) }
        if !unwashed.isEmpty {
            throw Self.unwashed(unwashed, counts: counts, path: reader.path, header: header, roles: lead.roles)
        }
    }

    /// The malformed rows of one lead list, for the refusal when there are too many.
    struct MalformedRows {
        enum Width { case more, fewer }
        private(set) var count: UInt64 = 0
        private(set) var firstLines: [UInt64] = []
        private var quoting: UInt64 = 0
        private var moreFields: UInt64 = 0
        private var fewerFields: UInt64 = 0

        /// A row with a quoting problem (`fields` nil) or more or fewer fields than the header.
        mutating func note(line: UInt64, fields: Width?) {
            count += 1
            if firstLines.count < 5 { firstLines.append(line) }
            switch fields {
            case nil: quoting += 1
            case .more?: moreFields += 1
            case .fewer?: fewerFields += 1
            }
        }

        func likelyCause(dialect: CSVDialect, encoding: EncodingGuess) -> String {
            func rows(_ n: UInt64) -> String { n == 1 ? "1 row has" : "\(n) rows have" }
            var causes: [String] = []
            var widths: [String] = []
            if moreFields > 0 { widths.append("\(rows(moreFields)) more fields than the header") }
            if fewerFields > 0 { widths.append("\(rows(fewerFields)) fewer") }
            if !widths.isEmpty {
                causes.append(widths.joined(separator: " and ") + ": a wrong delimiter (the file was read with '\(dialect.delimiterName)'; set --delimiter), or fields that hold the delimiter without quotes")
            }
            if quoting > 0 {
                causes.append("\(rows(quoting)) a stray quote: the export does not quote as CSV does (a field with a quote in it is quoted and the quote doubled)")
            }
            if encoding.sawInvalidUTF8 {
                causes.append("the file is not UTF-8 (it was read as Latin-1): check that it was exported as text in one encoding")
            }
            return causes.joined(separator: "; ")
        }
    }

    /// Reason names by precedence (a set's primary reason is its lowest bit).
    private static let reasonNames: [[UInt8]] = (0..<Reason.allCases.count).map { precedence in
        Array(Reason.allCases.first { $0.precedence == precedence }!.rawValue.utf8)
    }

    /// Reasons whose words in `details(of:)` are the same for every number of a run.
    private static let fixedWordReasons = ReasonSet(rawValue: ReasonSet(.duplicate).rawValue | ReasonSet(.nix).rawValue)

    private static let customerExemption = Array(NixExemption.customer.rawValue.utf8)
    private static let consentExemption = Array(NixExemption.consent.rawValue.utf8)
}

/// A checksum as 16 hex digits, as `nixwash index info` shows it.
func hex16(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
