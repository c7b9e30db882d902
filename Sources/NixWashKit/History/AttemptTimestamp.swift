/// The `attempted_at` field of a dialer log, parsed from bytes without Foundation.
///
/// Accepted: `YYYY-MM-DD`, then `T`, `t` or a space, then `HH:MM` or `HH:MM:SS` with an
/// optional fraction (`.123` or `,123`, truncated to the second: the history keys attempts by
/// the second), then an optional zone: `Z`, `z`, `+HH`, `+HH:MM` or `+HHMM` (or `-`), which may
/// be preceded by one space. Surrounding blanks are ignored.
///
/// Without a zone the time is Europe/Stockholm local time. A local time in the hour skipped in
/// March does not exist and is rejected. A local time in the hour repeated in October is read
/// as its first occurrence (CEST), and the import counts it as ambiguous: both readings fall on
/// the same local date, and calling hours never include 02:00–03:00, so no quota or gap rule
/// can come out differently; rejecting such rows would instead lose attempts.
public enum AttemptTimestamp: Equatable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z; `ambiguous` when it was a repeated local time.
    case instant(Int64, ambiguous: Bool)
    /// Not a timestamp in an accepted form.
    case malformed
    /// A Stockholm local time in the hour skipped when summer time starts.
    case nonexistentLocalTime
    /// Outside the years `StockholmTime.supportedYears`.
    case outOfRange

    public static func parse(_ text: String) -> AttemptTimestamp {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    public static func parse(_ field: UnsafeRawBufferPointer) -> AttemptTimestamp {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
        while end > start, field[end - 1] == 0x20 || field[end - 1] == 0x09 { end -= 1 }
        var i = start

        @inline(__always) func digits(_ n: Int) -> Int32? {
            guard end - i >= n else { return nil }
            var value: Int32 = 0
            for _ in 0..<n {
                let d = Int32(field[i]) &- 48
                guard d >= 0, d <= 9 else { return nil }
                value = value * 10 + d
                i += 1
            }
            return value
        }
        @inline(__always) func take(_ byte: UInt8) -> Bool {
            guard i < end, field[i] == byte else { return false }
            i += 1
            return true
        }

        guard let year = digits(4), take(0x2D), let month = digits(2), take(0x2D), let day = digits(2),
              let date = LocalDate(year: Int(year), month: Int(month), day: Int(day))
        else { return .malformed }
        guard take(0x54) || take(0x74) || take(0x20) else { return .malformed }
        guard let hour = digits(2), take(0x3A), let minute = digits(2), hour < 24, minute < 60 else { return .malformed }
        var second: Int32 = 0
        if take(0x3A) {
            guard let s = digits(2), s < 60 else { return .malformed }
            second = s
            if take(0x2E) || take(0x2C) {
                let fractionStart = i
                while i < end, field[i] >= 0x30, field[i] <= 0x39 { i += 1 }
                guard i > fractionStart else { return .malformed }
            }
        }
        guard StockholmTime.supportedYears.contains(year) else { return .outOfRange }
        let localDay = Int32(date.daysSinceEpoch)
        let secondOfDay = hour * 3_600 + minute * 60 + second

        if i == end {
            switch StockholmTime.resolve(localDay: localDay, secondOfDay: secondOfDay) {
            case let .unique(instant): return .instant(instant, ambiguous: false)
            case let .ambiguous(first, _): return .instant(first, ambiguous: true)
            case .nonexistent: return .nonexistentLocalTime
            }
        }
        if field[i] == 0x20, end - i > 1, field[i + 1] == 0x2B || field[i + 1] == 0x2D { i += 1 }
        let wallClock = Int64(localDay) * 86_400 + Int64(secondOfDay)
        if take(0x5A) || take(0x7A) {
            return i == end ? checked(wallClock) : .malformed
        }
        let sign: Int64
        if take(0x2B) { sign = 1 } else if take(0x2D) { sign = -1 } else { return .malformed }
        guard let offsetHours = digits(2) else { return .malformed }
        var offsetMinutes: Int32 = 0
        if i < end {
            _ = take(0x3A)
            guard let m = digits(2), i == end else { return .malformed }
            offsetMinutes = m
        }
        guard offsetHours <= 18, offsetMinutes < 60 else { return .malformed }
        return checked(wallClock - sign * Int64(offsetHours * 3_600 + offsetMinutes * 60))
    }

    /// An instant given with its offset can still cross a year boundary out of the range.
    private static func checked(_ instant: Int64) -> AttemptTimestamp {
        supportedInstants.contains(instant) ? .instant(instant, ambiguous: false) : .outOfRange
    }

    /// The instants of `StockholmTime.supportedYears`, in UTC.
    static var supportedInstants: Range<Int64> { StockholmTime.supportedInstants }
}
