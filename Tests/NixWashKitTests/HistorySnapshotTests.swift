import Foundation
import XCTest
@testable import NixWashKit

/// The snapshot read as a scrub of a large list reads it (`ranges`); the subclass below runs
/// the tests again as a small run reads it (`perNumber`).
class HistorySnapshotTests: XCTestCase {
    class var lookup: HistoryLookup { .ranges }
    fileprivate var store: HistoryStore!
    /// Monday 15 June 2026, the call date of most tests.
    fileprivate let callDate = localDay(2026, 6, 15)

    override func setUpWithError() throws {
        store = try HistoryStore(path: makeTemporaryFolder(self).appendingPathComponent("h.db").path, mode: .create)
    }

    /// Seconds since the epoch of a Stockholm local time `daysBefore` days before the call date.
    fileprivate func local(_ daysBefore: Int32, _ time: String, from date: Int32? = nil) -> Int64 {
        let text = LocalDate(daysSinceEpoch: Int((date ?? callDate) - daysBefore)).description + " " + time
        guard case let .instant(instant, _) = AttemptTimestamp.parse(text) else { fatalError(text) }
        return instant
    }

    fileprivate func attempt(_ number: UInt64, _ at: Int64, campaign: String = "C", offer: String = "O",
                         centre: String = "K") -> HistoryAttempt {
        HistoryAttempt(number: PhoneKey(rawValue: number), attemptedAt: at, campaign: campaign, offer: offer, contactCentre: centre)
    }

    fileprivate func snapshot(campaign: String = "C", offer: String = "O", centre: String = "K", date: Int32? = nil,
                          campaignWindowDays: Int = 30, keeping: HistoryKeeping = .everyNumber) throws -> HistorySnapshot {
        try HistorySnapshot.load(db: store, callDate: date ?? callDate, campaign: campaign, offer: offer,
                                 contactCentre: centre, campaignWindowDays: campaignWindowDays,
                                 keeping: keeping, lookup: Self.lookup)
    }

    /// Numbers with attempts: in the whole history read by ranges; per number, among those
    /// looked up so far.
    private func assertCount(_ snapshot: HistorySnapshot, whole: Int, lookedUp: Int, line: UInt = #line) {
        XCTAssertEqual(snapshot.lookup, Self.lookup, line: line)
        XCTAssertEqual(snapshot.count, Self.lookup == .ranges ? whole : lookedUp, line: line)
    }

    fileprivate func history(_ snapshot: HistorySnapshot, _ number: UInt64) -> NumberHistory {
        snapshot.history(for: PhoneKey(rawValue: number))
    }

    func testCampaignWindowEdgesAndTheCallDate() throws {
        try store.insert(attempts: [
            attempt(46_700_000_001, local(0, "09:00")),
            attempt(46_700_000_001, local(0, "13:30")),
            attempt(46_700_000_001, local(0, "11:00")),
            attempt(46_700_000_001, local(29, "20:59"), centre: "K2"),  // first day of the window
            attempt(46_700_000_001, local(30, "23:59")),                // one day outside
            attempt(46_700_000_001, local(-1, "00:00")),                // after the call date
            // Only on the last day of the window.
            attempt(46_700_000_002, local(0, "23:59:59"), centre: "K2"),
            // Only outside.
            attempt(46_700_000_003, local(30, "12:00")),
        ])
        let snapshot = try snapshot()
        XCTAssertEqual(history(snapshot, 46_700_000_001),
                       NumberHistory(campaignAttemptsInWindow: 4, centreAttemptsOnCallDate: 3,
                                     lastCentreAttemptOnCallDate: local(0, "13:30"), otherCampaignsWithSameOffer: 0))
        // Another contact centre counts for the 30 days, not for this centre's day.
        XCTAssertEqual(history(snapshot, 46_700_000_002),
                       NumberHistory(campaignAttemptsInWindow: 1, centreAttemptsOnCallDate: 0,
                                     lastCentreAttemptOnCallDate: nil, otherCampaignsWithSameOffer: 0))
        XCTAssertEqual(history(snapshot, 46_700_000_003), .none)
        XCTAssertEqual(history(snapshot, 46_700_000_004), .none)
        assertCount(snapshot, whole: 2, lookedUp: 2)
        // The window length is a setting.
        XCTAssertEqual(history(try self.snapshot(campaignWindowDays: 1), 46_700_000_001).campaignAttemptsInWindow, 3)
        // The other centre's view of the same day.
        let k2 = history(try self.snapshot(centre: "K2"), 46_700_000_002)
        XCTAssertEqual(k2.centreAttemptsOnCallDate, 1)
        XCTAssertEqual(k2.lastCentreAttemptOnCallDate, local(0, "23:59:59"))
    }

