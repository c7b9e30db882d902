import XCTest
@testable import NixWashKit

/// `Prepare` fed by the reading stage (`RecordBatches`) over small lists on disk: phone fields
/// to numbers, the duplicate rule across batches and files, and one probe per number into
/// every list.
final class ScrubPrepareTests: XCTestCase {
    private let callDate = LocalDate("2026-11-23")!  // a Monday
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder(self)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func lists(customers: String? = nil, consents: String? = nil,
                       change: (inout ScrubConfiguration) -> Void = { _ in }) throws -> WashLists {
        let registerDay = Int32(callDate.daysSinceEpoch - 1)
        try writeIndex([46_701_111_111, 46_702_222_222, 46_703_333_333], to: path("nix.idx"), registerDate: registerDay)
        try writeIndex([46_702_222_222, 46_709_999_999], to: path("a.idx"), kind: .block, label: "a", registerDate: nil)
        try writeIndex([46_709_999_999], to: path("b.idx"), kind: .block, label: "b", registerDate: nil)
        var c = ScrubConfiguration(leadFiles: [], outputFolder: path("out"), callDate: callDate, campaign: "c", offer: "o",
                                   contactCentre: "kc", nixIndex: path("nix.idx"))
        c.blockIndexes = [path("a.idx"), path("b.idx")]
        if let customers {
            try writeFile(URL(fileURLWithPath: path("customers.csv")), bytes(customers))
            c.customers = path("customers.csv")
        }
        if let consents {
            try writeFile(URL(fileURLWithPath: path("consents.csv")), bytes(consents))
            c.consents = path("consents.csv")
        }
        change(&c)
        return try WashLists(configuration: c)
    }

    /// Every prepared number of a lead list's phone column, in input order (the further numbers
    /// of a field after its first).
    private func prepared(_ csv: String, prepare: Prepare, recordsPerBatch: Int = 4096) throws -> [PreparedNumber] {
        let file = path("leads-\(UUID().uuidString).csv")
        try writeFile(URL(fileURLWithPath: file), bytes(csv))
        let reader = try CSVReader(input: InputFile(path: file))
        let batches = RecordBatches(reader: reader, sample: nil, phoneColumns: [1], checkedColumns: [0], prepare: prepare,
                                    recordsPerBatch: recordsPerBatch)
        defer { batches.cancel() }
        var out: [PreparedNumber] = []
        var batch: RecordBatches.Batch?
        while let current = try batches.next(after: batch) {
            batch = current
            for index in 0..<current.count {
                let number = current.number(index, 0)
                out.append(number)
                out += current.moreNumbers(of: number)
            }
        }
        return out
    }

    private func key(_ number: PreparedNumber) -> UInt64? {
        if case let .valid(valid)? = number.parsed { return valid.key.rawValue }
        return nil
    }

    func testEachNumberGetsWhatEveryListHoldsAboutIt() throws {
        let prepare = Prepare(lists: try lists())
        let numbers = try prepared("id;telefon\n1;070-111 11 11\n2;0702222222\n3;+46709999999\n4;0704444444\n", prepare: prepare)
        XCTAssertEqual(numbers.map(key), [46_701_111_111, 46_702_222_222, 46_709_999_999, 46_704_444_444])
        XCTAssertEqual(numbers.map(\.facts.inNix), [true, true, false, false])
        XCTAssertEqual(numbers.map(\.facts.blockLists), [0, 0b01, 0b11, 0])
        XCTAssertEqual(numbers.map(\.facts.exemption), [nil, nil, nil, nil])
        XCTAssertEqual(numbers.map(\.duplicate), [false, false, false, false])
    }

    /// A number seen in an earlier batch or an earlier file of the run is a duplicate; within
    /// a field of several numbers too.
    func testTheDuplicateRuleSpansBatchesFilesAndFields() throws {
        let prepare = Prepare(lists: try lists())
        let first = try prepared("id;telefon\n1;0704444444\n2;0705555555\n3;0704444444\n4;0706666666 / 0705555555\n",
                                 prepare: prepare, recordsPerBatch: 1)
        XCTAssertEqual(first.map(key), [46_704_444_444, 46_705_555_555, 46_704_444_444, 46_706_666_666, 46_705_555_555])
        XCTAssertEqual(first.map(\.duplicate), [false, false, true, false, true])
        let second = try prepared("id;telefon\n1;0706666666\n2;0707777777\n", prepare: prepare)
        XCTAssertEqual(second.map(\.duplicate), [true, false])
    }

    func testBlankFieldsAndMalformedRowsArePlaceholdersWithoutANumber() throws {
        let prepare = Prepare(lists: try lists())
        let numbers = try prepared("id;telefon\n1;\n2;0704444444;extra\n3; \n4;abc\n", prepare: prepare)
        XCTAssertEqual(numbers.count, 4)
        XCTAssertNil(numbers[0].parsed)
        XCTAssertNil(numbers[1].parsed, "a row of the wrong width is not judged")
        XCTAssertNil(numbers[2].parsed)
        guard case .invalid? = numbers[3].parsed else { return XCTFail("abc is read, and invalid") }
        XCTAssertEqual(numbers[3].facts, .none)
    }

