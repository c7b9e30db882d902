/// The days and hours the Swedish guidelines (Kontakta/SWEDMA 2021, section 3.2) allow
/// attempts on: Monday–Friday 08:00–21:00, Saturday–Sunday 10:00–18:00, and never on
/// Christmas Eve (julafton), Easter Eve (påskafton) or Midsummer Eve (midsommarafton).
public enum SwedishCalendar {
    /// Easter Sunday of `year` (Gregorian), by the anonymous Gregorian algorithm
    /// (Meeus/Jones/Butcher).
    public static func easterSunday(year: Int) -> LocalDate {
        let a = year % 19
        let b = year / 100, c = year % 100
        let d = b / 4, e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(unchecked: year, month, day)
    }

    /// Easter Eve (påskafton): the Saturday before Easter Sunday.
    public static func easterEve(year: Int) -> LocalDate {
        easterSunday(year: year).adding(days: -1)
    }

    /// Midsummer Eve (midsommarafton): the Friday between 19 and 25 June.
    public static func midsummerEve(year: Int) -> LocalDate {
        let june19 = LocalDate(unchecked: year, 6, 19)
        return june19.adding(days: (5 - june19.weekday + 7) % 7)
    }

    /// Christmas Eve (julafton): 24 December.
    public static func christmasEve(year: Int) -> LocalDate {
        LocalDate(unchecked: year, 12, 24)
    }
}

/// A day on which no attempts may be made. The raw value is the rule profile's name for it
/// (`no_call_days`). The Swedish guidelines name the three eves; Norwegian law adds the public
/// holidays (`NorwegianCalendar`).
public enum NoCallDay: String, CaseIterable, Codable, Sendable {
    case christmasEve = "christmas_eve"
    case easterEve = "easter_eve"
    case midsummerEve = "midsummer_eve"
    case newYearsDay = "new_years_day"
    case maundyThursday = "maundy_thursday"
    case goodFriday = "good_friday"
    case easterSunday = "easter_sunday"
    case easterMonday = "easter_monday"
    case mayDay = "may_day"
    case constitutionDay = "constitution_day"
    case ascensionDay = "ascension_day"
    case whitSunday = "whit_sunday"
    case whitMonday = "whit_monday"
    case christmasDay = "christmas_day"
    case boxingDay = "boxing_day"

    /// The three eves of the Swedish guidelines: the default `no_call_days`.
    public static let swedishGuidelines: [NoCallDay] = [.christmasEve, .easterEve, .midsummerEve]

    /// The day's date in `year`.
    public func date(year: Int) -> LocalDate {
        let easter = { SwedishCalendar.easterSunday(year: year) }
        switch self {
        case .christmasEve: return SwedishCalendar.christmasEve(year: year)
        case .easterEve: return SwedishCalendar.easterEve(year: year)
        case .midsummerEve: return SwedishCalendar.midsummerEve(year: year)
        case .newYearsDay: return LocalDate(unchecked: year, 1, 1)
        case .maundyThursday: return easter().adding(days: -3)
        case .goodFriday: return easter().adding(days: -2)
        case .easterSunday: return easter()
        case .easterMonday: return easter().adding(days: 1)
        case .mayDay: return LocalDate(unchecked: year, 5, 1)
        case .constitutionDay: return LocalDate(unchecked: year, 5, 17)
        case .ascensionDay: return easter().adding(days: 39)
        case .whitSunday: return easter().adding(days: 49)
        case .whitMonday: return easter().adding(days: 50)
        case .christmasDay: return LocalDate(unchecked: year, 12, 25)
        case .boxingDay: return LocalDate(unchecked: year, 12, 26)
        }
    }

