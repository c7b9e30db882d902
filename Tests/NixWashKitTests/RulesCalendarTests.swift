import Foundation
import XCTest
@testable import NixWashKit

/// Rows of a committed CSV fixture (header dropped), made by scripts/gen-rules-fixtures.py.
func fixtureRows(_ name: String) throws -> [[String]] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
}

final class RulesCalendarTests: XCTestCase {
    /// The one day floor-division: seconds before 1970 belong to the day before, not day 0.
    func testTheDayOfASecondCountIsAFloorDivision() {
        let cases: [(Int64, Int64, Int)] = [(0, 0, 0), (86_399, 0, 86_399), (86_400, 1, 0), (-1, -1, 86_399),
                                            (-86_400, -1, 0), (-86_401, -2, 86_399), (1_795_000_000, 20_775, 40_000)]
        for (seconds, day, second) in cases {
            let result = LocalDate.day(ofSecondsSinceEpoch: seconds)
            XCTAssertEqual(result.day, day, "\(seconds)")
            XCTAssertEqual(result.secondOfDay, second, "\(seconds)")
        }
    }

    /// The one ISO 8601 writer: Stockholm local time with its offset, and UTC with `Z`.
    func testISO8601TimesLocalAndUTC() {
        XCTAssertEqual(StockholmTime.iso8601(1_795_000_000), "2026-11-18T12:06:40+01:00")
        XCTAssertEqual(StockholmTime.iso8601(1_782_000_000), "2026-06-21T02:00:00+02:00")
        XCTAssertEqual(HistoryStore.isoInstant(1_795_000_000), "2026-11-18T11:06:40Z")
        XCTAssertEqual(HistoryStore.isoInstant(-1), "1969-12-31T23:59:59Z")
    }

    func testNoCallEvesMatchTheHolidaysPackage() throws {
        let rows = try fixtureRows("no-call-days.csv")
        XCTAssertEqual(rows.count, 300)
        var years = Set<Int>()
        for row in rows {
            let year = Int(row[0])!
            let day = try XCTUnwrap(NoCallDay(rawValue: row[1]))
            XCTAssertEqual(day.date(year: year), LocalDate(row[2]), "\(day) \(year)")
            XCTAssertEqual(RuleProfile.default.noCallDay(on: LocalDate(row[2])!), day.displayName)
            years.insert(year)
        }
        XCTAssertTrue(Set(2025...2030).isSubset(of: years))
    }

    func testNoCallEves2025To2030() {
        // Spelled out for the years SPEC names; the fixture test covers 2000–2099.
        let easterEves = ["2025-04-19", "2026-04-04", "2027-03-27", "2028-04-15", "2029-03-31", "2030-04-20"]
        let midsummerEves = ["2025-06-20", "2026-06-19", "2027-06-25", "2028-06-23", "2029-06-22", "2030-06-21"]
        for (offset, year) in (2025...2030).enumerated() {
            XCTAssertEqual(SwedishCalendar.easterEve(year: year).description, easterEves[offset])
            XCTAssertEqual(SwedishCalendar.easterEve(year: year).weekday, 6)
            XCTAssertEqual(SwedishCalendar.midsummerEve(year: year).description, midsummerEves[offset])
            XCTAssertEqual(SwedishCalendar.midsummerEve(year: year).weekday, 5)
            XCTAssertEqual(SwedishCalendar.christmasEve(year: year).description, "\(year)-12-24")
        }
    }

    func testMidsummerEveIsAlwaysAFridayBetween19And25June() {
        for year in 1900...2200 {
            let eve = SwedishCalendar.midsummerEve(year: year)
            XCTAssertEqual(eve.weekday, 5)
            XCTAssertEqual(eve.month, 6)
            XCTAssertTrue((19...25).contains(eve.day), "\(eve)")
        }
    }

    func testOrdinaryDaysAreNotNoCallDays() {
        for text in ["2026-12-23", "2026-12-25", "2026-04-03", "2026-04-05", "2026-06-18", "2026-06-20", "2026-12-31"] {
            XCTAssertNil(RuleProfile.default.noCallDay(on: LocalDate(text)!), text)
        }
    }

    // MARK: Stockholm time

