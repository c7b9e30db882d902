import Foundation

/// Why a log row was not imported.
public enum HistoryBadRowReason: String, Codable, CaseIterable, Sendable {
    /// The number does not normalize to a valid number.
    case invalidNumber = "invalid_number"
    /// `attempted_at` is not a timestamp in an accepted form.
    case badTimestamp = "bad_timestamp"
    /// A Stockholm local time in the hour skipped when summer time starts.
    case nonexistentLocalTime = "nonexistent_local_time"
    /// A year outside 1996–2099.
    case timestampOutOfRange = "timestamp_out_of_range"
    /// Later than the import's clock (beyond `AttemptTimestamp.clockSlack`): a log holds calls
    /// already made, so the zone, the date order or the dialer's clock is wrong.
    case timestampInFuture = "timestamp_in_future"
    /// A slash date (`03/04/2026`) and no date order was given: its day and month cannot be told.
    case ambiguousDate = "ambiguous_date"
    /// An integer where the column's other values are not (or of the other epoch unit).
    case mixedTimestampForms = "mixed_timestamp_forms"
    /// A required field (campaign, offer, contact centre, or a whole column) is empty or missing.
    case missingField = "missing_field"
    /// The row is not well-formed CSV (a stray quote).
    case malformedRow = "malformed_row"
}

/// One rejected log row: where and why.
public struct HistoryBadRow: Codable, Equatable, Sendable {
    public var line: UInt64
    public var reason: HistoryBadRowReason
    /// The header name of the column at fault (nil for a row that is not well-formed CSV).
    public var column: String?
    /// The field's value as the log has it.
    public var value: String?
    /// What is wrong and what to do about it.
    public var detail: String
}

/// How the `attempted_at` values of the logs of one import are read.
public struct AttemptTimeReading: Equatable, Sendable {
    /// The zone of times written without an offset.
    public var zone: AttemptTimeZone = .stockholm
    /// How slash dates are read; nil refuses them.
    public var dateOrder: DateOrder?
    public var format: AttemptTimeFormat = .automatic

    public init(zone: AttemptTimeZone = .stockholm, dateOrder: DateOrder? = nil, format: AttemptTimeFormat = .automatic) {
        self.zone = zone
        self.dateOrder = dateOrder
        self.format = format
    }
}

/// A log row's problem, found by `HistoryImport.addRow`: the field at fault and why.
public struct AttemptRowProblem: Equatable, Sendable {
    public var reason: HistoryBadRowReason
    public var field: AttemptLogColumns.Field
    public var detail: String
}

/// The outcome of importing one log file (also kept in the `imports` table).
public struct HistoryFileSummary: Codable, Equatable, Sendable {
    public var path: String
    public var size: UInt64?
    public var sha256: String?
    /// Data rows read.
    public var rows = 0
    /// Attempts new to the history.
    public var inserted = 0
    /// Attempts the history already had (same number, time, campaign, contact centre and offer).
    public var duplicates = 0
    /// Rows rejected (let through by the bad-row limit, and written to the rejects file).
    public var bad = 0
    /// Rows whose outcome says the call never reached the phone: not an attempt (SPEC), not stored.
    public var notAttempts = 0
    /// The zone that times without an offset were read in.
    public var timeZone = AttemptTimeZone.stockholm.description
    /// Local times in the repeated October hour, read as their later (CET) occurrence.
    public var ambiguousLocalTimes = 0
    /// Rows whose number reads two ways (`468123456`: 046-812 34 56, or 08-123 456 as a lead
    /// column reads it): the attempt is stored under both, so both numbers' quotas count it.
    public var numbersReadBothWays = 0
    /// Rejected rows in line order, the first `HistoryImport.badRowSampleLimit` of them.
    public var badRows: [HistoryBadRow] = []
}

/// One import: a single transaction spanning every file added until `commit()`.
/// If the process dies, or the import is released or fails before `commit()`, the history is
/// exactly as before. Rows are buffered and handed to the store's `AttemptSink` in chunks:
/// SQLite inserts a chunk sorted by the primary key on a second thread while the caller reads
/// the next one; PostgreSQL copies it into a staging table.
public final class HistoryImport {
    /// How many bad rows a file summary lists (all of them are counted).
    public static let badRowSampleLimit = 1000
    /// Rows buffered before a chunk is handed over.
    private let chunkSize: Int

