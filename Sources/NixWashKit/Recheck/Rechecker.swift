import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a recheck's rows came from: the earlier run, for `report.json` (`recheck_of`).
public struct RecheckOrigin: Codable, Sendable {
    public var folder: String
    /// SHA-256 of the earlier run's report.json as read.
    public var reportSha256: String
    public var callDate: String
    public var nixRegisterDate: String
    /// The last call date the earlier run's NIX register may be used for.
    public var nixValidThrough: String

    enum CodingKeys: String, CodingKey {
        case folder
        case reportSha256 = "report_sha256", callDate = "call_date"
        case nixRegisterDate = "nix_register_date", nixValidThrough = "nix_valid_through"
    }
}

/// `recheck`: the callable rows of an earlier run judged again, with today's NIX index, block
/// lists, history and call date, by the scrub's own stages (`RecordBatches` and `Prepare` read
/// and look up, `RowWash` judges and writes). Writes, all or nothing, `pull.csv.gz` (each
/// number that is no longer callable, with its new reason, in the rejects' columns),
/// `still-callable.csv.gz` (the rows that keep a callable number, in the callable list's
/// columns, their appended values recomputed) and `report.json` with its audit trail. A shape of input gets its own pair
/// (`pull-2.csv.gz`, `still-callable-2.csv.gz`), as in the scrub.
public final class Rechecker {
    public let runFolder: String
    public let configuration: ScrubConfiguration

    /// `configuration.leadFiles` is not read: the rows are the earlier run's callable lists.
    public init(runFolder: String, configuration: ScrubConfiguration) {
        var folder = runFolder
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        self.runFolder = folder
        self.configuration = configuration
    }

    /// One callable list of the earlier run and the phone columns its rows were judged by.
    private struct CallableList {
        var path: String
        var phoneColumnNames: [String]
        /// The SHA-256 the scrub recorded for the file (`output_files`), when it did.
        var sha256: String?
    }

