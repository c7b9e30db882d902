import Foundation

/// Where a contact history lives: a SQLite file (the embedded default) or a PostgreSQL
/// database given by a `postgres://` or `postgresql://` URL, shared by several sites.
public enum HistoryLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// A URL with a PostgreSQL scheme names a server; anything else is a file path.
    public init(_ text: String) {
        let lower = text.lowercased()
        self = lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") ? .postgres(url: text) : .sqlite(path: text)
    }

    /// The location as every message and report shows it: a URL without its password.
    public var description: String {
        switch self {
        case let .sqlite(path): return path
        case let .postgres(url): return Self.redact(url)
        }
    }

    /// Whether the URL carries a password (in its user part or as `password=`), which would
    /// show in `ps` when given on a command line.
    public var hasPassword: Bool {
        guard case let .postgres(url) = self else { return false }
        return Self.password(in: url) != nil
    }

    /// The URL with the password of its user part and any `password=` parameter replaced by `***`.
    static func redact(_ url: String) -> String {
        guard let parts = split(url) else { return url }
        var authority = parts.authority
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            authority.replaceSubrange(authority.index(after: colon)..<at, with: "***")
        }
        let query = parts.query.map { query in
            query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                pair.lowercased().hasPrefix("password=") ? "password=***" : String(pair)
            }.joined(separator: "&")
        }
        return parts.scheme + "://" + authority + parts.path + (query.map { "?" + $0 } ?? "")
    }

    /// The password written in the URL, as written and percent-decoded (nil when none).
    static func password(in url: String) -> String? {
        guard let parts = split(url) else { return nil }
        if let at = parts.authority.lastIndex(of: "@"), let colon = parts.authority[..<at].firstIndex(of: ":") {
            let raw = String(parts.authority[parts.authority.index(after: colon)..<at])
            if !raw.isEmpty { return raw.removingPercentEncoding ?? raw }
        }
        for pair in parts.query?.split(separator: "&") ?? [] where pair.lowercased().hasPrefix("password=") {
            let raw = String(pair.dropFirst("password=".count))
            if !raw.isEmpty { return raw.removingPercentEncoding ?? raw }
        }
        return nil
    }

    private static func split(_ url: String) -> (scheme: String, authority: String, path: String, query: String?)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let queryStart = rest.firstIndex(of: "?")
        let beforeQuery = rest[..<(queryStart ?? rest.endIndex)]
        // The user part may hold a '/' only percent-encoded, so the authority ends at the first
        // '/' after its last '@'.
        let hostStart = beforeQuery.lastIndex(of: "@").map { beforeQuery.index(after: $0) } ?? beforeQuery.startIndex
        let pathStart = beforeQuery[hostStart...].firstIndex(of: "/") ?? beforeQuery.endIndex
        return (String(url[..<schemeEnd.lowerBound]), String(beforeQuery[..<pathStart]), String(beforeQuery[pathStart...]),
                queryStart.map { String(rest[rest.index(after: $0)...]) })
    }
}

/// A contact history store: what import, stats, purge, the scrub's snapshot, explain and
/// `history copy` need, the same for the SQLite file and for PostgreSQL.
public protocol ContactHistoryStore: AnyObject {
    var location: HistoryLocation { get }
    /// Starts an import: one transaction for everything added until `commit()`.
    func beginImport(maxBadRows: Int?, waiting: () -> Void) throws -> HistoryImport
    func stats() throws -> HistoryStats
    func purgeExtent(before localDate: Int32) throws -> HistoryStore.PurgeExtent
    func purge(before localDate: Int32, forced: Bool, waiting: () -> Void) throws -> HistoryStore.PurgeExtent
    /// Gives the space of purged attempts back (SQLite rewrites its file; PostgreSQL vacuums the tables).
    func vacuum() throws
    /// Every attempt of one number, oldest first.
    func attempts(of key: PhoneKey) throws -> [HistoryStore.StoredAttempt]
    /// Every attempt, in primary-key order, for `history copy`; read a batch at a time.
    func forEachAttempt(_ body: (HistoryAttempt) throws -> Void) throws
    /// What the history covers for a run (see `HistoryCoverage`).
    func coverage(campaign: String, offer: String, contactCentre: String) throws -> HistoryCoverage
    /// Refuses a run with a near name or a stale history (see `HistoryCoverage.check`).
    func checkCoverage(campaign: String, offer: String, contactCentre: String, maxAge: Int64?, now: Int64) throws
    /// The rules' aggregates for one run (see `HistorySnapshot.load`). `lookup` is a wish: a
    /// store without per-number queries reads the ranges (the snapshot says which it did).
    func snapshot(callDate: Int32, campaign: String, offer: String, contactCentre: String,
                  campaignWindowDays: Int, offerWindowDays: Int, keeping: HistoryKeeping,
                  lookup: HistoryLookup) throws -> HistorySnapshot
}

extension ContactHistoryStore {
    public func checkCoverage(campaign: String, offer: String, contactCentre: String, maxAge: Int64?) throws {
        try checkCoverage(campaign: campaign, offer: offer, contactCentre: contactCentre, maxAge: maxAge,
                          now: Int64(Date().timeIntervalSince1970))
    }

    /// Adds attempts given as values (one transaction), e.g. from another system or a test.
    @discardableResult
    public func insert(attempts: [HistoryAttempt], source: String = "(api)") throws -> HistoryFileSummary {
        let session = try beginImport(maxBadRows: nil, waiting: {})
        try session.startFile(path: source, size: nil, sha256: nil)
        for (index, attempt) in attempts.enumerated() {
            try session.add(line: UInt64(index + 1), attempt: attempt)
        }
        let summary = try session.finishFile()
        try session.commit()
        return summary
    }

    /// Copies every attempt of `source` into this store in one import (one transaction): an
    /// attempt already here is not added again, so a copy can be repeated.
    public func copyAttempts(from source: any ContactHistoryStore, waiting: () -> Void = {}) throws -> HistoryFileSummary {
        let session = try beginImport(maxBadRows: 0, waiting: waiting)
        try session.startFile(path: "history copy from \(source.location)", size: nil, sha256: nil)
        var line: UInt64 = 0
        let summary: HistoryFileSummary
        do {
            try source.forEachAttempt { attempt in
                line += 1
                try session.add(line: line, attempt: attempt)
            }
            summary = try session.finishFile()
        } catch NixWashError.tooManyBadRows(_, _, _, let first) {
            // An import's advice (let bad rows through, or fix the log) does not fit a copy.
            throw NixWashError.uncopyableAttempt(from: source.location.description, to: location.description, attempt: first)
        }
        try session.commit()
        return summary
    }
}

/// Opens the contact history at a location.
public enum ContactHistory {
    /// - Parameter waiting: called when another process is writing to the history and this one
    ///   waits for it.
    public static func open(_ location: HistoryLocation, mode: HistoryStore.Mode = .readWrite,
                            waiting: () -> Void = {}) throws -> any ContactHistoryStore {
        switch location {
        case let .sqlite(path): return try HistoryStore(path: path, mode: mode, waiting: waiting)
        case let .postgres(url): return try PostgresHistoryStore(url: url, mode: mode, waiting: waiting)
        }
    }

    /// `open` with the location as the user wrote it (a path or a URL).
    public static func open(_ text: String, mode: HistoryStore.Mode = .readWrite,
                            waiting: () -> Void = {}) throws -> any ContactHistoryStore {
        try open(HistoryLocation(text), mode: mode, waiting: waiting)
    }
}