    /// Customer first, then consent; an agreement that ended too long ago lifts nothing.
    func testTheExemptionsOfANixNumber() throws {
        let prepare = Prepare(lists: try lists(customers: "number,agreement_end\n+46701111111,\n+46703333333,2020-01-01\n",
                                               consents: "number,consent_date\n46701111111,2026-10-01\n46702222222,2026-10-01\n"))
        let numbers = try prepared("id;telefon\n1;0701111111\n2;0702222222\n3;0703333333\n", prepare: prepare)
        XCTAssertEqual(numbers.map(\.facts.exemption), [.customer, .consent, nil])
        XCTAssertEqual(numbers.map(\.facts.inNix), [true, true, true])
    }

    func testConsentOnlyModeLooksUpAValidConsentForEveryNumber() throws {
        let prepare = Prepare(lists: try lists(consents: "number,consent_date\n46704444444,2026-10-01\n46705555555,2020-01-01\n") {
            $0.profile.nixMode = .consentOnly
        })
        let numbers = try prepared("id;telefon\n1;0704444444\n2;0705555555\n3;0706666666\n", prepare: prepare)
        XCTAssertEqual(numbers.map(\.facts.consented), [true, false, false])
    }

    /// `explain`'s read: Excel's marks undone, nothing remembered.
    func testANumberAloneIsReadAsALeadFieldAndNotRemembered() throws {
        let prepare = Prepare(lists: try lists())
        for _ in 0..<2 {
            let (parsed, facts) = Array("=\"0702222222\"".utf8).withUnsafeBytes { prepare.alone($0) }
            guard case let .valid(number) = parsed else { return XCTFail("\(parsed)") }
            XCTAssertEqual(number.key.rawValue, 46_702_222_222)
            XCTAssertEqual(facts.inNix, true)
            XCTAssertEqual(facts.blockLists, 1)
        }
        let numbers = try prepared("id;telefon\n1;0702222222\n", prepare: prepare)
        XCTAssertEqual(numbers.map(\.duplicate), [false])
    }

    /// Many small batches through the reading and the preparing threads: every number in input
    /// order, and the duplicate rule kept in that order across the batches.
    func testManyBatchesKeepInputOrderThroughTheReadingAndPreparingThreads() throws {
        let prepare = Prepare(lists: try lists())
        let rows = 3_000
        let numbers = (0..<rows).map { 46_720_000_000 + UInt64($0 % 2_000) }
        let csv = "id;telefon\n" + numbers.enumerated().map { "\($0.offset);+\($0.element)\n" }.joined()
        let prepared = try prepared(csv, prepare: prepare, recordsPerBatch: 7)
        XCTAssertEqual(prepared.map(key), numbers)
        XCTAssertEqual(prepared.map(\.duplicate), (0..<rows).map { $0 >= 2_000 })
    }

    /// A file that breaks off (a truncated gzip): the batches read before the break arrive
    /// prepared, then the error; nothing hangs.
    func testAReadErrorArrivesAfterTheBatchesReadBeforeIt() throws {
        let prepare = Prepare(lists: try lists())
        let csv = "id;telefon\n" + (0..<20_000).map { "\($0);+\(46_730_000_000 + UInt64($0))\n" }.joined()
        let whole = try gzipBytes(bytes(csv), level: 1)
        let file = path("broken.csv.gz")
        try writeFile(URL(fileURLWithPath: file), Array(whole.prefix(whole.count / 2)))
        let reader = try CSVReader(input: InputFile(path: file))
        let batches = RecordBatches(reader: reader, sample: nil, phoneColumns: [1], checkedColumns: [0], prepare: prepare,
                                    recordsPerBatch: 100)
        defer { batches.cancel() }
        var keys: [UInt64?] = []
        var batch: RecordBatches.Batch?
        do {
            while let current = try batches.next(after: batch) {
                batch = current
                for index in 0..<current.count { keys.append(key(current.number(index, 0))) }
            }
            XCTFail("a truncated file must not end like a whole one")
        } catch {}
        XCTAssertGreaterThan(keys.count, 100)
        XCTAssertEqual(keys, (0..<keys.count).map { 46_730_000_000 + UInt64($0) })
    }

    /// The scrubbing side stops after one batch while both threads have more in hand: `cancel`
    /// returns, and the lists can be used again.
    func testCancelAfterTheFirstBatchStopsBothThreads() throws {
        let prepare = Prepare(lists: try lists())
        let csv = "id;telefon\n" + (0..<50_000).map { "\($0);+\(46_740_000_000 + UInt64($0))\n" }.joined()
        let file = path("long.csv")
        try writeFile(URL(fileURLWithPath: file), bytes(csv))
        for _ in 0..<20 {
            let reader = try CSVReader(input: InputFile(path: file))
            let batches = RecordBatches(reader: reader, sample: nil, phoneColumns: [1], checkedColumns: [0], prepare: prepare,
                                        recordsPerBatch: 10)
            XCTAssertNotNil(try batches.next(after: nil))
            batches.cancel()
        }
        let numbers = try prepared("id;telefon\n1;0707777777\n", prepare: prepare)
        XCTAssertEqual(numbers.map(key), [46_707_777_777])
    }
}
