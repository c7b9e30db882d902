import Foundation
import XCTest
@testable import NixWashKit

final class HistoryTimeTests: XCTestCase {
    /// The EU rule against the system's tz database, every transition 1996–2099.
    func testSummerTimeMatchesTheTimeZoneDatabase() throws {
        let zone = try XCTUnwrap(TimeZone(identifier: "Europe/Stockholm"))
        var date = Date(timeIntervalSince1970: 820_454_400)  // 1996-01-01T00:00:00Z
        for year in StockholmTime.supportedYears {
            let summer = StockholmTime.summerTime(year: year)
            let start = try XCTUnwrap(zone.nextDaylightSavingTimeTransition(after: date))
            let end = try XCTUnwrap(zone.nextDaylightSavingTimeTransition(after: start))
            XCTAssertEqual(Int64(start.timeIntervalSince1970), summer.start, "start of summer time \(year)")
            XCTAssertEqual(Int64(end.timeIntervalSince1970), summer.end, "end of summer time \(year)")
            for instant in [summer.start - 1, summer.start, summer.end - 1, summer.end, summer.start + 86_400 * 60] {
                XCTAssertEqual(StockholmTime.utcOffset(at: instant),
                               Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))),
                               "offset at \(instant)")
            }
            date = end
        }
    }

    func testCivilDatesRoundTrip() {
        XCTAssertEqual(StockholmTime.days(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(StockholmTime.days(year: 2000, month: 3, day: 1), 11_017)
        for day in Int32(-1000)...Int32(60_000) where day % 7 == 0 || day % 97 == 0 {
            let (y, m, d) = StockholmTime.civil(days: day)
            XCTAssertEqual(StockholmTime.days(year: y, month: m, day: d), day)
        }
        XCTAssertEqual(StockholmTime.weekday(days: 0), 3)  // Thursday
        XCTAssertEqual(StockholmTime.isoDate(StockholmTime.days(year: 2026, month: 3, day: 9)), "2026-03-09")
        XCTAssertEqual(StockholmTime.parseDate("2024-02-29"), StockholmTime.days(year: 2024, month: 2, day: 29))
        XCTAssertNil(StockholmTime.parseDate("2025-02-29"))
        XCTAssertNil(StockholmTime.parseDate("2025-2-28"))
    }

    func testLocalDateFollowsTheOffset() {
        // 2026-07-01T22:30Z is 00:30 on 2 July in CEST; 2026-01-01T23:30Z is 00:30 on 2 January in CET.
        XCTAssertEqual(StockholmTime.localDate(at: utc(2026, 7, 1, 22, 30)), StockholmTime.days(year: 2026, month: 7, day: 2))
        XCTAssertEqual(StockholmTime.localDate(at: utc(2026, 7, 1, 21, 59)), StockholmTime.days(year: 2026, month: 7, day: 1))
        XCTAssertEqual(StockholmTime.localDate(at: utc(2026, 1, 1, 23, 0)), StockholmTime.days(year: 2026, month: 1, day: 2))
        XCTAssertEqual(StockholmTime.localDate(at: utc(2026, 1, 1, 22, 59)), StockholmTime.days(year: 2026, month: 1, day: 1))
    }

    func testTimestampForms() {
        let cases: [(String, AttemptTimestamp)] = [
            ("2026-03-29T02:30:00+02:00", .instant(utc(2026, 3, 29, 0, 30), ambiguous: false)),
            ("2026-03-29T00:30:00Z", .instant(utc(2026, 3, 29, 0, 30), ambiguous: false)),
            ("2026-03-29t00:30:00z", .instant(utc(2026, 3, 29, 0, 30), ambiguous: false)),
            ("2026-01-15 09:00:00+0100", .instant(utc(2026, 1, 15, 8, 0), ambiguous: false)),
            ("2026-01-15 09:00:00 +0100", .instant(utc(2026, 1, 15, 8, 0), ambiguous: false)),
            ("2026-01-15T09:00+01", .instant(utc(2026, 1, 15, 8, 0), ambiguous: false)),
            ("2026-01-15T09:00:00-05:30", .instant(utc(2026, 1, 15, 14, 30), ambiguous: false)),
            ("2026-01-15T09:00:00.987Z", .instant(utc(2026, 1, 15, 9, 0), ambiguous: false)),
            ("  2026-01-15T09:00:00,5  ", .instant(utc(2026, 1, 15, 8, 0), ambiguous: false)),
            // Local time: CET in winter, CEST in summer.
            ("2026-01-15 09:00:00", .instant(utc(2026, 1, 15, 8, 0), ambiguous: false)),
            ("2026-07-15 09:00", .instant(utc(2026, 7, 15, 7, 0), ambiguous: false)),
            // 29 March 2026: 02:00 CET jumps to 03:00 CEST.
            ("2026-03-29 01:59:59", .instant(utc(2026, 3, 29, 0, 59, 59), ambiguous: false)),
            ("2026-03-29 02:00:00", .nonexistentLocalTime),
            ("2026-03-29 02:59:59", .nonexistentLocalTime),
            ("2026-03-29 03:00:00", .instant(utc(2026, 3, 29, 1, 0), ambiguous: false)),
            // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:xx is read as CEST.
            ("2026-10-25 01:59:59", .instant(utc(2026, 10, 24, 23, 59, 59), ambiguous: false)),
            ("2026-10-25 02:00:00", .instant(utc(2026, 10, 25, 0, 0), ambiguous: true)),
            ("2026-10-25 02:59:59", .instant(utc(2026, 10, 25, 0, 59, 59), ambiguous: true)),
            ("2026-10-25 03:00:00", .instant(utc(2026, 10, 25, 2, 0), ambiguous: false)),
            ("2026-10-25T02:30:00+01:00", .instant(utc(2026, 10, 25, 1, 30), ambiguous: false)),
            ("", .malformed),
            ("2026-03-29", .malformed),
            ("2026-02-30 10:00", .malformed),
            ("2026-13-01 10:00", .malformed),
            ("2026-01-01 24:00", .malformed),
            ("2026-01-01 10:60", .malformed),
            ("2026-01-01 10:00:00+", .malformed),
            ("2026-01-01 10:00:00+1", .malformed),
            ("2026-01-01 10:00:00+01:0", .malformed),
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

    func testResolveReportsBothReadingsOfTheRepeatedHour() {
        let day = StockholmTime.days(year: 2025, month: 10, day: 26)
        XCTAssertEqual(StockholmTime.resolve(localDate: day, secondOfDay: 2 * 3600 + 1800),
                       .ambiguous(first: utc(2025, 10, 26, 0, 30), second: utc(2025, 10, 26, 1, 30)))
        XCTAssertEqual(StockholmTime.resolve(localDate: StockholmTime.days(year: 2025, month: 3, day: 30), secondOfDay: 2 * 3600),
                       .nonexistent)
    }

    func testSHA256KnownDigests() {
        func digest(_ text: String) -> String {
            var hasher = SHA256()
            var text = text
            text.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
            return hasher.finalize()
        }
        XCTAssertEqual(digest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(digest(String(repeating: "a", count: 1000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // Fed in uneven pieces.
        var hasher = SHA256()
        let bytes = Array(String(repeating: "a", count: 1000).utf8)
        var offset = 0
        for piece in [1, 63, 64, 65, 7, 800] {
            bytes[offset..<(offset + piece)].withUnsafeBytes { hasher.update($0) }
            offset += piece
        }
        XCTAssertEqual(hasher.finalize(), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

/// Seconds since the epoch of a UTC date and time.
func utc(_ y: Int32, _ m: Int32, _ d: Int32, _ h: Int64, _ min: Int64, _ s: Int64 = 0) -> Int64 {
    Int64(StockholmTime.days(year: y, month: m, day: d)) * 86_400 + h * 3_600 + min * 60 + s
}

extension HistoryTimeTests {
    /// The tabulated offset against the calendar arithmetic, hourly around every change and
    /// every new year, and outside the table.
    func testTabulatedOffsetAgreesWithTheRule() {
        func ruleOffset(_ instant: Int64) -> Int64 {
            let summer = StockholmTime.summerTime(year: StockholmTime.civil(days: Int32(StockholmTime.floorDivide(instant, 86_400))).year)
            return instant >= summer.start && instant < summer.end ? 7_200 : 3_600
        }
        for year in Int32(1990)...Int32(2105) {
            let summer = StockholmTime.summerTime(year: year)
            let newYear = Int64(StockholmTime.days(year: year, month: 1, day: 1)) * 86_400
            for base in [summer.start, summer.end, newYear] {
                for delta in [-3_601, -3_600, -1, 0, 1, 3_599, 3_600, 86_400] {
                    XCTAssertEqual(StockholmTime.utcOffset(at: base + Int64(delta)), ruleOffset(base + Int64(delta)), "\(base + Int64(delta))")
                }
            }
        }
    }
}
