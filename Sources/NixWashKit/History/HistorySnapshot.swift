import Foundation

/// Everything the rules need from the contact history for one run (call date, campaign, offer,
/// contact centre), loaded with a few aggregate queries before the first lead and then read per
/// number without touching the database or allocating.
///
/// Windows are Europe/Stockholm local dates: the campaign window is the call date and the
/// `campaignWindowDays - 1` days before it, the offer window likewise with `offerWindowDays`;
/// "on the call date" means the local date equals the call date. Attempts after the call date
/// are ignored.
///
/// Layout: the numbers kept (see `load`) with their aggregates, one row each, in a
/// `NumberRows`: the same radix-narrowed search as the list indexes, which adapts to the dense
/// mobile series instead of spreading buckets evenly over the whole key range.
///
/// For a small run (a few thousand numbers) reading those ranges costs far more than the wash:
/// with `.perNumber` nothing is loaded, and each number's aggregates are read when it is
/// looked up, by two point queries on the primary key in one read transaction held for the
/// run. The verdicts are the same either way.
public final class HistorySnapshot: @unchecked Sendable {
    public let callDate: Int32
    private let table: NumberRows<Aggregate>
    /// Pointers into `table`, read by the hot path without retaining anything.
    private let rows: NumberRowsView<Aggregate>
    /// Set in `.perNumber` mode (then `table` is empty).
    private let perNumber: PerNumber?

    public var lookup: HistoryLookup { perNumber == nil ? .ranges : .perNumber }

    /// One number's counts, 12 bytes: a large run keeps millions of them.
    struct Aggregate {
        /// `lastCentreAttempt` as seconds after `timeBase` (Int32.min for none): an attempt on
        /// a call date of the years 1955-2091, which is every call date a register allows.
        private var lastCentreAttemptAfterBase = Int32.min
        var campaignAttempts: UInt32 = 0
        var centreAttempts: UInt16 = 0
        var otherCampaigns: UInt16 = 0
        private static let timeBase: Int64 = 1_700_000_000

        init(lastCentreAttempt: Int64 = .min, campaignAttempts: UInt32 = 0, centreAttempts: UInt16 = 0,
             otherCampaigns: UInt16 = 0) {
            self.campaignAttempts = campaignAttempts
            self.centreAttempts = centreAttempts
            self.otherCampaigns = otherCampaigns
            self.lastCentreAttempt = lastCentreAttempt
        }

        /// Latest attempt by the contact centre on the call date, or `Int64.min`.
        var lastCentreAttempt: Int64 {
            get { lastCentreAttemptAfterBase == .min ? .min : Self.timeBase + Int64(lastCentreAttemptAfterBase) }
            set {
                if newValue == .min {
                    lastCentreAttemptAfterBase = .min
                    return
                }
                guard let offset = Int32(exactly: newValue - Self.timeBase), offset != .min else {
                    preconditionFailure("an attempt on a call date after 2091 or before 1955: \(newValue)")
                }
                lastCentreAttemptAfterBase = offset
            }
        }
    }

    /// Numbers with at least one counted attempt (including those not kept, see `load`): in
    /// the whole history with `.ranges`; among the numbers looked up so far with `.perNumber`.
    public var count: Int { perNumber?.numbersWithAttempts ?? rangeCount }
    private let rangeCount: Int

    /// What stopped a per-number query, if one failed. A lookup that fails answers with every
    /// quota used up (never "no history"), and the run must then fail with this error.
    public var failure: Error? { perNumber?.failure }

