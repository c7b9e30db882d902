/// What the contact history adds to `StockholmTime`: reading a local wall-clock time that may
/// fall in a summer-time change, and the local day of an instant fast enough for every row of
/// an import (a table of the changes instead of calendar arithmetic per call).
/// Local days are days since 1970-01-01 (`Int32`), instants seconds since 1970-01-01T00:00:00Z.
extension StockholmTime {
    /// The years whose instants the history accepts: Sweden has followed the EU rule since 1996.
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

    /// The instant(s) of a Stockholm local day and second of the day (0..<86400).
    public static func resolve(localDay: Int32, secondOfDay: Int32) -> Resolution {
        let year = LocalDate(daysSinceEpoch: Int(localDay)).year
        let local = Int64(localDay) * 86_400 + Int64(secondOfDay)
        // The wall-clock readings of the changes: 02:00 CET jumps to 03:00 CEST in March,
        // 03:00 CEST falls back to 02:00 CET in October.
        let springGap = summerTimeStart(year: year) + standardOffset
        let autumnRepeat = summerTimeEnd(year: year) + standardOffset
        if local < springGap { return .unique(local - standardOffset) }
        if local < springGap + 3_600 { return .nonexistent }
        if local < autumnRepeat { return .unique(local - summerOffset) }
        if local < autumnRepeat + 3_600 { return .ambiguous(first: local - summerOffset, second: local - standardOffset) }
        return .unique(local - standardOffset)
    }

    /// The Stockholm local day of an instant, as days since 1970-01-01.
    @inline(__always)
    public static func localDay(at instant: Int64) -> Int32 {
        Int32(LocalDate.day(ofSecondsSinceEpoch: instant + tabulatedOffset(at: instant)).day)
    }

    /// `utcOffset(at:)` from a table of the supported years' changes.
    static func tabulatedOffset(at instant: Int64) -> Int64 {
        let table = summerTimes
        guard supportedInstants.contains(instant) else { return utcOffset(at: instant) }
        // The estimate of the year is off by at most one.
        var index = min(Int((instant - supportedInstants.lowerBound) / 31_556_952), table.count - 1)
        if instant < table[index].newYear {
            index -= 1
        } else if index + 1 < table.count, instant >= table[index + 1].newYear {
            index += 1
        }
        return instant >= table[index].start && instant < table[index].end ? summerOffset : standardOffset
    }

    /// The instants (UTC) of the supported years.
    static let supportedInstants =
        Int64(LocalDate(year: Int(supportedYears.lowerBound), month: 1, day: 1)!.daysSinceEpoch) * 86_400
            ..< Int64(LocalDate(year: Int(supportedYears.upperBound) + 1, month: 1, day: 1)!.daysSinceEpoch) * 86_400

    /// Per supported year: its first instant (UTC) and its summer time.
    static let summerTimes: [(newYear: Int64, start: Int64, end: Int64)] = supportedYears.map { year in
        (Int64(LocalDate(year: Int(year), month: 1, day: 1)!.daysSinceEpoch) * 86_400,
         summerTimeStart(year: Int(year)), summerTimeEnd(year: Int(year)))
    }
}
