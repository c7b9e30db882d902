import Foundation

/// The contact history in a PostgreSQL database, for groups whose sites, dialers and washing
/// hosts share one history. The same tables and natural key as the SQLite file (the
/// `attempt_log` view too), so a data team's queries work on either. The schema is created
/// and migrated by nixwash, its version kept in `nixwash_schema`.
///
/// Writers (imports, purges, schema changes) take one transaction-level advisory lock, so two
/// sites importing at once run one after the other, as two imports into one SQLite file do:
/// nothing lost, nothing doubled, and no deadlock between their inserts.
public final class PostgresHistoryStore: ContactHistoryStore {
    public let location: HistoryLocation
    let connection: PostgresConnection
    private let url: String

    /// The key of the writers' advisory lock ("nixw").
    static let writerLock: Int64 = 0x6e69_7877

    /// The migrations, in order: each takes the schema from the version before it to its own.
    /// The versions are the SQLite file's `user_version`s: 2 the tables with the purge audit and
    /// the import's not-attempt count and time zone, 3 the `coverage` totals, 4 the offer in the
    /// attempts' key (see `HistoryStore.attemptsTable`).
    static let migrations: [(version: Int64, sql: String)] = [
        (2, schema), (3, coverageTable + rebuildCoverage),
        (4, "ALTER TABLE attempts DROP CONSTRAINT attempts_pkey, ADD PRIMARY KEY (campaign_id, number, attempted_at, contact_centre_id, offer_id);"),
    ]

    /// As in `HistoryStore.coverageTable`: per campaign, offer and contact centre, how many
    /// attempts and the oldest and newest, kept by every import and purge.
    static let coverageTable = """
        CREATE TABLE coverage (
            campaign_id integer NOT NULL,
            offer_id integer NOT NULL,
            contact_centre_id integer NOT NULL,
            attempts bigint NOT NULL,
            oldest bigint NOT NULL,
            newest bigint NOT NULL,
            PRIMARY KEY (campaign_id, offer_id, contact_centre_id)
        );
        """

    static let rebuildCoverage = """
        DELETE FROM coverage;
        INSERT INTO coverage (campaign_id, offer_id, contact_centre_id, attempts, oldest, newest)
            SELECT campaign_id, offer_id, contact_centre_id, count(*), min(attempted_at), max(attempted_at)
            FROM attempts GROUP BY campaign_id, offer_id, contact_centre_id;
        """

    public static var schemaVersion: Int64 { migrations.last!.version }

    public init(url: String, mode: HistoryStore.Mode = .readWrite, waiting: () -> Void = {}) throws {
        self.url = url
        location = .postgres(url: url)
        connection = try PostgresConnection(url: url)
        try checkSchema(mayCreate: mode == .create, mayUpgrade: mode != .readOnly, waiting: waiting)
    }

    private func version() throws -> Int64? {
        guard try connection.scalar("SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'nixwash_schema' AND schemaname = current_schema()") == 1 else {
            return nil
        }
        return try connection.scalar("SELECT max(version) FROM nixwash_schema")
    }

    private func checkSchema(mayCreate: Bool, mayUpgrade: Bool, waiting: () -> Void) throws {
        let found = try version()
        if let found, found > Self.schemaVersion {
            throw NixWashError.historySchemaTooNew(path: location.description, version: found, supported: Self.schemaVersion)
        }
        if found == Self.schemaVersion { return }
        if found == nil, !mayCreate { throw NixWashError.historyNotFound(path: location.description) }
        guard mayUpgrade else { return }
        try writing(waiting: waiting) {
            // Decided again under the lock: another site may have created or migrated it meanwhile.
            let current = try version()
            if current == nil, try connection.scalar("SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'attempts' AND schemaname = current_schema()") > 0 {
                throw NixWashError.notAHistoryDatabase(path: location.description)
            }
            for migration in Self.migrations where migration.version > current ?? 0 {
                try connection.execute(migration.sql)
                _ = try connection.query("INSERT INTO nixwash_schema (version, applied_at) VALUES ($1, $2)",
                                         ["\(migration.version)", HistoryStore.isoInstant(Int64(Date().timeIntervalSince1970))])
            }
        }
    }

