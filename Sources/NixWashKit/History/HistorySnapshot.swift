/// Everything the rules need from the contact history for one run (call date, campaign, offer,
/// contact centre), loaded with a few aggregate queries before the first lead and then read per
/// number without touching the database or allocating.
///
/// Windows are Europe/Stockholm local dates: the campaign window is the call date and the
/// `campaignWindowDays - 1` days before it, the offer window likewise with `offerWindowDays`;
/// "on the call date" means the local date equals the call date. Attempts after the call date
/// are ignored.
///
/// Layout: the numbers that have any such attempt, sorted, with their aggregates in a parallel
/// array, and a directory of buckets over the key range so a lookup binary-searches only a
/// handful of keys.
public struct HistorySnapshot: Sendable {
    public let callDate: Int32
    private let keys: [UInt64]
    private let aggregates: [Aggregate]
    /// `directory[b] ..< directory[b + 1]` are the indices of the keys in bucket b.
    private let directory: [Int32]
    private let minKey: UInt64
    private let maxKey: UInt64
    private let shift: UInt64

    private struct Aggregate: Sendable {
        /// Latest attempt by the contact centre on the call date, or `Int64.min`.
        var lastCentreAttempt: Int64 = .min
        var campaignAttempts: UInt32 = 0
        var centreAttempts: UInt16 = 0
        var otherCampaigns: UInt16 = 0
    }

    /// Numbers with at least one counted attempt.
    public var count: Int { keys.count }

    public static func load(db: HistoryStore, callDate: Int32, campaign: String, offer: String,
                            contactCentre: String, campaignWindowDays: Int = 30,
                            offerWindowDays: Int = 365) throws -> HistorySnapshot {
        precondition(campaignWindowDays >= 1 && offerWindowDays >= 1, "a window holds at least the call date")
        let database = db.db
        // One consistent view of the names and both queries: an import committing between
        // the name lookups and the queries could otherwise give this campaign a new id that
        // the offer query then counts as another campaign.
        try database.execute("BEGIN")
        defer { try? database.execute("COMMIT") }
        func id(_ table: String, _ name: String) throws -> Int64? {
            let statement = try database.prepare("SELECT id FROM \(table) WHERE name = ?1")
            statement.bind(1, name)
            return try statement.step() ? statement.int64(0) : nil
        }
        // A name the history has never seen matches no attempt: -1 is never an id.
        let campaignID = try id("campaigns", campaign) ?? -1
        let offerID = try id("offers", offer) ?? -1
        let centreID = try id("contact_centres", contactCentre) ?? -1

        // The primary key starts with the campaign, so this reads one range in number order.
        let campaignRows = try database.prepare("""
            SELECT number, count(*),
                   sum(local_date = ?2 AND contact_centre_id = ?3),
                   max(CASE WHEN local_date = ?2 AND contact_centre_id = ?3 THEN attempted_at END)
            FROM attempts
            WHERE campaign_id = ?1 AND local_date BETWEEN ?4 AND ?2
            GROUP BY number ORDER BY number
            """)
        campaignRows.bind(1, campaignID)
        campaignRows.bind(2, Int64(callDate))
        campaignRows.bind(3, centreID)
        campaignRows.bind(4, Int64(callDate) - Int64(campaignWindowDays - 1))
        let (offerKeys, offerCounts) = try otherCampaigns(database, offerID: offerID, campaignID: campaignID,
                                                          from: Int64(callDate) - Int64(offerWindowDays - 1),
                                                          through: Int64(callDate))

        // Both are in number order: merge them.
        var keys: [UInt64] = []
        var aggregates: [Aggregate] = []
        keys.reserveCapacity(offerKeys.count)
        aggregates.reserveCapacity(offerKeys.count)
        var haveCampaign = try campaignRows.step()
        var offerIndex = 0
        while haveCampaign || offerIndex < offerKeys.count {
            let campaignKey = haveCampaign ? UInt64(campaignRows.int64(0)) : .max
            let offerKey = offerIndex < offerKeys.count ? offerKeys[offerIndex] : .max
            let key = min(campaignKey, offerKey)
            var aggregate = Aggregate()
            if campaignKey == key {
                aggregate.campaignAttempts = UInt32(clamping: campaignRows.int64(1))
                aggregate.centreAttempts = UInt16(clamping: campaignRows.int64(2))
                aggregate.lastCentreAttempt = campaignRows.optionalInt64(3) ?? .min
                haveCampaign = try campaignRows.step()
            }
            if offerKey == key {
                aggregate.otherCampaigns = offerCounts[offerIndex]
                offerIndex += 1
            }
            keys.append(key)
            aggregates.append(aggregate)
        }
        return HistorySnapshot(callDate: callDate, keys: keys, aggregates: aggregates)
    }

