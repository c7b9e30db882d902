import Foundation
import NixWashKit

/// `nixwash-bench history [--attempts N] [--history N] [--db PATH]`, or
/// `nixwash-bench history --write-log PATH [--attempts N]` to write the same log as CSV.
///
/// 1. Imports N synthetic attempts (default 10 million) into a new database through the import
///    core (`HistoryImport.add` with byte fields: timestamp parsing, name lookup, sorted insert,
///    one transaction); the CSV reading and phone normalization of `nixwash history import` are
///    not in this figure (scripts/bench-history measures the whole command).
/// 2. Grows the same database to `--history` attempts (default 20 million) and times
///    `HistorySnapshot.load` for one campaign and its offer, and lookups in the snapshot.
///
/// The log looks like a year of a dialer's: time-ordered, ~52 campaigns of 60 days starting a
/// week apart, 10 offers, 4 contact centres, numbers drawn from 5 million.
func historyBench(_ arguments: [String]) throws {
    var importCount = 10_000_000
    var historyCount = 20_000_000
    var path = FileManager.default.temporaryDirectory.appendingPathComponent("nixwash-bench-history.db").path
    var logPath: String?
    var i = 0
    while i < arguments.count {
        switch arguments[i] {
        case "--attempts": importCount = Int(arguments[i + 1])!
        case "--history": historyCount = Int(arguments[i + 1])!
        case "--db": path = arguments[i + 1]
        case "--write-log": logPath = arguments[i + 1]
        default: throw NixWashError.invalidSetting(source: "nixwash-bench history", reason: "unknown argument \(arguments[i])")
        }
        i += 2
    }
    historyCount = max(historyCount, importCount)
    let year: Int64 = 365 * 86_400
    let start = Int64(LocalDate(year: 2025, month: 6, day: 1)!.daysSinceEpoch) * 86_400
    if let logPath {
        var log = SyntheticLog(count: importCount, start: start, span: year)
        let started = Date()
        try log.write(to: logPath)
        print("{\"benchmark\":\"history\",\"wrote_log\":\"\(logPath)\",\"attempts\":\(importCount),\"seconds\":\(round3(Date().timeIntervalSince(started)))}")
        return
    }
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }

    var generator = SyntheticLog(count: historyCount, start: start, span: year)

    let store = try HistoryStore(path: path, mode: .create)
    let importStart = Date(), importCPUStart = cpuSeconds()
    try generator.importNext(importCount, into: store)
    let importSeconds = Date().timeIntervalSince(importStart)
    let importCPUSeconds = cpuSeconds() - importCPUStart

    let growStart = Date()
    while generator.produced < historyCount {
        try generator.importNext(min(5_000_000, historyCount - generator.produced), into: store)
    }
    let growSeconds = Date().timeIntervalSince(growStart)
    let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

    // A campaign in the middle of the year, on its last day: the busiest window.
    let campaign = 26
    let callDate = Int32((start + Int64(campaign * 7 + 59) * 86_400) / 86_400)
    let reader = try HistoryStore(path: path, mode: .readOnly)
    let loadStart = Date(), loadCPUStart = cpuSeconds()
    let snapshot = try HistorySnapshot.load(db: reader, callDate: callDate, campaign: "Campaign \(campaign)",
                                            offer: "Offer \(campaign % 10)", contactCentre: "Centre 1")
    let loadSeconds = Date().timeIntervalSince(loadStart)
    let loadCPUSeconds = cpuSeconds() - loadCPUStart

    var rng = SplitMix(seed: 7)
    let lookups = 10_000_000
    var found = 0, total = 0
    let lookupStart = Date()
    for _ in 0..<lookups {
        let history = snapshot.history(for: PhoneKey(rawValue: SyntheticLog.number(rng.next())))
        total &+= history.campaignAttemptsInWindow &+ history.otherCampaignsWithSameOffer
        if history != .none { found += 1 }
    }
    let lookupSeconds = Date().timeIntervalSince(lookupStart)

    let figures: [String: Any] = [
        "benchmark": "history",
        "import_attempts": importCount,
        "import_seconds": round3(importSeconds),
        "import_rows_per_second": Int(Double(importCount) / importSeconds),
        "import_cpu_seconds": round3(importCPUSeconds),
        "history_attempts": historyCount,
        "grow_seconds": round3(growSeconds),
        "database_bytes": fileBytes,
        "snapshot_numbers": snapshot.count,
        "snapshot_load_seconds": round3(loadSeconds),
        "snapshot_load_cpu_seconds": round3(loadCPUSeconds),
        "lookups_per_second": Int(Double(lookups) / lookupSeconds),
        "lookups_found": found,
        "checksum": total,
    ]
    let json = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}