    func testSummerTimeMatchesTheTimeZoneDatabase() throws {
        let rows = try fixtureRows("stockholm-dst.csv")
        XCTAssertEqual(rows.count, 100)
        for row in rows {
            let year = Int(row[0])!, start = Int64(row[1])!, end = Int64(row[2])!
            XCTAssertEqual(StockholmTime.summerTimeStart(year: year), start, "\(year)")
            XCTAssertEqual(StockholmTime.summerTimeEnd(year: year), end, "\(year)")
            XCTAssertEqual(StockholmTime.utcOffset(at: start - 1), 3600)
            XCTAssertEqual(StockholmTime.utcOffset(at: start), 7200)
            XCTAssertEqual(StockholmTime.utcOffset(at: end - 1), 7200)
            XCTAssertEqual(StockholmTime.utcOffset(at: end), 3600)
        }
    }

    func testLocalTimeAroundTheClockChanges() {
        let start = StockholmTime.summerTimeStart(year: 2026)
        XCTAssertEqual(StockholmTime.iso8601(start - 1), "2026-03-29T01:59:59+01:00")
        XCTAssertEqual(StockholmTime.iso8601(start), "2026-03-29T03:00:00+02:00")
        let end = StockholmTime.summerTimeEnd(year: 2026)
        XCTAssertEqual(StockholmTime.iso8601(end - 1), "2026-10-25T02:59:59+02:00")
        XCTAssertEqual(StockholmTime.iso8601(end), "2026-10-25T02:00:00+01:00")
        // Local midnight belongs to the new day; the second before to the old one.
        let midnight = StockholmTime.startOfDay(LocalDate("2026-07-01")!)
        XCTAssertEqual(StockholmTime.local(midnight).date, LocalDate("2026-07-01"))
        XCTAssertEqual(StockholmTime.local(midnight).secondsOfDay, 0)
        XCTAssertEqual(StockholmTime.localDate(midnight - 1), LocalDate("2026-06-30"))
        XCTAssertEqual(StockholmTime.iso8601(0), "1970-01-01T01:00:00+01:00")
    }

    func testWallClockToInstantOnChangeDays() {
        let spring = LocalDate("2026-03-29")!, autumn = LocalDate("2026-10-25")!
        let start = StockholmTime.summerTimeStart(year: 2026), end = StockholmTime.summerTimeEnd(year: 2026)
        XCTAssertEqual(StockholmTime.instant(spring, secondsOfDay: 3600 + 3599), start - 1, "01:59:59 CET")
        XCTAssertEqual(StockholmTime.instant(spring, secondsOfDay: 3 * 3600), start, "03:00 CEST")
        XCTAssertEqual(StockholmTime.instant(spring, secondsOfDay: 2 * 3600 + 1800), start + 1800,
                       "02:30 does not exist: read as CET, which is 03:30 CEST")
        XCTAssertEqual(StockholmTime.instant(autumn, secondsOfDay: 2 * 3600 + 1800), end - 1800,
                       "02:30 happens twice: the first (CEST) one")
        XCTAssertEqual(StockholmTime.instant(autumn, secondsOfDay: 3 * 3600), end + 3600, "03:00 CET")
        XCTAssertEqual(StockholmTime.instant(autumn, secondsOfDay: 86400), StockholmTime.startOfDay(autumn.adding(days: 1)))
    }

    func testWallClockRoundTripsEveryHourOfTwoYears() {
        let first = LocalDate("2026-01-01")!
        for dayOffset in 0..<730 {
            let date = first.adding(days: dayOffset)
            for hour in 0..<24 where !(hour == 2 && (date == LocalDate("2026-03-29") || date == LocalDate("2027-03-28"))) {
                let instant = StockholmTime.instant(date, secondsOfDay: hour * 3600 + 17)
                let local = StockholmTime.local(instant)
                XCTAssertEqual(local.date, date)
                XCTAssertEqual(local.secondsOfDay, hour * 3600 + 17, "\(date) \(hour)")
            }
        }
    }

    func testISO8601AppendsWithoutGrowingAReservedBuffer() {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        let capacity = bytes.capacity
        StockholmTime.appendISO8601(StockholmTime.instant(LocalDate("2026-11-23")!, secondsOfDay: 14 * 3600 + 17), to: &bytes)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "2026-11-23T14:00:17+01:00")
        XCTAssertEqual(bytes.capacity, capacity)
    }
}

