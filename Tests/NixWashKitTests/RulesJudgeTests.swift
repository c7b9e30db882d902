import XCTest
@testable import NixWashKit

/// Local wall-clock time on a date, as an instant ("08:00" or "08:00:30").
func at(_ date: String, _ time: String) -> Int64 {
    let parts = time.split(separator: ":").map { Int($0)! }
    let seconds = parts[0] * 3600 + parts[1] * 60 + (parts.count > 2 ? parts[2] : 0)
    return StockholmTime.instant(LocalDate(date)!, secondsOfDay: seconds)
}

final class RulesJudgeTests: XCTestCase {
    // A Monday in winter time: window 08:00–21:00 CET.
    let monday = "2026-11-23"

    func history(campaign: Int = 0, centre: Int = 0, last: Int64? = nil, offer: Int = 0) -> NumberHistory {
        NumberHistory(campaignAttemptsInWindow: campaign, centreAttemptsOnCallDate: centre,
                      lastCentreAttemptOnCallDate: last, otherCampaignsWithSameOffer: offer)
    }

    struct Case {
        var name: String
        var history: NumberHistory
        var reasons: [Reason]
        var left: Int
        var notBefore: Int64
    }

    func check(_ cases: [Case], callDate: String, profile: RuleProfile = .default,
               file: StaticString = #filePath, line: UInt = #line) {
        let judge = QuotaJudge(profile: profile, callDate: LocalDate(callDate)!)
        for c in cases {
            let verdict = judge.judge(c.history)
            XCTAssertEqual(verdict.reasons.reasons, c.reasons, "\(c.name): reasons", file: file, line: line)
            XCTAssertEqual(verdict.attemptsLeftToday, c.left, "\(c.name): attempts left", file: file, line: line)
            XCTAssertEqual(StockholmTime.iso8601(verdict.notBefore), StockholmTime.iso8601(c.notBefore),
                           "\(c.name): not before", file: file, line: line)
            XCTAssertEqual(verdict.isCallable, c.reasons.isEmpty, "\(c.name): callable", file: file, line: line)
        }
    }

    func testWindowOfAWinterWeekday() {
        let window = QuotaJudge(profile: .default, callDate: LocalDate(monday)!).window
        XCTAssertEqual(StockholmTime.iso8601(window.open), "2026-11-23T08:00:00+01:00")
        XCTAssertEqual(StockholmTime.iso8601(window.close), "2026-11-23T21:00:00+01:00")
        XCTAssertTrue(window.contains(window.open), "an attempt may start at the opening minute")
        XCTAssertTrue(window.contains(window.close - 1))
        XCTAssertFalse(window.contains(window.close), "an attempt may not start at the closing minute")
        XCTAssertFalse(window.contains(window.open - 1))
    }

    func testMinimumGap() {
        let d = monday
        check([
            Case(name: "no attempt today", history: history(), reasons: [], left: 2, notBefore: at(d, "08:00")),
            Case(name: "first attempt at opening: next exactly 4 h later",
                 history: history(campaign: 1, centre: 1, last: at(d, "08:00")),
                 reasons: [], left: 1, notBefore: at(d, "12:00")),
            Case(name: "seconds carry into not_before",
                 history: history(campaign: 1, centre: 1, last: at(d, "09:15:17")),
                 reasons: [], left: 1, notBefore: at(d, "13:15:17")),
            Case(name: "last + 4 h one minute before close",
                 history: history(campaign: 1, centre: 1, last: at(d, "16:59")),
                 reasons: [], left: 1, notBefore: at(d, "20:59")),
            Case(name: "last + 4 h one second before close",
                 history: history(campaign: 1, centre: 1, last: at(d, "16:59:59")),
                 reasons: [], left: 1, notBefore: at(d, "20:59:59")),
            Case(name: "last + 4 h exactly at close",
                 history: history(campaign: 1, centre: 1, last: at(d, "17:00")),
                 reasons: [.minGap], left: 0, notBefore: at(d, "21:00")),
            Case(name: "last + 4 h after close",
                 history: history(campaign: 1, centre: 1, last: at(d, "18:30")),
                 reasons: [.minGap], left: 0, notBefore: at(d, "22:30")),
            Case(name: "attempt before opening (dialer broke the hours): next at opening",
                 history: history(campaign: 1, centre: 1, last: at(d, "03:00")),
                 reasons: [], left: 1, notBefore: at(d, "08:00")),
            Case(name: "last + 4 h exactly at opening",
                 history: history(campaign: 1, centre: 1, last: at(d, "04:00")),
                 reasons: [], left: 1, notBefore: at(d, "08:00")),
            Case(name: "last + 4 h one minute after opening",
                 history: history(campaign: 1, centre: 1, last: at(d, "04:01")),
                 reasons: [], left: 1, notBefore: at(d, "08:01")),
        ], callDate: d)
    }