    /// Loads the aggregates. Each query runs on a thread and connection of its own and hands
    /// its rows over in number order, a chunk at a time, to one merge: the campaign's range of
    /// the primary key, and the range of every other campaign that made the offer.
    ///
    /// - Parameter keeping: which numbers are kept (the others are counted, and judged as
    ///   numbers without history); see `HistoryKeeping`.
    ///
    /// Names are resolved to ids in one read transaction, then each range is read in its own:
    /// an import committing meanwhile is seen whole by some ranges and not at all by others,
    /// so every count lies between its value before that import and after it. An uncommitted
    /// import is never seen.
    public static func load(db: HistoryStore, callDate: Int32, campaign: String, offer: String,
                            contactCentre: String, campaignWindowDays: Int = 30,
                            offerWindowDays: Int = 365, keeping: HistoryKeeping = .everyNumber,
                            lookup: HistoryLookup = .ranges) throws -> HistorySnapshot {
        precondition(campaignWindowDays >= 1 && offerWindowDays >= 1, "a window holds at least the call date")
        if lookup == .perNumber {
            let queries = try SQLiteNumberQueries(path: db.path, callDate: callDate, campaign: campaign, offer: offer,
                                                  contactCentre: contactCentre, campaignWindowDays: campaignWindowDays,
                                                  offerWindowDays: offerWindowDays)
            return HistorySnapshot(callDate: callDate, perNumber: queries, keeping: keeping)
        }
        let database = db.db
        try database.execute("BEGIN")
        defer { try? database.execute("COMMIT") }
        let (campaignID, offerID, centreID, otherCampaigns) = try runIDs(database, campaign: campaign, offer: offer,
                                                                         contactCentre: contactCentre)

        let day = Int64(callDate)
        let campaignStream = RangeStream(path: db.path, withAggregates: true) { _ in
            [(campaignQuery, [campaignID, day, centreID, day - Int64(campaignWindowDays - 1)])]
        }
        // The other campaigns' ranges, dealt out to one stream per core: a stream merges its
        // share itself, on one connection, so a hundred campaigns with the offer still take a
        // few threads and file descriptors.
        let streamCount = min(otherCampaigns.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        let offerStreams = (0..<streamCount).map { stream in
            let share = stride(from: stream, to: otherCampaigns.count, by: streamCount).map { otherCampaigns[$0] }
            return RangeStream(path: db.path, withAggregates: false) { database in
                // A campaign that made no other offer needs no offer test. Decided in the
                // stream's own transaction, which then reads the range: campaign_offers holds
                // every pair an import met, so "no other offer" holds for every attempt read.
                try share.map { other in
                    try database.scalar("SELECT count(*) FROM campaign_offers WHERE campaign_id = \(other)") == 1
                        ? (singleOfferCampaignQuery, [other, day - Int64(offerWindowDays - 1), day])
                        : (otherCampaignQuery, [other, day - Int64(offerWindowDays - 1), day, offerID])
                }
            }
        }
        defer {
            campaignStream.cancel()
            offerStreams.forEach { $0.cancel() }
        }

        var numbers = Numbers(keeping: keeping)
        var counted = 0
        while true {
            var key = try campaignStream.peek() ?? .max
            for stream in offerStreams { key = min(key, try stream.peek() ?? .max) }
            if key == .max { break }
            var aggregate = Aggregate()
            var inCampaign = false
            if campaignStream.current == key {
                aggregate = campaignStream.currentAggregate
                inCampaign = true
                campaignStream.advance()
            }
            var otherCount = 0
            for stream in offerStreams where stream.current == key {
                otherCount += Int(stream.currentAggregate.otherCampaigns)
                stream.advance()
            }
            aggregate.otherCampaigns = UInt16(clamping: otherCount)
            counted += 1
            if inCampaign || otherCount >= keeping.otherCampaignsFrom { numbers.append(key, aggregate) }
        }
        return HistorySnapshot(callDate: callDate, count: counted, numbers: &numbers)
    }

    /// The run's names as ids, and the other campaigns that made the offer, read in the
    /// caller's transaction. A name the history has never seen matches no attempt: -1 is never an id.
    static func runIDs(_ database: SQLiteDatabase, campaign: String, offer: String,
                       contactCentre: String) throws -> (campaign: Int64, offer: Int64, centre: Int64, otherCampaigns: [Int64]) {
        func id(_ table: String, _ name: String) throws -> Int64 {
            let statement = try database.prepare("SELECT id FROM \(table) WHERE name = ?1")
            statement.bind(1, name)
            defer { statement.reset() }
            return try statement.step() ? statement.int64(0) : -1
        }
        let campaignID = try id("campaigns", campaign)
        let offerID = try id("offers", offer)
        let others = try database.prepare("SELECT campaign_id FROM campaign_offers WHERE offer_id = ?1 AND campaign_id <> ?2")
        others.bind(1, offerID)
        others.bind(2, campaignID)
        var otherCampaigns: [Int64] = []
        while try others.step() { otherCampaigns.append(others.int64(0)) }
        return (campaignID, offerID, try id("contact_centres", contactCentre), otherCampaigns)
    }

    /// Per number, the campaign's attempts in the campaign window, and the contact centre's on
    /// the call date with the latest of them. The primary key starts with the campaign, so this
    /// reads one range in number order.
    static let campaignQuery = """
        SELECT number, count(*),
               sum(local_date = ?2 AND contact_centre_id = ?3),
               max(CASE WHEN local_date = ?2 AND contact_centre_id = ?3 THEN attempted_at END)
        FROM attempts
        WHERE campaign_id = ?1 AND local_date BETWEEN ?4 AND ?2
        GROUP BY number ORDER BY number
        """

    /// Another campaign's attempts with the offer in the offer window, in number order. Rows,
    /// not GROUP BY: the stream drops repeated numbers itself, at two thirds of the cost.
    static let otherCampaignQuery = """
        SELECT number FROM attempts
        WHERE campaign_id = ?1 AND local_date BETWEEN ?2 AND ?3 AND offer_id = ?4
        ORDER BY number
        """

    /// The same for a campaign that made no other offer: without the offer test, which costs
    /// SQLite a column decode per row (5 million rows: 0.49 s instead of 0.78 s).
    static let singleOfferCampaignQuery = """
        SELECT number FROM attempts
        WHERE campaign_id = ?1 AND local_date BETWEEN ?2 AND ?3
        ORDER BY number
        """

    /// Numbers in order with their aggregates, read by a thread of its own on a connection of
    /// its own and handed over a chunk at a time (a few chunks go round). With aggregates, one
    /// query whose rows are (number, campaign attempts, centre attempts, last centre attempt);
    /// without, queries of numbers only, merged: `otherCampaigns` of a number is how many of
    /// the queries had it (each query's repeated numbers count once).
    private final class RangeStream {
        private final class Chunk {
            var keys: [UInt64] = []
            var aggregates: [Aggregate] = []
        }

        static let chunkSize = 1 << 14
        private let chunks = Handoff<Chunk>(capacity: 4) { Chunk() }
        // The reading side's position: in a chunk received, or in `noChunk` (none in hand).
        private let noChunk: Chunk
        private var chunk: Chunk
        private var position = 0
        private var ended = false

        /// - Parameter queries: the queries and their parameters, made inside the stream's read
        ///   transaction (so they may depend on what it reads).
        init(path: String, withAggregates: Bool, queries: @escaping (SQLiteDatabase) throws -> [(sql: String, bindings: [Int64])]) {
            noChunk = Chunk()
            chunk = noChunk
            let thread = Thread { [chunks] in
                do {
                    try Self.produce(into: chunks, path: path, withAggregates: withAggregates, queries: queries)
                    chunks.finish()
                } catch {
                    chunks.finish(throwing: error)
                }
            }
            thread.name = "nixwash history"
            thread.start()
        }

        /// Reads the queries into chunks; ends when they end, or throws (also when the reading
        /// side cancelled).
        private static func produce(into chunks: Handoff<Chunk>, path: String, withAggregates: Bool,
                                    queries: (SQLiteDatabase) throws -> [(sql: String, bindings: [Int64])]) throws {
            let store = try HistoryStore(path: path, mode: .readOnly)
            let database = store.db
            // A range is read once in key order, so SQLite's page cache (2 MiB by default) is
            // never hit; and a freed cache stays in the heap the wash then runs with.
            try database.execute("PRAGMA cache_size = -256")
            try database.execute("BEGIN")
            defer { try? database.execute("COMMIT") }
            let queries = try queries(database)
            precondition(!withAggregates || queries.count == 1, "aggregates come from one query")
            let statements = try queries.map { query in
                let statement = try database.prepare(query.sql)
                for (index, value) in query.bindings.enumerated() { statement.bind(Int32(index + 1), value) }
                return statement
            }
            // Each query's next distinct number (.max once it ended; 0, which is no number, before the first).
            var heads = [UInt64](repeating: 0, count: statements.count)
            func advance(_ index: Int) throws {
                let previous = heads[index]
                while true {
                    guard try statements[index].step() else {
                        heads[index] = .max
                        return
                    }
                    let key = UInt64(bitPattern: statements[index].int64(0))
                    if key != previous || previous == 0 {
                        heads[index] = key
                        return
                    }
                }
            }
            for index in statements.indices { try advance(index) }
            var chunk = try emptyChunk(from: chunks)
            while true {
                let key = heads.min() ?? .max
                if key == .max { break }
                var aggregate = Aggregate()
                if withAggregates {
                    let row = statements[0]
                    aggregate = Aggregate(lastCentreAttempt: row.optionalInt64(3) ?? .min,
                                          campaignAttempts: UInt32(clamping: row.int64(1)),
                                          centreAttempts: UInt16(clamping: row.int64(2)))
                    try advance(0)
                } else {
                    var count = 0
                    for index in heads.indices where heads[index] == key {
                        count += 1
                        try advance(index)
                    }
                    aggregate.otherCampaigns = UInt16(clamping: count)
                }
                chunk.keys.append(key)
                chunk.aggregates.append(aggregate)
                if chunk.keys.count == Self.chunkSize {
                    try chunks.send(chunk)
                    chunk = try emptyChunk(from: chunks)
                }
            }
            if !chunk.keys.isEmpty { try chunks.send(chunk) }
        }

        private static func emptyChunk(from chunks: Handoff<Chunk>) throws -> Chunk {
            let chunk = try chunks.takeEmpty()
            chunk.keys.removeAll(keepingCapacity: true)
            chunk.aggregates.removeAll(keepingCapacity: true)
            return chunk
        }

        /// The number at the stream's position (`.max` once it ended); valid after `peek()`.
        private(set) var current: UInt64 = .max
        var currentAggregate: Aggregate { chunk.aggregates[position] }

        /// The number at the position, waiting for the thread when the chunk is used up; nil
        /// at the end. Throws what stopped the query.
        @inline(__always)
        func peek() throws -> UInt64? {
            if position < chunk.keys.count { return current }
            if ended { return nil }
            if chunk !== noChunk { chunks.recycle(chunk) }
            chunk = noChunk
            position = 0
            current = .max
            let next: Chunk?
            do {
                next = try chunks.receive()
            } catch {
                ended = true
                throw error
            }
            guard let next else {
                ended = true
                return nil
            }
            chunk = next
            position = 0
            current = chunk.keys[0]
            return current
        }

        @inline(__always)
        func advance() {
            position += 1
            current = position < chunk.keys.count ? chunk.keys[position] : .max
        }

        /// Stops the thread (after the chunk in hand) and waits for it to close its connection.
        func cancel() {
            chunks.cancel()
            chunks.waitForProducer()
        }
    }

    /// The numbers kept, in ascending order, as a store streams them: in chunks, so that the
    /// table is built with one chunk beside it rather than with a whole copy.
    struct Numbers {
        static let chunkSize = 1 << 16
        let keeping: HistoryKeeping
        fileprivate var keyChunks: [[UInt64]] = []
        fileprivate var aggregateChunks: [[Aggregate]] = []

        init(keeping: HistoryKeeping) { self.keeping = keeping }

        /// Keeps a number if `keeping` says its counts can change a verdict.
        mutating func append(_ key: UInt64, _ aggregate: Aggregate) {
            guard keeping.keeps(aggregate) else { return }
            if keyChunks.isEmpty || keyChunks[keyChunks.count - 1].count == Self.chunkSize {
                keyChunks.append([])
                aggregateChunks.append([])
                keyChunks[keyChunks.count - 1].reserveCapacity(Self.chunkSize)
                aggregateChunks[aggregateChunks.count - 1].reserveCapacity(Self.chunkSize)
            }
            keyChunks[keyChunks.count - 1].append(key)
            aggregateChunks[aggregateChunks.count - 1].append(aggregate)
        }
    }

    /// A snapshot by ranges of `numbers` (taken over); `count`: the numbers with attempts.
    init(callDate: Int32, count: Int, numbers: inout Numbers) {
        self.callDate = callDate
        rangeCount = count
        table = NumberRows(sortedDistinctKeyChunks: &numbers.keyChunks, rowChunks: &numbers.aggregateChunks)
        rows = table.view
        perNumber = nil
    }

    /// `.perNumber`, by `queries` (see `load` for `keeping`).
    init(callDate: Int32, perNumber queries: any NumberHistoryQueries, keeping: HistoryKeeping) {
        self.callDate = callDate
        rangeCount = 0
        table = NumberRows(sortedDistinctKeys: [], rows: [])
        rows = table.view
        perNumber = PerNumber(queries: queries, keeping: keeping)
    }

    /// The number's history for this run (`.none` when the history has no counted attempt).
    /// With `.perNumber`, call it from one thread at a time.
    @inline(__always)
    public func history(for key: PhoneKey) -> NumberHistory {
        if let perNumber { return perNumber.history(for: key) }
        guard let aggregate = rows.rows(for: key).first else { return .none }
        return aggregate.history
    }

    /// The two steps that read a lookup's memory ahead (see `KeyLookup.prefetchBucket`).
    @inline(__always)
    func prefetchBucket(_ key: PhoneKey) { if perNumber == nil { rows.prefetchBucket(key) } }

    @inline(__always)
    func prefetchKeys(_ key: PhoneKey) { if perNumber == nil { rows.prefetchKeys(key) } }

    /// `.perNumber`: a store's point queries, and the rules' view of their counts: kept as
    /// `load` keeps numbers, counted, and failing closed.
    private final class PerNumber {
        private let queries: any NumberHistoryQueries
        private let keeping: HistoryKeeping
        private var withAttempts = Set<UInt64>()
        private(set) var failure: Error?

        var numbersWithAttempts: Int { withAttempts.count }

        init(queries: any NumberHistoryQueries, keeping: HistoryKeeping) {
            self.queries = queries
            self.keeping = keeping
        }

        func history(for key: PhoneKey) -> NumberHistory {
            do {
                let counts = try queries.counts(of: Int64(bitPattern: key.rawValue))
                if counts.campaignAttempts > 0 || counts.otherCampaigns > 0 { withAttempts.insert(key.rawValue) }
                // As `load` keeps numbers: the others are judged as numbers without history.
                guard counts.campaignAttempts > 0 || counts.otherCampaigns >= keeping.otherCampaignsFrom else { return .none }
                var aggregate = Aggregate()
                if counts.campaignAttempts > 0 {
                    aggregate = Aggregate(lastCentreAttempt: counts.lastCentreAttempt ?? .min,
                                          campaignAttempts: UInt32(clamping: counts.campaignAttempts),
                                          centreAttempts: UInt16(clamping: counts.centreAttempts))
                }
                aggregate.otherCampaigns = UInt16(clamping: counts.otherCampaigns)
                return keeping.keeps(aggregate) ? aggregate.history : .none
            } catch {
                if failure == nil { failure = error }
                // Fail closed: a number whose history could not be read is never callable.
                let most = Int(UInt16.max)
                return NumberHistory(campaignAttemptsInWindow: most, centreAttemptsOnCallDate: most,
                                     lastCentreAttemptOnCallDate: nil, otherCampaignsWithSameOffer: most)
            }
        }
    }

    /// `campaignQuery` for one number (?5): a seek on the primary key. Always one row.
    static let campaignNumberQuery = """
        SELECT count(*),
               sum(local_date = ?2 AND contact_centre_id = ?3),
               max(CASE WHEN local_date = ?2 AND contact_centre_id = ?3 THEN attempted_at END)
        FROM attempts
        WHERE campaign_id = ?1 AND number = ?5 AND local_date BETWEEN ?4 AND ?2
        """

    /// How many of the other campaigns with the offer attempted one number (?1) in the offer
    /// window (?2 to ?3): a seek per campaign. Always one row.
    static func otherCampaignsNumberQuery(_ campaigns: [Int64]) -> String {
        """
        SELECT count(DISTINCT campaign_id) FROM attempts
        WHERE campaign_id IN (\(campaigns.map(String.init).joined(separator: ","))) AND number = ?1
          AND local_date BETWEEN ?2 AND ?3 AND offer_id = ?4
        """
    }
}

/// How a run reads the contact history (see `HistorySnapshot`).
public enum HistoryLookup: String, Sendable, Codable {
    /// The campaign's and the offer's ranges, read whole before the first lead.
    case ranges
    /// Each number when it is looked up: for runs of a few thousand numbers.
    case perNumber = "per_number"
}

/// Which numbers' counts a snapshot keeps. The others are counted (`HistorySnapshot.count`)
/// and judged as numbers without history, which their verdicts are: a scrub keeps only the
/// numbers whose counts can change a verdict, and so most of a large history stays out of
/// memory; `explain` keeps every number, to show its counts.
public struct HistoryKeeping: Sendable {
    /// A number whose only counted attempts are by fewer than this many other campaigns with
    /// the offer is not kept (the stores filter on it as they read).
    public var otherCampaignsFrom: Int
    /// When given, neither is a number whose counts it judges as those of a number without
    /// history (the same reasons, attempts left and `not_before`).
    public var judge: QuotaJudge?
    private let noHistory: QuotaVerdict?