    /// Per number, how many campaigns other than this one made the offer and attempted the number
    /// in the window: each such campaign's range of the primary key, in number order, merged.
    private static func otherCampaigns(_ database: SQLiteDatabase, offerID: Int64, campaignID: Int64,
                                       from: Int64, through: Int64) throws -> ([UInt64], [UInt16]) {
        let campaigns = try database.prepare("SELECT campaign_id FROM campaign_offers WHERE offer_id = ?1 AND campaign_id <> ?2")
        campaigns.bind(1, offerID)
        campaigns.bind(2, campaignID)
        var others: [Int64] = []
        while try campaigns.step() { others.append(campaigns.int64(0)) }

        let numbers = try database.prepare("""
            SELECT number FROM attempts
            WHERE campaign_id = ?1 AND offer_id = ?2 AND local_date BETWEEN ?3 AND ?4
            GROUP BY number ORDER BY number
            """)
        var keys: [UInt64] = [], counts: [UInt16] = []
        var merged: [UInt64] = [], mergedCounts: [UInt16] = []
        var stream: [UInt64] = []
        for other in others {
            numbers.reset()
            numbers.bind(1, other)
            numbers.bind(2, offerID)
            numbers.bind(3, from)
            numbers.bind(4, through)
            stream.removeAll(keepingCapacity: true)
            while try numbers.step() { stream.append(UInt64(numbers.int64(0))) }
            merged.removeAll(keepingCapacity: true)
            mergedCounts.removeAll(keepingCapacity: true)
            merged.reserveCapacity(keys.count + stream.count)
            mergedCounts.reserveCapacity(keys.count + stream.count)
            var i = 0, j = 0
            while i < keys.count || j < stream.count {
                let a = i < keys.count ? keys[i] : .max
                let b = j < stream.count ? stream[j] : .max
                if a < b {
                    merged.append(a); mergedCounts.append(counts[i]); i += 1
                } else if b < a {
                    merged.append(b); mergedCounts.append(1); j += 1
                } else {
                    merged.append(a); mergedCounts.append(counts[i] &+ 1); i += 1; j += 1
                }
            }
            swap(&keys, &merged)
            swap(&counts, &mergedCounts)
        }
        return (keys, counts)
    }

    private init(callDate: Int32, keys: [UInt64], aggregates: [Aggregate]) {
        self.callDate = callDate
        self.keys = keys
        self.aggregates = aggregates
        guard let first = keys.first, let last = keys.last else {
            minKey = 1
            maxKey = 0
            shift = 0
            directory = [0, 0]
            return
        }
        minKey = first
        maxKey = last
        // About two keys per bucket.
        var bucketBits: UInt64 = 0
        while bucketBits < 24, (1 << (bucketBits + 1)) <= keys.count { bucketBits += 1 }
        let range = last - first
        var shift: UInt64 = 0
        while (range >> shift) >= (1 << bucketBits) { shift += 1 }
        self.shift = shift
        let buckets = Int(range >> shift) + 1
        var directory = [Int32](repeating: 0, count: buckets + 1)
        var index = 0
        for bucket in 0...buckets {
            while index < keys.count, Int((keys[index] - first) >> shift) < bucket { index += 1 }
            directory[bucket] = Int32(index)
        }
        self.directory = directory
    }

    /// The number's history for this run (`.none` when the history has no counted attempt).
    public func history(for key: PhoneKey) -> NumberHistory {
        guard let index = index(of: key.rawValue) else { return .none }
        return history(at: index)
    }

    func index(of key: UInt64) -> Int? {
        guard key >= minKey, key <= maxKey else { return nil }
        let bucket = Int((key - minKey) >> shift)
        var low = Int(directory[bucket]), high = Int(directory[bucket + 1])
        while low < high {
            let middle = (low + high) >> 1
            let candidate = keys[middle]
            if candidate == key { return middle }
            if candidate < key { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    func history(at index: Int) -> NumberHistory {
        let aggregate = aggregates[index]
        return NumberHistory(campaignAttemptsInWindow: Int(aggregate.campaignAttempts),
                             centreAttemptsOnCallDate: Int(aggregate.centreAttempts),
                             lastCentreAttemptOnCallDate: aggregate.lastCentreAttempt == .min ? nil : aggregate.lastCentreAttempt,
                             otherCampaignsWithSameOffer: Int(aggregate.otherCampaigns))
    }
}