    private let sink: AttemptSink
    /// Bad rows a file may have before the whole import is refused; nil = no limit.
    private let maxBadRows: Int?
    /// How `attempted_at` is read (set before the first file).
    public var timeReading = AttemptTimeReading()
    /// Outcomes that mean the dial never reached the phone, folded (`AttemptLogColumns.foldOutcome`).
    public var notAttemptOutcomes: Set<String> = AttemptLogColumns.defaultNotAttemptOutcomes
    /// Where rows let through by `maxBadRows` are written; nil when none may be let through.
    public var rejects: HistoryRejectsFile?
    /// The import's clock, in seconds since 1970: no attempt can be later (tests set it).
    public var now = Int64(Date().timeIntervalSince1970)
    /// How a bad row's detail calls the setting that would read the row (the CLI: its option).
    public var naming: (Setting) -> String = { $0.description }
    /// By outcome id (as in `outcomes`): 0 not yet known, 1 an attempt, 2 not an attempt.
    private var outcomeKinds: [UInt8] = []
    /// The epoch unit or text form the current file's `attempted_at` values were first read in,
    /// and the line: a column is epoch integers only when all of it is.
    private var fileTimeForm: (epoch: AttemptTimestamp.EpochUnit?, line: UInt64)?
    /// The calls of this file in a repeated autumn hour, at their later reading: a second row
    /// of one takes the earlier reading. Per file: overlapping exports hold the same calls.
    private var repeatedHourCalls: Set<RepeatedHourCall> = []
    private struct RepeatedHourCall: Hashable {
        var number: UInt64, instant: Int64, campaign: Int64, centre: Int64, offer: Int64
    }
    private var campaigns: NameTable
    private var offers: NameTable
    private var centres: NameTable
    private var outcomes: NameTable
    private var pending: [PendingAttempt] = []
    private var file: HistoryFileSummary?
    private var open = true

    /// - Parameter chunkSize: rows handed to the sink at a time (tests use small chunks).
    init(sink: AttemptSink, maxBadRows: Int?, chunkSize: Int) {
        self.sink = sink
        self.maxBadRows = maxBadRows
        self.chunkSize = chunkSize
        campaigns = NameTable(kind: .campaign, sink: sink)
        offers = NameTable(kind: .offer, sink: sink)
        centres = NameTable(kind: .contactCentre, sink: sink)
        outcomes = NameTable(kind: .outcome, sink: sink)
        pending.reserveCapacity(chunkSize)
    }

    /// - Parameter chunkSize: rows sorted and inserted at a time (tests use small chunks). A
    ///   log is in time order, so every chunk's rows land all over the tree and each chunk
    ///   rewrites most of its pages: fewer, larger chunks write far less. Measured on the bench's
    ///   20-million-attempt log: 2^18 rows 48.8 s (17 s of it in the kernel, spilling pages to
    ///   the WAL), 2^20 33.5 s, 2^21 30-32 s, 2^22 30.7 s with 200 MiB more memory.
    convenience init(store: HistoryStore, maxBadRows: Int?, chunkSize: Int = 1 << 21, waiting: () -> Void = {}) throws {
        self.init(sink: try SQLiteAttemptSink(db: store.db, chunkSize: chunkSize, waiting: waiting),
                  maxBadRows: maxBadRows, chunkSize: chunkSize)
    }

    deinit {
        rollback()
        sink.close()
    }

    /// Begins a log file: later rows are counted in its summary.
    public func startFile(path: String, size: UInt64?, sha256: String?) throws {
        if file != nil { _ = try finishFile() }
        try sink.startFile(path: path, size: size, sha256: sha256, timeZone: timeReading.zone.description)
        file = HistoryFileSummary(path: path, size: size, sha256: sha256)
        file!.timeZone = timeReading.zone.description
        fileTimeForm = nil
        repeatedHourCalls.removeAll()
    }

    /// Adds one log row whose number is already normalized. The other fields are the raw bytes
    /// of the log; blanks around them are ignored. A row that cannot be imported is recorded
    /// as bad, its field named as such (and may end the import, see `maxBadRows`).
    public func add(line: UInt64, number: PhoneKey, attemptedAt: UnsafeRawBufferPointer,
                    campaign: UnsafeRawBufferPointer, offer: UnsafeRawBufferPointer,
                    contactCentre: UnsafeRawBufferPointer, outcome: UnsafeRawBufferPointer?) throws {
        if let problem = try addRow(line: line, number: number, attemptedAt: attemptedAt, campaign: campaign,
                                    offer: offer, contactCentre: contactCentre, outcome: outcome) {
            try reject(line: line, reason: problem.reason, column: problem.field.rawValue,
                       value: problem.field == .attemptedAt ? Self.text(attemptedAt) : nil, detail: problem.detail)
        }
    }