    /// Attempts exactly 4 hours apart are allowed; 3 h 59 min apart are not: the earliest next
    /// attempt is exactly last + 4 h, and the gap is the profile's minutes to the second.
    func testFourHoursApartAndOneMinuteShort() {
        let judge = QuotaJudge(profile: .default, callDate: LocalDate(monday)!)
        let last = at(monday, "10:00")
        let verdict = judge.judge(history(campaign: 1, centre: 1, last: last))
        XCTAssertEqual(verdict.notBefore, last + 4 * 3600, "exactly 4 hours apart is allowed")
        XCTAssertGreaterThan(verdict.notBefore, last + 4 * 3600 - 60, "3 h 59 min apart is not")

        var shorter = RuleProfile.default
        shorter.minGapMinutes = 239
        XCTAssertEqual(QuotaJudge(profile: shorter, callDate: LocalDate(monday)!)
            .judge(history(campaign: 1, centre: 1, last: last)).notBefore, last + 4 * 3600 - 60)
    }

    func testDailyLimitCountsOnlyThisContactCentre() {
        let d = monday
        check([
            Case(name: "one attempt today by this centre", history: history(campaign: 1, centre: 1, last: at(d, "09:00")),
                 reasons: [], left: 1, notBefore: at(d, "13:00")),
            Case(name: "second attempt today by this centre", history: history(campaign: 2, centre: 2, last: at(d, "13:00")),
                 reasons: [.quotaDaily], left: 0, notBefore: at(d, "17:00")),
            Case(name: "more than the limit (history broke the rule)", history: history(campaign: 3, centre: 3, last: at(d, "09:00")),
                 reasons: [.quotaDaily], left: 0, notBefore: at(d, "13:00")),
            // Another contact centre's attempts today count for the campaign window only: the
            // snapshot leaves them out of centreAttemptsOnCallDate and the last attempt.
            Case(name: "five attempts today by other centres", history: history(campaign: 5),
                 reasons: [], left: 2, notBefore: at(d, "08:00")),
            Case(name: "other centres fill the campaign window", history: history(campaign: 20),
                 reasons: [.quota30d], left: 0, notBefore: at(d, "08:00")),
        ], callDate: d)
    }

    func testCampaignLimitTwentiethAndTwentyFirstAttempt() {
        let d = monday
        check([
            Case(name: "18 before: 19th and 20th allowed", history: history(campaign: 18), reasons: [], left: 2, notBefore: at(d, "08:00")),
            Case(name: "19 before: the 20th is allowed", history: history(campaign: 19), reasons: [], left: 1, notBefore: at(d, "08:00")),
            Case(name: "19 before, one today: the 20th is allowed",
                 history: history(campaign: 19, centre: 1, last: at(d, "08:00")), reasons: [], left: 1, notBefore: at(d, "12:00")),
            Case(name: "20 before: the 21st is refused", history: history(campaign: 20), reasons: [.quota30d], left: 0, notBefore: at(d, "08:00")),
            Case(name: "21 before", history: history(campaign: 21), reasons: [.quota30d], left: 0, notBefore: at(d, "08:00")),
        ], callDate: d)
    }

