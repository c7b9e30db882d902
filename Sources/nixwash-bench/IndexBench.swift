import Foundation
import NixWashKit

/// `nixwash-bench index [KEYS] [FOLDER]`: builds an index of KEYS (default 10 million)
/// random Swedish numbers (mobile series and fixed-line areas, like the NIX register), then
/// probes it with as many random numbers, half of them on the list, in random order. Reports
/// build time (sort, tables, write), open time (map and body checksum), lookups per second of
/// the index and, for comparison, of a plain binary search over the same keys; and lookups
/// per second of a 2-million-row customer list (the in-memory structure) with the same probes.
func indexBench(_ arguments: [String]) throws {
    let keyCount = arguments.first.flatMap { Int($0) } ?? 10_000_000
    let folder = arguments.count > 1 ? arguments[1] : NSTemporaryDirectory()
    let path = folder + "/nixwash-bench-\(getpid()).nixidx"
    defer { unlink(path) }

    var random = SplitMix64(seed: 0x4E49_5857)
    // Twice as many distinct numbers as needed: the first half goes in, the rest are misses.
    var pool: [UInt64] = []
    pool.reserveCapacity(keyCount * 2 + keyCount / 8)
    while pool.count < keyCount * 2 + keyCount / 8 { pool.append(randomSwedishNumber(&random)) }
    IndexWriter.sortAndRemoveDuplicates(&pool)
    precondition(pool.count >= keyCount * 2, "not enough distinct numbers generated")
    shuffle(&pool, &random)
    var keys = Array(pool[0..<keyCount])
    let misses = pool[keyCount..<(keyCount * 2)]

    let buildStart = threadCPUSeconds()
    IndexWriter.sortAndRemoveDuplicates(&keys)
    let sorted = threadCPUSeconds()
    let metadata = IndexWriter.Metadata(kind: .nix, label: "bench", registerDate: nil,
                                        buildTime: Int64(Date().timeIntervalSince1970), sources: [],
                                        numberCountry: .sweden)
    try IndexWriter.write(keys: keys, metadata: metadata, to: path)
    let built = threadCPUSeconds()

    let openStart = threadCPUSeconds()
    let index = try BlockIndex(path: path)
    let opened = threadCPUSeconds()

    var probes: [UInt64] = []
    probes.reserveCapacity(keyCount)
    for i in 0..<keyCount { probes.append(i % 2 == 0 ? keys[(i / 2) &* 7 % keyCount] : misses[misses.startIndex + i / 2]) }
    shuffle(&probes, &random)

    let rounds = 3
    var hits = 0
    let lookupStart = threadCPUSeconds()
    for _ in 0..<rounds { hits += countHits(index, probes) }
    let lookupSeconds = threadCPUSeconds() - lookupStart

    let baselineStart = threadCPUSeconds()
    let baselineHits = countBinarySearchHits(index.keys, probes)
    let baselineSeconds = threadCPUSeconds() - baselineStart
    precondition(hits == rounds * baselineHits, "index and binary search disagree")

    // The customer list shares the search structure; its rows add one more dependent read.
    let customerCount = min(keyCount, 2_000_000)
    let customers = CustomerList(entries: (0..<customerCount).map { i in
        (PhoneKey(rawValue: i % 2 == 0 ? keys[i &* 5 % keyCount] : misses[misses.startIndex + i]),
         i % 3 == 0 ? nil : Int32(20_000 + i % 400), i % 4 == 0 ? "el" : nil)
    })
    let customerStart = threadCPUSeconds()
    let customerHits = countCustomerHits(customers, probes)
    let customerSeconds = threadCPUSeconds() - customerStart

    let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let figures: [String: Any] = [
        "benchmark": "index",
        "keys": keyCount,
        "file_bytes": fileSize,
        "build_cpu_seconds": built - buildStart,
        "sort_cpu_seconds": sorted - buildStart,
        "open_with_checksum_cpu_seconds": opened - openStart,
        "probes": probes.count * rounds,
        "hit_share": Double(baselineHits) / Double(probes.count),
        "lookups_per_second": Double(probes.count * rounds) / lookupSeconds,
        "binary_search_lookups_per_second": Double(probes.count) / baselineSeconds,
        "customer_rows": customerCount,
        "customer_hit_share": Double(customerHits) / Double(probes.count),
        "customer_lookups_per_second": Double(probes.count) / customerSeconds,
    ]
    let json = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}

@inline(never)
func countHits(_ index: BlockIndex, _ probes: [UInt64]) -> Int {
    var hits = 0
    probes.withUnsafeBufferPointer { probes in
        for probe in probes where index.contains(key: PhoneKey(rawValue: probe)) { hits += 1 }
    }
    return hits
}

@inline(never)
func countCustomerHits(_ customers: CustomerList, _ probes: [UInt64]) -> Int {
    var hits = 0
    let category = customers.category("el")
    probes.withUnsafeBufferPointer { probes in
        for probe in probes where customers.agreementEnd(for: PhoneKey(rawValue: probe), category: category) != nil {
            hits += 1
        }
    }
    return hits
}

@inline(never)
func countBinarySearchHits(_ keys: UnsafeBufferPointer<UInt64>, _ probes: [UInt64]) -> Int {
    var hits = 0
    probes.withUnsafeBufferPointer { probes in
        for probe in probes where binarySearch(keys, probe) { hits += 1 }
    }
    return hits
}

/// CPU time of this thread: the machine is shared, and time spent descheduled is not the
/// index's. (Cache and memory contention from other processes still counts.)
func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

private func binarySearch(_ keys: UnsafeBufferPointer<UInt64>, _ key: UInt64) -> Bool {
    var low = 0, high = keys.count
    while low < high {
        let mid = (low + high) / 2
        if keys[mid] < key { low = mid + 1 } else { high = mid }
    }
    return low < keys.count && keys[low] == key
}

/// A number as the NIX register holds them: mostly mobile (070, 072, 073, 076, 079), the rest
/// fixed lines in Stockholm (08), two-digit and three-digit areas.
func randomSwedishNumber(_ random: inout SplitMix64) -> UInt64 {
    let pick = random.next() % 100
    if pick < 75 {
        let series: [UInt64] = [70, 72, 73, 76, 79]
        return 46_00_000_0000 + series[Int(random.next() % 5)] * 10_000_000 + random.next() % 10_000_000
    } else if pick < 85 {
        return 46_8_000_000_00 + random.next() % 100_000_000 // 08-xxx xx xx(x)
    } else if pick < 95 {
        let areas: [UInt64] = [11, 13, 16, 18, 19, 21, 23, 26, 31, 33, 35, 36, 40, 42, 44, 46, 54, 60, 63, 90]
        return 46_00_0000000 + areas[Int(random.next() % 20)] * 10_000_000 + random.next() % 10_000_000
    } else {
        let areas: [UInt64] = [120, 140, 150, 155, 171, 220, 240, 250, 280, 300, 320, 340, 370, 410, 431, 470, 480, 510, 520, 550]
        return 46_000_000_000 / 10 + areas[Int(random.next() % 20)] * 100_000 + random.next() % 100_000
    }
}

func shuffle(_ values: inout [UInt64], _ random: inout SplitMix64) {
    values.withUnsafeMutableBufferPointer { buffer in
        guard buffer.count > 1 else { return }
        for i in stride(from: buffer.count - 1, to: 0, by: -1) {
            buffer.swapAt(i, Int(random.next() % UInt64(i + 1)))
        }
    }
}
