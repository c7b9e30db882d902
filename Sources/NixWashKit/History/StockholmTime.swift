/// Europe/Stockholm civil time computed from the EU summer-time rule, without Foundation:
/// CET (UTC+1), and CEST (UTC+2) from 01:00 UTC on the last Sunday of March to 01:00 UTC on
/// the last Sunday of October. Sweden has followed this rule since 1996; before that the
/// summer ended in September, so instants are only accepted from 1996 through 2099.
/// Pure integer arithmetic, so the import can call it for every row.
/// Local dates are days since 1970-01-01 (`Int32`), instants seconds since 1970-01-01T00:00:00Z.
public enum StockholmTime {
    /// The range of years the rule is known to describe (and dialer logs can hold).
    public static let supportedYears: ClosedRange<Int32> = 1996...2099

    /// How one local date and clock time maps onto instants.
    public enum Resolution: Equatable, Sendable {
        /// The usual case: exactly one instant.
        case unique(Int64)
        /// The hour repeated when summer time ends (02:00–02:59 on the last Sunday of October):
        /// the first, CEST, instant and the second, CET, instant, one hour later.
        case ambiguous(first: Int64, second: Int64)
        /// The hour skipped when summer time starts (02:00–02:59 on the last Sunday of March).
        case nonexistent
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    public static func days(year: Int32, month: Int32, day: Int32) -> Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * m + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The year, month and day of a day number (H. Hinnant's `civil_from_days`).
    public static func civil(days: Int32) -> (year: Int32, month: Int32, day: Int32) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func isLeapYear(_ year: Int32) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    public static func daysInMonth(year: Int32, month: Int32) -> Int32 {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// 0 = Monday ... 6 = Sunday. 1970-01-01 was a Thursday.
    public static func weekday(days: Int32) -> Int32 {
        let w = (days + 3) % 7
        return w < 0 ? w + 7 : w
    }

    /// The day number of the last Sunday of a month.
    static func lastSunday(year: Int32, month: Int32) -> Int32 {
        let last = days(year: year, month: month, day: daysInMonth(year: year, month: month))
        return last - (weekday(days: last) + 1) % 7
    }

    /// The instants at which CEST starts and ends in a year (both 01:00 UTC).
    static func summerTime(year: Int32) -> (start: Int64, end: Int64) {
        (Int64(lastSunday(year: year, month: 3)) * 86_400 + 3_600,
         Int64(lastSunday(year: year, month: 10)) * 86_400 + 3_600)
    }

    /// Seconds to add to UTC to get Stockholm local time at an instant: 3600 or 7200.
    public static func utcOffset(at instant: Int64) -> Int64 {
        // The import calls this for every row: a table lookup instead of calendar arithmetic.
        let table = summerTimes
        if instant >= firstTabulatedInstant, instant < endOfTable {
            // The estimate of the year is off by at most one.
            var index = min(Int((instant - firstTabulatedInstant) / 31_556_952), table.count - 1)
            if instant < table[index].newYear {
                index -= 1
            } else if index + 1 < table.count, instant >= table[index + 1].newYear {
                index += 1
            }
            return instant >= table[index].start && instant < table[index].end ? 7_200 : 3_600
        }
        let summer = summerTime(year: civil(days: Int32(floorDivide(instant, 86_400))).year)
        return instant >= summer.start && instant < summer.end ? 7_200 : 3_600
    }

    /// The first and the end instants (UTC) of the supported years.
    static let firstTabulatedInstant = Int64(days(year: supportedYears.lowerBound, month: 1, day: 1)) * 86_400
    static let endOfTable = Int64(days(year: supportedYears.upperBound + 1, month: 1, day: 1)) * 86_400

    /// Per supported year: its first instant (UTC) and its summer time.
    static let summerTimes: [(newYear: Int64, start: Int64, end: Int64)] = supportedYears.map { year in
        let summer = summerTime(year: year)
        return (Int64(days(year: year, month: 1, day: 1)) * 86_400, summer.start, summer.end)
    }

    /// The Stockholm local date of an instant.
    public static func localDate(at instant: Int64) -> Int32 {
        Int32(floorDivide(instant + utcOffset(at: instant), 86_400))
    }

    /// The instant(s) of a Stockholm local date and second of the day (0..<86400).
    public static func resolve(localDate: Int32, secondOfDay: Int32) -> Resolution {
        let year = civil(days: localDate).year
        let local = Int64(localDate) * 86_400 + Int64(secondOfDay)
        // Local wall-clock readings of the two changes: 02:00 CET jumps to 03:00 CEST in March,
        // 03:00 CEST falls back to 02:00 CET in October.
        let springGap = Int64(lastSunday(year: year, month: 3)) * 86_400 + 7_200
        let autumnRepeat = Int64(lastSunday(year: year, month: 10)) * 86_400 + 7_200
        if local < springGap { return .unique(local - 3_600) }
        if local < springGap + 3_600 { return .nonexistent }
        if local < autumnRepeat { return .unique(local - 7_200) }
        if local < autumnRepeat + 3_600 { return .ambiguous(first: local - 7_200, second: local - 3_600) }
        return .unique(local - 3_600)
    }

    /// `YYYY-MM-DD` of a day number.
    public static func isoDate(_ days: Int32) -> String {
        let (y, m, d) = civil(days: days)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    /// The day number of a `YYYY-MM-DD` date, or nil when it is not a valid date.
    public static func parseDate(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            var fields: [Int32] = []
            for range in [0..<4, 5..<7, 8..<10] {
                var value: Int32 = 0
                for i in range {
                    let digit = Int32(bytes[i]) - 48
                    guard digit >= 0, digit <= 9 else { return nil }
                    value = value * 10 + digit
                }
                fields.append(value)
            }
            guard (1...12).contains(fields[1]), fields[2] >= 1,
                  fields[2] <= daysInMonth(year: fields[0], month: fields[1]) else { return nil }
            return days(year: fields[0], month: fields[1], day: fields[2])
        }
    }

    @inline(__always)
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
