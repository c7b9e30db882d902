/// Calendar dates as they are stored in index headers and in the customer and consent
/// lookups: an `Int32` count of days since 1970-01-01 (proleptic Gregorian), so that a date
/// compares and subtracts as a plain integer and takes four bytes per row.
public enum DayNumber {
    /// Days since 1970-01-01 of a valid civil date, or nil (month 13, 30 February, ...).
    public static func from(year: Int, month: Int, day: Int) -> Int32? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= daysInMonth(year: year, month: month) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int32(era * 146_097 + dayOfEra - 719_468)
    }

    /// (year, month, day) of a day number.
    public static func civil(_ dayNumber: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(dayNumber) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Parses exactly `YYYY-MM-DD` (surrounding spaces allowed).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        var start = 0, end = bytes.count
        while start < end && bytes[start] == 0x20 { start += 1 }
        while end > start && bytes[end - 1] == 0x20 { end -= 1 }
        guard end - start == 10, bytes[start + 4] == 0x2D, bytes[start + 7] == 0x2D else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            var value = 0
            for i in from..<(from + length) {
                let digit = Int(bytes[start + i]) - 0x30
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2) else { return nil }
        return from(year: year, month: month, day: day)
    }

    public static func parse(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// `YYYY-MM-DD`.
    public static func format(_ dayNumber: Int32) -> String {
        let (year, month, day) = civil(dayNumber)
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    /// The day number of a moment given in seconds since 1970-01-01T00:00:00Z, in UTC.
    public static func utcDay(ofSecondsSinceEpoch seconds: Int64) -> Int32 {
        Int32((seconds >= 0 ? seconds : seconds - 86_399) / 86_400)
    }

    /// The same day `months` calendar months later, or the month's last day where it has no
    /// such day (31 January + 1 month = 28 or 29 February).
    public static func adding(months: Int, to dayNumber: Int32) -> Int32 {
        let (year, month, day) = civil(dayNumber)
        let monthIndex = year * 12 + (month - 1) + months
        let newYear = monthIndex / 12, newMonth = monthIndex % 12 + 1
        return from(year: newYear, month: newMonth, day: min(day, daysInMonth(year: newYear, month: newMonth)))!
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
