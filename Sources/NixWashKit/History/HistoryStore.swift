import Foundation

/// The contact history: every attempt (påringning) imported from dialer logs, in one SQLite
/// database file that data teams can open with the `sqlite3` shell (the `attempt_log` view
/// shows it readably). Names (campaign, offer, contact centre, outcome) are stored once in
/// their own tables; an attempt row is integers only, keyed by the natural key
/// (campaign, number, time, contact centre, offer), so re-importing a log adds nothing.
public final class HistoryStore: ContactHistoryStore {
    public enum Mode: Sendable {
        /// For snapshots and stats: never writes.
        case readOnly
        /// The database must exist.
        case readWrite
        /// Creates the database (and its schema) when the file does not exist.
        case create
    }

    /// The schema this version reads and writes (`PRAGMA user_version`).
    /// Version 2 added the purge audit (`purges`) and the import's not-attempt count and time
    /// zone; version 3 the `coverage` totals; version 4 the offer in the attempts' key. An
    /// older file is upgraded when opened for writing, and read as it is.
    public static let schemaVersion: Int64 = 4

    /// The schema version of this file (below `schemaVersion` for a file not yet upgraded, opened read-only).
    public private(set) var fileVersion: Int64 = 0

    public let path: String
    public var location: HistoryLocation { .sqlite(path: path) }
    let db: SQLiteDatabase

    /// - Parameter waiting: called when another process is writing to the history and this one
    ///   waits for it (to create or upgrade the schema).
    public init(path: String, mode: Mode = .readWrite, waiting: () -> Void = {}) throws {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists, mode != .create { throw NixWashError.historyNotFound(path: path) }
        switch mode {
        case .readOnly: db = try SQLiteDatabase(path: path, mode: .readOnly)
        case .readWrite: db = try SQLiteDatabase(path: path, mode: .readWrite)
        case .create: db = try SQLiteDatabase(path: path, mode: .create)
        }
        try checkSchema(mayCreate: mode == .create, mayUpgrade: mode != .readOnly, waiting: waiting)
        if mode != .readOnly {
            // WAL: a scrub can read the history while an import writes. FULL syncs the log at
            // every commit, so an import or purge that said "done" survives a power cut (NORMAL
            // could lose the last commit); it costs one sync per import.
            try db.useWriteAheadLog()
            try db.execute("PRAGMA synchronous = FULL")
        }
        // Aggregations over millions of attempts sort in memory, not in temporary files.
        try db.execute("PRAGMA temp_store = MEMORY;")
    }