    /// `add`, but a row that cannot be imported is returned for the caller to reject with the
    /// log's own column name, value and row.
    /// - Parameter outcomeID: the outcome's id when `outcome(_:)` already looked it up (0: none).
    func addRow(line: UInt64, number: PhoneKey, alsoAs otherNumber: PhoneKey? = nil, attemptedAt: UnsafeRawBufferPointer,
                campaign: UnsafeRawBufferPointer, offer: UnsafeRawBufferPointer,
                contactCentre: UnsafeRawBufferPointer, outcome: UnsafeRawBufferPointer?,
                outcomeID: Int64? = nil) throws -> AttemptRowProblem? {
        let instant: Int64, earlierReading: Int64?
        func problem(_ reason: HistoryBadRowReason, _ detail: String) -> AttemptRowProblem {
            AttemptRowProblem(reason: reason, field: .attemptedAt, detail: detail)
        }
        let parsed = AttemptTimestamp.parse(attemptedAt, zone: timeReading.zone, dateOrder: timeReading.dateOrder,
                                            format: timeReading.format)
        switch parsed {
        case let .instant(value, earlier):
            (instant, earlierReading) = (value, earlier)
            if timeReading.format == .automatic {
                if let form = fileTimeForm, let unit = form.epoch {
                    return problem(.mixedTimestampForms, "not an integer, but the column was read as \(unit == .seconds ? "epoch seconds" : "epoch milliseconds") from line \(form.line) on; a column is read as epoch integers only when every value is one. Fix the log, or give \(naming(.attemptTimeFormat))")
                }
                if fileTimeForm == nil { fileTimeForm = (nil, line) }
            }
        case let .epoch(value, unit):
            (instant, earlierReading) = (value, nil)
            if timeReading.format == .automatic {
                if let form = fileTimeForm, form.epoch != unit {
                    let before = form.epoch.map { $0 == .seconds ? "epoch seconds" : "epoch milliseconds" } ?? "dates and times"
                    return problem(.mixedTimestampForms, "an integer read as \(unit == .seconds ? "epoch seconds" : "epoch milliseconds"), but the column holds \(before) from line \(form.line) on; a column is read as epoch integers only when every value is one of the same size. Fix the log, or give \(naming(.attemptTimeFormat)) epoch-s or epoch-ms")
                }
                if fileTimeForm == nil { fileTimeForm = (unit, line) }
            }
        case .malformed:
            switch timeReading.format {
            case .automatic:
                // A slash date that only the other order reads: the order given is likely wrong.
                if let order = timeReading.dateOrder {
                    let other: DateOrder = order == .dayMonthYear ? .monthDayYear : .dayMonthYear
                    if case .instant = AttemptTimestamp.parse(attemptedAt, zone: timeReading.zone, dateOrder: other) {
                        return problem(.badTimestamp, "not a date read as \(order.rawValue) (\(naming(.attemptDateOrder)) \(order.rawValue)), but one read as \(other.rawValue): check the log's date order, and give \(naming(.attemptDateOrder)) \(other.rawValue) if that is it")
                    }
                }
                return problem(.badTimestamp, "not a timestamp nixwash reads: write it like 2026-03-29T14:30:00+02:00, 2026-03-29 14:30, 29.03.2026 14:30, 20260329143000, or as epoch seconds or milliseconds (see docs/contact-history.md)")
            case let .epoch(unit):
                return problem(.badTimestamp, "not an integer of \(unit == .seconds ? "epoch seconds" : "epoch milliseconds") (\(naming(.attemptTimeFormat)) \(unit.rawValue)); remove \(naming(.attemptTimeFormat)) to read dates and times")
            }
        case .needsDateOrder:
            return problem(.ambiguousDate, "a slash date: whether it is day/month or month/day is not written in it, and nixwash never guesses. Give \(naming(.attemptDateOrder)) dmy or \(naming(.attemptDateOrder)) mdy")
        case .nonexistentLocalTime:
            return problem(.nonexistentLocalTime, "in the hour skipped when summer time starts in \(timeReading.zone): that local time does not exist. Give the time with its UTC offset, or the log's real zone with \(naming(.attemptTimeZone))")
        case .outOfRange:
            // Twelve digits are epoch milliseconds, and also how some dialers write a date and a
            // time without seconds: say so rather than leave the user puzzled by the year.
            let twelveDigits = attemptedAt.count == 12 && attemptedAt.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            return problem(.timestampOutOfRange, "outside the years \(StockholmTime.supportedYears.lowerBound)–\(StockholmTime.supportedYears.upperBound)\(timeReading.format == .automatic ? "" : " (read as \(timeReading.format == .epoch(.seconds) ? "epoch seconds" : "epoch milliseconds"))")\(twelveDigits ? ". Twelve digits are read as epoch milliseconds; a date and time written YYYYMMDDHHMM needs its seconds (YYYYMMDDHHMMSS) or separators (YYYY-MM-DD HH:MM)" : "")")
        }
        // An attempt after now would also make a stale history look current to the age check.
        guard instant <= now + AttemptTimestamp.clockSlack else {
            let dateOrder = timeReading.dateOrder == nil ? "" : ", or its date order (\(naming(.attemptDateOrder)))"
            // A time with its own offset, or an epoch integer, reads the same in every zone.
            let probe = AttemptTimeZone(timeReading.zone.description == "UTC" ? "+05:00" : "UTC")!
            let zoneMatters = AttemptTimestamp.parse(attemptedAt, zone: probe, dateOrder: timeReading.dateOrder,
                                                     format: timeReading.format) != parsed
            guard zoneMatters else {
                return problem(.timestampInFuture, "later than now (\(StockholmTime.iso8601(now))), though it carries its own UTC offset or is an epoch integer: a dialer log holds calls already made. Fix the dialer's clock\(dateOrder.isEmpty ? "" : ", or check the log's date order (\(naming(.attemptDateOrder)))")")
            }
            return problem(.timestampInFuture, "later than now (\(StockholmTime.iso8601(now))): a dialer log holds calls already made. If the log's times are right, its zone is wrong (\(timeReading.zone); give \(naming(.attemptTimeZone)))\(dateOrder); otherwise fix the dialer's clock")
        }
        return try append(line: line, number: number, alsoAs: otherNumber, instant: instant, earlierReading: earlierReading, campaign: campaign,
                          offer: offer, contactCentre: contactCentre, outcome: outcome, outcomeID: outcomeID)
    }

    /// A row's outcome: its id (0 when empty) and whether it says that the dial never reached
    /// the phone (an invalid number, a network failure, a dial never placed): then the row is
    /// no attempt and is only counted.
    func outcome(_ outcome: UnsafeRawBufferPointer) throws -> (id: Int64, notAnAttempt: Bool) {
        guard let id = try outcomes.id(of: outcome) else { return (0, false) }
        guard !notAttemptOutcomes.isEmpty else { return (id, false) }
        let index = Int(id)
        if index < outcomeKinds.count, outcomeKinds[index] != 0 { return (id, outcomeKinds[index] == 2) }
        let answer = notAttemptOutcomes.contains(AttemptLogColumns.foldOutcome(Self.text(outcome)))
        if index >= outcomeKinds.count { outcomeKinds += repeatElement(0, count: index + 1 - outcomeKinds.count) }
        outcomeKinds[index] = answer ? 2 : 1
        return (id, answer)
    }

    /// Counts a row that is not an attempt (see `outcome(_:)`).
    func countNotAnAttempt() {
        file!.rows += 1
        file!.notAttempts += 1
    }

    /// Adds an attempt given as values.
    func add(line: UInt64, attempt: HistoryAttempt) throws {
        guard AttemptTimestamp.supportedInstants.contains(attempt.attemptedAt) else {
            return try reject(line: line, reason: .timestampOutOfRange, column: AttemptLogColumns.Field.attemptedAt.rawValue,
                              value: "\(attempt.attemptedAt)", detail: "outside the supported years", row: nil)
        }
        var c = attempt.campaign, o = attempt.offer, k = attempt.contactCentre, r = attempt.outcome ?? ""
        let problem = try c.withUTF8 { c in try o.withUTF8 { o in try k.withUTF8 { k in try r.withUTF8 { r in
            try append(line: line, number: attempt.number, instant: attempt.attemptedAt, earlierReading: nil,
                       campaign: .init(c), offer: .init(o), contactCentre: .init(k),
                       outcome: attempt.outcome == nil ? nil : .init(r))
        } } } }
        if let problem {
            try reject(line: line, reason: problem.reason, column: problem.field.rawValue, value: nil, detail: problem.detail, row: nil)
        }
    }

    private func append(line: UInt64, number: PhoneKey, alsoAs otherNumber: PhoneKey? = nil,
                        instant laterReading: Int64, earlierReading: Int64?,
                        campaign: UnsafeRawBufferPointer, offer: UnsafeRawBufferPointer,
                        contactCentre: UnsafeRawBufferPointer, outcome: UnsafeRawBufferPointer?,
                        outcomeID knownOutcomeID: Int64? = nil) throws -> AttemptRowProblem? {
        func empty(_ field: AttemptLogColumns.Field) -> AttemptRowProblem {
            AttemptRowProblem(reason: .missingField, field: field,
                              detail: "\(field.rawValue) is empty. Fill it in the log")
        }
        guard let campaignID = try campaigns.id(of: campaign) else { return empty(.campaign) }
        guard let offerID = try offers.id(of: offer) else { return empty(.offer) }
        guard let centreID = try centres.id(of: contactCentre) else { return empty(.contactCentre) }
        let outcomeID = try knownOutcomeID ?? outcome.flatMap { try outcomes.id(of: $0) } ?? 0
        file!.rows += 1
        var instant = laterReading
        if let earlierReading {
            file!.ambiguousLocalTimes += 1
            // The same local time twice in one log is two calls, one in each occurrence of the
            // hour: stored as one, a call would be lost as "already present".
            let call = RepeatedHourCall(number: number.rawValue, instant: laterReading, campaign: campaignID,
                                        centre: centreID, offer: offerID)
            if !repeatedHourCalls.insert(call).inserted { instant = earlierReading }
        }
        var attempt = PendingAttempt(number: Int64(number.rawValue), attemptedAt: instant,
                                     campaign: Int32(campaignID), centre: Int32(centreID), offer: Int32(offerID),
                                     localDate: StockholmTime.localDay(at: instant), outcome: Int32(outcomeID))
        pending.append(attempt)
        if pending.count == chunkSize { try sink.submit(&pending) }
        if let otherNumber {
            file!.numbersReadBothWays += 1
            attempt.number = Int64(otherNumber.rawValue)
            pending.append(attempt)
            if pending.count == chunkSize { try sink.submit(&pending) }
        }
        return nil
    }

    /// `add` with the fields as strings.
    public func add(line: UInt64, number: PhoneKey, attemptedAt: String, campaign: String, offer: String,
                    contactCentre: String, outcome: String? = nil) throws {
        var a = attemptedAt, c = campaign, o = offer, k = contactCentre, r = outcome
        try a.withUTF8 { a in try c.withUTF8 { c in try o.withUTF8 { o in try k.withUTF8 { k in
            if r == nil {
                try add(line: line, number: number, attemptedAt: .init(a), campaign: .init(c), offer: .init(o),
                        contactCentre: .init(k), outcome: nil)
            } else {
                try r!.withUTF8 { r in
                    try add(line: line, number: number, attemptedAt: .init(a), campaign: .init(c), offer: .init(o),
                            contactCentre: .init(k), outcome: .init(r))
                }
            }
        } } } }
    }

    /// Records a row that cannot be imported, and writes it to the rejects file. Throws
    /// `tooManyBadRows` once the file has more than `maxBadRows`.
    /// - Parameters: `column` the log's header name of the field at fault, `value` its value,
    ///   `row` the whole row as text for the rejects file.
    public func reject(line: UInt64, reason: HistoryBadRowReason, column: String? = nil, value: String? = nil,
                       detail: String, row: String? = nil) throws {
        let bad = HistoryBadRow(line: line, reason: reason, column: column, value: value, detail: detail)
        file!.rows += 1
        file!.bad += 1
        if file!.badRows.count < HistoryImport.badRowSampleLimit { file!.badRows.append(bad) }
        if let maxBadRows, file!.bad > maxBadRows {
            throw NixWashError.tooManyBadRows(path: file!.path, bad: file!.bad, limit: maxBadRows, first: file!.badRows[0])
        }
        try rejects?.add(path: file!.path, row: bad, text: row)
    }

    /// Ends the current file: inserts its buffered rows and records its summary.
    public func finishFile() throws -> HistoryFileSummary {
        guard file != nil else { preconditionFailure("finishFile() without startFile()") }
        if !pending.isEmpty { try sink.submit(&pending) }
        let inserted = try sink.finishFile()
        file!.inserted += inserted
        file!.duplicates += file!.rows + file!.numbersReadBothWays - file!.bad - file!.notAttempts - inserted
        let summary = file!
        try sink.record(summary)
        file = nil
        return summary
    }

    /// Makes everything added visible at once. Without it nothing is kept.
    public func commit() throws {
        if file != nil { _ = try finishFile() }
        try sink.drain()
        // The rejects first: a kill between the two then leaves a rejects file and no import
        // (rerun), never an import whose let-through rows are nowhere.
        try rejects?.publish()
        do {
            try sink.commit()
        } catch {
            rejects?.withdraw()
            throw error
        }
        open = false
    }

    /// Drops everything added (also done when the import is released without `commit()`).
    public func rollback() {
        guard open else { return }
        open = false
        sink.rollback()
        rejects?.discard()
    }

    /// A field's bytes as text for a message (invalid UTF-8 read as Latin-1).
    static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        if let utf8 = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) { return utf8 }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}

