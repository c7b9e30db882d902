import Foundation

/// The rule profiles nixwash ships, chosen by name (the profile setting, `profile`
/// in the campaign file). A rule-profile file given as well changes only the keys it sets, on top of the chosen
/// one. `profiles/NAME.json` in the source tree is each profile's file, for reading and as a
/// starting point; a test keeps it equal to the text here, which is what the binary uses (a
/// binary that needs no file beside it cannot lose it).
public enum ShippedProfile: String, CaseIterable, Sendable {
    /// Sweden: SPEC's defaults (NIX-Telefon, the Kontakta/SWEDMA guidelines).
    case se
    /// Norway: Reservasjonsregisteret, markedsføringsloven's calling days and hours.
    case no

    public var profile: RuleProfile {
        switch self {
        case .se: return .default
        // The text is a constant checked by the tests: it always decodes.
        case .no: return try! RuleProfile.decode(Data(json.utf8), path: "profiles/no.json")
        }
    }

    /// The profile file's text (`{}` for `se`: the defaults).
    public var json: String {
        switch self {
        case .se: return "{}"
        case .no: return ShippedProfile.norway
        }
    }

    private static let norway = """
{
  "country": "NO",
  "register_name": "Reservasjonsregisteret",
  "register_validity_months": 1,
  "called_countries": ["NO"],
  "weekday_hours": {"open": "09:00", "close": "21:00"},
  "weekend_hours": {"open": "09:00", "close": "21:00"},
  "no_call_weekdays": ["saturday", "sunday"],
  "no_call_days": ["new_years_day", "maundy_thursday", "good_friday", "easter_sunday", "easter_monday",
                   "may_day", "constitution_day", "ascension_day", "whit_sunday", "whit_monday",
                   "christmas_day", "boxing_day"]
}
"""
}
