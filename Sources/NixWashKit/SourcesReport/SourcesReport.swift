import Foundation

/// One address source's delivery in one run: what a data team takes to a list vendor.
/// Counts are of numbers by their primary reason (each number counts once), except
/// `duplicateEarlier`, which counts the distinct numbers of this delivery that the same source
/// had already delivered in an earlier run of the report.
public struct SourceDelivery: Codable, Equatable, Sendable {
    public var run: String
    public var callDate: String
    public var rows: UInt64
    public var numbers: UInt64
    public var nix: UInt64
    public var blocked: UInt64
    /// `invalid_number` and `malformed_row`.
    public var invalid: UInt64
    public var duplicateInRun: UInt64
    public var duplicateEarlier: UInt64
    public var callable: UInt64
    /// Rejected for any other reason (number type, country, consent, quotas).
    public var otherRejected: UInt64

    /// The share of `numbers` a count is, 0...1.
    public func share(_ count: UInt64) -> Double { numbers == 0 ? 0 : Double(count) / Double(numbers) }

    enum CodingKeys: String, CodingKey {
        case run, callDate = "call_date", rows, numbers, nix, blocked, invalid
        case duplicateInRun = "duplicate_in_run", duplicateEarlier = "duplicate_earlier", callable
        case otherRejected = "other_rejected"
    }
}

/// `nixwash sources`: every address source across runs, oldest run first.
public struct SourcesReport: Codable, Sendable {
    public struct Run: Codable, Sendable {
        public var folder: String
        public var callDate: String
        public var started: String
        public var campaign: String
        public var reportSha256: String

        enum CodingKeys: String, CodingKey {
            case folder, callDate = "call_date", started, campaign, reportSha256 = "report_sha256"
        }
    }

    public var runs: [Run]
    /// Per source, its deliveries in run order (runs without the source are left out).
    public var sources: [String: [SourceDelivery]]

    /// Reads the runs' reports and outputs. Runs are ordered by call date, then start time;
    /// the same folder twice, or a recheck's folder, is refused.
    public static func build(runFolders: [String]) throws -> SourcesReport {
        var loaded: [(run: Run, report: ScrubReport)] = []
        var seen = Set<String>()
        for given in runFolders {
            var folder = given
            while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
            let canonical = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
            guard seen.insert(canonical).inserted else {
                throw NixWashError.runGivenTwice(path: given)
            }
            let path = folder + "/" + AuditTrail.reportName
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw NixWashError.notAScrubRun(path: folder, reason: "no readable report.json here: this is not the output folder of a nixwash scrub.")
            }
            let report: ScrubReport
            do {
                report = try JSONDecoder().decode(ScrubReport.self, from: data)
            } catch {
                throw NixWashError.notAScrubRun(path: path, reason: "not a scrub report nixwash can read (\(error)).")
            }
            guard report.recheckOf == nil else {
                throw NixWashError.notAScrubRun(path: folder, reason: "is a recheck's folder: it holds no delivery. Give the folders of scrubs.")
            }
            loaded.append((Run(folder: folder, callDate: report.callDate, started: report.started,
                               campaign: report.campaign, reportSha256: SHA256.hex(of: data)), report))
        }
        loaded.sort { ($0.run.callDate, $0.run.started, $0.run.folder) < ($1.run.callDate, $1.run.started, $1.run.folder) }

        var delivered: [String: Set<UInt64>] = [:]
        var sources: [String: [SourceDelivery]] = [:]
        for (run, report) in loaded {
            let keys = try deliveredNumbers(folder: run.folder, report: report)
            for (name, counts) in report.bySource {
                func primary(_ reasons: Reason...) -> UInt64 { reasons.reduce(0) { $0 + (counts.rejectedByReason[$1.rawValue] ?? 0) } }
                let nix = primary(.nix), blocked = primary(.companyBlock), invalid = primary(.invalidNumber, .malformedRow)
                let duplicate = primary(.duplicate)
                let runKeys = keys[name] ?? []
                let earlier = delivered[name] ?? []
                let repeated = UInt64(runKeys.lazy.filter { earlier.contains($0) }.count)
                sources[name, default: []].append(SourceDelivery(
                    run: run.folder, callDate: run.callDate, rows: counts.rowsIn, numbers: counts.numbersIn,
                    nix: nix, blocked: blocked, invalid: invalid, duplicateInRun: duplicate, duplicateEarlier: repeated,
                    callable: counts.numbersCallable,
                    otherRejected: counts.numbersRejected - nix - blocked - invalid - duplicate))
                delivered[name, default: []].formUnion(runKeys)
            }
        }
        return SourcesReport(runs: loaded.map(\.run), sources: sources)
    }

    /// The numbers each source delivered in a run: the `e164` of every reject, and every number
    /// left in the phone fields of the callable rows (a rejected one is taken out there), read
    /// as the run read them: Excel's marks undone, several numbers in a field each counted.
    static func deliveredNumbers(folder: String, report: ScrubReport) throws -> [String: Set<UInt64>] {
        var keys: [String: Set<UInt64>] = [:]
        let fields = LeadPhoneFields(defaultCountry: report.defaultCountry.flatMap(PhoneCountry.init(rawValue:)) ?? .sweden)
        var pairs: [(callable: String, rejects: String, phoneColumns: [String])] = []
        for input in report.inputs where input.outputs.count == 2 && !pairs.contains(where: { $0.callable == input.outputs[0] }) {
            pairs.append((input.outputs[0], input.outputs[1], input.phoneColumns))
        }
        for pair in pairs {
            let rejects = try CSVReader(input: InputFile(path: folder + "/" + pair.rejects), options: CSVOptions(requireDataRows: false))
            let width = rejects.header.count
            let e164Column = width - OutputColumns.rejects.count + OutputColumns.rejects.firstIndex(of: "e164")!
            while let record = try rejects.next() {
                guard record.count == width else { continue }
                let e164 = record.string(e164Column)
                guard e164.hasPrefix("+"), let key = UInt64(e164.dropFirst()) else { continue }
                keys[record.string(width - 1), default: []].insert(key)
            }
            let callable = try CSVReader(input: InputFile(path: folder + "/" + pair.callable), options: CSVOptions(requireDataRows: false))
            let callableWidth = callable.header.count
            let appended = OutputColumns.appendedToCallable(in: callable.header) ?? OutputColumns.callable
            let original = Array(callable.header.prefix(callableWidth - appended.count))
            // By the report's names, `telefon#2` for the second of two columns of one name.
            let phoneColumns = Set(try pair.phoneColumns.flatMap {
                try ColumnRoles.columns(named: $0, header: original, path: folder + "/" + pair.callable)
            }).sorted()
            let sourceColumn = original.count + OutputColumns.callable.firstIndex(of: "source")!
            while let record = try callable.next() {
                guard record.count == callableWidth else { continue }
                let source = record.string(sourceColumn)
                for column in phoneColumns {
                    // Only numbers the run let through are left, so a leading 0 Excel ate is one.
                    var more: [FieldNumber] = []
                    let first = fields.read(record.field(column), restoringLeadingZero: true, more: &more)
                    for number in [first] + more {
                        if case let .valid(valid) = number.parsed { keys[source, default: []].insert(valid.key.rawValue) }
                    }
                }
            }
        }
        return keys
    }
}
