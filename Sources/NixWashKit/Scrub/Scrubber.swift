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

/// The whole wash (SPEC sections 1 and 3), wiring the stages in the order a lead row takes:
/// `LeadSources`/`LeadList` open and sample every list, `WashLists` loads what the rules
/// consult, `RecordBatches` reads each list on its own thread and `Prepare` turns its phone
/// fields into numbers with their facts, `VerdictRules` judges them (`RowWash`), `RowWriter`
/// writes `callable.csv.gz` and `rejects.csv.gz`, and the report is written last, into an
/// output folder that appears only when everything is written and the accounting balances.
public final class Scrubber {
    public let configuration: ScrubConfiguration

    public init(configuration: ScrubConfiguration) {
        self.configuration = configuration
    }

    /// At most this many rows in all, every list read whole before the wash: the history is
    /// read per number (`HistoryLookup.perNumber`). The lists' first rows, up to this many and
    /// `readAheadBytes` for the whole run, are read with their samples to learn whether they
    /// are that small.
    static let perNumberHistoryRows = 20_000
    static let readAheadBytes = 8 << 20

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

        let (leads, shapes) = try openLeads()
        // Lists read whole with their samples are small: reading their numbers' history one by
        // one takes milliseconds, where the campaign's and the offer's ranges take seconds.
        let wholeInSamples = leads.allSatisfy(\.list.sample.isLast)
            && leads.reduce(0) { $0 + $1.list.sample.count } <= Self.perNumberHistoryRows
        let lists = try WashLists(configuration: c, historyLookup: wholeInSamples ? .perNumber : .ranges,
                                  indexChecks: .inBackground)
        let prepare = Prepare(lists: lists)
        let rules = VerdictRules(profile: c.profile, callDate: c.callDate)
        let wording = RejectWording(lists: lists, rules: rules)
        try Self.refuseTextsOutsideOutputEncodings(leads.map(\.list), source: c.source, wording: wording)

        let folder = try OutputFolder(path: c.outputFolder, replaceExisting: c.replaceOutput, marker: AuditTrail.reportName,
                                      inputs: c.inputPaths)
        // The pipeline: a reading thread inflates, parses and prepares a batch (`RecordBatches`,
        // `Prepare`), this one judges and writes rows, and the compressing threads deflate output
        // blocks on every core.
        let workers = CompressionWorkers(level: c.compressionLevel)
        defer { workers.shutdown() }
        let pairs = try shapes.enumerated().map { i, shape in
            try OutputPair(index: i, names: ("callable", "rejects"), dialect: shape.dialect, header: shape.header,
                           encoding: shape.encoding, folder: folder, workers: workers)
        }
        // Sources are counted by their bytes in each file's encoding (`RowWash` gives the fallback).
        var tally = Tally(defaultSource: nil)
        var inputReports: [ScrubReport.InputFileReport] = []
        let totalSize = leads.reduce(UInt64(0) as UInt64?) { sum, lead in
            guard let sum, let size = lead.list.reader.input.compressedSize else { return nil }
            return sum + size
        }
        var bytesBefore: UInt64 = 0
        for (fileIndex, lead) in leads.enumerated() {
            let list = lead.list, reader = list.reader
            let pair = pairs[lead.shape]
            let (encoding, malformed) = try scrubFile(list, into: pair, prepare: prepare, rules: rules, wording: wording,
                                                      tally: &tally) { rows, read in
                guard let progress else { return }
                progress(ScrubProgress(rows: rows, file: reader.path, fileIndex: fileIndex, files: leads.count,
                                       fileBytesRead: read, fileSize: reader.input.compressedSize,
                                       totalBytesRead: bytesBefore + read, totalSize: totalSize))
            }
            bytesBefore += reader.input.compressedBytesRead
            if let refusal = malformed.refusal(path: reader.path, rows: reader.recordsRead, maxShare: c.maxMalformedShare,
                                               dialect: reader.dialect, encoding: encoding) {
                throw refusal
            }
            if OutputTextEncoding(input: encoding) != pair.encoding { pair.mixedEncoding = true }
            inputReports.append(Self.inputReport(list, encoding: encoding, malformedRows: malformed.count, outputs: pair.names))
        }
        // A damaged index or a history read that failed: the verdicts cannot be trusted.
        try lists.confirm()
        for pair in pairs { try pair.finish() }