/// Which name table a name belongs to.
enum NameKind: Int, CaseIterable {
    case campaign, offer, contactCentre, outcome

    var table: String {
        switch self {
        case .campaign: return "campaigns"
        case .offer: return "offers"
        case .contactCentre: return "contact_centres"
        case .outcome: return "outcomes"
        }
    }
}

/// Where an import's rows go, in the import's one transaction (begun by the sink's init).
protocol AttemptSink: AnyObject {
    /// The database id of a name, added to its table when new.
    func nameID(_ kind: NameKind, _ name: String) throws -> Int64
    /// Records a new file in `imports`; later chunks belong to it.
    func startFile(path: String, size: UInt64?, sha256: String?, timeZone: String) throws
    /// Takes a full buffer of rows, giving back an empty one.
    func submit(_ buffer: inout [PendingAttempt]) throws
    /// Writes the current file's rows; returns how many attempts were new.
    func finishFile() throws -> Int
    /// Stores the finished file's summary in its `imports` row.
    func record(_ summary: HistoryFileSummary) throws
    /// Waits until every row handed over is written.
    func drain() throws
    func commit() throws
    func rollback()
    /// Releases threads and statements (after commit or rollback).
    func close()
}

/// The SQLite file: chunks inserted sorted, on a thread of their own.
private final class SQLiteAttemptSink: AttemptSink {
    private let db: SQLiteDatabase
    private let inserter: ChunkInserter
    private var statements: InsertStatements
    private let insertFile: SQLiteStatement
    private let updateFile: SQLiteStatement
    private let insertName: [SQLiteStatement]
    private let selectName: [SQLiteStatement]