    func testOfferWindowEdgesAndOtherCampaigns() throws {
        try store.insert(attempts: [
            attempt(46_700_000_010, local(364, "10:00"), campaign: "C2"),  // 365th day: counts
            attempt(46_700_000_010, local(365, "10:00"), campaign: "C3"),  // 366th day: does not
            attempt(46_700_000_011, local(10, "10:00"), campaign: "C2"),
            attempt(46_700_000_011, local(11, "10:00"), campaign: "C2"),   // same campaign twice: one campaign
            attempt(46_700_000_011, local(200, "10:00"), campaign: "C3"),
            attempt(46_700_000_011, local(5, "10:00"), campaign: "C4", offer: "O2"),  // a different offer
            attempt(46_700_000_011, local(100, "10:00"), campaign: "C"),   // this campaign is not "other"
            attempt(46_700_000_012, local(5, "10:00"), campaign: "C4", offer: "O2"),
            attempt(46_700_000_013, local(-3, "10:00"), campaign: "C2"),   // after the call date
        ])
        let snapshot = try snapshot()
        XCTAssertEqual(history(snapshot, 46_700_000_010).otherCampaignsWithSameOffer, 1)
        XCTAssertEqual(history(snapshot, 46_700_000_011),
                       NumberHistory(campaignAttemptsInWindow: 0, centreAttemptsOnCallDate: 0,
                                     lastCentreAttemptOnCallDate: nil, otherCampaignsWithSameOffer: 2))
        XCTAssertEqual(history(snapshot, 46_700_000_012), .none)
        XCTAssertEqual(history(snapshot, 46_700_000_013), .none)
        // A campaign the history has never seen: every campaign with the offer is another one.
        let fresh = try self.snapshot(campaign: "Brand new")
        XCTAssertEqual(history(fresh, 46_700_000_011).otherCampaignsWithSameOffer, 3)
        // The other offer's view.
        XCTAssertEqual(history(try self.snapshot(offer: "O2"), 46_700_000_012).otherCampaignsWithSameOffer, 1)
        // Nothing matches an unknown offer.
        XCTAssertEqual(try self.snapshot(campaign: "X", offer: "unknown").count, 0)
    }

