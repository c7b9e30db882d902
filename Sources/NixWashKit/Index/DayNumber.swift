/// Calendar dates as they are stored in index headers and in the customer and consent
/// lookups: an `Int32` count of days since 1970-01-01 (proleptic Gregorian), so that a date
/// compares and subtracts as a plain integer and takes four bytes per row. The calendar
/// arithmetic itself is `LocalDate`'s; these are its conversions to and from the stored form.
public enum DayNumber {
    /// Days since 1970-01-01 of a valid civil date, or nil (month 13, 30 February, ...).
    public static func from(year: Int, month: Int, day: Int) -> Int32? {
        LocalDate(year: year, month: month, day: day).map { Int32($0.daysSinceEpoch) }
    }

    /// (year, month, day) of a day number.
    public static func civil(_ dayNumber: Int32) -> (year: Int, month: Int, day: Int) {
        let date = LocalDate(daysSinceEpoch: Int(dayNumber))
        return (date.year, date.month, date.day)
    }

    /// Parses exactly `YYYY-MM-DD` (surrounding spaces allowed).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        var start = 0, end = bytes.count
        while start < end && bytes[start] == 0x20 { start += 1 }
        while end > start && bytes[end - 1] == 0x20 { end -= 1 }
        return LocalDate(utf8: bytes[start..<end]).map { Int32($0.daysSinceEpoch) }
    }

    public static func parse(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// `YYYY-MM-DD`.
    public static func format(_ dayNumber: Int32) -> String {
        LocalDate(daysSinceEpoch: Int(dayNumber)).description
    }

    /// The day number of a moment given in seconds since 1970-01-01T00:00:00Z, in UTC.
    public static func utcDay(ofSecondsSinceEpoch seconds: Int64) -> Int32 {
        Int32(LocalDate.day(ofSecondsSinceEpoch: seconds).day)
    }

    /// The same day `months` calendar months later, or the month's last day where it has no
    /// such day (31 January + 1 month = 28 or 29 February).
    public static func adding(months: Int, to dayNumber: Int32) -> Int32 {
        Int32(LocalDate(daysSinceEpoch: Int(dayNumber)).adding(months: months).daysSinceEpoch)
    }
}
