import CPostgres
import Foundation

/// A small typed wrapper over libpq: one blocking connection, statements with text
/// parameters, `COPY ... FROM STDIN`, and errors that name the server by its redacted URL and
/// never carry the password. Only what the contact history needs.
final class PostgresConnection {
    /// The server as messages name it: the URL without its password.
    let location: String
    private let connection: OpaquePointer
    /// Secrets a libpq message must never show (the URL's password, `PGPASSWORD`).
    private let secrets: [String]

    init(url: String) throws {
        location = HistoryLocation.redact(url)
        secrets = [HistoryLocation.password(in: url), ProcessInfo.processInfo.environment["PGPASSWORD"]]
            .compactMap { $0 }.filter { !$0.isEmpty }
        guard let connection = PQconnectdb(url) else {
            throw NixWashError.historyServerUnavailable(location: location, reason: "libpq could not allocate a connection")
        }
        // Checked before it is kept: once kept, deinit finishes it.
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = Self.clean(PQerrorMessage(connection), hiding: secrets)
            PQfinish(connection)
            if reason.contains("password") || reason.contains("authentication") {
                throw NixWashError.historyServerAuthentication(location: location, reason: reason)
            }
            throw NixWashError.historyServerUnavailable(location: location, reason: reason)
        }
        self.connection = connection
        // NOTICEs ("relation already exists, skipping") are the server talking to itself: libpq
        // would print them on standard error.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(connection) }

    /// Runs statements that return no rows of interest (several may be separated by `;`).
    func execute(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result)
    }

    /// Runs one statement with text parameters (`$1`, `$2`, ...; nil is NULL).
    func query(_ sql: String, _ parameters: [String?] = []) throws -> PostgresResult {
        let result = try withParameters(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        do {
            try check(result)
        } catch {
            PQclear(result)
            throw error
        }
        return PostgresResult(result!)
    }

    /// The single integer of a query such as `SELECT count(*) ...` (0 for NULL or no row).
    func scalar(_ sql: String, _ parameters: [String?] = []) throws -> Int64 {
        let result = try query(sql, parameters)
        return result.rows > 0 ? result.optionalInt64(0, 0) ?? 0 : 0
    }

    /// Runs `COPY ... FROM STDIN` (text format) and sends `data` as its rows.
    func copyIn(_ sql: String, data: UnsafeRawBufferPointer) throws {
        let start = PQexec(connection, sql)
        defer { PQclear(start) }
        guard PQresultStatus(start) == PGRES_COPY_IN else { return try check(start) }
        // libpq takes at most Int32.max bytes per call; a few MiB at a time keep it simple.
        var offset = 0
        while offset < data.count {
            let length = min(4 << 20, data.count - offset)
            let sent = PQputCopyData(connection, data.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self), Int32(length))
            guard sent == 1 else { throw failure(nil) }
            offset += length
        }
        guard PQputCopyEnd(connection, nil) == 1 else { throw failure(nil) }
        var firstError: NixWashError?
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            do { try check(result) } catch let error as NixWashError { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }

    /// Whether the connection is still up (false once the server went away).
    var isConnected: Bool { PQstatus(connection) == CONNECTION_OK }

    private func check(_ result: OpaquePointer?) throws {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN: return
        default: throw failure(result)
        }
    }

    private func failure(_ result: OpaquePointer?) -> NixWashError {
        let message = result.flatMap { PQresultErrorMessage($0) }.map { String(cString: $0) } ?? ""
        let reason = Self.clean(message.isEmpty ? PQerrorMessage(connection).map { String(cString: $0) } ?? "" : message, hiding: secrets)
        if PQstatus(connection) != CONNECTION_OK {
            return .historyServerLost(location: location, reason: reason)
        }
        return .historyDatabase(path: location, reason: reason)
    }

    private static func clean(_ message: UnsafePointer<CChar>?, hiding secrets: [String]) -> String {
        clean(message.map { String(cString: $0) } ?? "", hiding: secrets)
    }

    /// One line, no trailing newline, no secret: libpq's messages end in newlines and may
    /// quote the connection string they could not parse.
    private static func clean(_ message: String, hiding secrets: [String]) -> String {
        var text = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
        for secret in secrets { text = text.replacingOccurrences(of: secret, with: "***") }
        return text.isEmpty ? "no message from libpq" : text
    }

    private func withParameters<T>(_ parameters: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) throws -> T {
        let storage = parameters.map { $0.map { strdup($0)! } }
        defer { storage.forEach { free($0) } }
        return body(storage.map { $0.map { UnsafePointer($0) } })
    }
}

/// The rows of one query result, read by row and column (both from 0), as text.
final class PostgresResult {
    private let result: OpaquePointer
    let rows: Int
    let columns: Int

    fileprivate init(_ result: OpaquePointer) {
        self.result = result
        rows = Int(PQntuples(result))
        columns = Int(PQnfields(result))
    }

    deinit { PQclear(result) }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(result, Int32(row), Int32(column)) == 1 }

    /// An integer column, parsed from its text without making a String.
    func int64(_ row: Int, _ column: Int) -> Int64 {
        strtoll(PQgetvalue(result, Int32(row), Int32(column)), nil, 10)
    }

    func optionalInt64(_ row: Int, _ column: Int) -> Int64? { isNull(row, column) ? nil : int64(row, column) }

    func text(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }
}