    public init(otherCampaignsFrom: Int, judge: QuotaJudge?) {
        self.otherCampaignsFrom = otherCampaignsFrom
        self.judge = judge
        noHistory = judge?.judge(.none)
    }

    public static let everyNumber = HistoryKeeping(otherCampaignsFrom: 1, judge: nil)

    /// What a scrub with this profile on this call date needs.
    public static func changingVerdicts(profile: RuleProfile, callDate: LocalDate) -> HistoryKeeping {
        HistoryKeeping(otherCampaignsFrom: profile.offerCampaignLimit, judge: QuotaJudge(profile: profile, callDate: callDate))
    }

    func keeps(_ aggregate: HistorySnapshot.Aggregate) -> Bool {
        guard let judge else { return true }
        return judge.judge(aggregate.history) != noHistory
    }
}

extension HistorySnapshot.Aggregate {
    var history: NumberHistory {
        NumberHistory(campaignAttemptsInWindow: Int(campaignAttempts),
                      centreAttemptsOnCallDate: Int(centreAttempts),
                      lastCentreAttemptOnCallDate: lastCentreAttempt == .min ? nil : lastCentreAttempt,
                      otherCampaignsWithSameOffer: Int(otherCampaigns))
    }
}

/// One number's counts for a run, as a store reads them with point queries
/// (`HistoryLookup.perNumber`): in one read transaction held for the run, so every number is
/// read from the same state of the history. Called from one thread at a time.
protocol NumberHistoryQueries: AnyObject {
    func counts(of number: Int64) throws -> NumberHistoryCounts
}

/// What `HistorySnapshot.campaignQuery` and the other campaigns' queries give for one number.
struct NumberHistoryCounts {
    /// By the campaign in its window; by the contact centre on the call date, and the latest of those.
    var campaignAttempts: Int64
    var centreAttempts: Int64
    var lastCentreAttempt: Int64?
    /// Other campaigns with the offer that attempted it in the offer window.
    var otherCampaigns: Int64
}

/// The SQLite file's point queries, on a connection of their own.
final class SQLiteNumberQueries: NumberHistoryQueries {
    private let store: HistoryStore
    private let campaignQuery: SQLiteStatement
    /// Nil when no other campaign made the offer.
    private let otherCampaignsQuery: SQLiteStatement?