    init(db: SQLiteDatabase, chunkSize: Int, waiting: () -> Void) throws {
        self.db = db
        inserter = ChunkInserter(chunkSize: chunkSize)
        // A page cache for the trees being written. With large chunks 128 MiB did as well as
        // 256 MiB or 1 GiB (30-39 s for the bench log), and better than 64 MiB (36-40 s).
        try db.execute("PRAGMA cache_size = -131072")
        try db.beginWriting(waiting: waiting)
        do {
            statements = try InsertStatements(db: db)
            insertFile = try db.prepare("""
                INSERT INTO imports (path, size, sha256, imported_at, rows, inserted, duplicates, bad, ambiguous_local_times,
                                     not_attempts, time_zone)
                VALUES (?1, ?2, ?3, ?4, 0, 0, 0, 0, 0, 0, ?5)
                """)
            updateFile = try db.prepare("""
                UPDATE imports SET rows = ?2, inserted = ?3, duplicates = ?4, bad = ?5, ambiguous_local_times = ?6,
                                   not_attempts = ?7
                WHERE id = ?1
                """)
            insertName = try NameKind.allCases.map { try db.prepare("INSERT INTO \($0.table) (name) VALUES (?1) ON CONFLICT (name) DO NOTHING") }
            selectName = try NameKind.allCases.map { try db.prepare("SELECT id FROM \($0.table) WHERE name = ?1") }
        } catch {
            try? db.execute("ROLLBACK")
            inserter.stop()
            throw error
        }
    }