    /// The scrub keeps only the numbers whose history can change a verdict: any attempt by
    /// this campaign, or at least the offer limit of other campaigns. The rest are counted.
    func testNumbersBelowTheOfferThresholdAreCountedButNotKept() throws {
        try store.insert(attempts: [
            attempt(46_700_000_040, local(10, "10:00"), campaign: "C2"),                     // one other: dropped
            attempt(46_700_000_041, local(10, "10:00"), campaign: "C2"),                     // two others: kept
            attempt(46_700_000_041, local(20, "10:00"), campaign: "C3"),
            attempt(46_700_000_042, local(40, "10:00"), campaign: "C"),                      // outside the window
            attempt(46_700_000_042, local(10, "10:00"), campaign: "C3"),
            attempt(46_700_000_043, local(10, "10:00"), campaign: "C"),                      // this campaign: kept
            attempt(46_700_000_043, local(10, "10:00"), campaign: "C2"),
        ])
        let every = try snapshot()
        let scrub = try snapshot(keeping: HistoryKeeping(otherCampaignsFrom: 2, judge: nil))
        assertCount(every, whole: 4, lookedUp: 0)
        assertCount(scrub, whole: 4, lookedUp: 0)
        XCTAssertEqual(history(every, 46_700_000_040).otherCampaignsWithSameOffer, 1)
        XCTAssertEqual(history(scrub, 46_700_000_040), .none)
        XCTAssertEqual(history(scrub, 46_700_000_041).otherCampaignsWithSameOffer, 2)
        XCTAssertEqual(history(scrub, 46_700_000_042), .none)
        XCTAssertEqual(history(scrub, 46_700_000_043), history(every, 46_700_000_043))
        XCTAssertEqual(history(scrub, 46_700_000_043),
                       NumberHistory(campaignAttemptsInWindow: 1, centreAttemptsOnCallDate: 0,
                                     lastCentreAttemptOnCallDate: nil, otherCampaignsWithSameOffer: 1))
        // Whatever is dropped judges as a number without history.
        let judge = QuotaJudge(profile: .default, callDate: LocalDate(daysSinceEpoch: Int(callDate)))
        for number: UInt64 in [46_700_000_040, 46_700_000_042] {
            XCTAssertEqual(judge.judge(history(every, number)), judge.judge(.none), "\(number)")
        }
        // Looked up: 40, 41, 42 and 43 by `scrub`; 40, 42 and 43 by `every` (dropped ones count).
        assertCount(scrub, whole: 4, lookedUp: 4)
        assertCount(every, whole: 4, lookedUp: 3)
    }

    /// More campaigns with the offer than streams (one per core): each stream merges several
    /// ranges, and a number's campaigns are counted once each, across and within streams.
    func testManyOtherCampaignsAreEachCountedOnce() throws {
        var attempts: [HistoryAttempt] = []
        var expected: [UInt64: Int] = [:]
        for campaign in 0..<9 {
            for number in UInt64(0)..<40 where (number + 1) % UInt64(campaign + 1) == 0 {
                let key = 46_700_001_000 + number
                // Twice in the window: still one campaign.
                attempts.append(attempt(key, local(Int32(campaign + 1), "10:00"), campaign: "other\(campaign)"))
                attempts.append(attempt(key, local(Int32(campaign + 2), "11:00"), campaign: "other\(campaign)"))
                expected[key, default: 0] += 1
            }
        }
        try store.insert(attempts: attempts)
        let snapshot = try snapshot()
        for (key, campaigns) in expected {
            XCTAssertEqual(history(snapshot, key).otherCampaignsWithSameOffer, campaigns, "\(key)")
        }
        assertCount(snapshot, whole: expected.count, lookedUp: expected.count)
    }

    func testACampaignWithTwoOffersCountsOnlyWhereItMadeTheOffer() throws {
        try store.insert(attempts: [
            attempt(46_700_000_030, local(3, "10:00"), campaign: "C2", offer: "O"),
            attempt(46_700_000_031, local(3, "10:00"), campaign: "C2", offer: "O2"),
        ])
        let snapshot = try snapshot()
        XCTAssertEqual(history(snapshot, 46_700_000_030).otherCampaignsWithSameOffer, 1)
        XCTAssertEqual(history(snapshot, 46_700_000_031), .none)
    }

