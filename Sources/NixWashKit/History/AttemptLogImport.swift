import Foundation

/// Which header names hold the fields of a dialer attempt log. Without a mapping a field is
/// found by its usual names (Swedish or English, case, spaces and punctuation ignored); a
/// mapped field (`--column number=Telefon`) must be in the header under that name.
public struct AttemptLogColumns: Equatable, Sendable {
    public enum Field: String, CaseIterable, Sendable {
        case number
        case attemptedAt = "attempted_at"
        case campaign
        case offer
        case contactCentre = "contact_centre"
        /// Optional: attempts without it are stored with no outcome.
        case outcome
    }

    /// Header names given by the user, per field.
    public private(set) var mapped: [Field: String] = [:]

    public init() {}

    /// Applies `FIELD=HEADER`, e.g. `number=Telefon`; false when the text is not of that form.
    public mutating func map(_ assignment: String) -> Bool {
        guard let equals = assignment.firstIndex(of: "="),
              let field = Field(rawValue: String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)) else { return false }
        let header = String(assignment[assignment.index(after: equals)...])
        guard !header.isEmpty else { return false }
        mapped[field] = header
        return true
    }

    /// Canonical (see `ColumnRoles.canonicalName`) names each field goes by in dialer exports.
    static let usualNames: [Field: Set<String>] = [
        .number: ["number", "nummer", "phonenumber", "phone", "telefon", "telefonnummer", "tel", "msisdn", "e164",
                  "mobil", "mobilnummer", "dialednumber", "ringtnummer"],
        .attemptedAt: ["attemptedat", "attempttime", "timestamp", "time", "datetime", "calltime", "calledat",
                       "startedat", "starttime", "tidpunkt", "tid", "samtalstid", "ringtid"],
        .campaign: ["campaign", "campaignid", "uppdrag", "uppdragsid", "kampanj", "kampanjid"],
        .offer: ["offer", "offerid", "erbjudande", "erbjudandeid", "product", "produkt"],
        .contactCentre: ["contactcentre", "contactcenter", "contactcentreid", "contactcenterid", "kkc",
                         "kundkontaktcenter", "callcentre", "callcenter", "centre", "center"],
        .outcome: ["outcome", "result", "status", "disposition", "utfall", "resultat"],
    ]

    /// The column index of every field in `header` (nil for an absent outcome).
    func resolve(header: [String], path: String) throws -> [Field: Int] {
        var columns: [Field: Int] = [:]
        for field in Field.allCases {
            if let name = mapped[field] {
                guard let index = header.firstIndex(of: name)
                        ?? header.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
                    throw NixWashError.missingColumn(path: path, column: name, header: header)
                }
                columns[field] = index
            } else if let index = header.firstIndex(where: { AttemptLogColumns.usualNames[field]!.contains(ColumnRoles.canonicalName($0)) }) {
                columns[field] = index
            } else if field != .outcome {
                throw NixWashError.noAttemptLogColumn(path: path, field: field.rawValue, header: header)
            }
        }
        return columns
    }
}

extension HistoryImport {
    /// Reads one dialer attempt log (gzip or plain CSV, `-` for standard input) into this
    /// import. Rows that cannot be imported are counted and listed in the summary with their
    /// line and reason; anything else that goes wrong (unreadable or corrupt file, missing
    /// column) throws, and the whole import is then rolled back.
    public func importLog(path: String, columns: AttemptLogColumns = AttemptLogColumns(),
                          csv: CSVOptions = CSVOptions(), normalizer: PhoneNormalizer = PhoneNormalizer()) throws -> HistoryFileSummary {
        let fingerprint = try HistoryImport.fingerprint(path: path)
        try startFile(path: path, size: fingerprint?.size, sha256: fingerprint?.sha256)
        var options = csv
        options.requireDataRows = false
        let reader = try CSVReader(input: InputFile(path: path), options: options)
        let index = try columns.resolve(header: reader.header, path: path)
        let number = index[.number]!, attemptedAt = index[.attemptedAt]!, campaign = index[.campaign]!
        let offer = index[.offer]!, centre = index[.contactCentre]!, outcome = index[.outcome]
        let needed = max(number, attemptedAt, campaign, offer, centre) + 1

        while let record = try reader.next() {
            if let problem = record.problem {
                try reject(line: problem.line, reason: .malformedRow, detail: "malformed CSV at column \(problem.column): \(problem.message)")
                continue
            }
            guard record.count >= needed else {
                try reject(line: record.line, reason: .missingField,
                           detail: "the row has \(record.count) fields, the header \(reader.header.count)")
                continue
            }
            let key: PhoneKey
            switch normalizer.normalize(record.field(number)) {
            case let .valid(normalized):
                key = normalized.key
            case let .invalid(rejection):
                try reject(line: record.line, reason: .invalidNumber,
                           detail: "number '\(HistoryImport.text(record.field(number)))' is not valid (\(rejection.rawValue))")
                continue
            }
            try add(line: record.line, number: key, attemptedAt: record.field(attemptedAt),
                    campaign: record.field(campaign), offer: record.field(offer), contactCentre: record.field(centre),
                    outcome: outcome.flatMap { $0 < record.count ? record.field($0) : nil })
        }
        return try finishFile()
    }

    /// SHA-256 and size of a file as stored (compressed, if it is), or nil for standard input
    /// and pipes, which cannot be read twice.
    static func fingerprint(path: String) throws -> (sha256: String, size: UInt64)? {
        guard path != "-" else { return nil }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw NixWashError.cannotOpen(path: path, reason: "no such file or no permission to read it")
        }
        defer { try? handle.close() }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
        let hasher = SHA256()
        var size: UInt64 = 0
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw NixWashError.readFailed(path: path, reason: error.localizedDescription)
            }
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { hasher.update($0) }
            size += UInt64(chunk.count)
        }
        return (hasher.finalize(), size)
    }
}

extension HistoryStore {
    /// Imports dialer attempt logs in one transaction: every file's attempts, or none.
    public func importLogs(_ paths: [String], columns: AttemptLogColumns = AttemptLogColumns(),
                           csv: CSVOptions = CSVOptions(), normalizer: PhoneNormalizer = PhoneNormalizer(),
                           maxBadRows: Int? = nil,
                           progress: (HistoryFileSummary) -> Void = { _ in }) throws -> [HistoryFileSummary] {
        let session = try beginImport(maxBadRows: maxBadRows)
        var summaries: [HistoryFileSummary] = []
        for path in paths {
            let summary = try session.importLog(path: path, columns: columns, csv: csv, normalizer: normalizer)
            progress(summary)
            summaries.append(summary)
        }
        try session.commit()
        return summaries
    }
}