    func nameID(_ kind: NameKind, _ name: String) throws -> Int64 {
        // The inserter may be busy with a chunk on the same connection.
        inserter.databaseLock.lock()
        defer { inserter.databaseLock.unlock() }
        let insert = insertName[kind.rawValue], select = selectName[kind.rawValue]
        insert.reset()
        insert.bind(1, name)
        _ = try insert.step()
        select.reset()
        select.bind(1, name)
        guard try select.step() else { preconditionFailure("a name just inserted is missing") }
        // Reset at once: a statement left on a row holds a read transaction, and the checkpoint
        // after the commit could not empty the log file.
        defer { select.reset() }
        return select.int64(0)
    }

    func startFile(path: String, size: UInt64?, sha256: String?, timeZone: String) throws {
        insertFile.reset()
        insertFile.bind(1, path)
        insertFile.bind(2, size.map { Int64($0) })
        insertFile.bind(3, sha256)
        insertFile.bind(4, HistoryStore.isoInstant(Int64(Date().timeIntervalSince1970)))
        insertFile.bind(5, timeZone)
        inserter.databaseLock.lock()
        defer { inserter.databaseLock.unlock() }
        _ = try insertFile.step()
        statements.importID = db.lastInsertRowID
    }

    func submit(_ buffer: inout [PendingAttempt]) throws { try inserter.submit(&buffer, with: statements) }

    func finishFile() throws -> Int { try inserter.waitUntilIdle() }

    func record(_ summary: HistoryFileSummary) throws {
        updateFile.reset()
        updateFile.bind(1, statements.importID)
        updateFile.bind(2, Int64(summary.rows))
        updateFile.bind(3, Int64(summary.inserted))
        updateFile.bind(4, Int64(summary.duplicates))
        updateFile.bind(5, Int64(summary.bad))
        updateFile.bind(6, Int64(summary.ambiguousLocalTimes))
        updateFile.bind(7, Int64(summary.notAttempts))
        _ = try updateFile.step()
    }

    func drain() throws {
        _ = try inserter.waitUntilIdle()
        try statements.coverage.write(to: db)
    }