/// User plus system time of this process: on a shared machine, wall time also measures the others.
private func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

private func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

/// A deterministic, time-ordered stream of dialer-log rows.
private struct SyntheticLog {
    struct Row {
        var number: UInt64
        var instant: Int64
        var campaign: Int
        var centre: Int
        var outcome: Int
    }

    let count: Int
    let start: Int64
    let span: Int64
    private(set) var produced = 0
    private var rng = SplitMix(seed: 42)
    let campaigns = (0..<60).map { Array("Campaign \($0)".utf8) }
    let offers = (0..<10).map { Array("Offer \($0)".utf8) }
    let centres = (0..<4).map { Array("Centre \($0)".utf8) }
    let outcomes = ["answered", "no_answer", "busy"].map { Array($0.utf8) }

    init(count: Int, start: Int64, span: Int64) {
        self.count = count
        self.start = start
        self.span = span
    }

    /// Numbers from a pool of 5 million valid Swedish mobile numbers (070, 072, 073, 076, 079).
    static func number(_ random: UInt64) -> UInt64 {
        let series: [UInt64] = [70, 72, 73, 76, 79]
        let pick = random % 5_000_000
        return 46_000_000_000 + series[Int(pick % 5)] * 10_000_000 + (pick / 5) * 9 % 10_000_000
    }

    mutating func next() -> Row {
        let instant = start + Int64(produced) * span / Int64(count)
        // Campaign c runs on days 7c ..< 7c + 60.
        let newest = Int((instant - start) / 86_400 / 7)
        let campaign = max(0, newest - Int(rng.next() % 9))
        let random = rng.next()
        produced += 1
        return Row(number: SyntheticLog.number(random), instant: instant, campaign: campaign,
                   centre: Int(random >> 60) & 3, outcome: Int(random >> 40) % 3)
    }

    mutating func importNext(_ n: Int, into store: HistoryStore) throws {
        let session = try store.beginImport()
        try session.startFile(path: "synthetic-\(produced)", size: nil, sha256: nil)
        var timestamp: [UInt8] = []
        timestamp.reserveCapacity(32)
        for _ in 0..<n {
            let row = next()
            timestamp.removeAll(keepingCapacity: true)
            StockholmTime.appendISO8601(row.instant, to: &timestamp)
            try timestamp.withUnsafeBytes { at in
                try campaigns[row.campaign].withUnsafeBytes { c in
                    try offers[row.campaign % 10].withUnsafeBytes { o in
                        try centres[row.centre].withUnsafeBytes { k in
                            try outcomes[row.outcome].withUnsafeBytes { r in
                                try session.add(line: UInt64(produced + 1), number: PhoneKey(rawValue: row.number),
                                                attemptedAt: at, campaign: c, offer: o, contactCentre: k, outcome: r)
                            }
                        }
                    }
                }
            }
        }
        try session.commit()
    }

    /// Writes the whole log as CSV, the way a dialer exports it: local time with its offset,
    /// numbers alternately in national and E.164 form.
    mutating func write(to path: String) throws {
        guard let file = fopen(path, "w") else { throw NixWashError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { fclose(file) }
        var line: [UInt8] = Array("number,attempted_at,campaign,offer,contact_centre,outcome\n".utf8)
        while produced < count {
            let row = next()
            if produced % 2 == 0 {
                line.append(contentsOf: "0".utf8)
                line.append(contentsOf: String(row.number - 46_000_000_000).utf8)
            } else {
                line.append(contentsOf: "+".utf8)
                line.append(contentsOf: String(row.number).utf8)
            }
            line.append(UInt8(ascii: ","))
            StockholmTime.appendISO8601(row.instant, to: &line)
            for field in [campaigns[row.campaign], offers[row.campaign % 10], centres[row.centre], outcomes[row.outcome]] {
                line.append(UInt8(ascii: ","))
                line.append(contentsOf: field)
            }
            line.append(UInt8(ascii: "\n"))
            if line.count > 1 << 16 {
                guard fwrite(line, 1, line.count, file) == line.count else {
                    throw NixWashError.writeFailed(path: path, reason: String(cString: strerror(errno)))
                }
                line.removeAll(keepingCapacity: true)
            }
        }
        guard fwrite(line, 1, line.count, file) == line.count else {
            throw NixWashError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

/// A small, fast, deterministic generator (Steele et al.'s SplitMix64).
private struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
