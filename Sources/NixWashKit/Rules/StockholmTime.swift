/// Europe/Stockholm civil time, computed from the EU summer-time rule rather than the system's
/// time zone database, so it is pure integer arithmetic (no Foundation, no allocation) and the
/// same on every machine: CET (UTC+1) in winter, CEST (UTC+2) from the last Sunday of March
/// 01:00 UTC until the last Sunday of October 01:00 UTC. The rule has held since 1996; earlier
/// instants get the same rule (the tool never deals with such dates).
///
/// Instants are seconds since 1970-01-01T00:00:00Z (`Int64`), as in `NumberHistory`.
public enum StockholmTime {
    public static let standardOffset: Int64 = 3600
    public static let summerOffset: Int64 = 7200

    /// The instant summer time starts in `year`: last Sunday of March, 01:00 UTC
    /// (local clocks jump from 02:00 to 03:00).
    public static func summerTimeStart(year: Int) -> Int64 {
        Int64(LocalDate.last(weekday: 7, ofMonth: 3, year: year).daysSinceEpoch) * 86400 + 3600
    }

    /// The instant summer time ends in `year`: last Sunday of October, 01:00 UTC
    /// (local clocks fall back from 03:00 to 02:00).
    public static func summerTimeEnd(year: Int) -> Int64 {
        Int64(LocalDate.last(weekday: 7, ofMonth: 10, year: year).daysSinceEpoch) * 86400 + 3600
    }

    /// Seconds to add to UTC to get Stockholm local time at `instant`.
    public static func utcOffset(at instant: Int64) -> Int64 {
        let year = LocalDate(daysSinceEpoch: Int(LocalDate.day(ofSecondsSinceEpoch: instant).day)).year
        return instant >= summerTimeStart(year: year) && instant < summerTimeEnd(year: year)
            ? summerOffset : standardOffset
    }

    /// The local calendar day and the seconds since local midnight (0..<86400) of `instant`.
    public static func local(_ instant: Int64) -> (date: LocalDate, secondsOfDay: Int) {
        let (day, second) = LocalDate.day(ofSecondsSinceEpoch: instant + utcOffset(at: instant))
        return (LocalDate(daysSinceEpoch: Int(day)), second)
    }

    /// The local calendar day of `instant`.
    public static func localDate(_ instant: Int64) -> LocalDate {
        local(instant).date
    }

    /// The instant of local wall-clock time `secondsOfDay` on `date` (86400 is the next
    /// midnight, so "24:00" works as an end of day).
    ///
    /// On the October change day the hour 02:00–03:00 happens twice: the earlier (summer time)
    /// instant is returned. On the March change day 02:00–03:00 does not exist: such a time is
    /// read with the offset in force before the change (02:30 becomes 03:30 summer time).
    public static func instant(_ date: LocalDate, secondsOfDay: Int) -> Int64 {
        let wall = Int64(date.daysSinceEpoch) * 86400 + Int64(secondsOfDay)
        let asSummer = wall - summerOffset
        if utcOffset(at: asSummer) == summerOffset { return asSummer }
        return wall - standardOffset
    }

    /// The first instant of `date` (local midnight). Attempts on `date` are those in
    /// `startOfDay(date) ..< startOfDay(date.adding(days: 1))`.
    public static func startOfDay(_ date: LocalDate) -> Int64 {
        instant(date, secondsOfDay: 0)
    }

    /// Appends `instant` as local ISO 8601 with its offset, e.g. `2026-11-23T14:00:17+01:00`,
    /// to `bytes` (no allocation when `bytes` has room for 25 more bytes).
    public static func appendISO8601(_ instant: Int64, to bytes: inout [UInt8]) {
        let (date, seconds) = local(instant)
        date.appendISO8601(secondOfDay: seconds, utcOffsetHours: Int(utcOffset(at: instant) / 3600), to: &bytes)
    }

    /// `instant` as local ISO 8601 with its offset, e.g. `2026-11-23T14:00:17+01:00`.
    public static func iso8601(_ instant: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(25)
        appendISO8601(instant, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
