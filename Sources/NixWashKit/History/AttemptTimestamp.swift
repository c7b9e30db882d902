import Foundation

/// The `attempted_at` field of a dialer log, parsed from bytes without Foundation (apart from
/// a named time zone other than Stockholm's).
///
/// Accepted, surrounding blanks ignored:
/// - a date as `LocalDate.scan` reads it: `YYYY-MM-DD`, `DD.MM.YYYY`, or a slash date with a
///   given `DateOrder` (`11/23/2026`; without an order: `needsDateOrder`, never a guess);
///   then `T`, `t` or a space, then `H:MM` or `HH:MM`, optionally `:SS` and a fraction (`.123`
///   or `,123`, truncated to the second: the history keys attempts by the second), optionally
///   `AM`/`PM` (hours 1–12, a space before it allowed), then an optional zone: `Z`, `z`,
///   `+HH`, `+HH:MM` or `+HHMM` (or `-`), which may be preceded by one space;
/// - `YYYYMMDDHHMMSS` (14 digits);
/// - epoch seconds (9 or 10 digits) or milliseconds (12 or 13 digits), UTC by definition.
///
/// Without a zone the time is local time of the log's `AttemptTimeZone` (Europe/Stockholm by
/// default). A local time in the hour skipped when summer time starts does not exist and is
/// rejected. A local time in the hour repeated when it ends is read as its later occurrence
/// (standard time), with the earlier one beside it: a gap counted from the later one never
/// ends too early, in any zone a log is written in, and the import gives a second row of
/// the same call time the earlier reading, as two calls (see `HistoryImport`). Rejecting such
/// rows would instead lose attempts.
public enum AttemptTimestamp: Equatable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z; `earlierReading` the first occurrence when it was a
    /// local time in the repeated hour (the instant is then the second).
    case instant(Int64, earlierReading: Int64?)
    /// An integer read as epoch seconds or milliseconds (the import checks that a whole
    /// column is of one kind).
    case epoch(Int64, unit: EpochUnit)
    /// Not a timestamp in an accepted form.
    case malformed
    /// A slash date, and no date order was given.
    case needsDateOrder
    /// A local time in the hour skipped when summer time starts.
    case nonexistentLocalTime
    /// Outside the years `StockholmTime.supportedYears`.
    case outOfRange

    public enum EpochUnit: String, Sendable {
        case seconds = "epoch-s"
        case milliseconds = "epoch-ms"
    }

    public static func parse(_ text: String, zone: AttemptTimeZone = .stockholm, dateOrder: DateOrder? = nil,
                             format: AttemptTimeFormat = .automatic) -> AttemptTimestamp {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0), zone: zone, dateOrder: dateOrder, format: format) }
    }

    public static func parse(_ field: UnsafeRawBufferPointer, zone: AttemptTimeZone = .stockholm,
                             dateOrder: DateOrder? = nil, format: AttemptTimeFormat = .automatic) -> AttemptTimestamp {
        let (start, end) = Blanks.trimmed(field)
        switch format {
        case .automatic: break
        case let .epoch(unit): return epoch(field, start, end, unit: unit)
        }
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

        let date: LocalDate
        switch LocalDate.scan(field, from: start, to: end, order: dateOrder) {
        case let .date(scanned, next):
            date = scanned
            i = next
        case .needsDateOrder:
            return .needsDateOrder
        case .notADate:
            return allDigits(field, start, end) ? integer(field, start, end) : .malformed
        }
        var hour: Int32, minute: Int32, second: Int32 = 0
        if i - start == 8, field[start + 1] &- 0x30 < 10, field[start + 2] &- 0x30 < 10 {
            // YYYYMMDDHHMMSS: the date scan took the first eight digits.
            guard end - i == 6, let h = digits(2), let m = digits(2), let s = digits(2) else {
                return allDigits(field, start, end) ? integer(field, start, end) : .malformed
            }
            (hour, minute, second) = (h, m, s)
        } else {
            guard take(0x54) || take(0x74) || take(0x20) else { return .malformed }
            guard let h = digits(1) else { return .malformed }
            hour = h
            if let low = digits(1) { hour = hour * 10 + low }
            guard take(0x3A), let m = digits(2) else { return .malformed }
            minute = m
            if take(0x3A) {
                guard let s = digits(2) else { return .malformed }
                second = s
                if take(0x2E) || take(0x2C) {
                    let fractionStart = i
                    while i < end, field[i] >= 0x30, field[i] <= 0x39 { i += 1 }
                    guard i > fractionStart else { return .malformed }
                }
            }
            // AM/PM: 12 AM is midnight, 12 PM noon.
            let meridiem = i < end && field[i] == 0x20 ? i + 1 : i
            if end - meridiem >= 2, field[meridiem + 1] | 0x20 == 0x6D,
               case let letter = field[meridiem] | 0x20, letter == 0x61 || letter == 0x70 {
                guard hour >= 1, hour <= 12 else { return .malformed }
                hour = hour % 12 + (letter == 0x70 ? 12 : 0)
                i = meridiem + 2
            }
        }
        guard hour < 24, minute < 60, second < 60 else { return .malformed }
        guard StockholmTime.supportedYears.contains(Int32(date.year)) else { return .outOfRange }
        let localDay = Int32(date.daysSinceEpoch)
        let secondOfDay = hour * 3_600 + minute * 60 + second

        if i == end {
            switch zone.resolve(localDay: localDay, secondOfDay: secondOfDay) {
            case let .unique(instant): return checked(instant)
            case let .ambiguous(first, second):
                return supportedInstants.contains(first) && supportedInstants.contains(second)
                    ? .instant(second, earlierReading: first) : .outOfRange
            case .nonexistent: return .nonexistentLocalTime
            }
        }
        if field[i] == 0x20, end - i > 1, field[i + 1] == 0x2B || field[i + 1] == 0x2D || field[i + 1] | 0x20 == 0x7A { i += 1 }
        let wallClock = Int64(localDay) * 86_400 + Int64(secondOfDay)
        if take(0x5A) || take(0x7A) {
            return i == end ? checked(wallClock) : .malformed
        }
        guard let offset = parseOffset(field, &i, end), i == end else { return .malformed }
        return checked(wallClock - offset)
    }

    /// `+HH`, `+HH:MM` or `+HHMM` (or `-`) at `i`, as seconds east of UTC.
    static func parseOffset(_ field: UnsafeRawBufferPointer, _ i: inout Int, _ end: Int) -> Int64? {
        guard i < end, field[i] == 0x2B || field[i] == 0x2D else { return nil }
        let sign: Int64 = field[i] == 0x2B ? 1 : -1
        i += 1
        func two() -> Int64? {
            guard end - i >= 2 else { return nil }
            let a = Int64(field[i]) - 48, b = Int64(field[i + 1]) - 48
            guard (0...9).contains(a), (0...9).contains(b) else { return nil }
            i += 2
            return a * 10 + b
        }
        guard let hours = two() else { return nil }
        var minutes: Int64 = 0
        if i < end {
            if field[i] == 0x3A { i += 1 }
            guard let m = two() else { return nil }
            minutes = m
        }
        // The offsets clocks are set to run from -12:00 to +14:00: `+14:30` is a typo, not a zone.
        let offset = sign * (hours * 3_600 + minutes * 60)
        guard minutes < 60, (-12 * 3_600...14 * 3_600).contains(offset) else { return nil }
        return offset
    }

    private static func allDigits(_ field: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard start < end else { return false }
        for k in start..<end where field[k] < 0x30 || field[k] > 0x39 { return false }
        return true
    }

    /// An integer of the size of epoch seconds (9–10 digits) or milliseconds (12–13).
    private static func integer(_ field: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> AttemptTimestamp {
        switch end - start {
        case 9, 10: return epoch(field, start, end, unit: .seconds)
        case 12, 13: return epoch(field, start, end, unit: .milliseconds)
        default: return .malformed
        }
    }

    /// Digits as epoch seconds or milliseconds (milliseconds truncated to the second).
    private static func epoch(_ field: UnsafeRawBufferPointer, _ start: Int, _ end: Int, unit: EpochUnit) -> AttemptTimestamp {
        guard allDigits(field, start, end) else { return .malformed }
        guard end - start <= 15 else { return .outOfRange }
        var value: Int64 = 0
        for k in start..<end { value = value * 10 + Int64(field[k] - 0x30) }
        let seconds = unit == .seconds ? value : value / 1000
        return supportedInstants.contains(seconds) ? .epoch(seconds, unit: unit) : .outOfRange
    }

    /// How far past the clock of the machine that reads it an attempt may be: the dialer's clock
    /// and this one can differ by minutes, never by more.
    public static let clockSlack: Int64 = 15 * 60

    /// An instant given with its offset can still cross a year boundary out of the range.
    private static func checked(_ instant: Int64) -> AttemptTimestamp {
        supportedInstants.contains(instant) ? .instant(instant, earlierReading: nil) : .outOfRange
    }

    /// The instants of `StockholmTime.supportedYears`, in UTC.
    static var supportedInstants: Range<Int64> { StockholmTime.supportedInstants }
}