        if let copy = LeadSources.repeatedContent(inputReports.map { ($0.file ?? $0.path, $0.sha256) }) {
            throw NixWashError.sameInputTwice(first: copy.first, second: copy.second, how: "the same content: same SHA-256")
        }
        let balanced = try Self.checkAccounting(tally, callableRows: pairs.reduce(0) { $0 + $1.callableRows },
                                                rejectRows: pairs.reduce(0) { $0 + $1.rejectRows })

        let totals = tally.totals
        let csvOutputs = pairs.flatMap { $0.names }
        let outputNames = csvOutputs + ["report.json", "report.html"] + AuditTrail.names(signed: signer != nil)
        var outputEncodings = ["report.json": "utf-8", "report.html": "utf-8"]
        for pair in pairs {
            for name in pair.names { outputEncodings[name] = pair.mixedEncoding ? "mixed" : pair.encoding.rawValue }
        }
        var report = ScrubReport(
            started: started, finished: StockholmTime.iso8601(Int64(time(nil))),
            callDate: c.callDate.description, campaign: c.campaign, offer: c.offer, contactCentre: c.contactCentre,
            productCategory: c.productCategory, ruleProfile: c.profile, ruleProfilePath: c.profilePath,
            callingWindow: Self.callingWindow(rules),
            inputs: inputReports,
            registers: lists.registerReports,
            customers: lists.customerReport, consents: lists.consentReport, history: lists.historyReport,
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

    /// Every lead list opened and checked, each with the output pair (by position in
    /// `shapes`) it shares with the lists of the same header, dialect and encoding.
    private func openLeads() throws -> (leads: [(list: LeadList, shape: Int)],
                                        shapes: [(header: [[UInt8]], dialect: CSVDialect, encoding: OutputTextEncoding)]) {
        let c = configuration
        var leads: [(list: LeadList, shape: Int)] = []
        var shapes: [(header: [[UInt8]], dialect: CSVDialect, encoding: OutputTextEncoding)] = []
        let content = PhoneContent(normalizer: PhoneNormalizer(defaultCountry: c.defaultCountry))
        let leadFields = LeadPhoneFields(defaultCountry: c.defaultCountry)
        // The read-ahead left for the run: once it is used up the run reads the history by
        // ranges anyway, and each further list keeps only its sample, so memory stays flat
        // in the number of lists.
        var aheadRows = Self.perNumberHistoryRows, aheadBytes = Self.readAheadBytes
        // Folders, patterns, archives and workbooks become inputs in Sources.swift.
        for input in try LeadSources.inputs(c.leadFiles, sheet: c.sheet) {
            let list = try LeadList(input, configuration: c, content: content, leadFields: leadFields,
                                    aheadRows: aheadRows, aheadBytes: aheadBytes)
            aheadRows = max(0, aheadRows - list.sample.count)
            aheadBytes = max(0, aheadBytes - list.sample.byteCount)
            let reader = list.reader
            let shape = (reader.headerFields, reader.dialect, list.outputEncoding)
            if let known = shapes.firstIndex(where: { $0.header == shape.0 && $0.dialect == shape.1 && $0.encoding == shape.2 }) {
                leads.append((list, known))
            } else {
                shapes.append(shape)
                leads.append((list, shapes.count - 1))
            }
        }
        return (leads, shapes)
    }

    /// Streams one lead list through the stages into its output pair; returns the encoding
    /// seen in all of it and its malformed rows.
    private func scrubFile(_ list: LeadList, into pair: OutputPair, prepare: Prepare, rules: VerdictRules,
                           wording: RejectWording, tally: inout Tally,
                           progress: (_ rows: UInt64, _ bytesRead: UInt64) -> Void) throws -> (EncodingGuess, MalformedRows) {
        let reader = list.reader
        let header = reader.header
        let columnNames = header.indices.map { ColumnRoles.displayName(of: $0, header: header) }
        let wash = RowWash(rules: rules, writer: RowWriter(pair: pair, wording: wording, path: reader.path, columnNames: columnNames),
                           phoneColumns: list.roles.phoneColumns, columnNames: columnNames, fields: header.count,
                           sourceColumn: list.roles.sourceColumn,
                           // The source of rows without one, in the file's encoding like the sources of its rows.
                           fallbackSource: pair.encoding.bytes(configuration.source ?? reader.path),
                           rowsNeedTheirSource: configuration.source == nil,
                           callableDetail: .repairs)
        var malformed = MalformedRows()
        // Reading runs on a thread of its own, a batch of records ahead of this loop.
        let batches = RecordBatches(reader: reader, sample: list.sample, phoneColumns: list.roles.phoneColumns,
                                    restoresLeadingZero: list.restoresLeadingZero,
                                    checkedColumns: list.checkedColumns, prepare: prepare)
        try wash.wash(batches, tally: &tally, malformed: &malformed) { progress($0.recordsRead, $0.compressedBytesRead) }
        try list.checkContent(batches.contentCounts)
        return (batches.encoding, malformed)
    }

    /// A Latin-1 list's outputs are Latin-1 (one encoding a file): a name of the run's that
    /// Latin-1 cannot hold would be written with `?`, changed without a word.
    private static func refuseTextsOutsideOutputEncodings(_ lists: [LeadList], source: String?, wording: RejectWording) throws {
        for list in lists where list.outputEncoding != .utf8 {
            let texts = (source.map { [("the source", $0)] } ?? []) + [("the file name", list.reader.path)] + wording.namesWritten
            if let (what, text) = texts.first(where: { !list.outputEncoding.canHold($0.1) }) {
                throw NixWashError.textNotInOutputEncoding(path: list.reader.path, encoding: list.outputEncoding.rawValue,
                                                           what: what, text: text)
            }
        }
    }

    static func inputReport(_ list: LeadList, encoding: EncodingGuess, malformedRows: UInt64,
                            outputs: [String]) -> ScrubReport.InputFileReport {
        let reader = list.reader, input = list.input, roles = list.roles
        let header = reader.header
        func names(_ columns: [Int]) -> [String] { columns.map { ColumnRoles.displayName(of: $0, header: header) } }
        return ScrubReport.InputFileReport(
            path: reader.path, file: input.file, container: input.container, member: input.member,
            sheet: input.sheet, size: input.fileSize, sha256: input.sha256(),
            compression: input.compression, delimiter: reader.dialect.delimiterName,
            encoding: input.inputEncoding(guess: encoding), outputEncoding: input.outputEncoding(guess: encoding),
            trailingDelimiterRows: reader.trailingDelimiterRows, rows: reader.recordsRead,
            phoneColumns: names(roles.phoneColumns), phoneColumnsByContent: names(roles.phoneColumnsByContent),
            notPhoneColumns: names(roles.declaredNotPhone),
            sourceColumn: roles.sourceColumn.map { ColumnRoles.displayName(of: $0, header: header) },
            malformedRows: malformedRows, outputs: outputs)
    }

    /// Refuses a run whose counts do not add up (every row in is in exactly one output);
    /// true when they do.
    static func checkAccounting(_ tally: Tally, callableRows: UInt64, rejectRows: UInt64) throws -> Bool {
        let totals = tally.totals
        let balanced = totals.rowsBalance && totals.numbersBalance
            && callableRows == totals.rowsCallable && rejectRows == totals.numbersRejected
            && tally.bySource.values.allSatisfy { $0.rowsBalance && $0.numbersBalance }
        guard balanced else {
            throw NixWashError.accountingBroken(detail: "rows in \(totals.rowsIn), callable \(totals.rowsCallable) (written \(callableRows)), not callable \(totals.rowsNotCallable); numbers in \(totals.numbersIn), callable \(totals.numbersCallable), rejected \(totals.numbersRejected) (written \(rejectRows))")
        }
        return balanced
    }

    static func callingWindow(_ rules: VerdictRules) -> [String: String] {
        ["open": StockholmTime.iso8601(rules.quota.window.open), "close": StockholmTime.iso8601(rules.quota.window.close)]
    }
}

/// One prepared row's way to the outputs, the same in a scrub and a recheck: each number of
/// each phone field is judged (`VerdictRules`), a rejected one written to the rejects with
/// its words, and the row, if any number is callable, to the callable list without the
/// rejected numbers.
struct RowWash {
    /// What the `detail` column of a callable row says.
    enum CallableDetail {
        /// The repairs made to its numbers (a scrub).
        case repairs
        /// The field of this column, as the earlier run wrote it, or empty (a recheck).
        case carried(column: Int?)
    }

