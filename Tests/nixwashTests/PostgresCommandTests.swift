import Foundation
import XCTest
@testable import NixWashKit

/// The commands against a PostgreSQL history on the cluster scripts/test starts
/// (NIXWASH_TEST_POSTGRES); skipped, saying why, when none is given.
final class PostgresCommandTests: XCTestCase {
    private var server: String!

    override func setUpWithError() throws {
        guard let server = ProcessInfo.processInfo.environment["NIXWASH_TEST_POSTGRES"], !server.isEmpty else {
            throw XCTSkip("PostgreSQL tests need NIXWASH_TEST_POSTGRES, the URL of a test cluster; scripts/test starts one and sets it")
        }
        self.server = server
    }

    /// A database of its own, dropped when the test ends.
    private func database() throws -> String {
        let name = "nixwash_e2e_\(UUID().uuidString.prefix(8).lowercased())"
        try PostgresConnection(url: server).execute("CREATE DATABASE \(name)")
        addTeardownBlock { [server] in try? PostgresConnection(url: server!).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        return server.replacingOccurrences(of: #"/[^/?]*(\?.*)?$"#, with: "/\(name)", options: .regularExpression)
    }

    private static let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleData")

    /// `runNixwash` with extra environment variables.
    private func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> RunResult {
        let process = Process()
        process.executableURL = nixwashBinary()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = folder.appendingPathComponent(".out-\(UUID().uuidString)"), err = folder.appendingPathComponent(".err-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: out.path, contents: nil),
              FileManager.default.createFile(atPath: err.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        return RunResult(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                         stderr: try String(contentsOf: err, encoding: .utf8))
    }

    private func sampleScrub(history: String, in folder: URL, out: String) throws -> RunResult {
        try run(["scrub", "--config", "campaign.json", "--history", history, "--out", out], in: folder)
    }

    /// SampleData's campaign with its NIX index in `folder` and the history given apart.
    private func buildNixIndex(in folder: URL) throws {
        let sample = Self.sampleData.path
        try Data("""
            {"call_date": "2026-11-23", "campaign": "vinter-2026", "offer": "bredband-100", "contact_centre": "kkc-umea",
             "product_category": "bredband", "nix_index": "nix.idx", "customers": "\(sample)/customers.csv",
             "consents": "\(sample)/consents.csv", "leads": ["\(sample)/leads-vendor-a.csv.gz", "\(sample)/leads-vendor-b.csv"],
             "source": "Telefonlistan AB"}
            """.utf8).write(to: folder.appendingPathComponent("campaign.json"))
        let built = try run(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01", "--out", "nix.idx",
                             Self.sampleData.appendingPathComponent("nix-register.txt.gz").path], in: folder)
        XCTAssertEqual(built.status, 0, built.stderr)
    }

    func testTheSameScrubAgainstSQLiteAndPostgreSQLWritesTheSameFiles() throws {
        let folder = try temporaryFolder(self)
        let url = try database()
        try buildNixIndex(in: folder)
        let log = Self.sampleData.appendingPathComponent("history.csv.gz").path
        for db in ["h.db", url] {
            let imported = try run(["history", "import", "--db", db, log], in: folder)
            XCTAssertEqual(imported.status, 0, imported.stderr)
        }
        let sqlite = try sampleScrub(history: "h.db", in: folder, out: "sqlite")
        let postgres = try sampleScrub(history: url, in: folder, out: "postgres")
        XCTAssertEqual(sqlite.status, 0, sqlite.stderr)
        XCTAssertEqual(postgres.status, 0, postgres.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("sqlite").path)
            .filter { $0.hasPrefix("callable") || $0.hasPrefix("rejects") }
        XCTAssertGreaterThanOrEqual(files.count, 2)
        for file in files {
            let a = try Data(contentsOf: folder.appendingPathComponent("sqlite/\(file)"))
            let b = try Data(contentsOf: folder.appendingPathComponent("postgres/\(file)"))
            XCTAssertEqual(a, b, file)
        }
        // The history's rules did reject numbers, so the comparison covers them.
        let rejects = try run(["inspect", "sqlite/rejects.csv.gz"], in: folder)
        XCTAssertEqual(rejects.status, 0)
        let report = try String(contentsOf: folder.appendingPathComponent("postgres/report.json"), encoding: .utf8)
        XCTAssertTrue(report.contains("\"offer_quota\""), report)
        XCTAssertTrue(report.contains(url), report)

        let explainA = try run(["explain", "--config", "campaign.json",
                                "--history", "h.db", "--json", "0793197844"], in: folder)
        let explainB = try run(["explain", "--config", "campaign.json",
                                "--history", url, "--json", "0793197844"], in: folder)
        XCTAssertEqual(explainA.status, 0, explainA.stderr)
        XCTAssertEqual(explainA.stdout, explainB.stdout)
        XCTAssertTrue(explainB.stdout.contains("offer_quota"), explainB.stdout)
    }

    /// A log of `rows` attempts with numbers from `first`, one campaign, in time order.
    private func writeLog(_ url: URL, rows: Int, first: Int, campaign: String = "Höst") throws {
        var text = "number,attempted_at,campaign,offer,contact_centre\n"
        text.reserveCapacity(rows * 60)
        for i in 0..<rows {
            text += "+4670\(String(first + i).leftPadded(7)),2026-05-\(10 + i % 20) 1\(i % 10):00,\(campaign),El,Kalmar\n"
        }
        try Data(text.utf8).write(to: url)
    }

    func testTwoImportsAtOnceLoseNothingAndDoubleNothing() throws {
        let folder = try temporaryFolder(self)
        let url = try database()
        // Half of each log is in the other one too.
        try writeLog(folder.appendingPathComponent("a.csv"), rows: 40_000, first: 0)
        try writeLog(folder.appendingPathComponent("b.csv"), rows: 40_000, first: 20_000)
        let created = try run(["history", "stats", "--db", url], in: folder)
        XCTAssertEqual(created.status, 64, "no history yet")
        var results: [RunResult?] = [nil, nil]
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let result = try? run(["history", "import", "--db", url, index == 0 ? "a.csv" : "b.csv"], in: folder)
            lock.withLock { results[index] = result }
        }
        for result in results {
            XCTAssertEqual(result?.status, 0, result?.stderr ?? "did not run")
        }
        let stats = try ContactHistory.open(url, mode: .readOnly).stats()
        XCTAssertEqual(stats.attempts, 60_000)
        XCTAssertEqual(stats.imports, 2)
        let connection = try PostgresConnection(url: url)
        XCTAssertEqual(try connection.scalar("SELECT sum(inserted) FROM imports"), 60_000)
        XCTAssertEqual(try connection.scalar("SELECT sum(duplicates) FROM imports"), 20_000)
        XCTAssertEqual(try connection.scalar("SELECT count(*) FROM campaigns"), 1)
    }

    func testAServerKilledDuringAnImportKeepsTheCommittedFilesAndNoHalfFile() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let data = environment["NIXWASH_TEST_POSTGRES_DATA"], let control = environment["NIXWASH_TEST_POSTGRES_CTL"] else {
            throw XCTSkip("needs NIXWASH_TEST_POSTGRES_DATA and NIXWASH_TEST_POSTGRES_CTL to stop and start the test cluster (scripts/test sets them)")
        }
        let folder = try temporaryFolder(self)
        let url = try database()
        try writeLog(folder.appendingPathComponent("monday.csv"), rows: 1000, first: 0)
        try writeLog(folder.appendingPathComponent("tuesday.csv"), rows: 400_000, first: 1_000_000)
        XCTAssertEqual(try run(["history", "import", "--db", url, "monday.csv"], in: folder).status, 0)

        let process = Process()
        process.executableURL = nixwashBinary()
        process.arguments = ["history", "import", "--db", url, "monday.csv", "tuesday.csv"]
        process.currentDirectoryURL = folder
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Kill the server once the import is writing to it.
        let watcher = try PostgresConnection(url: url)
        let deadline = Date().addingTimeInterval(60)
        while try watcher.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%' OR (datname = current_database() AND query LIKE 'COPY%')") == 0,
              Date() < deadline, process.isRunning {
            usleep(20_000)
        }
        XCTAssertTrue(process.isRunning, "the import ended before the server could be killed")
        // system(), not Process: Foundation notices a child's exit by a descriptor the child
        // inherits, and the server pg_ctl starts keeps it open for ever.
        func pgControl(_ arguments: String) -> Int32 {
            system("cd /tmp && \(control) -D '\(data)' -w -s \(arguments) >/dev/null 2>&1 </dev/null")
        }
        XCTAssertEqual(pgControl("-m immediate stop"), 0)
        // Started again at once, so a failing test leaves the cluster up for the others; the
        // import's connection died with the old server all the same.
        XCTAssertEqual(pgControl("-l '\(data)/server.log' start"), 0)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1, stderr)
        XCTAssertTrue(stderr.contains("the connection to the PostgreSQL contact history was lost") || stderr.contains("cannot connect"), stderr)
        XCTAssertTrue(stderr.contains("Nothing"), stderr)
        let stats = try ContactHistory.open(url, mode: .readOnly).stats()
        XCTAssertEqual(stats.imports, 1)
        XCTAssertEqual(stats.attempts, 1000)
    }