    func commit() throws {
        try db.execute("COMMIT")
        // Move the import into the database file and shrink the log file again; a reader still
        // busy with older pages, or the next import, only delays this to a later checkpoint.
        db.checkpointIfIdle()
    }

    func rollback() {
        _ = try? inserter.waitUntilIdle()
        try? db.execute("ROLLBACK")
    }

    func close() { inserter.stop() }
}

/// The statements a chunk is inserted with. A chunk's job holds them only while it runs, so
/// they are always finalized on the thread that owns the import, never on the inserter's.
private struct InsertStatements {
    let db: SQLiteDatabase
    let insertAttempt: SQLiteStatement
    let insertCampaignOffer: SQLiteStatement
    /// What the new attempts add to the `coverage` totals; written before the commit.
    let coverage = CoverageDeltas()
    var importID: Int64 = 0

    init(db: SQLiteDatabase) throws {
        self.db = db
        insertAttempt = try db.prepare("""
            INSERT OR IGNORE INTO attempts
                (campaign_id, number, attempted_at, contact_centre_id, offer_id, local_date, outcome_id, import_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """)
        insertCampaignOffer = try db.prepare("INSERT OR IGNORE INTO campaign_offers (campaign_id, offer_id) VALUES (?1, ?2)")
    }

    /// Inserts a sorted chunk; returns how many attempts were new.
    func insert(_ work: [PendingAttempt]) throws -> Int {
        var inserted = 0
        var campaignOffer: (Int32, Int32) = (0, 0)
        for attempt in work {
            if attempt.campaign != campaignOffer.0 || attempt.offer != campaignOffer.1 {
                campaignOffer = (attempt.campaign, attempt.offer)
                insertCampaignOffer.bind(1, Int64(attempt.campaign))
                insertCampaignOffer.bind(2, Int64(attempt.offer))
                _ = try insertCampaignOffer.step()
                insertCampaignOffer.reset()
            }
            insertAttempt.bind(1, Int64(attempt.campaign))
            insertAttempt.bind(2, attempt.number)
            insertAttempt.bind(3, attempt.attemptedAt)
            insertAttempt.bind(4, Int64(attempt.centre))
            insertAttempt.bind(5, Int64(attempt.offer))
            insertAttempt.bind(6, Int64(attempt.localDate))
            insertAttempt.bind(7, attempt.outcome == 0 ? nil : Int64(attempt.outcome))
            insertAttempt.bind(8, importID)
            _ = try insertAttempt.step()
            if db.changes > 0 {
                inserted += 1
                coverage.add(attempt)
            }
            insertAttempt.reset()
        }
        return inserted
    }
}

/// The attempts an import added, per campaign, offer and contact centre. A chunk is sorted by
/// campaign, and a campaign has a few offers and centres, so the last entries found are kept
/// at the end where the search starts.
private final class CoverageDeltas {
    struct Delta {
        var campaign: Int32, offer: Int32, centre: Int32
        var attempts: Int64, oldest: Int64, newest: Int64
    }
    private(set) var deltas: [Delta] = []

    func add(_ attempt: PendingAttempt) {
        var i = deltas.count - 1
        while i >= 0 {
            let d = deltas[i]
            if d.campaign == attempt.campaign && d.offer == attempt.offer && d.centre == attempt.centre { break }
            i -= 1
        }
        if i < 0 {
            deltas.append(Delta(campaign: attempt.campaign, offer: attempt.offer, centre: attempt.centre,
                                attempts: 1, oldest: attempt.attemptedAt, newest: attempt.attemptedAt))
            return
        }
        deltas[i].attempts += 1
        deltas[i].oldest = min(deltas[i].oldest, attempt.attemptedAt)
        deltas[i].newest = max(deltas[i].newest, attempt.attemptedAt)
    }

    /// Adds the deltas to the `coverage` table, inside the import's transaction.
    func write(to db: SQLiteDatabase) throws {
        let upsert = try db.prepare("""
            INSERT INTO coverage (campaign_id, offer_id, contact_centre_id, attempts, oldest, newest)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (campaign_id, offer_id, contact_centre_id) DO UPDATE SET
                attempts = attempts + excluded.attempts,
                oldest = min(oldest, excluded.oldest), newest = max(newest, excluded.newest)
            """)
        for d in deltas {
            upsert.reset()
            upsert.bind(1, Int64(d.campaign))
            upsert.bind(2, Int64(d.offer))
            upsert.bind(3, Int64(d.centre))
            upsert.bind(4, d.attempts)
            upsert.bind(5, d.oldest)
            upsert.bind(6, d.newest)
            _ = try upsert.step()
        }
        upsert.reset()
        deltas.removeAll()
    }
}

