import Foundation
import XCTest
@testable import NixWashKit

/// The Norway profile: its calendar against the `holidays` package (Fixtures/norway-holidays.csv,
/// scripts/gen-rules-fixtures.py), its hours, days and register freshness.
final class RulesNorwayTests: XCTestCase {
    let norway = ShippedProfile.no.profile

    func testPublicHolidaysMatchTheHolidaysPackage() throws {
        let rows = try fixtureRows("norway-holidays.csv")
        XCTAssertEqual(rows.count, 1200)
        var byYear: [Int: [(String, String)]] = [:]
        for row in rows { byYear[Int(row[0])!, default: []].append((row[1], row[2])) }
        XCTAssertEqual(byYear.count, 100)
        for (year, expected) in byYear {
            // Two holidays can fall on one day (17 May is Whit Monday in 2027): compared as sets.
            let computed = NorwegianCalendar.holidays(year: year).map { "\($0.day.rawValue)=\($0.date)" }
            XCTAssertEqual(Set(computed), Set(expected.map { "\($0.0)=\($0.1)" }), "\(year)")
            XCTAssertEqual(computed.count, 12)
        }
    }

    func testTheShippedFileIsTheProfileTheBinaryUses() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("profiles/no.json")
        let file = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(file, ShippedProfile.no.json + "\n")
        XCTAssertEqual(try RuleProfile.decode(Data(file.utf8), path: "no.json"), norway)
    }

    func testTheProfileSettings() {
        XCTAssertEqual(norway.country, "NO")
        XCTAssertEqual(norway.registerName, "Reservasjonsregisteret")
        XCTAssertEqual(norway.calledCountries, ["NO"])
        XCTAssertEqual(norway.weekdayHours, CallingHours(open: 9 * 60, close: 21 * 60))
        // The frequency limits stay the Swedish settings: Norwegian law sets none.
        XCTAssertEqual(norway.dailyLimit, RuleProfile.default.dailyLimit)
        XCTAssertEqual(norway.campaignLimit, RuleProfile.default.campaignLimit)
        XCTAssertEqual(norway.offerCampaignLimit, RuleProfile.default.offerCampaignLimit)
    }

    private func refusal(_ callDate: String, register: String = "2026-05-01") -> NixWashError? {
        norway.refusal(callDate: LocalDate(callDate)!, registerDate: LocalDate(register)!, register: "rr.idx")
    }

    func testSaturdaysSundaysAndHolidaysAreRefusedWeekdaysAllowed() {
        let table: [(String, String?)] = [
            ("2026-05-11", nil),                     // Monday
            ("2026-05-15", nil),                     // Friday
            ("2026-05-16", "a Saturday"),
            ("2026-05-10", "a Sunday"),
            ("2026-05-14", "Ascension Day (Kristi himmelfartsdag)"),  // a Thursday
            ("2026-05-25", "Whit Monday (2. pinsedag)"),
            ("2026-05-01", "May Day (1. mai)"),
            ("2026-04-02", "Maundy Thursday (skjærtorsdag)"),
        ]
        for (date, day) in table {
            let error = refusal(date, register: "2026-05-01")
            if let day {
                guard case let .noCallDay(_, name)? = error else { XCTFail("\(date) not refused"); continue }
                XCTAssertTrue(name.hasPrefix(day), "\(date): \(name)")
                XCTAssertEqual(error?.kind, .compliance)
            } else {
                XCTAssertNil(error, date)
            }
        }
        // Christmas Eve, a Swedish no-call day, is a weekday like any other in Norway (2026: Thursday).
        XCTAssertNil(refusal("2026-12-24", register: "2026-12-01"))
        XCTAssertEqual(norway.callingWindow(on: LocalDate("2026-05-15")!).open,
                       StockholmTime.instant(LocalDate("2026-05-15")!, secondsOfDay: 9 * 3600))
    }

    func testTheRegisterIsValidForOneMonth() {
        XCTAssertNil(refusal("2026-06-01", register: "2026-05-01"))
        guard case .staleRegister? = refusal("2026-06-02", register: "2026-05-01") else { return XCTFail() }
        XCTAssertNil(refusal("2026-02-27", register: "2026-01-31"))  // Jan 31 + 1 month = Feb 28 (a Saturday)
        XCTAssertNotNil(refusal("2026-03-02", register: "2026-01-31"))
        XCTAssertEqual(refusal("2026-06-02", register: "2026-05-01")?.localizedDescription,
                       "rr.idx: the register Reservasjonsregisteret is dated 2026-05-01 and may be used for 1 month, through 2026-06-01; the call date 2026-06-02 is later. Get the current register, rebuild its index and rerun.")
    }

    func testAProfileFileChangesOnlyItsKeysOnTopOfNorway() throws {
        let p = try RuleProfile.decode(Data(#"{"daily_limit": 1}"#.utf8), path: "x.json", base: norway)
        XCTAssertEqual(p.dailyLimit, 1)
        XCTAssertEqual(p.noCallWeekdays, [.saturday, .sunday])
        XCTAssertEqual(p.registerValidityMonths, 1)
    }
}