    private func checkSchema(mayCreate: Bool, mayUpgrade: Bool, waiting: () -> Void) throws {
        let version: Int64
        do {
            version = try db.scalar("PRAGMA user_version")
        } catch {
            // SQLite only notices a foreign file when it first reads it.
            throw NixWashError.notAHistoryDatabase(path: path)
        }
        if version > HistoryStore.schemaVersion {
            throw NixWashError.historySchemaTooNew(path: path, version: version, supported: HistoryStore.schemaVersion)
        }
        fileVersion = version
        if version == HistoryStore.schemaVersion { return }
        if (1...3).contains(version) {
            guard mayUpgrade else { return }
            try db.beginWriting(waiting: waiting)
            do {
                // Decided again under the write lock: another import may have upgraded it meanwhile.
                if try db.scalar("PRAGMA user_version") == 1 { try db.execute(HistoryStore.upgradeFrom1) }
                if try db.scalar("PRAGMA user_version") == 2 { try db.execute(HistoryStore.upgradeFrom2) }
                if try db.scalar("PRAGMA user_version") == 3 { try db.execute(HistoryStore.upgradeFrom3) }
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
            fileVersion = HistoryStore.schemaVersion
            return
        }
        // Whether the file is empty is decided only under the write lock below: another
        // import may be creating this new database right now.
        guard mayCreate else { throw NixWashError.notAHistoryDatabase(path: path) }
        // 8 KiB pages: shallower trees for tens of millions of attempts (set before the first write).
        try db.execute("PRAGMA page_size = 8192")
        // The schema is written through the log too: a new file left in rollback mode would
        // make the switch race with the other import's write lock.
        try db.useWriteAheadLog()
        try db.beginWriting(waiting: waiting)
        do {
            // Another import may have created the same new database meanwhile: decide again
            // under the write lock, or both would create the schema and the second would fail.
            if try db.scalar("PRAGMA user_version") != HistoryStore.schemaVersion {
                guard try db.scalar("SELECT count(*) FROM sqlite_schema") == 0 else {
                    throw NixWashError.notAHistoryDatabase(path: path)
                }
                try db.execute(HistoryStore.schema)
            }
            try db.execute("COMMIT")
            fileVersion = HistoryStore.schemaVersion
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// The schema, with the reasoning kept next to it so the file documents itself.
    static let schema = """
        CREATE TABLE campaigns (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE offers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE contact_centres (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE outcomes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        -- One row per imported log file.
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            size INTEGER,                        -- bytes on disk; NULL for standard input
            sha256 TEXT,                         -- of the file as stored; NULL for standard input
            imported_at TEXT NOT NULL,           -- UTC, ISO 8601
            rows INTEGER NOT NULL,               -- data rows read
            inserted INTEGER NOT NULL,           -- new attempts
            duplicates INTEGER NOT NULL,         -- attempts already in the history
            bad INTEGER NOT NULL,                -- rows rejected (let through by the bad-row limit, in the rejects file)
            ambiguous_local_times INTEGER NOT NULL, -- local times in the repeated October hour, read as standard time
            not_attempts INTEGER NOT NULL DEFAULT 0, -- rows whose outcome means the dial never reached the phone
            time_zone TEXT                       -- zone of the times without an offset
        );
        -- One row per purge: when, the cut-off, how many attempts went.
        CREATE TABLE purges (
            id INTEGER PRIMARY KEY,
            purged_at TEXT NOT NULL,             -- UTC, ISO 8601
            cutoff_date TEXT NOT NULL,           -- attempts with a local date before it were removed
            removed INTEGER NOT NULL,
            forced INTEGER NOT NULL              -- 1 when the rules' window guard was overridden
        );
        \(attemptsTable(named: "attempts"))
        -- Which campaigns made which offer: the offer rule reads those campaigns' ranges.
        CREATE TABLE campaign_offers (
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
            offer_id INTEGER NOT NULL REFERENCES offers(id),
            PRIMARY KEY (offer_id, campaign_id)
        ) WITHOUT ROWID;
        \(coverageTable)
        \(attemptLogView)
        PRAGMA user_version = 4;
        """

    /// The primary key is the natural key of an attempt and, with the campaign first, the one
    /// index the rules need: a run reads a campaign's attempts as one range in number order.
    /// No secondary index: each one would double the cost of an import. The offer is part of
    /// the key: a log that gives the same call another offer (a corrected re-export) adds it
    /// under that offer too, and both offers count it, as nixwash cannot tell which is right.
    static func attemptsTable(named name: String) -> String {
        """
        CREATE TABLE \(name) (
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
            number INTEGER NOT NULL,             -- E.164 digits: +46701234567 is 46701234567
            attempted_at INTEGER NOT NULL,       -- seconds since 1970-01-01T00:00:00Z
            contact_centre_id INTEGER NOT NULL REFERENCES contact_centres(id),
            offer_id INTEGER NOT NULL REFERENCES offers(id),
            local_date INTEGER NOT NULL,         -- Europe/Stockholm date, days since 1970-01-01
            outcome_id INTEGER REFERENCES outcomes(id),
            import_id INTEGER NOT NULL REFERENCES imports(id),
            PRIMARY KEY (campaign_id, number, attempted_at, contact_centre_id, offer_id)
        ) WITHOUT ROWID;
        """
    }

    static let attemptLogView = """
        CREATE VIEW attempt_log AS
            SELECT '+' || a.number AS number,
                   strftime('%Y-%m-%dT%H:%M:%SZ', a.attempted_at, 'unixepoch') AS attempted_at_utc,
                   date(a.local_date * 86400, 'unixepoch') AS local_date,
                   c.name AS campaign, o.name AS offer, k.name AS contact_centre, r.name AS outcome,
                   a.import_id AS import_id
            FROM attempts a
            JOIN campaigns c ON c.id = a.campaign_id
            JOIN offers o ON o.id = a.offer_id
            JOIN contact_centres k ON k.id = a.contact_centre_id
            LEFT JOIN outcomes r ON r.id = a.outcome_id;
        """

    /// Version 4 put the offer into the attempts' key: the table is copied into the new one.
    static let upgradeFrom3 = attemptsTable(named: "attempts_v4") + """
        INSERT INTO attempts_v4 (campaign_id, number, attempted_at, contact_centre_id, offer_id, local_date, outcome_id, import_id)
            SELECT campaign_id, number, attempted_at, contact_centre_id, offer_id, local_date, outcome_id, import_id FROM attempts;
        DROP VIEW attempt_log;
        DROP TABLE attempts;
        ALTER TABLE attempts_v4 RENAME TO attempts;
        """ + attemptLogView + "PRAGMA user_version = 4;"

    /// The totals a scrub reports as the history's coverage, kept by every import and purge in
    /// the same transaction: reading them from `attempts` is a pass over every attempt (about
    /// 3 s of CPU for 20 million), which a scrub would pay on every run.
    static let coverageTable = """
        -- Per campaign, offer and contact centre: how many attempts, the oldest and the newest.
        -- Kept by nixwash's imports and purges; rebuild it after writing attempts by other means.
        CREATE TABLE coverage (
            campaign_id INTEGER NOT NULL,
            offer_id INTEGER NOT NULL,
            contact_centre_id INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            oldest INTEGER NOT NULL,             -- attempted_at, seconds since 1970 (UTC)
            newest INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, offer_id, contact_centre_id)
        ) WITHOUT ROWID;
        """

    static let rebuildCoverage = """
        DELETE FROM coverage;
        INSERT INTO coverage (campaign_id, offer_id, contact_centre_id, attempts, oldest, newest)
            SELECT campaign_id, offer_id, contact_centre_id, count(*), min(attempted_at), max(attempted_at)
            FROM attempts GROUP BY campaign_id, offer_id, contact_centre_id;
        """

    static let upgradeFrom2 = coverageTable + rebuildCoverage + "PRAGMA user_version = 3;"

    static let upgradeFrom1 = """
        ALTER TABLE imports ADD COLUMN not_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE imports ADD COLUMN time_zone TEXT;
        CREATE TABLE purges (
            id INTEGER PRIMARY KEY,
            purged_at TEXT NOT NULL,
            cutoff_date TEXT NOT NULL,
            removed INTEGER NOT NULL,
            forced INTEGER NOT NULL
        );
        PRAGMA user_version = 2;
        """

    /// Starts an import: one transaction for everything added until `commit()`.
    /// `waiting` is called when another process is writing and this import waits for it.
    public func beginImport(maxBadRows: Int? = nil, waiting: () -> Void = {}) throws -> HistoryImport {
        try HistoryImport(store: self, maxBadRows: maxBadRows, waiting: waiting)
    }

    /// What a purge before a local date removes (or would): how many attempts and the local
    /// dates of the first and last of them.
    public struct PurgeExtent: Equatable, Sendable, Codable {
        public var attempts: Int
        public var firstDate: LocalDate?
        public var lastDate: LocalDate?
    }

    /// What `purge(before:)` would remove, without removing it.
    public func purgeExtent(before localDate: Int32) throws -> PurgeExtent {
        let query = try db.prepare("SELECT count(*), min(local_date), max(local_date) FROM attempts WHERE local_date < ?1")
        query.bind(1, Int64(localDate))
        _ = try query.step()
        defer { query.reset() }
        return PurgeExtent(attempts: Int(query.int64(0)),
                           firstDate: query.optionalInt64(1).map { LocalDate(daysSinceEpoch: Int($0)) },
                           lastDate: query.optionalInt64(2).map { LocalDate(daysSinceEpoch: Int($0)) })
    }

    /// Removes every attempt whose Stockholm local date is before `localDate`, and records the
    /// purge in `purges` in the same transaction; returns what went. The rules look back at
    /// most a year: older attempts are personal data with no use. Which cut-offs are allowed
    /// (the rules' window) is the caller's decision: `forced` records that it was overridden.
    public func purge(before localDate: Int32, forced: Bool = false, waiting: () -> Void = {}) throws -> PurgeExtent {
        try db.beginWriting(waiting: waiting)
        do {
            let extent = try purgeExtent(before: localDate)
            let delete = try db.prepare("DELETE FROM attempts WHERE local_date < ?1")
            delete.bind(1, Int64(localDate))
            _ = try delete.step()
            try db.execute("""
                DELETE FROM campaign_offers WHERE NOT EXISTS (SELECT 1 FROM attempts a
                    WHERE a.campaign_id = campaign_offers.campaign_id AND a.offer_id = campaign_offers.offer_id)
                """)
            try db.execute(HistoryStore.rebuildCoverage)
            let audit = try db.prepare("INSERT INTO purges (purged_at, cutoff_date, removed, forced) VALUES (?1, ?2, ?3, ?4)")
            audit.bind(1, HistoryStore.isoInstant(Int64(Date().timeIntervalSince1970)))
            audit.bind(2, LocalDate(daysSinceEpoch: Int(localDate)).description)
            audit.bind(3, Int64(extent.attempts))
            audit.bind(4, Int64(forced ? 1 : 0))
            _ = try audit.step()
            try db.execute("COMMIT")
            return extent
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// Gives the space of purged attempts back to the file system (rewrites the file).
    public func vacuum() throws {
        try db.execute("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
    }

    /// Totals for `nixwash history stats`, from one pass over the table in primary-key order
    /// (numbers come sorted within each campaign) and one sort of all numbers for the distinct
    /// count: SQL's count(DISTINCT) built a temporary tree of 1.4 GB and took 50 s for 30
    /// million attempts.
    public func stats() throws -> HistoryStats {
        struct Tally {
            var attempts = 0, numbers = 0
            var lastNumber: Int64 = -1
            var first = Int64.max, last = Int64.min
        }
        var tallies: [Int64: Tally] = [:]  // by campaign_id << 40 | offer_id << 20 | contact_centre_id
        var numbers: [Int64] = []
        var minDate = Int64.max, maxDate = Int64.min, minTime = Int64.max, maxTime = Int64.min
        let rows = try db.prepare("SELECT campaign_id, offer_id, number, local_date, attempted_at, contact_centre_id FROM attempts")
        var currentKey: Int64 = -1
        var current = Tally()
        while try rows.step() {
            let key = rows.int64(0) << 40 | rows.int64(1) << 20 | rows.int64(5)
            let number = rows.int64(2), date = rows.int64(3), time = rows.int64(4)
            if key != currentKey {
                if currentKey >= 0 { tallies[currentKey] = current }
                currentKey = key
                current = tallies[key] ?? Tally()
            }
            current.attempts += 1
            // A number's attempts are consecutive within its campaign, so also within its
            // campaign, offer and contact centre.
            if number != current.lastNumber {
                current.numbers += 1
                current.lastNumber = number
                numbers.append(number)
            }
            current.first = min(current.first, date)
            current.last = max(current.last, date)
            minDate = min(minDate, date); maxDate = max(maxDate, date)
            minTime = min(minTime, time); maxTime = max(maxTime, time)
        }
        if currentKey >= 0 { tallies[currentKey] = current }

        var stats = HistoryStats()
        stats.attempts = tallies.values.reduce(0) { $0 + $1.attempts }
        numbers.sort()
        stats.numbers = numbers.indices.reduce(0) { $1 == 0 || numbers[$1] != numbers[$1 - 1] ? $0 + 1 : $0 }
        stats.imports = Int(try db.scalar("SELECT count(*) FROM imports"))
        stats.rejectedRows = Int(try db.scalar("SELECT coalesce(sum(bad), 0) FROM imports"))
        if fileVersion >= 2 {
            stats.notAttemptRows = Int(try db.scalar("SELECT coalesce(sum(not_attempts), 0) FROM imports"))
            let purges = try db.prepare("SELECT purged_at, cutoff_date, removed, forced FROM purges ORDER BY id")
            while try purges.step() {
                stats.purges.append(HistoryStats.Purge(purgedAt: purges.text(0) ?? "", cutoffDate: purges.text(1) ?? "",
                                                       removed: Int(purges.int64(2)), forced: purges.int64(3) != 0))
            }
        }
        if stats.attempts > 0 {
            stats.firstDate = LocalDate(daysSinceEpoch: Int(minDate)).description
            stats.lastDate = LocalDate(daysSinceEpoch: Int(maxDate)).description
            stats.firstAttemptUTC = HistoryStore.isoInstant(minTime)
            stats.lastAttemptUTC = HistoryStore.isoInstant(maxTime)
        }
        func names(_ table: String) throws -> [Int64: String] {
            let statement = try db.prepare("SELECT id, name FROM \(table)")
            var names: [Int64: String] = [:]
            while try statement.step() { names[statement.int64(0)] = statement.text(1) ?? "" }
            return names
        }
        let campaignNames = try names("campaigns"), offerNames = try names("offers")
        let centreNames = try names("contact_centres")
        stats.campaigns = tallies.map { key, tally in
            HistoryStats.Campaign(campaign: campaignNames[key >> 40] ?? "", offer: offerNames[key >> 20 & 0xf_ffff] ?? "",
                                  contactCentre: centreNames[key & 0xf_ffff] ?? "",
                                  attempts: tally.attempts, numbers: tally.numbers,
                                  firstDate: LocalDate(daysSinceEpoch: Int(tally.first)).description,
                                  lastDate: LocalDate(daysSinceEpoch: Int(tally.last)).description)
        }.sorted { ($0.campaign, $0.offer, $0.contactCentre) < ($1.campaign, $1.offer, $1.contactCentre) }
        return stats
    }

    public func forEachAttempt(_ body: (HistoryAttempt) throws -> Void) throws {
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        func names(_ table: String) throws -> [Int64: String] {
            let statement = try db.prepare("SELECT id, name FROM \(table)")
            var names: [Int64: String] = [:]
            while try statement.step() { names[statement.int64(0)] = statement.text(1) ?? "" }
            return names
        }
        let campaigns = try names("campaigns"), offers = try names("offers")
        let centres = try names("contact_centres"), outcomes = try names("outcomes")
        let rows = try db.prepare("SELECT campaign_id, number, attempted_at, contact_centre_id, offer_id, outcome_id FROM attempts")
        while try rows.step() {
            try body(HistoryAttempt(number: PhoneKey(rawValue: UInt64(rows.int64(1))), attemptedAt: rows.int64(2),
                                    campaign: campaigns[rows.int64(0)] ?? "", offer: offers[rows.int64(4)] ?? "",
                                    contactCentre: centres[rows.int64(3)] ?? "",
                                    outcome: rows.optionalInt64(5).flatMap { outcomes[$0] }))
        }
    }

    public func coverage(campaign: String, offer: String, contactCentre: String) throws -> HistoryCoverage {
        try HistoryCoverage.load(store: self, campaign: campaign, offer: offer, contactCentre: contactCentre)
    }

    public func checkCoverage(campaign: String, offer: String, contactCentre: String, maxAge: Int64?, now: Int64) throws {
        try HistoryCoverage.check(store: self, campaign: campaign, offer: offer, contactCentre: contactCentre, maxAge: maxAge, now: now)
    }

    public func snapshot(callDate: Int32, campaign: String, offer: String, contactCentre: String,
                         campaignWindowDays: Int, offerWindowDays: Int, keeping: HistoryKeeping,
                         lookup: HistoryLookup) throws -> HistorySnapshot {
        try HistorySnapshot.load(db: self, callDate: callDate, campaign: campaign, offer: offer, contactCentre: contactCentre,
                                 campaignWindowDays: campaignWindowDays, offerWindowDays: offerWindowDays,
                                 keeping: keeping, lookup: lookup)
    }

    /// `2026-03-29T00:30:00Z`.
    static func isoInstant(_ instant: Int64) -> String {
        let (day, second) = LocalDate.day(ofSecondsSinceEpoch: instant)
        var bytes: [UInt8] = []
        LocalDate(daysSinceEpoch: Int(day)).appendISO8601(secondOfDay: second, utcOffsetHours: nil, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// One attempt given as values rather than as a log row.
public struct HistoryAttempt: Equatable, Sendable {
    public var number: PhoneKey
    /// Seconds since 1970-01-01T00:00:00Z.
    public var attemptedAt: Int64
    public var campaign: String
    public var offer: String
    public var contactCentre: String
    public var outcome: String?

    public init(number: PhoneKey, attemptedAt: Int64, campaign: String, offer: String,
                contactCentre: String, outcome: String? = nil) {
        self.number = number
        self.attemptedAt = attemptedAt
        self.campaign = campaign
        self.offer = offer
        self.contactCentre = contactCentre
        self.outcome = outcome
    }
}

/// What `nixwash history stats` shows. Dates are Europe/Stockholm local dates.
public struct HistoryStats: Codable, Equatable, Sendable {
    public struct Campaign: Codable, Equatable, Sendable {
        public var campaign: String
        public var offer: String
        public var contactCentre: String
        public var attempts: Int
        public var numbers: Int
        public var firstDate: String
        public var lastDate: String
    }

    public var attempts = 0
    public var numbers = 0
    public var imports = 0
    public var firstDate: String?
    public var lastDate: String?
    public var firstAttemptUTC: String?
    public var lastAttemptUTC: String?
    /// Rows the imports rejected (let through by their bad-row limit, in their rejects files).
    public var rejectedRows = 0
    /// Rows the imports left out because their outcome means the dial never reached the phone.
    public var notAttemptRows = 0
    /// One entry per campaign, offer and contact centre.
    public var campaigns: [Campaign] = []
    /// Every purge, oldest first.
    public var purges: [Purge] = []

    public struct Purge: Codable, Equatable, Sendable {
        public var purgedAt: String
        public var cutoffDate: String
        public var removed: Int
        public var forced: Bool
    }
}