/// Inserts chunks of buffered attempts on a thread of its own, so that reading the log (CSV,
/// numbers, timestamps, sorting a chunk) and writing SQLite pages use two cores. One chunk goes
/// round (a `Handoff`): the reading side fills its own buffer meanwhile, and waits for the chunk
/// when it has the next one full. The connection is used by one thread at a time: the inserter
/// holds `databaseLock` while it inserts, and the reading side takes it for its rare
/// statements while a chunk may be in hand (a new name).
private final class ChunkInserter {
    private final class Chunk {
        var attempts: [PendingAttempt] = []
        /// Held only while the chunk is inserted (see `InsertStatements`).
        var statements: InsertStatements?
    }

    let databaseLock = NSLock()
    private let chunks: Handoff<Chunk>
    private let countLock = NSLock()
    /// Attempts new to the history since the last `waitUntilIdle()`; guarded by `countLock`.
    private var inserted = 0

    init(chunkSize: Int) {
        chunks = Handoff(capacity: 1) {
            let chunk = Chunk()
            chunk.attempts.reserveCapacity(chunkSize)
            return chunk
        }
        let thread = Thread { [self] in run() }
        thread.name = "nixwash history insert"
        thread.start()
    }

    /// Sorts `buffer` and hands it over for inserting (waiting while the previous chunk is
    /// still being inserted), giving back an empty buffer. Throws the failure of an earlier chunk.
    func submit(_ buffer: inout [PendingAttempt], with statements: InsertStatements) throws {
        // Sorting here, on the reading side, balances the two threads' work.
        buffer.sort()
        let chunk = try chunks.takeEmpty()
        swap(&chunk.attempts, &buffer)
        chunk.statements = statements
        try chunks.send(chunk)
    }

    /// Waits until every chunk handed over is inserted; returns how many attempts were new
    /// since the last call. Throws the failure of a chunk.
    func waitUntilIdle() throws -> Int {
        try chunks.waitUntilIdle()
        return countLock.withLock {
            defer { inserted = 0 }
            return inserted
        }
    }

    /// Ends the thread, after the chunk in hand, and waits for it.
    func stop() {
        chunks.finish()
        chunks.waitForConsumer()
    }

    private func run() {
        // The inserter stops at the end of the chunks, or at its first failure, which the
        // reading side's next call throws.
        defer { chunks.cancel() }
        while let chunk = try? chunks.receive() {
            let result = databaseLock.withLock { Result { try chunk.statements!.insert(chunk.attempts) } }
            chunk.statements = nil
            chunk.attempts.removeAll(keepingCapacity: true)
            switch result {
            case let .success(count):
                countLock.withLock { inserted += count }
                chunks.recycle(chunk)
            case let .failure(error):
                chunks.cancel(throwing: error)
                return
            }
        }
    }
}

/// An attempt waiting in the buffer, with names replaced by their ids; ordered as the
/// primary key so the buffer can be inserted sorted.
struct PendingAttempt: Comparable {
    var number: Int64
    var attemptedAt: Int64
    // Name ids are SQLite row ids counted from 1: 32 bits keep the buffer small to sort.
    var campaign: Int32
    var centre: Int32
    var offer: Int32
    var localDate: Int32
    /// 0 when the log gave none.
    var outcome: Int32

    static func < (a: PendingAttempt, b: PendingAttempt) -> Bool {
        if a.campaign != b.campaign { return a.campaign < b.campaign }
        if a.number != b.number { return a.number < b.number }
        if a.attemptedAt != b.attemptedAt { return a.attemptedAt < b.attemptedAt }
        return a.centre < b.centre
    }
}

/// Ids of the names in one name table (campaigns, offers, ...), looked up from raw bytes
/// without allocating: an open-addressing table over a hash of the bytes. A new name is added
/// to the database table by the sink, inside the import's transaction.
private struct NameTable {
    private let kind: NameKind
    private let sink: AttemptSink
    private var names = ByteStringTable()
    /// The database id of each name, by its index in `names`.
    private var ids: [Int64] = []

    init(kind: NameKind, sink: AttemptSink) {
        self.kind = kind
        self.sink = sink
    }

    /// The id of the name in its canonical form (`HistoryCoverage.canonicalName`), or nil when
    /// that is empty. Spellings of one name in other bytes get the same id.
    mutating func id(of field: UnsafeRawBufferPointer) throws -> Int64? {
        let (start, end) = Blanks.trimmed(field)
        guard start < end else { return nil }
        let name = UnsafeRawBufferPointer(rebasing: field[start..<end])
        if let known = names.find(name) { return ids[known] }
        let canonical = HistoryCoverage.canonicalName(HistoryImport.text(name))
        guard !canonical.isEmpty else { return nil }
        let id = try sink.nameID(kind, canonical)
        _ = names.add(name)
        ids.append(id)
        return id
    }
}