    func testOfferLimitThirdCampaign() {
        let d = monday
        check([
            // The snapshot counts only campaigns with this run's offer: a campaign with a
            // different offer never reaches this field.
            Case(name: "no other campaign with this offer (others had a different offer)", history: history(offer: 0),
                 reasons: [], left: 2, notBefore: at(d, "08:00")),
            Case(name: "one other campaign: this is the second", history: history(offer: 1),
                 reasons: [], left: 2, notBefore: at(d, "08:00")),
            Case(name: "two other campaigns: this would be the third", history: history(offer: 2),
                 reasons: [.offerQuota], left: 0, notBefore: at(d, "08:00")),
            Case(name: "three other campaigns", history: history(offer: 3),
                 reasons: [.offerQuota], left: 0, notBefore: at(d, "08:00")),
        ], callDate: d)
    }

    func testEveryReasonAtOnceInPrecedence() {
        let d = monday
        let verdict = QuotaJudge(profile: .default, callDate: LocalDate(d)!)
            .judge(history(campaign: 20, centre: 2, last: at(d, "18:00"), offer: 2))
        XCTAssertEqual(verdict.reasons.reasons, [.offerQuota, .quota30d, .quotaDaily, .minGap])
        XCTAssertEqual(verdict.reasons.primary, .offerQuota)
        XCTAssertEqual(verdict.attemptsLeftToday, 0)
    }

    func testProfileLimitsAreUsed() {
        var profile = RuleProfile.default
        profile.dailyLimit = 3
        profile.campaignLimit = 5
        profile.offerCampaignLimit = 1
        profile.minGapMinutes = 60
        let d = monday
        check([
            Case(name: "two today, limit 3", history: history(campaign: 2, centre: 2, last: at(d, "19:59")),
                 reasons: [], left: 1, notBefore: at(d, "20:59")),
            Case(name: "limited by the campaign rather than the day", history: history(campaign: 4),
                 reasons: [], left: 1, notBefore: at(d, "08:00")),
            Case(name: "offer limit 1", history: history(offer: 1), reasons: [.offerQuota], left: 0, notBefore: at(d, "08:00")),
        ], callDate: d, profile: profile)
    }

    // MARK: DST change days (both Sundays: weekend hours 10:00–18:00)

    func testWindowsOnDSTChangeDays() {
        let spring = QuotaJudge(profile: .default, callDate: LocalDate("2026-03-29")!).window
        XCTAssertEqual(spring.open, 1_774_771_200, "10:00 CEST = 08:00 UTC")
        XCTAssertEqual(spring.close, 1_774_800_000, "18:00 CEST = 16:00 UTC")
        let autumn = QuotaJudge(profile: .default, callDate: LocalDate("2026-10-25")!).window
        XCTAssertEqual(autumn.open, 1_792_918_800, "10:00 CET = 09:00 UTC")
        XCTAssertEqual(autumn.close, 1_792_947_600, "18:00 CET = 17:00 UTC")
        // The days before keep the other offset.
        XCTAssertEqual(QuotaJudge(profile: .default, callDate: LocalDate("2026-03-28")!).window.open, 1_774_688_400, "10:00 CET")
        XCTAssertEqual(QuotaJudge(profile: .default, callDate: LocalDate("2026-10-24")!).window.open, 1_792_828_800, "10:00 CEST")
    }

    func testMinimumGapOnDSTChangeDays() {
        for d in ["2026-03-29", "2026-10-25"] {
            check([
                Case(name: "\(d) last at 13:59", history: history(campaign: 1, centre: 1, last: at(d, "13:59")),
                     reasons: [], left: 1, notBefore: at(d, "17:59")),
                Case(name: "\(d) last at 14:00", history: history(campaign: 1, centre: 1, last: at(d, "14:00")),
                     reasons: [.minGap], left: 0, notBefore: at(d, "18:00")),
                Case(name: "\(d) last at 18:30", history: history(campaign: 1, centre: 1, last: at(d, "18:30")),
                     reasons: [.minGap], left: 0, notBefore: at(d, "22:30")),
            ], callDate: d)
        }
    }

