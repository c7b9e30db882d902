import Foundation

/// What the contact history covers for one run: its oldest and newest attempt, and how many
/// attempts it has for the run's campaign, offer and contact centre, so a report shows
/// whether the quotas were judged on a history that knows the campaign and is current.
///
/// `check` refuses a run whose name is not in the history as written while a name that
/// differs only in case, spaces, dashes or underscores is: the quota rules match names
/// exactly, so such a run would find no attempts and every quota would quietly vanish.
public struct HistoryCoverage: Codable, Equatable, Sendable {
    public var path: String
    public var attempts: Int
    /// Europe/Stockholm ISO 8601 times; nil when the history holds no attempts.
    public var oldestAttempt: String?
    public var newestAttempt: String?
    public var campaignAttempts: Int
    public var offerAttempts: Int
    public var contactCentreAttempts: Int
    /// The newest attempt in seconds since 1970, for the age check.
    var newestInstant: Int64?

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

    /// Reads the coverage in one pass over the attempts (the history has no index by time,
    /// offer or contact centre, and a second pass would cost as much again).
    public static func load(store: HistoryStore, campaign: String, offer: String,
                            contactCentre: String) throws -> HistoryCoverage {
        let db = store.db
        let ids = try [campaign, offer, contactCentre].enumerated().map { i, name in
            try id(of: name, in: Field.allCases[i], db: db) ?? -1
        }
        let statement = try db.prepare("""
            SELECT count(*), min(attempted_at), max(attempted_at),
                   coalesce(sum(campaign_id = ?1), 0), coalesce(sum(offer_id = ?2), 0),
                   coalesce(sum(contact_centre_id = ?3), 0)
            FROM attempts
            """)
        for (i, id) in ids.enumerated() { statement.bind(Int32(i + 1), id) }
        _ = try statement.step()
        let oldest = statement.optionalInt64(1), newest = statement.optionalInt64(2)
        return HistoryCoverage(
            path: store.path, attempts: Int(statement.int64(0)),
            oldestAttempt: oldest.map(StockholmTime.iso8601), newestAttempt: newest.map(StockholmTime.iso8601),
            campaignAttempts: Int(statement.int64(3)), offerAttempts: Int(statement.int64(4)),
            contactCentreAttempts: Int(statement.int64(5)), newestInstant: newest)
    }

    /// The coverage, after refusing a run whose campaign, offer or contact centre has no
    /// attempts while a near name has some (usage), and one whose history's newest attempt is
    /// more than `maxAge` seconds before `now` (compliance).
    public static func check(store: HistoryStore, campaign: String, offer: String, contactCentre: String,
                             maxAge: Int64?,
                             now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> HistoryCoverage {
        let coverage = try load(store: store, campaign: campaign, offer: offer, contactCentre: contactCentre)
        let found = [coverage.campaignAttempts, coverage.offerAttempts, coverage.contactCentreAttempts]
        for (i, name) in [campaign, offer, contactCentre].enumerated() where found[i] == 0 {
            let near = try nearNames(of: name, field: Field.allCases[i], db: store.db)
            if !near.isEmpty {
                throw NixWashError.nearHistoryName(path: store.path, field: Field.allCases[i].rawValue, given: name,
                                                   near: near.map(\.name), attempts: near.map(\.attempts))
            }
        }
        if let maxAge, coverage.newestInstant.map({ now - $0 > maxAge }) ?? true {
            throw NixWashError.staleHistory(path: store.path, newestAttempt: coverage.newestAttempt,
                                            age: coverage.newestInstant.map { describe(seconds: now - $0) },
                                            maxAge: describe(seconds: maxAge))
        }
        return coverage
    }

    /// A name for comparing: lower case, without white space, dashes and underscores.
    public static func fold(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { scalar in
            !(scalar.properties.isWhitespace || scalar == "_" || scalar.properties.generalCategory == .dashPunctuation)
        })
    }

    /// The other names of the field that fold to the same text and have attempts.
    static func nearNames(of name: String, field: Field, db: SQLiteDatabase) throws -> [(name: String, attempts: Int)] {
        let folded = fold(name)
        let names = try db.prepare("SELECT id, name FROM \(field.table)")
        var candidates: [(id: Int64, name: String)] = []
        while try names.step() {
            if let other = names.text(1), other != name, fold(other) == folded { candidates.append((names.int64(0), other)) }
        }
        return try candidates.compactMap { candidate in
            let count = try db.prepare("SELECT count(*) FROM attempts WHERE \(field.column) = ?1")
            count.bind(1, candidate.id)
            _ = try count.step()
            let attempts = Int(count.int64(0))
            return attempts > 0 ? (candidate.name, attempts) : nil
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