    func testAttemptsAroundSummerTimeChangesLandOnTheirLocalDate() throws {
        // Sunday 29 March 2026: summer time starts at 01:00Z.
        let spring = localDay(2026, 3, 29)
        // Sunday 25 October 2026: summer time ends at 01:00Z.
        let autumn = localDay(2026, 10, 25)
        try store.insert(attempts: [
            attempt(46_700_000_020, utcSeconds(2026, 3, 28, 22, 59, 59)),  // 23:59:59 CET on the 28th
            attempt(46_700_000_020, utcSeconds(2026, 3, 28, 23, 0)),       // 00:00 CET on the 29th
            attempt(46_700_000_020, utcSeconds(2026, 3, 29, 21, 59, 59)),  // 23:59:59 CEST on the 29th
            attempt(46_700_000_020, utcSeconds(2026, 3, 29, 22, 0)),       // 00:00 CEST on the 30th
            attempt(46_700_000_021, utcSeconds(2026, 10, 24, 21, 59, 59)), // 23:59:59 CEST on the 24th
            attempt(46_700_000_021, utcSeconds(2026, 10, 24, 22, 0)),      // 00:00 CEST on the 25th
            attempt(46_700_000_021, utcSeconds(2026, 10, 25, 0, 30)),      // 02:30 CEST, first time round
            attempt(46_700_000_021, utcSeconds(2026, 10, 25, 1, 30)),      // 02:30 CET, second time round
            attempt(46_700_000_021, utcSeconds(2026, 10, 25, 22, 59, 59)), // 23:59:59 CET on the 25th
            attempt(46_700_000_021, utcSeconds(2026, 10, 25, 23, 0)),      // 00:00 CET on the 26th
        ])
        let springDay = history(try snapshot(date: spring, campaignWindowDays: 1), 46_700_000_020)
        XCTAssertEqual(springDay.centreAttemptsOnCallDate, 2)
        XCTAssertEqual(springDay.lastCentreAttemptOnCallDate, utcSeconds(2026, 3, 29, 21, 59, 59))
        XCTAssertEqual(history(try snapshot(date: spring - 1, campaignWindowDays: 1), 46_700_000_020).centreAttemptsOnCallDate, 1)
        XCTAssertEqual(history(try snapshot(date: spring + 1, campaignWindowDays: 2), 46_700_000_020).campaignAttemptsInWindow, 3)

        let autumnDay = history(try snapshot(date: autumn, campaignWindowDays: 1), 46_700_000_021)
        XCTAssertEqual(autumnDay.centreAttemptsOnCallDate, 4)
        XCTAssertEqual(autumnDay.lastCentreAttemptOnCallDate, utcSeconds(2026, 10, 25, 22, 59, 59))
        XCTAssertEqual(history(try snapshot(date: autumn - 1, campaignWindowDays: 1), 46_700_000_021).centreAttemptsOnCallDate, 1)
        XCTAssertEqual(history(try snapshot(date: autumn + 1, campaignWindowDays: 1), 46_700_000_021).centreAttemptsOnCallDate, 1)
    }

    func testEveryNumberIsFoundAmongManyAndNoOtherIs() throws {
        var generator = SystemRandomNumberGenerator()
        // Swedish mobile and fixed numbers and a few foreign ones: an uneven key range.
        var numbers = Set<UInt64>()
        while numbers.count < 3000 {
            switch numbers.count % 3 {
            case 0: numbers.insert(46_700_000_000 + UInt64.random(in: 0..<99_999_999, using: &generator))
            case 1: numbers.insert(4_681_000_000 + UInt64.random(in: 0..<9_999_999, using: &generator))
            default: numbers.insert(4_520_000_000 + UInt64.random(in: 0..<9_999_999, using: &generator))
            }
        }
        let sorted = numbers.sorted()
        var attempts: [HistoryAttempt] = []
        for (i, number) in sorted.enumerated() {
            for j in 0...(i % 3) { attempts.append(attempt(number, local(Int32(j), "10:00"))) }
        }
        try store.insert(attempts: attempts)
        let snapshot = try snapshot()
        assertCount(snapshot, whole: sorted.count, lookedUp: 0)
        for (i, number) in sorted.enumerated() {
            XCTAssertEqual(history(snapshot, number).campaignAttemptsInWindow, i % 3 + 1, "\(number)")
            if !numbers.contains(number + 1) { XCTAssertEqual(history(snapshot, number + 1), .none) }
        }
        XCTAssertEqual(history(snapshot, 0), .none)
        XCTAssertEqual(history(snapshot, sorted.last! + 1), .none)
        XCTAssertEqual(history(snapshot, UInt64.max), .none)
    }

    func testAnEmptyHistoryGivesNoneForEveryNumber() throws {
        let snapshot = try snapshot()
        XCTAssertEqual(history(snapshot, 46_701_234_567), .none)
        assertCount(snapshot, whole: 0, lookedUp: 0)
    }