/// How a log's `attempted_at` column is written: detected per value, or epoch integers as
/// the user says (`Setting.attemptTimeFormat`).
public enum AttemptTimeFormat: Equatable, Sendable {
    case automatic
    case epoch(AttemptTimestamp.EpochUnit)
}

/// The zone of a log's local times (stamps without an offset): Europe/Stockholm unless the
/// user names another (an IANA name such as `UTC` or `Europe/Helsinki`, or a fixed offset
/// `+02:00`, `UTC+2`).
public struct AttemptTimeZone: Equatable, Sendable, CustomStringConvertible {
    enum Kind: Equatable, Sendable {
        case stockholm
        /// Seconds east of UTC.
        case fixed(Int64)
        case named(TimeZone)
    }

    // Only the kind is stored: the import passes the zone with every row, and a stored name
    // would be a reference counted on each pass.
    let kind: Kind

    /// The name as shown in summaries: `Europe/Stockholm`, `UTC`, `UTC+02:00`, `Europe/Helsinki`.
    public var description: String {
        switch kind {
        case .stockholm: return "Europe/Stockholm"
        case .fixed(0): return "UTC"
        case let .fixed(offset):
            let minutes = abs(offset) / 60
            func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
            return "UTC\(offset < 0 ? "-" : "+")\(two(minutes / 60)):\(two(minutes % 60))"
        case let .named(zone): return zone.identifier
        }
    }