    init(path: String, callDate: Int32, campaign: String, offer: String, contactCentre: String,
         campaignWindowDays: Int, offerWindowDays: Int) throws {
        store = try HistoryStore(path: path, mode: .readOnly)
        let database = store.db
        try database.execute("BEGIN")
        let (campaignID, offerID, centreID, otherCampaigns) = try HistorySnapshot.runIDs(database, campaign: campaign, offer: offer,
                                                                                         contactCentre: contactCentre)

        let day = Int64(callDate)
        campaignQuery = try database.prepare(HistorySnapshot.campaignNumberQuery)
        for (index, value) in [campaignID, day, centreID, day - Int64(campaignWindowDays - 1)].enumerated() {
            campaignQuery.bind(Int32(index + 1), value)
        }
        if otherCampaigns.isEmpty {
            otherCampaignsQuery = nil
        } else {
            // The ids are integers read from the history itself.
            let query = try database.prepare(HistorySnapshot.otherCampaignsNumberQuery(otherCampaigns))
            for (index, value) in [day - Int64(offerWindowDays - 1), day, offerID].enumerated() {
                query.bind(Int32(index + 2), value)
            }
            otherCampaignsQuery = query
        }
    }

    deinit { try? store.db.execute("COMMIT") }

    func counts(of number: Int64) throws -> NumberHistoryCounts {
        campaignQuery.bind(5, number)
        defer { campaignQuery.reset() }
        guard try campaignQuery.step() else { throw NixWashError.historyDatabase(path: store.path, reason: "an aggregate query returned no row") }
        var counts = NumberHistoryCounts(campaignAttempts: campaignQuery.int64(0), centreAttempts: campaignQuery.int64(1),
                                         lastCentreAttempt: campaignQuery.optionalInt64(2), otherCampaigns: 0)
        if let otherCampaignsQuery {
            otherCampaignsQuery.bind(1, number)
            defer { otherCampaignsQuery.reset() }
            guard try otherCampaignsQuery.step() else { throw NixWashError.historyDatabase(path: store.path, reason: "an aggregate query returned no row") }
            counts.otherCampaigns = otherCampaignsQuery.int64(0)
        }
        return counts
    }
}