    func testTheQueriesReadPrimaryKeyRangesWithoutSorting() throws {
        for sql in [HistorySnapshot.campaignQuery, HistorySnapshot.otherCampaignQuery, HistorySnapshot.singleOfferCampaignQuery] {
            let plan = try store.db.prepare("EXPLAIN QUERY PLAN " + sql)
            var details: [String] = []
            while try plan.step() { details.append(plan.text(3) ?? "") }
            XCTAssertFalse(details.contains { $0.contains("TEMP B-TREE") }, details.joined(separator: "; "))
            XCTAssertTrue(details.contains { $0.contains("SEARCH attempts USING PRIMARY KEY (campaign_id=?)") }, details.joined(separator: "; "))
        }
        for sql in [HistorySnapshot.campaignNumberQuery, HistorySnapshot.otherCampaignsNumberQuery([1, 2, 3])] {
            let plan = try store.db.prepare("EXPLAIN QUERY PLAN " + sql)
            var details: [String] = []
            while try plan.step() { details.append(plan.text(3) ?? "") }
            XCTAssertTrue(details.contains { $0.contains("SEARCH attempts USING PRIMARY KEY (campaign_id=? AND number=?)") },
                          details.joined(separator: "; "))
        }
    }

    /// The counts a large run keeps millions of take 12 bytes each, and a call date's attempt
    /// times come back to the second.
    func testAnAggregateIsTwelveBytesAndKeepsItsTimeExactly() {
        XCTAssertEqual(MemoryLayout<HistorySnapshot.Aggregate>.stride, 12)
        for time in [Int64.min, local(0, "00:00"), local(0, "23:59:59"), 1_700_000_000, 1_700_000_000 + Int64(Int32.max),
                     1_700_000_000 + Int64(Int32.min) + 1] {
            XCTAssertEqual(HistorySnapshot.Aggregate(lastCentreAttempt: time).lastCentreAttempt, time)
        }
        var aggregate = HistorySnapshot.Aggregate(lastCentreAttempt: local(0, "10:00"), campaignAttempts: 3)
        aggregate.lastCentreAttempt = .min
        XCTAssertNil(aggregate.history.lastCentreAttemptOnCallDate)
        XCTAssertEqual(aggregate.history.campaignAttemptsInWindow, 3)
    }

    /// A scrub keeps only the numbers whose counts can change a verdict: every number judges
    /// the same as with every count kept, for the default profile and a strict one, and the
    /// numbers dropped are many.
    func testOnlyNumbersWhoseCountsCanChangeAVerdictAreKept() throws {
        var random = SplitMix64(seed: 20261204)
        let numbers = (0..<400).map { _ in 46_700_000_000 + random.next() % 3_000 }
        var attempts: [HistoryAttempt] = []
        for _ in 0..<1_200 {
            let time = String(format: "%02d:%02d", 8 + Int(random.next() % 13), Int(random.next() % 60))
            attempts.append(attempt(numbers[Int(random.next() % UInt64(numbers.count))], local(Int32(random.next() % 40), time),
                                    campaign: ["C", "C", "D", "E"][Int(random.next() % 4)], centre: ["K", "K2"][Int(random.next() % 2)]))
        }
        try store.insert(attempts: attempts)
        var strict = RuleProfile.default
        strict.dailyLimit = 1
        strict.campaignLimit = 3
        let date = LocalDate(daysSinceEpoch: Int(callDate))
        for profile in [RuleProfile.default, strict] {
            let judge = QuotaJudge(profile: profile, callDate: date)
            let every = try snapshot()
            let scrub = try snapshot(keeping: .changingVerdicts(profile: profile, callDate: date))
            var dropped = 0, kept = 0
            for number in Set(numbers) {
                let all = history(every, number), needed = history(scrub, number)
                XCTAssertEqual(judge.judge(needed), judge.judge(all), "\(number)")
                if needed == .none, all != .none { dropped += 1 } else if needed != .none { kept += 1 }
            }
            XCTAssertGreaterThan(dropped, 100, "a few attempts long ago change nothing")
            XCTAssertGreaterThan(kept, 50, "numbers near a limit or called today are kept")
            if Self.lookup == .ranges { XCTAssertEqual(scrub.count, every.count, "dropped numbers are still counted") }
        }
    }

