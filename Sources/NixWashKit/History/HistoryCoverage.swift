import Foundation

/// What the contact history covers for one run: its oldest and newest attempt, and how many
/// attempts it has for the run's campaign, offer and contact centre, so a report shows
/// whether the quotas were judged on a history that knows the campaign and is current.
///
/// `check` refuses a run whose name is not in the history as written while a name that
/// differs only in case, spaces, dashes or underscores is: the quota rules match names
/// exactly, so such a run would find no attempts and every quota would quietly vanish. A name
/// that matches only after folding is refused too, never used: the user gives the exact name.
public struct HistoryCoverage: Codable, Equatable, Sendable {
    public var path: String
    public var attempts: Int
    /// Europe/Stockholm ISO 8601 times; nil when the history holds no attempts.
    public var oldestAttempt: String?
    public var newestAttempt: String?
    public var campaignAttempts: Int
    public var offerAttempts: Int
    public var contactCentreAttempts: Int

    enum CodingKeys: String, CodingKey {
        case path, attempts
        case oldestAttempt = "oldest_attempt", newestAttempt = "newest_attempt"
        case campaignAttempts = "campaign_attempts", offerAttempts = "offer_attempts"
        case contactCentreAttempts = "contact_centre_attempts"
    }

    /// The three names of a run that are matched against the history.
    public enum Field: String, CaseIterable, Sendable {
        case campaign
        case offer
        case contactCentre = "contact centre"

        var table: String {
            switch self {
            case .campaign: return "campaigns"
            case .offer: return "offers"
            case .contactCentre: return "contact_centres"
            }
        }

        var column: String {
            switch self {
            case .campaign: return "campaign_id"
            case .offer: return "offer_id"
            case .contactCentre: return "contact_centre_id"
            }
        }
    }

    /// Reads the coverage: from the `coverage` totals that imports keep, or, in a history file
    /// not yet upgraded to them (opened read-only), from the attempts themselves. The campaign's
    /// and the offer's counts then come from ranges of the primary key (and `campaign_offers`);
    /// the times and the contact centre's count need one pass over every attempt (10 million
    /// attempts: about 1.5 s of CPU, which is why a scrub runs it in a `Scan` beside the wash).
    public static func load(store: HistoryStore, campaign: String, offer: String,
                            contactCentre: String) throws -> HistoryCoverage {
        let db = store.db
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        let campaignID = try id(of: campaign, in: .campaign, db: db) ?? -1
        let offerID = try id(of: offer, in: .offer, db: db) ?? -1
        let centreID = try id(of: contactCentre, in: .contactCentre, db: db) ?? -1
        if store.fileVersion >= 3 {
            let totals = try db.prepare("""
                SELECT coalesce(sum(attempts), 0), min(oldest), max(newest),
                       coalesce(sum(CASE WHEN campaign_id = ?1 THEN attempts END), 0),
                       coalesce(sum(CASE WHEN offer_id = ?2 THEN attempts END), 0),
                       coalesce(sum(CASE WHEN contact_centre_id = ?3 THEN attempts END), 0)
                FROM coverage
                """)
            totals.bind(1, campaignID)
            totals.bind(2, offerID)
            totals.bind(3, centreID)
            _ = try totals.step()
            defer { totals.reset() }
            return HistoryCoverage(
                path: store.path, attempts: Int(totals.int64(0)),
                oldestAttempt: totals.optionalInt64(1).map(StockholmTime.iso8601),
                newestAttempt: totals.optionalInt64(2).map(StockholmTime.iso8601),
                campaignAttempts: Int(totals.int64(3)), offerAttempts: Int(totals.int64(4)),
                contactCentreAttempts: Int(totals.int64(5)))
        }
        let pass = try db.prepare("""
            SELECT count(*), min(attempted_at), max(attempted_at), coalesce(sum(contact_centre_id = ?1), 0) FROM attempts
            """)
        pass.bind(1, centreID)
        _ = try pass.step()
        let oldest = pass.optionalInt64(1), newest = pass.optionalInt64(2)
        return HistoryCoverage(
            path: store.path, attempts: Int(pass.int64(0)),
            oldestAttempt: oldest.map(StockholmTime.iso8601), newestAttempt: newest.map(StockholmTime.iso8601),
            campaignAttempts: try attempts(ofCampaign: campaignID, db: db),
            offerAttempts: try attempts(ofOffer: offerID, db: db),
            contactCentreAttempts: Int(pass.int64(3)))
    }