    /// Runs `body` in a transaction holding the writers' lock; `waiting` is called once when
    /// another writer holds it, before waiting for it.
    private func writing<T>(waiting: () -> Void, _ body: () throws -> T) throws -> T {
        try Self.beginWriting(connection, waiting: waiting)
        do {
            let result = try body()
            try connection.execute("COMMIT")
            return result
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    static func beginWriting(_ connection: PostgresConnection, waiting: () -> Void) throws {
        try connection.execute("BEGIN")
        do {
            if try connection.query("SELECT pg_try_advisory_xact_lock($1)", ["\(writerLock)"]).text(0, 0) != "t" {
                waiting()
                _ = try connection.query("SELECT pg_advisory_xact_lock($1)", ["\(writerLock)"])
            }
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// The schema, as in `HistoryStore.schema` (see the reasoning there), in PostgreSQL's types.
    static let schema = """
        CREATE TABLE nixwash_schema (version bigint NOT NULL, applied_at text NOT NULL);
        CREATE TABLE campaigns (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE);
        CREATE TABLE offers (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE);
        CREATE TABLE contact_centres (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE);
        CREATE TABLE outcomes (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE);
        CREATE TABLE imports (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            path text NOT NULL,
            size bigint,
            sha256 text,
            imported_at text NOT NULL,
            rows bigint NOT NULL,
            inserted bigint NOT NULL,
            duplicates bigint NOT NULL,
            bad bigint NOT NULL,
            ambiguous_local_times bigint NOT NULL,
            not_attempts bigint NOT NULL DEFAULT 0,
            time_zone text
        );
        CREATE TABLE purges (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            purged_at text NOT NULL,
            cutoff_date text NOT NULL,
            removed bigint NOT NULL,
            forced integer NOT NULL
        );
        -- No foreign keys, as SQLite enforces none: their checks made an import of a million
        -- attempts take 70 s instead of 20 s, and only nixwash writes these ids.
        CREATE TABLE attempts (
            campaign_id integer NOT NULL,
            number bigint NOT NULL,
            attempted_at bigint NOT NULL,
            contact_centre_id integer NOT NULL,
            offer_id integer NOT NULL,
            local_date integer NOT NULL,
            outcome_id integer,
            import_id bigint NOT NULL,
            PRIMARY KEY (campaign_id, number, attempted_at, contact_centre_id)
        );
        CREATE TABLE campaign_offers (
            campaign_id integer NOT NULL REFERENCES campaigns(id),
            offer_id integer NOT NULL REFERENCES offers(id),
            PRIMARY KEY (offer_id, campaign_id)
        );
        CREATE VIEW attempt_log AS
            SELECT '+' || a.number AS number,
                   to_char(to_timestamp(a.attempted_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS attempted_at_utc,
                   to_char(DATE '1970-01-01' + a.local_date, 'YYYY-MM-DD') AS local_date,
                   c.name AS campaign, o.name AS offer, k.name AS contact_centre, r.name AS outcome,
                   a.import_id AS import_id
            FROM attempts a
            JOIN campaigns c ON c.id = a.campaign_id
            JOIN offers o ON o.id = a.offer_id
            JOIN contact_centres k ON k.id = a.contact_centre_id
            LEFT JOIN outcomes r ON r.id = a.outcome_id;
        """

    public func beginImport(maxBadRows: Int?, waiting: () -> Void) throws -> HistoryImport {
        // Its own connection: the import's transaction stays apart from this store's reads.
        let sink = try PostgresAttemptSink(connection: try PostgresConnection(url: url), waiting: waiting)
        return HistoryImport(sink: sink, maxBadRows: maxBadRows, chunkSize: PostgresAttemptSink.chunkSize)
    }

    public func purgeExtent(before localDate: Int32) throws -> HistoryStore.PurgeExtent {
        let result = try connection.query("SELECT count(*), min(local_date), max(local_date) FROM attempts WHERE local_date < $1",
                                          ["\(localDate)"])
        return HistoryStore.PurgeExtent(attempts: Int(result.int64(0, 0)),
                                        firstDate: result.optionalInt64(0, 1).map { LocalDate(daysSinceEpoch: Int($0)) },
                                        lastDate: result.optionalInt64(0, 2).map { LocalDate(daysSinceEpoch: Int($0)) })
    }

    public func purge(before localDate: Int32, forced: Bool = false, waiting: () -> Void = {}) throws -> HistoryStore.PurgeExtent {
        try writing(waiting: waiting) {
            let extent = try purgeExtent(before: localDate)
            _ = try connection.query("DELETE FROM attempts WHERE local_date < $1", ["\(localDate)"])
            try connection.execute("""
                DELETE FROM campaign_offers WHERE NOT EXISTS (SELECT 1 FROM attempts a
                    WHERE a.campaign_id = campaign_offers.campaign_id AND a.offer_id = campaign_offers.offer_id)
                """)
            try connection.execute(Self.rebuildCoverage)
            _ = try connection.query("INSERT INTO purges (purged_at, cutoff_date, removed, forced) VALUES ($1, $2, $3, $4)",
                                     [HistoryStore.isoInstant(Int64(Date().timeIntervalSince1970)),
                                      LocalDate(daysSinceEpoch: Int(localDate)).description, "\(extent.attempts)", forced ? "1" : "0"])
            return extent
        }
    }

    public func vacuum() throws {
        try connection.execute("VACUUM attempts; VACUUM campaign_offers")
    }

    public func stats() throws -> HistoryStats {
        var stats = HistoryStats()
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { try? connection.execute("COMMIT") }
        let totals = try connection.query("""
            SELECT count(*), count(DISTINCT number), min(local_date), max(local_date), min(attempted_at), max(attempted_at)
            FROM attempts
            """)
        stats.attempts = Int(totals.int64(0, 0))
        stats.numbers = Int(totals.int64(0, 1))
        if stats.attempts > 0 {
            stats.firstDate = LocalDate(daysSinceEpoch: Int(totals.int64(0, 2))).description
            stats.lastDate = LocalDate(daysSinceEpoch: Int(totals.int64(0, 3))).description
            stats.firstAttemptUTC = HistoryStore.isoInstant(totals.int64(0, 4))
            stats.lastAttemptUTC = HistoryStore.isoInstant(totals.int64(0, 5))
        }
        let imports = try connection.query("SELECT count(*), coalesce(sum(bad), 0), coalesce(sum(not_attempts), 0) FROM imports")
        stats.imports = Int(imports.int64(0, 0))
        stats.rejectedRows = Int(imports.int64(0, 1))
        stats.notAttemptRows = Int(imports.int64(0, 2))
        let purges = try connection.query("SELECT purged_at, cutoff_date, removed, forced FROM purges ORDER BY id")
        for row in 0..<purges.rows {
            stats.purges.append(HistoryStats.Purge(purgedAt: purges.text(row, 0) ?? "", cutoffDate: purges.text(row, 1) ?? "",
                                                   removed: Int(purges.int64(row, 2)), forced: purges.int64(row, 3) != 0))
        }
        let groups = try connection.query("""
            SELECT c.name, o.name, k.name, g.attempts, g.numbers, g.first, g.last
            FROM (SELECT campaign_id, offer_id, contact_centre_id, count(*) AS attempts, count(DISTINCT number) AS numbers,
                         min(local_date) AS first, max(local_date) AS last
                  FROM attempts GROUP BY campaign_id, offer_id, contact_centre_id) g
            JOIN campaigns c ON c.id = g.campaign_id
            JOIN offers o ON o.id = g.offer_id
            JOIN contact_centres k ON k.id = g.contact_centre_id
            """)
        stats.campaigns = (0..<groups.rows).map { row in
            HistoryStats.Campaign(campaign: groups.text(row, 0) ?? "", offer: groups.text(row, 1) ?? "",
                                  contactCentre: groups.text(row, 2) ?? "",
                                  attempts: Int(groups.int64(row, 3)), numbers: Int(groups.int64(row, 4)),
                                  firstDate: LocalDate(daysSinceEpoch: Int(groups.int64(row, 5))).description,
                                  lastDate: LocalDate(daysSinceEpoch: Int(groups.int64(row, 6))).description)
        }.sorted { ($0.campaign, $0.offer, $0.contactCentre) < ($1.campaign, $1.offer, $1.contactCentre) }
        return stats
    }

    public func attempts(of key: PhoneKey) throws -> [HistoryStore.StoredAttempt] {
        // COLLATE "C": names in byte order, as SQLite sorts them, whatever the database's locale.
        let result = try connection.query("""
            SELECT a.attempted_at, a.local_date, c.name, o.name, k.name, r.name
            FROM campaigns c
            JOIN attempts a ON a.campaign_id = c.id AND a.number = $1
            JOIN offers o ON o.id = a.offer_id
            JOIN contact_centres k ON k.id = a.contact_centre_id
            LEFT JOIN outcomes r ON r.id = a.outcome_id
            ORDER BY a.attempted_at, c.name COLLATE "C", k.name COLLATE "C"
            """, ["\(key.rawValue)"])
        return (0..<result.rows).map { row in
            HistoryStore.StoredAttempt(attemptedAt: result.int64(row, 0), localDay: Int32(result.int64(row, 1)),
                                       campaign: result.text(row, 2) ?? "", offer: result.text(row, 3) ?? "",
                                       contactCentre: result.text(row, 4) ?? "", outcome: result.text(row, 5))
        }
    }

    /// Rows fetched from a cursor at a time: memory stays flat however large the result.
    static let fetchSize = 50_000

    /// Runs `sql` as a cursor in a read-only transaction (one snapshot of the database) and
    /// hands over its rows a batch at a time.
    func withCursor(_ sql: String, _ parameters: [String?] = [], _ body: (PostgresResult) throws -> Void) throws {
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            _ = try connection.query("DECLARE nixwash_rows NO SCROLL CURSOR FOR " + sql, parameters)
            while true {
                let batch = try connection.query("FETCH FORWARD \(Self.fetchSize) FROM nixwash_rows")
                if batch.rows == 0 { break }
                try body(batch)
            }
            try connection.execute("CLOSE nixwash_rows; COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    public func forEachAttempt(_ body: (HistoryAttempt) throws -> Void) throws {
        try withCursor("""
            SELECT a.number, a.attempted_at, c.name, o.name, k.name, r.name
            FROM attempts a
            JOIN campaigns c ON c.id = a.campaign_id
            JOIN offers o ON o.id = a.offer_id
            JOIN contact_centres k ON k.id = a.contact_centre_id
            LEFT JOIN outcomes r ON r.id = a.outcome_id
            """) { batch in
            for row in 0..<batch.rows {
                try body(HistoryAttempt(number: PhoneKey(rawValue: UInt64(batch.int64(row, 0))), attemptedAt: batch.int64(row, 1),
                                        campaign: batch.text(row, 2) ?? "", offer: batch.text(row, 3) ?? "",
                                        contactCentre: batch.text(row, 4) ?? "", outcome: batch.text(row, 5)))
            }
        }
    }

    /// From the `coverage` totals, as `HistoryCoverage.load` reads them for SQLite.
    public func coverage(campaign: String, offer: String, contactCentre: String) throws -> HistoryCoverage {
        let row = try connection.query("""
            WITH ids AS (
                SELECT coalesce((SELECT id FROM campaigns WHERE name = $1), -1) AS campaign,
                       coalesce((SELECT id FROM offers WHERE name = $2), -1) AS offer,
                       coalesce((SELECT id FROM contact_centres WHERE name = $3), -1) AS centre
            )
            SELECT coalesce(sum(c.attempts), 0), min(c.oldest), max(c.newest),
                   coalesce(sum(c.attempts) FILTER (WHERE c.campaign_id = ids.campaign), 0),
                   coalesce(sum(c.attempts) FILTER (WHERE c.offer_id = ids.offer), 0),
                   coalesce(sum(c.attempts) FILTER (WHERE c.contact_centre_id = ids.centre), 0)
            FROM ids LEFT JOIN coverage c ON true
            GROUP BY ids.campaign, ids.offer, ids.centre
            """, [campaign, offer, contactCentre])
        return HistoryCoverage(path: location.description, attempts: Int(row.int64(0, 0)),
                               oldestAttempt: row.optionalInt64(0, 1).map(StockholmTime.iso8601),
                               newestAttempt: row.optionalInt64(0, 2).map(StockholmTime.iso8601),
                               campaignAttempts: Int(row.int64(0, 3)), offerAttempts: Int(row.int64(0, 4)),
                               contactCentreAttempts: Int(row.int64(0, 5)))
    }

    /// `HistoryCoverage.check` on the server: near names are told apart by the same fold.
    public func checkCoverage(campaign: String, offer: String, contactCentre: String, maxAge: Int64?, now: Int64) throws {
        guard try connection.scalar("SELECT (EXISTS (SELECT 1 FROM imports) OR EXISTS (SELECT 1 FROM attempts))::int") == 1 else {
            throw NixWashError.historyNeverImported(path: location.description)
        }
        for (field, name) in zip(HistoryCoverage.Field.allCases, [campaign, offer, contactCentre]) {
            let folded = HistoryCoverage.fold(name)
            let names = try connection.query("SELECT id, name FROM \(field.table)")
            let candidates = (0..<names.rows).compactMap { row -> (id: Int64, name: String)? in
                guard let other = names.text(row, 1), !other.utf8.elementsEqual(name.utf8), HistoryCoverage.fold(other) == folded else { return nil }
                return (names.int64(row, 0), other)
            }
            guard !candidates.isEmpty else { continue }
            let given = try connection.scalar("""
                SELECT count(*) FROM attempts a JOIN \(field.table) t ON t.id = a.\(field.column) WHERE t.name = $1
                """, [name])
            let near = try candidates.compactMap { candidate -> (String, Int)? in
                let attempts = try connection.scalar("SELECT count(*) FROM attempts WHERE \(field.column) = $1", ["\(candidate.id)"])
                return attempts > 0 ? (candidate.name, Int(attempts)) : nil
            }
            guard !near.isEmpty else { continue }
            throw NixWashError.nearHistoryName(path: location.description, field: field.rawValue, given: name,
                                               givenAttempts: Int(given), near: near.map(\.0), attempts: near.map(\.1))
        }
        guard let maxAge else { return }
        // As in SQLite (`HistoryCoverage.check`): an attempt after now proves nothing current.
        let newest = try connection.query("SELECT max(attempted_at) FROM attempts WHERE attempted_at <= $1",
                                          ["\(now + AttemptTimestamp.clockSlack)"]).optionalInt64(0, 0)
        if let newest, newest >= now - maxAge { return }
        throw NixWashError.staleHistory(path: location.description, newestAttempt: newest.map(StockholmTime.iso8601),
                                        age: newest.map { HistoryCoverage.describe(seconds: now - $0) },
                                        maxAge: HistoryCoverage.describe(seconds: maxAge))
    }

    /// The rules' aggregates, computed by the server: per number, the campaign's attempts in
    /// the campaign window, the contact centre's on the call date with the latest of them, and
    /// how many other campaigns with the offer called it in the offer window; only numbers the
    /// campaign called or enough other campaigns called (see `HistorySnapshot.load`), in number
    /// order, and first a row (number 0) that counts every number with a counted attempt.
    static let snapshotQuery = """
        WITH ids AS (
            -- A name the history has never seen matches no attempt: -1 is never an id (NULL
            -- would also make "another campaign than this one" match none).
            SELECT coalesce((SELECT id FROM campaigns WHERE name = $1), -1) AS campaign,
                   coalesce((SELECT id FROM offers WHERE name = $2), -1) AS offer,
                   coalesce((SELECT id FROM contact_centres WHERE name = $3), -1) AS centre
        ), own AS (
            SELECT a.number, count(*) AS attempts,
                   count(*) FILTER (WHERE a.local_date = $4 AND a.contact_centre_id = ids.centre) AS centre_attempts,
                   max(a.attempted_at) FILTER (WHERE a.local_date = $4 AND a.contact_centre_id = ids.centre) AS last_centre
            FROM attempts a, ids
            WHERE a.campaign_id = ids.campaign AND a.local_date BETWEEN $5 AND $4
            GROUP BY a.number
        ), others AS (
            SELECT a.number, count(DISTINCT a.campaign_id) AS campaigns
            FROM attempts a, ids
            WHERE a.campaign_id = ANY (ARRAY(SELECT co.campaign_id FROM campaign_offers co, ids
                                             WHERE co.offer_id = ids.offer AND co.campaign_id <> ids.campaign))
              AND a.offer_id = ids.offer AND a.local_date BETWEEN $6 AND $4
            GROUP BY a.number
        ), joined AS (
            SELECT coalesce(own.number, others.number) AS number, own.attempts, own.centre_attempts, own.last_centre,
                   coalesce(others.campaigns, 0) AS other_campaigns
            FROM own FULL JOIN others ON others.number = own.number
        )
        SELECT 0::bigint AS number, count(*), NULL::bigint, NULL::bigint, NULL::bigint FROM joined
        UNION ALL
        SELECT number, attempts, centre_attempts, last_centre, other_campaigns FROM joined
        WHERE attempts IS NOT NULL OR other_campaigns >= $7
        ORDER BY number
        """

    public func snapshot(callDate: Int32, campaign: String, offer: String, contactCentre: String,
                         campaignWindowDays: Int, offerWindowDays: Int, keeping: HistoryKeeping,
                         lookup: HistoryLookup) throws -> HistorySnapshot {
        precondition(campaignWindowDays >= 1 && offerWindowDays >= 1, "a window holds at least the call date")
        if lookup == .perNumber {
            let queries = try PostgresNumberQueries(url: url, callDate: callDate, campaign: campaign, offer: offer,
                                                    contactCentre: contactCentre, campaignWindowDays: campaignWindowDays,
                                                    offerWindowDays: offerWindowDays)
            return HistorySnapshot(callDate: callDate, perNumber: queries, keeping: keeping)
        }
        var numbers = HistorySnapshot.Numbers(keeping: keeping)
        var counted = 0
        let day = Int64(callDate)
        try withCursor(Self.snapshotQuery, [campaign, offer, contactCentre, "\(day)", "\(day - Int64(campaignWindowDays - 1))",
                                            "\(day - Int64(offerWindowDays - 1))", "\(keeping.otherCampaignsFrom)"]) { batch in
            for row in 0..<batch.rows {
                let number = batch.int64(row, 0)
                if number == 0 {
                    counted = Int(batch.int64(row, 1))
                    continue
                }
                numbers.append(UInt64(number), HistorySnapshot.Aggregate(
                    lastCentreAttempt: batch.optionalInt64(row, 3) ?? .min,
                    campaignAttempts: UInt32(clamping: batch.optionalInt64(row, 1) ?? 0),
                    centreAttempts: UInt16(clamping: batch.optionalInt64(row, 2) ?? 0),
                    otherCampaigns: UInt16(clamping: batch.int64(row, 4))))
            }
        }
        return HistorySnapshot(callDate: callDate, count: counted, numbers: &numbers)
    }
}

/// The server's point queries (`HistoryLookup.perNumber`): one round trip per number, on a
/// connection of its own, in one repeatable-read transaction held for the run.
final class PostgresNumberQueries: NumberHistoryQueries {
    private let connection: PostgresConnection
    /// $1 campaign, $2 call date, $3 centre, $4 first day of the campaign window, $6 the other
    /// campaigns with the offer, $7 first day of the offer window, $8 offer; $5 the number.
    private var parameters: [String?]

    static let countsQuery = """
        SELECT count(*),
               count(*) FILTER (WHERE local_date = $2 AND contact_centre_id = $3),
               max(attempted_at) FILTER (WHERE local_date = $2 AND contact_centre_id = $3),
               (SELECT count(DISTINCT campaign_id) FROM attempts
                WHERE campaign_id = ANY ($6::integer[]) AND number = $5 AND local_date BETWEEN $7 AND $2 AND offer_id = $8)
        FROM attempts
        WHERE campaign_id = $1 AND number = $5 AND local_date BETWEEN $4 AND $2
        """

    init(url: String, callDate: Int32, campaign: String, offer: String, contactCentre: String,
         campaignWindowDays: Int, offerWindowDays: Int) throws {
        connection = try PostgresConnection(url: url)
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        // A name the history has never seen matches no attempt: -1 is never an id.
        let ids = try connection.query("""
            SELECT coalesce((SELECT id FROM campaigns WHERE name = $1), -1),
                   coalesce((SELECT id FROM offers WHERE name = $2), -1),
                   coalesce((SELECT id FROM contact_centres WHERE name = $3), -1)
            """, [campaign, offer, contactCentre])
        let campaignID = ids.int64(0, 0), offerID = ids.int64(0, 1), centreID = ids.int64(0, 2)
        let others = try connection.query("SELECT campaign_id FROM campaign_offers WHERE offer_id = $1 AND campaign_id <> $2",
                                          ["\(offerID)", "\(campaignID)"])
        let otherCampaigns = (0..<others.rows).map { String(others.int64($0, 0)) }
        let day = Int64(callDate)
        parameters = ["\(campaignID)", "\(day)", "\(centreID)", "\(day - Int64(campaignWindowDays - 1))", nil,
                      "{" + otherCampaigns.joined(separator: ",") + "}", "\(day - Int64(offerWindowDays - 1))", "\(offerID)"]
    }

    deinit { try? connection.execute("COMMIT") }

    func counts(of number: Int64) throws -> NumberHistoryCounts {
        parameters[4] = "\(number)"
        let row = try connection.query(Self.countsQuery, parameters)
        return NumberHistoryCounts(campaignAttempts: row.int64(0, 0), centreAttempts: row.int64(0, 1),
                                   lastCentreAttempt: row.optionalInt64(0, 2), otherCampaigns: row.int64(0, 3))
    }
}

/// An import into PostgreSQL: each chunk is sent with `COPY` into a temporary staging table,
/// and each file goes into `attempts` with one `INSERT ... ON CONFLICT DO NOTHING`, all in
/// the import's one transaction (which holds the writers' lock).
final class PostgresAttemptSink: AttemptSink {
    /// Rows per COPY: large enough that the round trips do not count, small enough to keep
    /// the buffer and its text in a few tens of MiB.
    static let chunkSize = 1 << 18

    private let connection: PostgresConnection
    private var importID: Int64 = 0
    private var text: [UInt8] = []
    private var open = true

    init(connection: PostgresConnection, waiting: () -> Void) throws {
        self.connection = connection
        try PostgresHistoryStore.beginWriting(connection, waiting: waiting)
        do {
            // The file's rows are sorted by the key before they go in: in memory, not in
            // temporary files (a chunk is about 12 MiB of rows; a file may have many).
            try connection.execute("SET LOCAL work_mem = '256MB'")
            try connection.execute("""
                CREATE TEMPORARY TABLE nixwash_staging (
                    campaign_id integer NOT NULL, number bigint NOT NULL, attempted_at bigint NOT NULL,
                    contact_centre_id integer NOT NULL, offer_id integer NOT NULL, local_date integer NOT NULL,
                    outcome_id integer
                ) ON COMMIT DROP
                """)
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    func nameID(_ kind: NameKind, _ name: String) throws -> Int64 {
        // The SELECT of the union does not see the row the INSERT adds (one snapshot), so
        // exactly one of the two gives the id.
        try connection.scalar("""
            WITH added AS (INSERT INTO \(kind.table) (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id)
            SELECT id FROM added UNION ALL SELECT id FROM \(kind.table) WHERE name = $1
            """, [name])
    }

    func startFile(path: String, size: UInt64?, sha256: String?, timeZone: String) throws {
        importID = try connection.scalar("""
            INSERT INTO imports (path, size, sha256, imported_at, rows, inserted, duplicates, bad, ambiguous_local_times,
                                 not_attempts, time_zone)
            VALUES ($1, $2, $3, $4, 0, 0, 0, 0, 0, 0, $5) RETURNING id
            """, [path, size.map { "\($0)" }, sha256, HistoryStore.isoInstant(Int64(Date().timeIntervalSince1970)), timeZone])
    }

    func submit(_ buffer: inout [PendingAttempt]) throws {
        text.removeAll(keepingCapacity: true)
        for attempt in buffer {
            append(Int64(attempt.campaign), 0x09)
            append(attempt.number, 0x09)
            append(attempt.attemptedAt, 0x09)
            append(Int64(attempt.centre), 0x09)
            append(Int64(attempt.offer), 0x09)
            append(Int64(attempt.localDate), 0x09)
            if attempt.outcome == 0 {
                text += [0x5c, 0x4e, 0x0a]  // \N: no outcome
            } else {
                append(Int64(attempt.outcome), 0x0a)
            }
        }
        buffer.removeAll(keepingCapacity: true)
        try text.withUnsafeBytes { try connection.copyIn("COPY nixwash_staging FROM STDIN", data: $0) }
    }

    /// Writes `value` in decimal, then `separator`.
    private func append(_ value: Int64, _ separator: UInt8) {
        if value < 0 { text.append(0x2d) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                     UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            let slots = raw.bindMemory(to: UInt8.self)
            repeat {
                slots[count] = UInt8(magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { text.append(slots[index]) }
        }
        text.append(separator)
    }

    func finishFile() throws -> Int {
        try connection.execute("""
            INSERT INTO campaign_offers (campaign_id, offer_id)
            SELECT DISTINCT campaign_id, offer_id FROM nixwash_staging
            ON CONFLICT DO NOTHING
            """)
        // In key order: the primary key's pages are written nearly in order. The attempts it
        // added (RETURNING) go into the coverage totals in the same statement.
        let inserted = try connection.scalar("""
            WITH added AS (
                INSERT INTO attempts (campaign_id, number, attempted_at, contact_centre_id, offer_id, local_date, outcome_id, import_id)
                SELECT campaign_id, number, attempted_at, contact_centre_id, offer_id, local_date, outcome_id, $1
                FROM nixwash_staging ORDER BY campaign_id, number, attempted_at, contact_centre_id
                ON CONFLICT DO NOTHING
                RETURNING campaign_id, offer_id, contact_centre_id, attempted_at
            ), totals AS (
                INSERT INTO coverage AS c (campaign_id, offer_id, contact_centre_id, attempts, oldest, newest)
                SELECT campaign_id, offer_id, contact_centre_id, count(*), min(attempted_at), max(attempted_at)
                FROM added GROUP BY campaign_id, offer_id, contact_centre_id
                ON CONFLICT (campaign_id, offer_id, contact_centre_id) DO UPDATE SET
                    attempts = c.attempts + excluded.attempts,
                    oldest = least(c.oldest, excluded.oldest), newest = greatest(c.newest, excluded.newest)
            )
            SELECT count(*) FROM added
            """, ["\(importID)"])
        try connection.execute("TRUNCATE nixwash_staging")
        return Int(inserted)
    }

    func record(_ summary: HistoryFileSummary) throws {
        _ = try connection.query("""
            UPDATE imports SET rows = $2, inserted = $3, duplicates = $4, bad = $5, ambiguous_local_times = $6, not_attempts = $7
            WHERE id = $1
            """, ["\(importID)", "\(summary.rows)", "\(summary.inserted)", "\(summary.duplicates)", "\(summary.bad)",
                  "\(summary.ambiguousLocalTimes)", "\(summary.notAttempts)"])
    }

    func drain() throws {}

    func commit() throws {
        open = false
        try connection.execute("COMMIT")
    }

    func rollback() {
        guard open else { return }
        open = false
        try? connection.execute("ROLLBACK")
    }

    func close() {}
}
