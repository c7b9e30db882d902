import Foundation
import XCTest
@testable import NixWashKit

final class HistoryTimeTests: XCTestCase {
    /// The tabulated offset the import uses against the system's tz database, at every change
    /// 1996–2099.
    func testTabulatedSummerTimeMatchesTheTimeZoneDatabase() throws {
        let zone = try XCTUnwrap(TimeZone(identifier: "Europe/Stockholm"))
        var date = Date(timeIntervalSince1970: 820_454_400)  // 1996-01-01T00:00:00Z
        for year in StockholmTime.supportedYears {
            let start = try XCTUnwrap(zone.nextDaylightSavingTimeTransition(after: date))
            let end = try XCTUnwrap(zone.nextDaylightSavingTimeTransition(after: start))
            XCTAssertEqual(Int64(start.timeIntervalSince1970), StockholmTime.summerTimeStart(year: Int(year)), "start \(year)")
            XCTAssertEqual(Int64(end.timeIntervalSince1970), StockholmTime.summerTimeEnd(year: Int(year)), "end \(year)")
            for instant in [Int64(start.timeIntervalSince1970), Int64(end.timeIntervalSince1970)] {
                for delta: Int64 in [-1, 0, 86_400 * 60] {
                    XCTAssertEqual(StockholmTime.tabulatedOffset(at: instant + delta),
                                   Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant + delta)))),
                                   "offset at \(instant + delta)")
                }
            }
            date = end
        }
    }

    /// The table against the rule's arithmetic around every change and new year, and outside
    /// the table.
    func testTabulatedOffsetAgreesWithTheRule() {
        for year in 1990...2105 {
            let newYear = Int64(LocalDate(year: year, month: 1, day: 1)!.daysSinceEpoch) * 86_400
            for base in [StockholmTime.summerTimeStart(year: year), StockholmTime.summerTimeEnd(year: year), newYear] {
                for delta: Int64 in [-3_601, -3_600, -1, 0, 1, 3_599, 3_600, 86_400] {
                    XCTAssertEqual(StockholmTime.tabulatedOffset(at: base + delta), StockholmTime.utcOffset(at: base + delta),
                                   "\(base + delta)")
                }
            }
        }
    }

    func testLocalDayFollowsTheOffset() {
        // 2026-07-01T22:30Z is 00:30 on 2 July in CEST; 2026-01-01T23:00Z is 00:00 on 2 January in CET.
        XCTAssertEqual(StockholmTime.localDay(at: utcSeconds(2026, 7, 1, 22, 30)), localDay(2026, 7, 2))
        XCTAssertEqual(StockholmTime.localDay(at: utcSeconds(2026, 7, 1, 21, 59)), localDay(2026, 7, 1))
        XCTAssertEqual(StockholmTime.localDay(at: utcSeconds(2026, 1, 1, 23, 0)), localDay(2026, 1, 2))
        XCTAssertEqual(StockholmTime.localDay(at: utcSeconds(2026, 1, 1, 22, 59)), localDay(2026, 1, 1))
        XCTAssertEqual(StockholmTime.localDay(at: utcSeconds(1969, 12, 31, 22, 59)), -1)
    }

    func testTimestampForms() {
        let cases: [(String, AttemptTimestamp)] = [
            ("2026-03-29T02:30:00+02:00", .instant(utcSeconds(2026, 3, 29, 0, 30), earlierReading: nil)),
            ("2026-03-29T00:30:00Z", .instant(utcSeconds(2026, 3, 29, 0, 30), earlierReading: nil)),
            ("2026-03-29t00:30:00z", .instant(utcSeconds(2026, 3, 29, 0, 30), earlierReading: nil)),
            ("2026-01-15 09:00:00+0100", .instant(utcSeconds(2026, 1, 15, 8, 0), earlierReading: nil)),
            ("2026-01-15 09:00:00 +0100", .instant(utcSeconds(2026, 1, 15, 8, 0), earlierReading: nil)),
            ("2026-01-15T09:00+01", .instant(utcSeconds(2026, 1, 15, 8, 0), earlierReading: nil)),
            ("2026-01-15T09:00:00-05:30", .instant(utcSeconds(2026, 1, 15, 14, 30), earlierReading: nil)),
            ("2026-01-15T09:00:00.987Z", .instant(utcSeconds(2026, 1, 15, 9, 0), earlierReading: nil)),
            ("  2026-01-15T09:00:00,5  ", .instant(utcSeconds(2026, 1, 15, 8, 0), earlierReading: nil)),
            // Local time: CET in winter, CEST in summer.
            ("2026-01-15 09:00:00", .instant(utcSeconds(2026, 1, 15, 8, 0), earlierReading: nil)),
            ("2026-07-15 09:00", .instant(utcSeconds(2026, 7, 15, 7, 0), earlierReading: nil)),
            // 29 March 2026: 02:00 CET jumps to 03:00 CEST.
            ("2026-03-29 01:59:59", .instant(utcSeconds(2026, 3, 29, 0, 59, 59), earlierReading: nil)),
            ("2026-03-29 02:00:00", .nonexistentLocalTime),
            ("2026-03-29 02:59:59", .nonexistentLocalTime),
            ("2026-03-29 03:00:00", .instant(utcSeconds(2026, 3, 29, 1, 0), earlierReading: nil)),
            // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:xx is read as CET, CEST beside it.
            ("2026-10-25 01:59:59", .instant(utcSeconds(2026, 10, 24, 23, 59, 59), earlierReading: nil)),
            ("2026-10-25 02:00:00", .instant(utcSeconds(2026, 10, 25, 1, 0), earlierReading: utcSeconds(2026, 10, 25, 0, 0))),
            ("2026-10-25 02:59:59", .instant(utcSeconds(2026, 10, 25, 1, 59, 59), earlierReading: utcSeconds(2026, 10, 25, 0, 59, 59))),
            ("2026-10-25 03:00:00", .instant(utcSeconds(2026, 10, 25, 2, 0), earlierReading: nil)),
            ("2026-10-25T02:30:00+01:00", .instant(utcSeconds(2026, 10, 25, 1, 30), earlierReading: nil)),
            ("", .malformed),
            ("2026-03-29", .malformed),
            ("2026-02-30 10:00", .malformed),
            ("2026-13-01 10:00", .malformed),
            ("2026-01-01 24:00", .malformed),
            ("2026-01-01 10:60", .malformed),
            ("2026-01-01 10:00:00+", .malformed),
            ("2026-01-01 10:00:00+1", .malformed),
            ("2026-01-01 10:00:00+01:0", .malformed),
            // Clocks run from -12:00 to +14:00: anything beyond is a typo, not a zone.
            ("2026-01-01 10:00:00+14:30", .malformed),
            ("2026-01-01 10:00:00-13:00", .malformed),
            ("2026-01-01 10:00:00+14:00", .instant(utcSeconds(2025, 12, 31, 20, 0), earlierReading: nil)),
            ("2026-01-01 10:00:00-12:00", .instant(utcSeconds(2026, 1, 1, 22, 0), earlierReading: nil)),
            ("2026-01-01 10:00:00Zx", .malformed),
            ("2026-01-01 10:00:00.", .malformed),
            ("26-01-01 10:00", .malformed),
            ("1995-12-31 10:00", .outOfRange),
            ("2100-01-01T00:30:00+01:00", .outOfRange),
            ("1996-01-01T00:30:00+01:00", .outOfRange),  // 1995-12-31T23:30Z
        ]
        for (text, expected) in cases {
            XCTAssertEqual(AttemptTimestamp.parse(text), expected, text)
        }
    }

    func testDialerTimestampForms() {
        let winter = utcSeconds(2026, 11, 23, 8, 15)  // 09:15 CET
        let cases: [(String, AttemptTimestamp)] = [
            ("23.11.2026 09:15", .instant(winter, earlierReading: nil)),
            ("23.11.2026 09:15:30", .instant(winter + 30, earlierReading: nil)),
            ("3.2.2026 9:15", .instant(utcSeconds(2026, 2, 3, 8, 15), earlierReading: nil)),
            ("20261123091500", .instant(winter, earlierReading: nil)),
            ("2026-11-23T09:15", .instant(winter, earlierReading: nil)),
            ("2026-11-23 9:15", .instant(winter, earlierReading: nil)),
            ("2026-11-23T09:15:00.123456+01:00", .instant(winter, earlierReading: nil)),
            ("1795425300", .epoch(1_795_425_300, unit: .seconds)),
            ("1795425300123", .epoch(1_795_425_300, unit: .milliseconds)),
            ("946684800", .epoch(946_684_800, unit: .seconds)),
            // Slash dates are refused without an order.
            ("11/23/2026 9:15 AM", .needsDateOrder),
            ("23/11/2026 09:15", .needsDateOrder),
            ("20261323091500", .malformed),
            ("2026112309150", .epoch(2_026_112_309, unit: .milliseconds)),  // 13 digits are milliseconds
            ("0820454399", .outOfRange),  // 1995-12-31T23:59:59Z
            ("12345", .malformed),
            ("23.11.26 09:15", .malformed),
            ("23.11.2026", .malformed),
            ("2026-11-23 13:15 PM", .malformed),
            ("31.02.2026 10:00", .malformed),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(AttemptTimestamp.parse(text), expected, text)
        }
        let mdy: [(String, Int64)] = [("11/23/2026 9:15 AM", winter), ("11/23/2026 9:15 PM", winter + 12 * 3600),
                                     ("11/23/2026 12:05 AM", utcSeconds(2026, 11, 22, 23, 5)),
                                     ("11/23/2026 12:05 pm", utcSeconds(2026, 11, 23, 11, 5)),
                                     ("1/2/2026 10:00", utcSeconds(2026, 1, 2, 9, 0))]
        for (text, instant) in mdy {
            XCTAssertEqual(AttemptTimestamp.parse(text, dateOrder: .monthDayYear), .instant(instant, earlierReading: nil), text)
        }
        XCTAssertEqual(AttemptTimestamp.parse("1/2/2026 10:00", dateOrder: .dayMonthYear),
                       .instant(utcSeconds(2026, 2, 1, 9, 0), earlierReading: nil))
        XCTAssertEqual(AttemptTimestamp.parse("23/11/2026 09:15", dateOrder: .monthDayYear), .malformed)
        // An explicit epoch format reads any integer in that unit, and nothing else.
        XCTAssertEqual(AttemptTimestamp.parse("1795425300", format: .epoch(.milliseconds)), .outOfRange)
        XCTAssertEqual(AttemptTimestamp.parse("2026-11-23 09:15", format: .epoch(.seconds)), .malformed)
    }

    func testTimesWithoutAnOffsetAreReadInTheGivenZone() throws {
        let utc = try XCTUnwrap(AttemptTimeZone("UTC"))
        XCTAssertEqual(utc.description, "UTC")
        XCTAssertEqual(AttemptTimestamp.parse("2026-11-23 09:15", zone: utc), .instant(utcSeconds(2026, 11, 23, 9, 15), earlierReading: nil))
        // No summer time in UTC: the Stockholm gap hour is an ordinary time.
        XCTAssertEqual(AttemptTimestamp.parse("2026-03-29 02:30", zone: utc), .instant(utcSeconds(2026, 3, 29, 2, 30), earlierReading: nil))
        // An offset in the stamp wins over the zone.
        XCTAssertEqual(AttemptTimestamp.parse("2026-11-23 09:15+01:00", zone: utc), .instant(utcSeconds(2026, 11, 23, 8, 15), earlierReading: nil))
        let plusTwo = try XCTUnwrap(AttemptTimeZone("UTC+2"))
        XCTAssertEqual(plusTwo.description, "UTC+02:00")
        XCTAssertEqual(AttemptTimestamp.parse("2026-11-23 09:15", zone: plusTwo), .instant(utcSeconds(2026, 11, 23, 7, 15), earlierReading: nil))
        XCTAssertEqual(AttemptTimeZone("-05:30")?.description, "UTC-05:30")
        XCTAssertEqual(AttemptTimeZone("europe/stockholm"), .stockholm)
        XCTAssertNil(AttemptTimeZone("Mars/Olympus"))
        XCTAssertNil(AttemptTimeZone("CET+"))
        // A named zone with its own summer time: Helsinki is one hour ahead of Stockholm.
        let helsinki = try XCTUnwrap(AttemptTimeZone("Europe/Helsinki"))
        XCTAssertEqual(AttemptTimestamp.parse("2026-07-01 12:00", zone: helsinki), .instant(utcSeconds(2026, 7, 1, 9, 0), earlierReading: nil))
        XCTAssertEqual(AttemptTimestamp.parse("2026-03-29 03:30", zone: helsinki), .nonexistentLocalTime)
        XCTAssertEqual(AttemptTimestamp.parse("2026-10-25 03:30", zone: helsinki), .instant(utcSeconds(2026, 10, 25, 1, 30), earlierReading: utcSeconds(2026, 10, 25, 0, 30)))
        let newYork = try XCTUnwrap(AttemptTimeZone("America/New_York"))
        XCTAssertEqual(AttemptTimestamp.parse("2026-03-08 02:30", zone: newYork), .nonexistentLocalTime)
        XCTAssertEqual(AttemptTimestamp.parse("2026-11-01 01:30", zone: newYork), .instant(utcSeconds(2026, 11, 1, 6, 30), earlierReading: utcSeconds(2026, 11, 1, 5, 30)))
    }

    func testResolveReportsBothReadingsOfTheRepeatedHour() {
        XCTAssertEqual(StockholmTime.resolve(localDay: localDay(2025, 10, 26), secondOfDay: 2 * 3600 + 1800),
                       .ambiguous(first: utcSeconds(2025, 10, 26, 0, 30), second: utcSeconds(2025, 10, 26, 1, 30)))
        XCTAssertEqual(StockholmTime.resolve(localDay: localDay(2025, 3, 30), secondOfDay: 2 * 3600),
                       .nonexistent)
    }
}

/// Seconds since the epoch of a UTC date and time.
func utcSeconds(_ y: Int, _ m: Int, _ d: Int, _ h: Int64, _ min: Int64, _ s: Int64 = 0) -> Int64 {
    Int64(localDay(y, m, d)) * 86_400 + h * 3_600 + min * 60 + s
}

/// Days since 1970-01-01 of a date.
func localDay(_ y: Int, _ m: Int, _ d: Int) -> Int32 {
    Int32(LocalDate(year: y, month: m, day: d)!.daysSinceEpoch)
}