final class RulesLocalDateTests: XCTestCase {
    func testParsing() {
        XCTAssertEqual(LocalDate("2026-02-28"), LocalDate(year: 2026, month: 2, day: 28))
        XCTAssertEqual(LocalDate("2024-02-29")?.description, "2024-02-29")
        XCTAssertEqual(LocalDate("0001-01-01")?.description, "0001-01-01")
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01", "26-01-01", "2026/01/01",
                    "2026-01-01 ", " 2026-01-01", "2026-01-0a", "0000-01-01", "", "2026-04-31", "+026-01-01"] {
            XCTAssertNil(LocalDate(bad), bad)
        }
        XCTAssertEqual(LocalDate(utf8: Array("1999-12-31".utf8)), LocalDate(year: 1999, month: 12, day: 31))
    }

    func testDayNumbersAgreeWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // 1600 to 9900: Foundation's Gregorian calendar turns Julian before 1582.
        for days in stride(from: -135_000, through: 2_900_000, by: 997) {
            let date = LocalDate(daysSinceEpoch: days)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday],
                                                from: Date(timeIntervalSince1970: Double(days) * 86400))
            XCTAssertEqual([date.year, date.month, date.day], [parts.year!, parts.month!, parts.day!], "\(days)")
            XCTAssertEqual(date.weekday, (parts.weekday! + 5) % 7 + 1, "\(days)")  // Foundation: 1 = Sunday
            XCTAssertEqual(date.daysSinceEpoch, days)
        }
        XCTAssertEqual(LocalDate("1970-01-01")!.daysSinceEpoch, 0)
        XCTAssertEqual(LocalDate("1970-01-01")!.weekday, 4)
    }

    func testDayArithmetic() {
        let d = LocalDate("2024-02-28")!
        XCTAssertEqual(d.adding(days: 1).description, "2024-02-29")
        XCTAssertEqual(d.adding(days: 2).description, "2024-03-01")
        XCTAssertEqual(d.adding(days: -59).description, "2023-12-31")
        XCTAssertEqual(LocalDate("2026-03-30")!.days(since: LocalDate("2026-03-01")!), 29)
        XCTAssertLessThan(LocalDate("2025-12-31")!, LocalDate("2026-01-01")!)
        XCTAssertEqual(LocalDate.last(weekday: 7, ofMonth: 3, year: 2026).description, "2026-03-29")
        XCTAssertEqual(LocalDate.last(weekday: 7, ofMonth: 10, year: 2026).description, "2026-10-25")
        XCTAssertTrue(LocalDate("2026-11-22")!.isWeekend)
        XCTAssertFalse(LocalDate("2026-11-23")!.isWeekend)
    }

    func testMonthArithmeticClampsTheDay() {
        let table: [(String, Int, String)] = [
            ("2025-12-31", 2, "2026-02-28"),
            ("2023-12-31", 2, "2024-02-29"),
            ("2026-01-31", 1, "2026-02-28"),
            ("2026-01-30", 3, "2026-04-30"),
            ("2026-01-15", 12, "2027-01-15"),
            ("2024-02-29", 12, "2025-02-28"),
            ("2026-03-31", -1, "2026-02-28"),
            ("2026-01-15", -1, "2025-12-15"),
            ("2026-01-15", -13, "2024-12-15"),
            ("2026-05-31", 0, "2026-05-31"),
        ]
        for (date, months, expected) in table {
            XCTAssertEqual(LocalDate(date)!.adding(months: months).description, expected, "\(date) + \(months)")
        }
    }

    func testCodableAsString() throws {
        let data = try JSONEncoder().encode([LocalDate("2026-06-19")!])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["2026-06-19"]"#)
        XCTAssertEqual(try JSONDecoder().decode([LocalDate].self, from: data), [LocalDate("2026-06-19")!])
        XCTAssertThrowsError(try JSONDecoder().decode([LocalDate].self, from: Data(#"["2026-6-19"]"#.utf8)))
    }

    /// The one date reader that attempt logs, customer and consent lists share.
    func testDateFieldForms() {
        func read(_ text: String, _ order: DateOrder? = nil) -> DateReading {
            Array(text.utf8).withUnsafeBytes { LocalDate.read($0, order: order) }
        }
        let date = LocalDate(year: 2026, month: 11, day: 3)!
        XCTAssertEqual(read("2026-11-03"), .date(date))
        XCTAssertEqual(read(" 03.11.2026 "), .date(date))
        XCTAssertEqual(read("3.11.2026"), .date(date))
        XCTAssertEqual(read("20261103"), .date(date))
        XCTAssertEqual(read("03/11/2026"), .needsDateOrder)
        XCTAssertEqual(read("03/11/2026", .dayMonthYear), .date(date))
        XCTAssertEqual(read("11/3/2026", .monthDayYear), .date(date))
        for bad in ["", "2026-11-3", "2026-11-31", "31.11.2026", "2026110", "202611031", "03.11.26", "2026/11/03",
                    "2026-11-03x", "13/13/2026"] {
            XCTAssertEqual(read(bad, .dayMonthYear), .notADate, bad)
        }
    }
}