    /// The earlier run: its report, and the refusal when its register is too old to recheck.
    private func earlierRun() throws -> (origin: RecheckOrigin, lists: [CallableList]) {
        let reportPath = runFolder + "/" + AuditTrail.reportName
        guard FileManager.default.fileExists(atPath: reportPath) else {
            throw NixWashError.notAScrubRun(path: runFolder, reason: "no report.json here: this is not the output folder of a nixwash scrub. Give the folder a scrub wrote.")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: reportPath))
        } catch {
            throw NixWashError.readFailed(path: reportPath, reason: (error as NSError).localizedDescription)
        }
        let report: ScrubReport
        do {
            report = try JSONDecoder().decode(ScrubReport.self, from: data)
        } catch {
            throw NixWashError.notAScrubRun(path: reportPath, reason: "not a scrub report nixwash can read (\(error)). Recheck the folder of a scrub, or wash the list again.")
        }
        guard report.recheckOf == nil else {
            throw NixWashError.notAScrubRun(path: runFolder, reason: "is the folder of a recheck, not of a scrub. Recheck the scrub's folder: it holds every row the dialer got.")
        }
        // The quotas count the attempts of one campaign, offer and contact centre: a recheck in
        // another context would judge the dialer's rows by the wrong history.
        let context = [("campaign", report.campaign, configuration.campaign), ("offer", report.offer, configuration.offer),
                       ("contact centre", report.contactCentre, configuration.contactCentre)]
        if let (name, earlier, now) = context.first(where: { $0.1 != $0.2 }) {
            throw NixWashError.recheckContextDiffers(path: runFolder, field: name, earlier: earlier, now: now)
        }
        guard let nix = report.registers.first(where: { $0.kind == IndexKind.nix.name }),
              let registerText = nix.registerDate, let registerDate = LocalDate(registerText) else {
            throw NixWashError.notAScrubRun(path: reportPath, reason: "names no NIX register with a date, so its freshness cannot be checked. Wash the list again.")
        }
        let validThrough = configuration.profile.registerValidThrough(registerDate: registerDate)
        if configuration.callDate > validThrough {
            throw NixWashError.recheckNeedsFullWash(run: runFolder, registerName: configuration.profile.registerName, registerDate: registerDate, validThrough: validThrough,
                                                    callDate: configuration.callDate)
        }
        let origin = RecheckOrigin(folder: runFolder, reportSha256: SHA256.hex(of: data), callDate: report.callDate,
                                   nixRegisterDate: registerText, nixValidThrough: validThrough.description)
        var lists: [CallableList] = []
        for input in report.inputs {
            guard let name = input.outputs.first, !lists.contains(where: { $0.path.hasSuffix("/" + name) }) else { continue }
            lists.append(CallableList(path: runFolder + "/" + name, phoneColumnNames: input.phoneColumns,
                                      sha256: report.outputFiles?.first { $0.name == name }?.sha256))
        }
        return (origin, lists)
    }

    /// One callable list opened, its columns found.
    private struct Opened {
        var reader: CSVReader
        var file: InputFile
        var hasher: InputFingerprint
        /// Fields of the original row, before the columns the scrub appended.
        var width: Int
        var phoneColumns: [Int]
        var sourceColumn: Int
        var recordedSha256: String?
        /// Whether the list has the `detail` column (written since the Excel repairs).
        var hasDetail: Bool { reader.header.count - width == OutputColumns.callable.count }
    }

    private func open(_ list: CallableList) throws -> Opened {
        let hasher = InputFingerprint()
        let file = try InputFile(path: list.path, observer: hasher)
        let reader = try CSVReader(input: file,
                                   options: CSVOptions(maxRecordSize: configuration.csv.maxRecordSize, requireDataRows: false))
        guard let appended = OutputColumns.appendedToCallable(in: reader.header) else {
            throw NixWashError.notACallableList(path: list.path, columns: OutputColumns.callable)
        }
        let width = reader.header.count - appended.count
        let original = Array(reader.header.prefix(width))
        let phoneColumns = try list.phoneColumnNames.map { name -> Int in
            guard let column = original.firstIndex(of: name) else {
                throw NixWashError.missingColumn(path: list.path, column: name, header: original)
            }
            return column
        }
        guard !phoneColumns.isEmpty else {
            throw NixWashError.noPhoneColumn(path: list.path, header: original)
        }
        return Opened(reader: reader, file: file, hasher: hasher, width: width, phoneColumns: phoneColumns, sourceColumn: width + 1,
                      recordedSha256: list.sha256)
    }

    public func run() throws -> ScrubReport {
        let c = configuration
        let started = StockholmTime.iso8601(Int64(time(nil)))
        if URL(fileURLWithPath: c.outputFolder).standardizedFileURL == URL(fileURLWithPath: runFolder).standardizedFileURL {
            throw NixWashError.outputIsRunFolder(path: c.outputFolder)
        }
        let (origin, callableLists) = try earlierRun()
        let lists = try WashLists(configuration: c)
        let prepare = Prepare(lists: lists)
        let rules = VerdictRules(profile: c.profile, callDate: c.callDate)
        let wording = RejectWording(lists: lists, rules: rules)
        let signer = try c.signingKey.map { try ReportSignature(pemFile: $0, isPrivate: true) }
        let opened = try callableLists.map(open)

        var shapes: [(header: [[UInt8]], dialect: CSVDialect)] = []
        var shapeOf: [Int] = []
        for list in opened {
            if let known = shapes.firstIndex(where: { $0.header == list.reader.headerFields && $0.dialect == list.reader.dialect }) {
                shapeOf.append(known)
            } else {
                shapes.append((list.reader.headerFields, list.reader.dialect))
                shapeOf.append(shapes.count - 1)
            }
        }
        let folder = try OutputFolder(path: c.outputFolder, replaceExisting: c.replaceOutput, marker: AuditTrail.reportName,
                                      inputs: c.inputPaths + [runFolder])
        let workers = CompressionWorkers(level: c.compressionLevel)
        defer { workers.shutdown() }
        let pairs = try shapes.enumerated().map { i, shape in
            try OutputPair(index: i, names: ("still-callable", "pull"), dialect: shape.dialect,
                           header: shape.header.prefix(opened[shapeOf.firstIndex(of: i)!].width), encoding: .utf8,
                           folder: folder, workers: workers)
        }
        var tally = Tally(defaultSource: c.source)
        var inputReports: [ScrubReport.InputFileReport] = []
        // nixwash's own values are written in UTF-8; beside Latin-1 rows of a list that makes a mix.
        var outputEncodings = [AuditTrail.reportName: OutputTextEncoding.utf8.rawValue]
        for (i, list) in opened.enumerated() {
            let pair = pairs[shapeOf[i]]
            let (encoding, malformedRows) = try recheck(list, into: pair, prepare: prepare, rules: rules, wording: wording, tally: &tally)
            for name in pair.names where outputEncodings[name] != "mixed" {
                outputEncodings[name] = OutputTextEncoding(input: encoding) == .utf8 ? OutputTextEncoding.utf8.rawValue : "mixed"
            }
            let reader = list.reader
            let digest = list.hasher.digest()
            // The pull list is about the rows the scrub handed the dialer, not an edited copy.
            if let recorded = list.recordedSha256, recorded != digest {
                throw NixWashError.callableListChanged(path: reader.path, digest: digest, recorded: recorded)
            }
            inputReports.append(ScrubReport.InputFileReport(
                path: reader.path, file: reader.path, container: "none", size: list.file.compressedSize, sha256: digest,
                compression: list.file.isGzip ? "gzip" : "none", delimiter: reader.dialect.delimiterName,
                encoding: encoding.name, outputEncoding: encoding.name,
                trailingDelimiterRows: reader.trailingDelimiterRows, rows: reader.recordsRead,
                phoneColumns: list.phoneColumns.map { reader.header[$0] }, phoneColumnsByContent: [], notPhoneColumns: [],
                sourceColumn: OutputColumns.callable[1], malformedRows: malformedRows,
                outputs: pair.names))
        }
        for pair in pairs { try pair.finish() }

        let totals = tally.totals
        let balanced = try Scrubber.checkAccounting(tally, callableRows: pairs.reduce(0) { $0 + $1.callableRows },
                                                    rejectRows: pairs.reduce(0) { $0 + $1.rejectRows })
        let csvOutputs = pairs.flatMap { $0.names }
        var report = ScrubReport(
            started: started, finished: StockholmTime.iso8601(Int64(time(nil))),
            callDate: c.callDate.description, campaign: c.campaign, offer: c.offer, contactCentre: c.contactCentre,
            productCategory: c.productCategory, ruleProfile: c.profile, ruleProfilePath: c.profilePath,
            callingWindow: Scrubber.callingWindow(rules),
            inputs: inputReports,
            registers: lists.registerReports,
            customers: lists.customerReport, consents: lists.consentReport, history: lists.historyReport,
            totals: totals, bySource: tally.bySource,
            accounting: ScrubReport.Accounting(
                rows: "\(totals.rowsIn) rows in = \(totals.rowsCallable) still callable + \(totals.rowsNotCallable) with no callable number left",
                numbers: "\(totals.numbersIn) numbers in = \(totals.numbersCallable) callable + \(totals.numbersRejected) to pull",
                balanced: balanced),
            maxMalformedShare: c.maxMalformedShare,
            outputs: csvOutputs + [AuditTrail.reportName] + AuditTrail.names(signed: signer != nil),
            outputEncodings: outputEncodings)
        report.recheckOf = origin
        report.workingDirectory = FileManager.default.currentDirectoryPath
        report.defaultCountry = c.defaultCountry.rawValue
        report.outputFiles = try AuditTrail.digests(of: csvOutputs, in: folder.temporaryPath)
        try ReportWriter.writeJSON(report, to: folder.path(for: AuditTrail.reportName))
        try AuditTrail.seal(folder, signer: signer)
        try folder.commit()
        return report
    }

    /// Judges every phone field of one callable list again; returns the encoding seen and the
    /// count of malformed rows.
    private func recheck(_ list: Opened, into pair: OutputPair, prepare: Prepare, rules: VerdictRules, wording: RejectWording,
                         tally: inout Tally) throws -> (EncodingGuess, UInt64) {
        let reader = list.reader
        let header = reader.header
        let original = Array(header.prefix(list.width))
        let wash = RowWash(rules: rules, writer: RowWriter(pair: pair, wording: wording, path: reader.path, columnNames: original),
                           phoneColumns: list.phoneColumns, columnNames: original, fields: header.count,
                           sourceColumn: list.sourceColumn, fallbackSource: Array(reader.path.utf8),
                           // The scrub that wrote the list gave every row its source.
                           rowsNeedTheirSource: false,
                           callableDetail: .carried(column: list.hasDetail ? header.count - 1 : nil))
        var malformed = MalformedRows()
        // Every number left in a callable list was read so by the scrub, a leading 0 restored
        // only where its column had lost it; restoring it here reads the same numbers. The other
        // columns were checked for phone numbers by the scrub that wrote this list, and its
        // SHA-256 is checked against that scrub's report.
        let batches = RecordBatches(reader: reader, sample: nil, phoneColumns: list.phoneColumns,
                                    restoresLeadingZero: list.phoneColumns.map { _ in true }, checkedColumns: [], prepare: prepare)
        try wash.wash(batches, tally: &tally, malformed: &malformed)
        return (batches.encoding, malformed.count)
    }
}
