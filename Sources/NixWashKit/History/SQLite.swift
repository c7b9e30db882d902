import Foundation
import CSQLite

/// A small typed wrapper over the sqlite3 C API: one connection, prepared statements that
/// finalize themselves, and errors that name the database file. Only what the contact
/// history needs; no query builder.
final class SQLiteDatabase {
    enum Mode {
        case readOnly
        case readWrite
        /// Read-write, creating the file when it does not exist.
        case create
    }

    let path: String
    private(set) var handle: OpaquePointer

    init(path: String, mode: Mode) throws {
        self.path = path
        var flags: Int32
        switch mode {
        case .readOnly: flags = SQLITE_OPEN_READONLY
        case .readWrite: flags = SQLITE_OPEN_READWRITE
        case .create: flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        // One connection per thread of use: no SQLite-internal mutexes on the hot path.
        flags |= SQLITE_OPEN_NOMUTEX
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw NixWashError.historyDatabase(path: path, reason: reason)
        }
        handle = db
        // A reader waits for a writer's checkpoint instead of failing at once.
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit { sqlite3_close_v2(handle) }

    /// How long a writer waits for another writer (an import in another process) to finish.
    /// Longer than any import takes, so two imports started together both land; a reader never
    /// waits for a writer in WAL mode.
    static let writerWaitMilliseconds: Int32 = 30 * 60 * 1000

    /// `BEGIN IMMEDIATE`, waiting up to `writerWaitMilliseconds` for the write lock. When
    /// another writer holds it, `waiting` is called once before the wait, so the user is told
    /// why nothing happens; the two writers then run one after the other.
    func beginWriting(waiting: () -> Void = {}) throws {
        sqlite3_busy_timeout(handle, 0)
        defer { sqlite3_busy_timeout(handle, 10_000) }
        do {
            try execute("BEGIN IMMEDIATE")
            return
        } catch NixWashError.historyBusy(path: _) {
            waiting()
        }
        sqlite3_busy_timeout(handle, SQLiteDatabase.writerWaitMilliseconds)
        try execute("BEGIN IMMEDIATE")
    }

    /// Puts the file in write-ahead-log mode (a no-op when it is in it). Two connections that
    /// switch a new file at once can deadlock on the locks, so SQLite fails one of them at
    /// once instead of calling the busy handler; that one retries here until the other is done.
    func useWriteAheadLog() throws {
        let deadline = Date().addingTimeInterval(Double(SQLiteDatabase.writerWaitMilliseconds) / 1000)
        while true {
            do {
                let statement = try prepare("PRAGMA journal_mode = WAL")
                guard try statement.step(), statement.text(0) == "wal" else {
                    throw NixWashError.historyDatabase(path: path, reason: "the file cannot use a write-ahead log")
                }
                return
            } catch NixWashError.historyBusy(path: _) where Date() < deadline {
                usleep(10_000)
            }
        }
    }

    /// Moves the write-ahead log into the database file and empties it, unless a reader or
    /// another writer is busy: then a later checkpoint does it, and nobody waits for this one.
    func checkpointIfIdle() {
        sqlite3_busy_timeout(handle, 0)
        defer { sqlite3_busy_timeout(handle, 10_000) }
        try? execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Runs one or more statements that return no rows of interest.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            if rc & 0xff == SQLITE_BUSY {
                sqlite3_free(message)
                throw NixWashError.historyBusy(path: path)
            }
            let reason = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw NixWashError.historyDatabase(path: path, reason: reason)
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc) }
        return SQLiteStatement(database: self, statement: statement)
    }

    /// The single integer a query such as `SELECT count(*) ...` or `PRAGMA user_version` returns.
    func scalar(_ sql: String) throws -> Int64 {
        let statement = try prepare(sql)
        return try statement.step() ? statement.int64(0) : 0
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes64(handle)) }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    func error(_ rc: Int32) -> NixWashError {
        if rc & 0xff == SQLITE_BUSY { return .historyBusy(path: path) }
        let message = String(cString: sqlite3_errmsg(handle))
        return .historyDatabase(path: path, reason: message.isEmpty ? String(cString: sqlite3_errstr(rc)) : message)
    }
}

/// A prepared statement. Parameters and columns are numbered as in SQLite: parameters from 1,
/// columns from 0. Reusable through `reset()`; finalized when released.
final class SQLiteStatement {
    private let database: SQLiteDatabase
    private let statement: OpaquePointer

    fileprivate init(database: SQLiteDatabase, statement: OpaquePointer) {
        self.database = database
        self.statement = statement
    }

    deinit { sqlite3_finalize(statement) }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
    }

    func bind(_ index: Int32, _ value: String) {
        sqlite3_bind_text(statement, index, value, -1, nixwash_sqlite_transient())
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { sqlite3_bind_null(statement, index) }
    }

    /// Advances to the next row: true when a row is available, false when the statement is done.
    func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc:
            let error = database.error(rc)
            sqlite3_reset(statement)
            throw error
        }
    }

    /// Makes the statement ready to run again with new bindings.
    func reset() {
        sqlite3_reset(statement)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: bytes)
    }
}
