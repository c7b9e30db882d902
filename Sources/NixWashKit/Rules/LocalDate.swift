/// A calendar day without a time or a time zone: the call date, a register date, an agreement
/// end. Every date the rules speak of is a Europe/Stockholm calendar day (see `StockholmTime`
/// for the way from an instant to its day). Proleptic Gregorian calendar, years 1...9999.
///
/// Pure integer arithmetic (days since 1970-01-01), so it costs no allocation and no Foundation.
public struct LocalDate: Hashable, Comparable, Sendable, LosslessStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The date, or nil when it does not exist (month 13, 30 February, year 0).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= LocalDate.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `days` days after 1970-01-01 (negative: before it).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days: exact for the proleptic Gregorian calendar.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = doy - (153 * mp + 2) / 5 + 1
    }

    /// Days since 1970-01-01 (negative before it).
    /// The day and the second of the day of a count of seconds since 1970-01-01 00:00 (in UTC
    /// for an instant, in local time for a wall-clock reading). Floor division: a second
    /// before 1970 is on day -1, at second 86399.
    @inline(__always)
    public static func day(ofSecondsSinceEpoch seconds: Int64) -> (day: Int64, secondOfDay: Int) {
        let day = (seconds >= 0 ? seconds : seconds - 86_399) / 86_400
        return (day, Int(seconds - day * 86_400))
    }

    /// Appends this day and a time of it as ISO 8601: `2026-11-23T14:00:17` and then
    /// `+01:00` for a whole-hour offset east of UTC, or `Z` for UTC (`utcOffsetHours` nil).
    public func appendISO8601(secondOfDay: Int, utcOffsetHours: Int?, to bytes: inout [UInt8]) {
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4); bytes.append(UInt8(ascii: "-"))
        digits(month, 2); bytes.append(UInt8(ascii: "-"))
        digits(day, 2); bytes.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2); bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2); bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        guard let utcOffsetHours else { return bytes.append(UInt8(ascii: "Z")) }
        precondition((0...14).contains(utcOffsetHours), "offsets east of UTC only")
        bytes.append(UInt8(ascii: "+"))
        digits(utcOffsetHours, 2); bytes.append(UInt8(ascii: ":"))
        digits(0, 2)
    }

    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Parses exactly `YYYY-MM-DD` (ISO 8601 calendar date, four-digit year); nil otherwise,
    /// also for dates that do not exist.
    public init?<Bytes: Collection>(utf8 bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 10 else { return nil }
        var values = (0, 0, 0)
        var index = 0
        for byte in bytes {
            switch index {
            case 4, 7:
                guard byte == UInt8(ascii: "-") else { return nil }
            default:
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                let digit = Int(byte - UInt8(ascii: "0"))
                if index < 4 { values.0 = values.0 * 10 + digit }
                else if index < 7 { values.1 = values.1 * 10 + digit }
                else { values.2 = values.2 * 10 + digit }
            }
            index += 1
        }
        self.init(year: values.0, month: values.1, day: values.2)
    }

    /// Reads a whole field as a date in any form `scan` accepts, blanks around it ignored:
    /// the one date reader for every list with dates (attempt logs, customer and consent lists).
    public static func read(_ field: UnsafeRawBufferPointer, order: DateOrder?) -> DateReading {
        let (start, end) = Blanks.trimmed(field)
        switch scan(field, from: start, to: end, order: order) {
        case let .date(date, next): return next == end ? .date(date) : .notADate
        case .needsDateOrder: return .needsDateOrder
        case .notADate: return .notADate
        }
    }

    /// Reads a date at `start` of `bytes[..<end]` and says where it ends; what follows is the
    /// caller's (a time of day, or nothing). Forms:
    /// - `YYYY-MM-DD` (ISO 8601);
    /// - `DD.MM.YYYY`, day and month with one or two digits;
    /// - `YYYYMMDD`, the first eight of the digits that follow;
    /// - `DD/MM/YYYY` or `MM/DD/YYYY` (one or two digits each): `order` says which; without
    ///   one the answer is `needsDateOrder`, never a guess.
    /// A day that does not exist (30 February) is `notADate`.
    @inline(__always)
    public static func scan(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int,
                            order: DateOrder?) -> DateScan {
        var i = start
        @inline(__always) func number(_ minDigits: Int, _ maxDigits: Int) -> Int? {
            var value = 0, count = 0
            while count < maxDigits, i < end {
                let d = Int(bytes[i]) &- 48
                guard d >= 0, d <= 9 else { break }
                value = value * 10 + d
                i += 1
                count += 1
            }
            return count >= minDigits ? value : nil
        }
        @inline(__always) func take(_ byte: UInt8) -> Bool {
            guard i < end, bytes[i] == byte else { return false }
            i += 1
            return true
        }
        // ISO first, at fixed positions: the common case costs one comparison more than before.
        if end - start >= 10, bytes[start + 4] == 0x2D {
            guard let year = number(4, 4), take(0x2D), let month = number(2, 2), take(0x2D),
                  let day = number(2, 2), let date = LocalDate(year: year, month: month, day: day)
            else { return .notADate }
            return .date(date, end: i)
        }
        guard let first = number(1, 8) else { return .notADate }
        let firstDigits = i - start
        if firstDigits == 8 {
            guard let date = LocalDate(year: first / 10_000, month: first / 100 % 100, day: first % 100)
            else { return .notADate }
            return .date(date, end: i)
        }
        if firstDigits <= 2, take(0x2E) {
            guard let month = number(1, 2), take(0x2E), let year = number(4, 4),
                  let date = LocalDate(year: year, month: month, day: first) else { return .notADate }
            return .date(date, end: i)
        }
        if firstDigits <= 2, take(0x2F) {
            guard let second = number(1, 2), take(0x2F), let year = number(4, 4) else { return .notADate }
            guard let order else { return .needsDateOrder }
            let (day, month) = order == .dayMonthYear ? (first, second) : (second, first)
            guard let date = LocalDate(year: year, month: month, day: day) else { return .notADate }
            return .date(date, end: i)
        }
        return .notADate
    }

    /// Parses exactly `YYYY-MM-DD`; nil otherwise.
    public init?(_ description: String) {
        self.init(utf8: description.utf8)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    // MARK: Arithmetic

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Whole days from `other` to this date: positive when this date is later.
    public func days(since other: LocalDate) -> Int {
        daysSinceEpoch - other.daysSinceEpoch
    }

    /// The same day of the month `months` calendar months later (earlier when negative),
    /// clamped to the last day of a shorter month: 2025-12-31 + 2 months = 2026-02-28,
    /// 2023-12-31 + 2 months = 2024-02-29, 2026-03-31 - 1 month = 2026-02-28.
    public func adding(months: Int) -> LocalDate {
        let total = year * 12 + (month - 1) + months
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        let newDay = min(day, LocalDate.daysInMonth(year: newYear, month: newMonth))
        return LocalDate(unchecked: newYear, newMonth, newDay)
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let r = (daysSinceEpoch + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// Saturday or Sunday.
    public var isWeekend: Bool { weekday >= 6 }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The last day of `month` in `year` that falls on ISO `weekday` (1 = Monday ... 7 = Sunday).
    public static func last(weekday: Int, ofMonth month: Int, year: Int) -> LocalDate {
        let lastDay = LocalDate(unchecked: year, month, daysInMonth(year: year, month: month))
        let back = (lastDay.weekday - weekday + 7) % 7
        return lastDay.adding(days: -back)
    }

    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    // MARK: Codable, as the string YYYY-MM-DD

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a date of the form YYYY-MM-DD")
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The order of day and month in a slash date such as `03/04/2026`, which the date itself
/// does not tell: the user says it (`dmy` is 3 April, `mdy` 4 March).
public enum DateOrder: String, Sendable, CaseIterable {
    case dayMonthYear = "dmy"
    case monthDayYear = "mdy"
}

/// A whole field read as a date (`LocalDate.read`).
public enum DateReading: Equatable, Sendable {
    case date(LocalDate)
    /// A slash date, and no `DateOrder` was given.
    case needsDateOrder
    case notADate
}

/// A date read at the start of a longer field (`LocalDate.scan`).
public enum DateScan: Equatable, Sendable {
    /// The date and the index just after it.
    case date(LocalDate, end: Int)
    case needsDateOrder
    case notADate
}