    /// A random history of several campaigns, offers and contact centres over 400 days: the
    /// two ways of reading it agree on every number, for every run's names, windows and
    /// threshold.
    func testRangesAndPerNumberAgreeOnARandomHistory() throws {
        var random = SplitMix64(seed: 20261203)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        let numbers = (0..<300).map { _ in 46_700_000_000 + random.next() % 2_000 }
        let pairs = [("C", "O"), ("C", "O2"), ("D", "O"), ("E", "O"), ("F", "O2"), ("G", "O")]
        var attempts: [HistoryAttempt] = []
        for _ in 0..<6_000 {
            let (campaign, offer) = pick(pairs)
            let time = String(format: "%02d:%02d", 8 + Int(random.next() % 12), Int(random.next() % 60))
            attempts.append(attempt(pick(numbers), local(Int32(random.next() % 400) - 3, time), campaign: campaign,
                                    offer: offer, centre: pick(["K", "K2", "K3"])))
        }
        try store.insert(attempts: attempts)
        for (campaign, offer, centre) in [("C", "O", "K"), ("D", "O", "K2"), ("C", "O2", "K3"), ("new", "O", "K"), ("C", "none", "K")] {
            for (days, threshold) in [(30, 1), (30, 2), (7, 3), (1, 1)] {
                let ranges = try HistorySnapshot.load(db: store, callDate: callDate, campaign: campaign, offer: offer,
                                                      contactCentre: centre, campaignWindowDays: days,
                                                      keeping: HistoryKeeping(otherCampaignsFrom: threshold, judge: nil), lookup: .ranges)
                let perNumber = try HistorySnapshot.load(db: store, callDate: callDate, campaign: campaign, offer: offer,
                                                         contactCentre: centre, campaignWindowDays: days,
                                                         keeping: HistoryKeeping(otherCampaignsFrom: threshold, judge: nil), lookup: .perNumber)
                var everyNumber = Set(numbers)
                for number in numbers { everyNumber.insert(number + 1) }
                for number in everyNumber {
                    XCTAssertEqual(perNumber.history(for: PhoneKey(rawValue: number)), ranges.history(for: PhoneKey(rawValue: number)),
                                   "\(number) \(campaign) \(offer) \(centre) \(days) \(threshold)")
                }
                // Every number with attempts was looked up, so both count the same.
                XCTAssertEqual(perNumber.count, ranges.count, "\(campaign) \(offer) \(centre) \(days) \(threshold)")
                XCTAssertNil(perNumber.failure)
            }
        }
    }
}

final class HistorySnapshotPerNumberTests: HistorySnapshotTests {
    override class var lookup: HistoryLookup { .perNumber }

    /// A number whose history cannot be read is judged with every quota used up, never as a
    /// number without history, and the snapshot keeps the error for the run to fail with.
    func testANumberWhoseHistoryCannotBeReadIsNeverCallable() throws {
        try store.insert(attempts: (0..<5_000).map { attempt(46_700_100_000 + UInt64($0), local(1, "10:00")) })
        let snapshot = try snapshot()
        XCTAssertEqual(history(snapshot, 46_700_100_001).campaignAttemptsInWindow, 1)
        XCTAssertNil(snapshot.failure)
        // The file's pages are overwritten under the open read transaction.
        let damage = try FileHandle(forWritingTo: URL(fileURLWithPath: store.path))
        try damage.seek(toOffset: 8192)
        try damage.write(contentsOf: Data(repeating: 0x5A, count: Int(try FileManager.default.attributesOfItem(atPath: store.path)[.size] as! UInt64) - 8192))
        try damage.close()
        let unread = history(snapshot, 46_700_104_999)
        XCTAssertNotNil(snapshot.failure)
        let judge = QuotaJudge(profile: .default, callDate: LocalDate(daysSinceEpoch: Int(callDate)))
        XCTAssertFalse(judge.judge(unread).reasons.isEmpty)
        XCTAssertTrue(judge.judge(.none).reasons.isEmpty)
    }
}