    static func attempts(ofCampaign id: Int64, db: SQLiteDatabase) throws -> Int {
        let count = try db.prepare("SELECT count(*) FROM attempts WHERE campaign_id = ?1")
        count.bind(1, id)
        _ = try count.step()
        return Int(count.int64(0))
    }

    /// Over the campaigns that made the offer: a campaign that made no other offer is counted
    /// from its range alone, without reading each attempt's offer.
    static func attempts(ofOffer id: Int64, db: SQLiteDatabase) throws -> Int {
        let campaigns = try db.prepare("""
            SELECT campaign_id, (SELECT count(*) FROM campaign_offers o WHERE o.campaign_id = c.campaign_id)
            FROM campaign_offers c WHERE offer_id = ?1
            """)
        campaigns.bind(1, id)
        var total = 0
        while try campaigns.step() {
            let campaign = campaigns.int64(0)
            if campaigns.int64(1) == 1 {
                total += try attempts(ofCampaign: campaign, db: db)
            } else {
                let count = try db.prepare("SELECT count(*) FROM attempts WHERE campaign_id = ?1 AND offer_id = ?2")
                count.bind(1, campaign)
                count.bind(2, id)
                _ = try count.step()
                total += Int(count.int64(0))
            }
        }
        return total
    }

    /// `load` on a thread and a connection of its own, so a scrub washes while it reads.
    public final class Scan: @unchecked Sendable {
        private let work: BackgroundWork<HistoryCoverage>

        public init(path: String, campaign: String, offer: String, contactCentre: String) {
            work = BackgroundWork(name: "nixwash coverage") {
                try ContactHistory.open(path, mode: .readOnly).coverage(campaign: campaign, offer: offer,
                                                                        contactCentre: contactCentre)
            }
        }

        /// Waits for the scan.
        public func result() throws -> HistoryCoverage { try work.result() }

        /// Waits until the scan's thread is done with its connection, whatever the outcome.
        public func waitUntilDone() { work.waitUntilDone() }
    }

    /// Refuses a run whose campaign, offer or contact centre has a near name with attempts in
    /// the history (usage): if the run's own name has none, the quotas would see none; if it has
    /// some too, one campaign's attempts may be split over two spellings and each counted short.
    /// Also refuses a run whose history has no attempt within `maxAge` seconds before
    /// `now` (compliance). Cheap for a run that passes: the near names are looked for in the
    /// name tables first, and a current history has a recent attempt early in any order.
    public static func check(store: HistoryStore, campaign: String, offer: String, contactCentre: String,
                             maxAge: Int64?, now: Int64 = Int64(Date().timeIntervalSince1970)) throws {
        let db = store.db
        guard try db.scalar("SELECT EXISTS (SELECT 1 FROM imports) OR EXISTS (SELECT 1 FROM attempts)") == 1 else {
            throw NixWashError.historyNeverImported(path: store.path)
        }
        for (field, name) in zip(Field.allCases, [campaign, offer, contactCentre]) {
            let near = try nearNames(of: name, field: field, db: db)
            guard !near.isEmpty else { continue }
            throw NixWashError.nearHistoryName(path: store.path, field: field.rawValue, given: name,
                                               givenAttempts: try attempts(id: id(of: name, in: field, db: db), field: field, db: db),
                                               near: near.map(\.name), attempts: near.map(\.attempts))
        }
        guard let maxAge else { return }
        // An attempt dated after now (a store filled before imports refused them) says
        // nothing about how current the history is.
        let latest = now + AttemptTimestamp.clockSlack
        let recent = try db.prepare("SELECT EXISTS (SELECT 1 FROM attempts WHERE attempted_at BETWEEN ?1 AND ?2)")
        recent.bind(1, now - maxAge)
        recent.bind(2, latest)
        _ = try recent.step()
        if recent.int64(0) == 1 { return }
        let newest = try db.prepare("SELECT max(attempted_at) FROM attempts WHERE attempted_at <= ?1")
        newest.bind(1, latest)
        _ = try newest.step()
        let instant = newest.optionalInt64(0)
        throw NixWashError.staleHistory(path: store.path, newestAttempt: instant.map(StockholmTime.iso8601),
                                        age: instant.map { describe(seconds: now - $0) }, maxAge: describe(seconds: maxAge))
    }