    /// English name and the local one, for messages: "Christmas Eve (julafton)".
    public var displayName: String {
        switch self {
        case .christmasEve: return "Christmas Eve (julafton)"
        case .easterEve: return "Easter Eve (påskafton)"
        case .midsummerEve: return "Midsummer Eve (midsommarafton)"
        case .newYearsDay: return "New Year's Day (nyttårsdag)"
        case .maundyThursday: return "Maundy Thursday (skjærtorsdag)"
        case .goodFriday: return "Good Friday (langfredag)"
        case .easterSunday: return "Easter Sunday (1. påskedag)"
        case .easterMonday: return "Easter Monday (2. påskedag)"
        case .mayDay: return "May Day (1. mai)"
        case .constitutionDay: return "Constitution Day (17. mai)"
        case .ascensionDay: return "Ascension Day (Kristi himmelfartsdag)"
        case .whitSunday: return "Whit Sunday (1. pinsedag)"
        case .whitMonday: return "Whit Monday (2. pinsedag)"
        case .christmasDay: return "Christmas Day (1. juledag)"
        case .boxingDay: return "Boxing Day (2. juledag)"
        }
    }
}

/// A day of the week on which no attempts may be made (`no_call_weekdays`).
public enum Weekday: String, CaseIterable, Codable, Sendable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// ISO number: 1 = Monday ... 7 = Sunday (`LocalDate.weekday`).
    public var isoNumber: Int { Weekday.allCases.firstIndex(of: self)! + 1 }
}

/// A day the rule profile adds to the no-call days (`extra_no_call_dates`): one date
/// (`YYYY-MM-DD`) or a day every year (`MM-DD`, e.g. `12-31` for New Year's Eve; `02-29` only
/// matches in leap years).
public enum ExtraNoCallDate: Hashable, Sendable, CustomStringConvertible, Codable {
    case once(LocalDate)
    case yearly(month: Int, day: Int)

    /// Parses `YYYY-MM-DD` or `MM-DD`; nil otherwise.
    public init?(_ text: String) {
        if let date = LocalDate(text) {
            self = .once(date)
            return
        }
        // MM-DD: validate against a leap year so that 02-29 is accepted.
        guard text.utf8.count == 5, let date = LocalDate("2000-" + text) else { return nil }
        self = .yearly(month: date.month, day: date.day)
    }

    public func matches(_ date: LocalDate) -> Bool {
        switch self {
        case let .once(day): return day == date
        case let .yearly(month, day): return date.month == month && date.day == day
        }
    }

    public var description: String {
        switch self {
        case let .once(date): return date.description
        case let .yearly(month, day):
            return String(LocalDate(unchecked: 2000, month, day).description.dropFirst(5))
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = ExtraNoCallDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is neither YYYY-MM-DD nor MM-DD")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Calling hours of one kind of day, as local wall-clock minutes since midnight: calls may
/// start from `open` (inclusive) until `close` (exclusive). In the profile file:
/// `{"open": "08:00", "close": "21:00"}`; `"24:00"` is allowed as a close.
public struct CallingHours: Hashable, Sendable {
    /// Minutes since local midnight, 0...1439.
    public var open: Int
    /// Minutes since local midnight, open+1...1440.
    public var close: Int

    public init(open: Int, close: Int) {
        self.open = open
        self.close = close
    }

    /// Parses `HH:MM` (00:00–23:59, and 24:00) into minutes since midnight.
    public static func minutes(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":") else { return nil }
        var values = [0, 0]
        for (index, position) in [0, 1, 3, 4].enumerated() {
            let byte = bytes[position]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            values[index / 2] = values[index / 2] * 10 + Int(byte - UInt8(ascii: "0"))
        }
        let (hours, minutes) = (values[0], values[1])
        guard minutes < 60, hours < 24 || (hours == 24 && minutes == 0) else { return nil }
        return hours * 60 + minutes
    }

    /// `HH:MM`.
    public static func text(minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}

/// The instants between which attempts may start on one call date: `open <= t < close`
/// (an attempt may start exactly at `open`, not exactly at `close`). Seconds since
/// 1970-01-01T00:00:00Z, DST-correct for Europe/Stockholm.
public struct CallingWindow: Equatable, Sendable {
    public let date: LocalDate
    public let open: Int64
    public let close: Int64

    public init(date: LocalDate, hours: CallingHours) {
        self.date = date
        self.open = StockholmTime.instant(date, secondsOfDay: hours.open * 60)
        self.close = StockholmTime.instant(date, secondsOfDay: hours.close * 60)
    }

    /// Whether an attempt may start at `instant`.
    public func contains(_ instant: Int64) -> Bool {
        instant >= open && instant < close
    }
}