    /// The gap is elapsed time: across the clock change 4 hours after 00:30 is 05:30 in
    /// spring and 03:30 in autumn (a profile that allows calls all day shows it).
    func testGapIsElapsedTimeAcrossTheClockChange() {
        var allDay = RuleProfile.default
        allDay.weekendHours = CallingHours(open: 0, close: 24 * 60)
        let spring = QuotaJudge(profile: allDay, callDate: LocalDate("2026-03-29")!)
        XCTAssertEqual(spring.window.close - spring.window.open, 23 * 3600)
        let springVerdict = spring.judge(history(campaign: 1, centre: 1, last: at("2026-03-29", "00:30")))
        XCTAssertEqual(StockholmTime.iso8601(springVerdict.notBefore), "2026-03-29T05:30:00+02:00")

        let autumn = QuotaJudge(profile: allDay, callDate: LocalDate("2026-10-25")!)
        XCTAssertEqual(autumn.window.close - autumn.window.open, 25 * 3600)
        let autumnVerdict = autumn.judge(history(campaign: 1, centre: 1, last: at("2026-10-25", "00:30")))
        XCTAssertEqual(StockholmTime.iso8601(autumnVerdict.notBefore), "2026-10-25T03:30:00+01:00")
    }

    // MARK: Windows: which days count

    func testWindowDays() {
        let profile = RuleProfile.default
        let callDate = LocalDate("2026-03-30")!
        XCTAssertEqual(profile.campaignWindowStart(callDate: callDate), LocalDate("2026-03-01")!,
                       "the call date and the 29 days before it")
        XCTAssertEqual(profile.offerWindowStart(callDate: callDate), LocalDate("2025-03-31")!,
                       "the call date and the 364 days before it")
        XCTAssertEqual(RuleProfile.windowStart(callDate: callDate, days: 1), callDate)
        XCTAssertEqual(LocalDate("2026-03-01")!.days(since: LocalDate("2026-03-30")!.adding(days: -29)), 0)
    }

    func testWindowInstantsFirstAndLastDay() {
        let profile = RuleProfile.default
        let callDate = LocalDate("2026-03-30")!
        let campaign = profile.campaignWindowInstants(callDate: callDate)
        // 30th day back (first day of the window) counts, the 31st does not.
        XCTAssertTrue(campaign.contains(at("2026-03-01", "00:00")), "first second of the first day")
        XCTAssertFalse(campaign.contains(at("2026-03-01", "00:00") - 1), "last second of the day before")
        XCTAssertTrue(campaign.contains(at("2026-03-30", "23:59:59")), "last second of the call date")
        XCTAssertFalse(campaign.contains(at("2026-03-31", "00:00")), "the day after the call date")
        // The window spans the March clock change: 30 days less one hour.
        XCTAssertEqual(campaign.upperBound - campaign.lowerBound, 30 * 86400 - 3600)

        let offer = profile.offerWindowInstants(callDate: callDate)
        XCTAssertTrue(offer.contains(at("2025-03-31", "00:00")), "365th day counts")
        XCTAssertFalse(offer.contains(at("2025-03-30", "23:59:59")), "366th day does not")
        XCTAssertEqual(offer.upperBound - offer.lowerBound, 365 * 86400, "a whole year of clock changes cancels out")
    }

    func testJudgementIsATrivialValue() {
        // No references inside: judging copies plain integers, never retains or allocates.
        XCTAssertTrue(_isPOD(QuotaJudge.self))
        XCTAssertTrue(_isPOD(QuotaVerdict.self))
        XCTAssertTrue(_isPOD(NumberHistory.self))
        XCTAssertTrue(_isPOD(LocalDate.self))
    }
}
