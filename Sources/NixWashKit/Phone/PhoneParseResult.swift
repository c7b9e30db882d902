/// The kind of service a valid number belongs to, as libphonenumber's metadata classifies it.
/// The raw values are the words used in rule profiles and reports.
public enum NumberType: String, CaseIterable, Sendable {
    case mobile
    case fixedLine = "fixed"
    /// Danish (and some other) plans share ranges between mobile and fixed line, so the number
    /// alone cannot tell them apart. A campaign that calls mobile or fixed line calls these.
    case fixedLineOrMobile = "fixed_or_mobile"
    /// Swedish 020, Norwegian 800/801, Finnish 0800, Danish 80.
    case freephone
    /// Swedish 0900, 0939, 0944, 099 and 0649.
    case premiumRate = "premium"
    /// Swedish 077.
    case sharedCost = "shared_cost"
    /// Swedish 075.
    case personal
    /// Machine-to-machine series. libphonenumber carries no M2M ranges for these countries
    /// (Swedish 071 is absent from its metadata and so parses as invalid); the type exists so
    /// rule profiles can name it.
    case m2m
    /// Swedish 074.
    case paging
    /// VoIP / location-independent (Norwegian 85x).
    case voip
    /// Universal access numbers (Swedish 010 company numbers, Norwegian 0xxxx, Finnish 010/020/...).
    case uan
    /// Voicemail access (Swedish 0254/0673 12-digit numbers).
    case voicemail
    /// A number of a country whose plan nixwash does not carry (anything but SE, NO, FI, DK):
    /// its length is plausible but its type is not known. Such a number is always foreign, so
    /// it should be reported as `foreign_number`, not `number_type`.
    case unknown
}

/// The countries whose numbering plans nixwash carries in full.
public enum PhoneCountry: String, CaseIterable, Sendable {
    case sweden = "SE"
    /// +47, including Svalbard and Jan Mayen, which share Norway's plan.
    case norway = "NO"
    /// +358, including the Aland Islands, which share Finland's plan.
    case finland = "FI"
    case denmark = "DK"

    public var callingCode: UInt64 { plan.callingCode }

    public var englishName: String {
        switch self {
        case .sweden: return "Sweden"
        case .norway: return "Norway"
        case .finland: return "Finland"
        case .denmark: return "Denmark"
        }
    }

    var plan: NumberingPlan {
        switch self {
        case .sweden: return .sweden
        case .norway: return .norway
        case .finland: return .finland
        case .denmark: return .denmark
        }
    }
}

/// A number that passed its country's numbering plan.
public struct NormalizedNumber: Equatable, Sendable {
    /// The E.164 digits.
    public var key: PhoneKey
    /// The country, or nil for a number with a valid calling code of a country whose plan
    /// nixwash does not carry (e.g. +49, +44): such numbers come out valid with type `.unknown`
    /// so that they are reported as foreign, not as invalid.
    public var country: PhoneCountry?
    public var type: NumberType

    public init(key: PhoneKey, country: PhoneCountry?, type: NumberType) {
        self.key = key
        self.country = country
        self.type = type
    }
}

/// Why a phone field is not a valid number. The raw value is the word written into rejects.
public enum PhoneRejection: String, CaseIterable, Sendable {
    case empty
    case letters
    case badCharacter = "bad_character"
    case tooShort = "too_short"
    case tooLong = "too_long"
    case badPrefix = "bad_prefix"
    case unknownAreaCode = "unknown_area_code"
    case unknownCountryCode = "unknown_country_code"
    /// National digits without the trunk 0 (`701234567`), outside a column that Excel wrote so.
    case noTrunkZero = "no_trunk_zero"
    /// `4.67012E+10`: Excel wrote the number with fewer digits than it has.
    case digitsLostInScientificNotation = "scientific_notation"

    public var detail: String {
        switch self {
        case .empty: return "The phone field is empty."
        case .letters: return "The phone field contains letters."
        case .badCharacter: return "The phone field contains a character that is not part of a phone number (only digits, a leading +, spaces, dashes, dots, slashes and parentheses are)."
        case .tooShort: return "The number has too few digits for its number series."
        case .tooLong: return "The number has too many digits for its number series."
        case .badPrefix: return "No number series of the country starts with these digits."
        case .unknownAreaCode: return "The area code does not exist."
        case .unknownCountryCode: return "The number starts with a country calling code that does not exist."
        case .noTrunkZero: return "The number is written without its leading 0, as Excel writes numbers; the 0 is restored only in a column where most values are written so (an Excel export)."
        case .digitsLostInScientificNotation: return "digits lost in scientific notation (Excel)."
        }
    }
}

public enum PhoneParseResult: Equatable, Sendable {
    case valid(NormalizedNumber)
    case invalid(PhoneRejection)
}