    let rules: VerdictRules
    let writer: RowWriter
    let phoneColumns: [Int]
    /// Every column's name as the outputs name it.
    let columnNames: [String]
    /// The fields a well-formed row has.
    let fields: Int
    let sourceColumn: Int?
    let fallbackSource: [UInt8]
    /// No source was given for rows whose source column is empty: such a row refuses the run
    /// (the file name is no answer to a consumer who asks where the number came from).
    let rowsNeedTheirSource: Bool
    let callableDetail: CallableDetail

    /// Every row `batches` reads, in order, `afterBatch` called after each batch. The reading
    /// thread is stopped when this returns or throws.
    func wash(_ batches: RecordBatches, tally: inout Tally, malformed: inout MalformedRows,
              afterBatch: (RecordBatches.Batch) -> Void = { _ in }) throws {
        defer { batches.cancel() }
        var batch: RecordBatches.Batch?
        while let current = try batches.next(after: batch) {
            batch = current
            for index in 0..<current.count {
                try wash(index, of: current, tally: &tally, malformed: &malformed)
            }
            afterBatch(current)
        }
    }

    func wash(_ index: Int, of batch: RecordBatches.Batch, tally: inout Tally, malformed: inout MalformedRows) throws {
        let record = batch.record(index)
        let sourceField = sourceColumn.flatMap { $0 < record.count ? record.field($0) : nil }
        let source = tally.sourceIndex(for: sourceField, fallback: fallbackSource)
        tally.countRow(source: source)
        if record.problem != nil || record.count != fields {
            try writeMalformed(record, source: source, tally: &tally, malformed: &malformed)
            return
        }
        if rowsNeedTheirSource, let sourceColumn, let sourceField, Blanks.showsNothing(sourceField) {
            throw NixWashError.rowWithoutSource(path: writer.path, line: record.line, column: columnNames[sourceColumn])
        }
        var first: NumberVerdict?
        var sawNumber = false
        var rowDetail: [String] = []
        for (position, column) in phoneColumns.enumerated() {
            let prepared = batch.number(index, position)
            guard prepared.parsed != nil else { continue }
            sawNumber = true
            let field = record.field(column)
            if prepared.isWholeField {
                if case .invalid(.digitsLostInScientificNotation)? = prepared.parsed { tally.countDigitsLost(source: source) }
                let verdict = try judge(prepared, record: record, column: column, raw: field, note: nil, source: source, tally: &tally)
                if let verdict { first = first ?? verdict } else { writer.dropField(column) }
                continue
            }
            // Repaired, or several numbers: each judged, the callable ones kept in the field.
            let numbers = [prepared] + batch.moreNumbers(of: prepared)
            if numbers.count > 1 { tally.countFieldWithSeveralNumbers(source: source) }
            var kept: [PreparedNumber] = []
            for (n, number) in numbers.enumerated() {
                let raw = UnsafeRawBufferPointer(rebasing: field[Int(number.start)..<Int(number.end)])
                var notes: [String] = []
                if numbers.count > 1 { notes.append("number \(n + 1) of \(numbers.count) in the field") }
                if !number.repairs.isEmpty { notes.append("repaired: " + number.repairs.detail) }
                if case .invalid(.digitsLostInScientificNotation)? = number.parsed { tally.countDigitsLost(source: source) }
                tally.countRepairs(number.repairs, source: source)
                let note = notes.isEmpty ? nil : notes.joined(separator: "; ")
                guard let verdict = try judge(number, record: record, column: column, raw: raw, note: note, source: source,
                                              tally: &tally) else { continue }
                first = first ?? verdict
                kept.append(number)
                if !number.repairs.isEmpty {
                    let which = numbers.count > 1 ? " number \(n + 1)" : ""
                    rowDetail.append("\(columnNames[column])\(which): \(number.repairs.detail)")
                }
            }
            if kept.isEmpty {
                writer.dropField(column)
            } else if kept.count < numbers.count {
                writer.keepOnly(LeadPhoneFields.text(of: kept.map { (Int($0.start), Int($0.end), Int($0.separatorStart)) }, in: field),
                                inField: column)
                rowDetail.append("\(columnNames[column]): \(kept.count) of \(numbers.count) numbers in the field callable, the others removed")
            } else if numbers.count > 1 {
                rowDetail.append("\(columnNames[column]): \(numbers.count) numbers in the field, all callable")
            }
        }
        if !sawNumber {
            let detail = "invalid_number: the row has no phone number (\(phoneColumns.map { columnNames[$0] }.joined(separator: ", ")) are empty)"
            try writer.writeReject(record, column: phoneColumns[0], raw: record.field(phoneColumns[0]), number: nil,
                                   reasons: ReasonSet(.invalidNumber), detail: writer.encoded(detail), source: source,
                                   sourceBytes: tally.sourceBytes(source))
            tally.countRejected(ReasonSet(.invalidNumber), source: source)
        }
        if first != nil {
            tally.countRowCallable(source: source)
        } else {
            tally.countRowNotCallable(source: source)
        }
        switch callableDetail {
        case .carried(let column):
            try writer.endRow(record, callable: first, phoneColumns: phoneColumns, source: tally.sourceBytes(source),
                              detail: column.map { record.field($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0))
        case .repairs where rowDetail.isEmpty:
            try writer.endRow(record, callable: first, phoneColumns: phoneColumns, source: tally.sourceBytes(source),
                              detail: UnsafeRawBufferPointer(start: nil, count: 0))
        case .repairs:
            try Array(rowDetail.joined(separator: "; ").utf8).withUnsafeBytes { detail in
                try writer.endRow(record, callable: first, phoneColumns: phoneColumns, source: tally.sourceBytes(source), detail: detail)
            }
        }
    }

    /// Judges one number of the field in `column`; returns its verdict if callable, and
    /// writes its reject if not.
    private func judge(_ prepared: PreparedNumber, record: CSVRecord, column: Int, raw: UnsafeRawBufferPointer, note: String?,
                       source: Int, tally: inout Tally) throws -> NumberVerdict? {
        guard let parsed = prepared.parsed else { return nil }
        let verdict = rules.verdict(parsed, duplicate: prepared.duplicate, facts: prepared.facts)
        if verdict.isCallable {
            tally.countCallable(exemption: verdict.exemption, source: source)
            return verdict
        }
        try writer.writeReject(record, column: column, raw: raw, number: verdict.number?.key, reasons: verdict.reasons,
                               detail: writer.detail(of: verdict, note: note), source: source,
                               sourceBytes: tally.sourceBytes(source))
        tally.countRejected(verdict.reasons, source: source)
        return nil
    }

    private func writeMalformed(_ record: CSVRecord, source: Int, tally: inout Tally, malformed: inout MalformedRows) throws {
        let detail: String
        if let problem = record.problem {
            malformed.note(line: record.line, fields: nil)
            detail = "line \(problem.line), column \(problem.column): \(problem.message)"
        } else {
            malformed.note(line: record.line, fields: record.count > fields ? .more : .fewer)
            var words = "the row has \(record.count) fields, the header has \(fields)"
            if record.count > fields {
                words += "; fields beyond the header: " + (fields..<record.count).map { record.string($0) }.joined(separator: " | ")
            }
            detail = words
        }
        try writer.writeReject(record, column: nil, raw: nil, number: nil, reasons: ReasonSet(.malformedRow),
                               detail: writer.encoded(detail), source: source, sourceBytes: tally.sourceBytes(source))
        tally.countRejected(ReasonSet(.malformedRow), source: source)
        tally.countRowNotCallable(source: source)
    }
}