    public static let stockholm = AttemptTimeZone(kind: .stockholm)

    private init(kind: Kind) {
        self.kind = kind
    }

    /// Reads a zone name or offset; nil when it is neither.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let upper = trimmed.uppercased()
        if upper == "EUROPE/STOCKHOLM" {
            self = .stockholm
            return
        }
        if ["UTC", "Z", "GMT", "ETC/UTC", "ETC/GMT", "UTC+0", "UTC+00:00", "+00:00", "+0000", "+00"].contains(upper) {
            self.init(kind: .fixed(0))
            return
        }
        var offsetText = Array(trimmed.utf8)
        if upper.hasPrefix("UTC") || upper.hasPrefix("GMT") { offsetText.removeFirst(3) }
        if let first = offsetText.first, first == 0x2B || first == 0x2D {
            // `UTC+2`: one hour digit allowed here.
            if offsetText.count == 2 || (offsetText.count > 2 && offsetText[2] == 0x3A) { offsetText.insert(0x30, at: 1) }
            let offset: Int64? = offsetText.withUnsafeBytes { bytes in
                var i = 0
                let value = AttemptTimestamp.parseOffset(bytes, &i, bytes.count)
                return i == bytes.count ? value : nil
            }
            guard let offset else { return nil }
            self.init(kind: .fixed(offset))
            return
        }
        guard trimmed.contains("/"), let zone = TimeZone(identifier: trimmed) else { return nil }
        self.init(kind: .named(zone))
    }

    /// The instant(s) of a local day and second of the day (0..<86400) in this zone.
    func resolve(localDay: Int32, secondOfDay: Int32) -> StockholmTime.Resolution {
        switch kind {
        case .stockholm:
            return StockholmTime.resolve(localDay: localDay, secondOfDay: secondOfDay)
        case let .fixed(offset):
            return .unique(Int64(localDay) * 86_400 + Int64(secondOfDay) - offset)
        case let .named(zone):
            // Try the offsets in force a day before and a day after: a reading is real when the
            // zone has that offset at the instant it gives. No zone changes twice in two days.
            let wall = Int64(localDay) * 86_400 + Int64(secondOfDay)
            func offset(at instant: Int64) -> Int64 {
                Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
            }
            var readings: [Int64] = []
            for candidate in [offset(at: wall - 86_400), offset(at: wall + 86_400)] {
                let instant = wall - candidate
                if offset(at: instant) == candidate, !readings.contains(instant) { readings.append(instant) }
            }
            readings.sort()
            switch readings.count {
            case 0: return .nonexistent
            case 1: return .unique(readings[0])
            default: return .ambiguous(first: readings[0], second: readings[1])
            }
        }
    }
}