    func testAWrongPasswordFailsClearlyWithoutShowingItOrAnOutputFolder() throws {
        let folder = try temporaryFolder(self)
        let url = try database()
        try buildNixIndex(in: folder)
        XCTAssertEqual(try run(["history", "import", "--db", url, Self.sampleData.appendingPathComponent("history.csv.gz").path], in: folder).status, 0)
        let wrong = ["PGPASSWORD": "Wr0ng-Passw0rd", "PGPASSFILE": "/dev/null"]
        let scrub = try run(["scrub", "--config", "campaign.json",
                             "--history", url, "--out", "out"], in: folder, environment: wrong)
        XCTAssertEqual(scrub.status, 1, scrub.stderr)
        XCTAssertTrue(scrub.stderr.contains("the PostgreSQL server refused the login"), scrub.stderr)
        XCTAssertTrue(scrub.stderr.contains("~/.pgpass"), scrub.stderr)
        XCTAssertFalse(scrub.stderr.contains("Wr0ng-Passw0rd") || scrub.stdout.contains("Wr0ng-Passw0rd"), scrub.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        let stats = try run(["history", "stats", "--db", url], in: folder, environment: wrong)
        XCTAssertEqual(stats.status, 1, stats.stderr)

        // A password in the URL itself is refused before anything connects: it would show in `ps`.
        let inURL = url.replacingOccurrences(of: "://nixwash@", with: "://nixwash:S3cret-In-Url@")
        for arguments in [["history", "stats", "--db", inURL],
                          ["scrub", "--config", "campaign.json",
                           "--history", inURL, "--out", "out"]] {
            let refused = try run(arguments, in: folder)
            XCTAssertEqual(refused.status, 64, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("without its password"), refused.stderr)
            XCTAssertFalse(refused.stderr.contains("S3cret-In-Url"), refused.stderr)
        }

        // Nobody listening: a clear error, exit 1, no folder.
        let closed = try sampleScrub(history: "postgresql://nixwash@127.0.0.1:9/nixwash", in: folder, out: "out")
        XCTAssertEqual(closed.status, 1, closed.stderr)
        XCTAssertTrue(closed.stderr.contains("cannot connect to the PostgreSQL contact history"), closed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    func testAPasswordInTheCampaignFileIsUsedButNeverShown() throws {
        let folder = try temporaryFolder(self)
        let url = try database()
        try buildNixIndex(in: folder)
        XCTAssertEqual(try run(["history", "import", "--db", url, Self.sampleData.appendingPathComponent("history.csv.gz").path], in: folder).status, 0)
        // The cluster's real password, from the PGPASSFILE that scripts/test writes.
        let passfile = try XCTUnwrap(ProcessInfo.processInfo.environment["PGPASSFILE"])
        let password = try XCTUnwrap(try String(contentsOfFile: passfile, encoding: .utf8).split(separator: ":").last)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let withPassword = url.replacingOccurrences(of: "://nixwash@", with: "://nixwash:\(password)@")
        var campaign = try String(contentsOf: folder.appendingPathComponent("campaign.json"), encoding: .utf8)
        campaign = campaign.replacingOccurrences(of: "\"nix_index\"", with: "\"history_db\": \"\(withPassword)\", \"nix_index\"")
        try Data(campaign.utf8).write(to: folder.appendingPathComponent("campaign.json"))
        let scrub = try run(["scrub", "--config", "campaign.json", "--out", "out"], in: folder, environment: ["PGPASSFILE": "/dev/null"])
        XCTAssertEqual(scrub.status, 0, scrub.stderr)
        for name in ["report.json", "report.html"] {
            let text = try String(contentsOf: folder.appendingPathComponent("out/\(name)"), encoding: .utf8)
            XCTAssertFalse(text.contains(password), name)
            XCTAssertTrue(text.contains("nixwash:***@"), name)
        }
        XCTAssertFalse(scrub.stderr.contains(password) || scrub.stdout.contains(password))
    }

    func testHistoryCopyMovesAHistoryBothWays() throws {
        let folder = try temporaryFolder(self)
        let url = try database()
        XCTAssertEqual(try run(["history", "import", "--db", "a.db", Self.sampleData.appendingPathComponent("history.csv.gz").path], in: folder).status, 0)
        let there = try run(["history", "copy", "--from", "a.db", "--to", url], in: folder)
        XCTAssertEqual(there.status, 0, there.stderr)
        XCTAssertTrue(there.stdout.contains("778 new"), there.stdout)
        let again = try run(["history", "copy", "--from", "a.db", "--to", url], in: folder)
        XCTAssertTrue(again.stdout.contains("0 new, 778 already present"), again.stdout)
        let back = try run(["history", "copy", "--from", url, "--to", "b.db"], in: folder)
        XCTAssertEqual(back.status, 0, back.stderr)
        let a = try run(["history", "stats", "--db", "a.db", "--json"], in: folder).stdout
        let b = try run(["history", "stats", "--db", "b.db", "--json"], in: folder).stdout
        func campaigns(_ json: String) throws -> String {
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
            return String(decoding: try JSONSerialization.data(withJSONObject: object["campaigns"]!, options: .sortedKeys), as: UTF8.self)
        }
        XCTAssertEqual(try campaigns(a), try campaigns(b))
        let same = try run(["history", "copy", "--from", "a.db", "--to", "a.db"], in: folder)
        XCTAssertEqual(same.status, 64, same.stderr)
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