    /// The attempts of the name with `id` (0 for a name the history has not seen).
    static func attempts(id: Int64?, field: Field, db: SQLiteDatabase) throws -> Int {
        guard let id else { return 0 }
        let count = try db.prepare("SELECT count(*) FROM attempts WHERE \(field.column) = ?1")
        count.bind(1, id)
        _ = try count.step()
        return Int(count.int64(0))
    }

    /// A name for comparing: its canonical form in lower case, without white space, dashes and
    /// underscores.
    public static func fold(_ name: String) -> String {
        String(canonicalName(name).lowercased().unicodeScalars.filter { scalar in
            !(scalar.properties.isWhitespace || scalar == "_" || scalar.properties.generalCategory == .dashPunctuation)
        })
    }

    /// A campaign, offer or contact centre name as the history stores it and a run looks it up:
    /// composed (NFC: `å` from a Mac's `a` + ring is the `å` typed elsewhere), without invisible
    /// format characters (zero-width spaces, a stray byte order mark), every kind of space a
    /// plain one, and none at either end. Two spellings that look the same are one name.
    public static func canonicalName(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .format { continue }
            scalars.append(scalar.properties.isWhitespace && scalar.value != 0x0A && scalar.value != 0x0D ? " " : scalar)
        }
        return String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The other names of the field that fold to the same text and have attempts.
    static func nearNames(of name: String, field: Field, db: SQLiteDatabase) throws -> [(name: String, attempts: Int)] {
        let folded = fold(name)
        let names = try db.prepare("SELECT id, name FROM \(field.table)")
        var candidates: [(id: Int64, name: String)] = []
        while try names.step() {
            // By bytes: Swift's `!=` takes two Unicode forms of one text for equal.
            if let other = names.text(1), !other.utf8.elementsEqual(name.utf8), fold(other) == folded {
                candidates.append((names.int64(0), other))
            }
        }
        return try candidates.compactMap { candidate in
            let count = try attempts(id: candidate.id, field: field, db: db)
            return count > 0 ? (candidate.name, count) : nil
        }
    }

    static func id(of name: String, in field: Field, db: SQLiteDatabase) throws -> Int64? {
        let statement = try db.prepare("SELECT id FROM \(field.table) WHERE name = ?1")
        statement.bind(1, name)
        return try statement.step() ? statement.int64(0) : nil
    }

    /// Seconds in a duration written as whole numbers with units, `36h`, `2d`, `1d12h`, `90m`,
    /// `45s` or `1w`; nil for anything else (a bare number has no unit and is refused).
    public static func seconds(ofDuration text: String) -> Int64? {
        var total: Int64 = 0
        var number: Int64?
        for character in text.lowercased() {
            if let digit = character.wholeNumberValue, character.isASCII {
                let (shifted, overflow) = (number ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow, shifted <= Int64.max - 9 else { return nil }
                number = shifted + Int64(digit)
                continue
            }
            let unit: Int64
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3_600
            case "d": unit = 86_400
            case "w": unit = 604_800
            default: return nil
            }
            guard let value = number else { return nil }
            let (seconds, overflow) = value.multipliedReportingOverflow(by: unit)
            let (sum, overflowAgain) = total.addingReportingOverflow(seconds)
            guard !overflow, !overflowAgain else { return nil }
            total = sum
            number = nil
        }
        return number == nil && total > 0 ? total : nil
    }

    /// `3 d 4 h`, `5 h 12 min`, `40 min`.
    static func describe(seconds: Int64) -> String {
        let s = max(seconds, 0)
        let days = s / 86_400, hours = s % 86_400 / 3_600, minutes = s % 3_600 / 60
        if days > 0 { return "\(days) d \(hours) h" }
        if hours > 0 { return "\(hours) h \(minutes) min" }
        return "\(minutes) min"
    }
}
