#if canImport(Glibc)
import Glibc
#endif

/// The run's counters, overall and per address source, kept in flat arrays indexed by
/// reason precedence so counting allocates nothing; turned into `ScrubCounts` at the end.
struct Tally {
    private struct Counters {
        var rowsIn: UInt64 = 0
        var rowsCallable: UInt64 = 0
        var rowsNotCallable: UInt64 = 0
        var numbersCallable: UInt64 = 0
        var numbersRejected: UInt64 = 0
        var primary = [UInt64](repeating: 0, count: Reason.allCases.count)
        var applied = [UInt64](repeating: 0, count: Reason.allCases.count)
        var customerExemptions: UInt64 = 0
        var consentExemptions: UInt64 = 0
        var repairs = [UInt64](repeating: 0, count: ExcelRepair.allCases.count)
        var digitsLost: UInt64 = 0
        var fieldsWithSeveralNumbers: UInt64 = 0

        var counts: ScrubCounts {
            var c = ScrubCounts()
            c.rowsIn = rowsIn
            c.rowsCallable = rowsCallable
            c.rowsNotCallable = rowsNotCallable
            c.numbersCallable = numbersCallable
            c.numbersRejected = numbersRejected
            c.numbersIn = numbersCallable + numbersRejected
            for reason in Reason.inPrecedenceOrder {
                c.rejectedByReason[reason.rawValue] = primary[reason.precedence]
                c.reasonsApplied[reason.rawValue] = applied[reason.precedence]
            }
            c.nixExemptions = [NixExemption.customer.rawValue: customerExemptions, NixExemption.consent.rawValue: consentExemptions]
            var artefacts = [excelDigitsLostName: digitsLost]
            for repair in ExcelRepair.allCases { artefacts[repair.name] = repairs[repair.rawValue] }
            c.excelArtefacts = artefacts
            c.fieldsWithSeveralNumbers = fieldsWithSeveralNumbers
            return c
        }
    }

    private var total = Counters()
    private var perSource: [Counters] = []
    private var sources = ByteStringTable()
    private var lastSource = -1
    private let defaultSource: [UInt8]?

    init(defaultSource: String?) {
        self.defaultSource = defaultSource.map { Array($0.utf8) }
    }

    /// The index of a row's address source: the source field when it has one, else the run's
    /// source setting, else the file's path. Sources repeat row after row, so the last one is
    /// checked first and a new one costs one small allocation.
    mutating func sourceIndex(for field: UnsafeRawBufferPointer?, fallback: [UInt8]) -> Int {
        if let field, !Blanks.showsNothing(field) {
            return index(of: field)
        }
        return (defaultSource ?? fallback).withUnsafeBytes { index(of: $0) }
    }

    private mutating func index(of bytes: UnsafeRawBufferPointer) -> Int {
        if lastSource >= 0, ByteStringTable.equal(sources[lastSource], bytes) { return lastSource }
        // Hashed, not a scan of all sources: a vendor file whose source column holds a
        // different value on every row (a mis-mapped id column) made the scan quadratic,
        // 27 s for 8,000 rows and hours for a million.
        lastSource = sources.add(bytes)
        if lastSource == perSource.count { perSource.append(Counters()) }
        return lastSource
    }

    func sourceBytes(_ index: Int) -> [UInt8] { sources[index] }
    func sourceName(_ index: Int) -> String { sources[index].withUnsafeBytes { decodeText($0) } }

    mutating func countRow(source: Int) {
        total.rowsIn += 1
        perSource[source].rowsIn += 1
    }

    mutating func countRowCallable(source: Int) {
        total.rowsCallable += 1
        perSource[source].rowsCallable += 1
    }

    mutating func countRowNotCallable(source: Int) {
        total.rowsNotCallable += 1
        perSource[source].rowsNotCallable += 1
    }

    mutating func countCallable(exemption: NixExemption?, source: Int) {
        Self.countCallable(&total, exemption)
        Self.countCallable(&perSource[source], exemption)
    }

    private static func countCallable(_ c: inout Counters, _ exemption: NixExemption?) {
        c.numbersCallable += 1
        switch exemption {
        case .customer?: c.customerExemptions += 1
        case .consent?: c.consentExemptions += 1
        case nil: break
        }
    }

    mutating func countRejected(_ reasons: ReasonSet, source: Int) {
        Self.countRejected(&total, reasons)
        Self.countRejected(&perSource[source], reasons)
    }

    private static func countRejected(_ c: inout Counters, _ reasons: ReasonSet) {
        c.numbersRejected += 1
        c.primary[reasons.rawValue.trailingZeroBitCount] += 1
        var bits = reasons.rawValue
        while bits != 0 {
            c.applied[bits.trailingZeroBitCount] += 1
            bits &= bits - 1
        }
    }

    /// The repairs made to a number before it was read (callable or not).
    mutating func countRepairs(_ repairs: ExcelRepairs, source: Int) {
        for repair in repairs.repairs {
            total.repairs[repair.rawValue] += 1
            perSource[source].repairs[repair.rawValue] += 1
        }
    }

    mutating func countDigitsLost(source: Int) {
        total.digitsLost += 1
        perSource[source].digitsLost += 1
    }

    mutating func countFieldWithSeveralNumbers(source: Int) {
        total.fieldsWithSeveralNumbers += 1
        perSource[source].fieldsWithSeveralNumbers += 1
    }

    var totals: ScrubCounts { total.counts }

    var bySource: [String: ScrubCounts] {
        var result: [String: ScrubCounts] = [:]
        // The same name in two encodings (a UTF-8 and a Latin-1 list) is one source.
        for i in 0..<sources.count {
            let name = sourceName(i)
            result[name] = result[name].map { $0.adding(perSource[i].counts) } ?? perSource[i].counts
        }
        return result
    }
}
