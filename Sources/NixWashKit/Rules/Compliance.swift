/// The checks that refuse a whole run (exit 3) and the NIX exemption date rules.
///
/// "N months after a date" is calendar months with the day clamped to the month's last day
/// (`LocalDate.adding(months:)`): 2025-12-31 + 2 months = 2026-02-28. A limit of "no more than
/// N months before the call date" holds while `callDate <= date + N months`.
extension RuleProfile {
    /// The no-call day `date` is, named for a message ("Christmas Eve (julafton)"), or nil
    /// when attempts may be made that day.
    public func noCallDay(on date: LocalDate) -> String? {
        if let day = noCallDays.first(where: { $0.date(year: date.year) == date }) {
            return day.displayName
        }
        if let weekday = noCallWeekdays.first(where: { $0.isoNumber == date.weekday }) {
            return "a \(weekday.rawValue.capitalized), a day of the week with no calls in the rule profile (no_call_weekdays)"
        }
        if let extra = extraNoCallDates.first(where: { $0.matches(date) }) {
            return "a no-call day of the rule profile (extra_no_call_dates: \(extra))"
        }
        return nil
    }

    /// The last call date for which a NIX register dated `registerDate` may be used:
    /// `registerDate + register_validity_months`.
    public func registerValidThrough(registerDate: LocalDate) -> LocalDate {
        registerDate.adding(months: registerValidityMonths)
    }

    /// Why a run for `callDate` must not start (kind `.compliance`, exit 3), or nil: the call
    /// date is a no-call day, or it is later than `registerValidThrough(registerDate:)`.
    /// `register` names the NIX register (its index file) in the message.
    public func refusal(callDate: LocalDate, registerDate: LocalDate, register: String) -> NixWashError? {
        if let day = noCallDay(on: callDate) {
            return .noCallDay(date: callDate, day: day)
        }
        let validThrough = registerValidThrough(registerDate: registerDate)
        if callDate > validThrough {
            return .staleRegister(register: register, registerName: registerName, registerDate: registerDate, validThrough: validThrough,
                                  months: registerValidityMonths, callDate: callDate)
        }
        return nil
    }

    /// Whether a customer relationship exempts a number from NIX on `callDate`: the customer
    /// exemption is on; the agreement is active (`agreementEnd` nil, or on or after the call
    /// date) or ended no more than `customer_exemption_months` before it
    /// (`callDate <= agreementEnd + months`); and, when the customer and the campaign both
    /// carry a product category (nil or empty means none), they are equal (exact comparison:
    /// the customer-list loader normalizes case and spaces).
    public func customerExempts(agreementEnd: LocalDate?, customerCategory: String?,
                                campaignCategory: String?, callDate: LocalDate) -> Bool {
        guard customerExemption else { return false }
        if let end = agreementEnd, callDate > end.adding(months: customerExemptionMonths) {
            return false
        }
        if let customer = customerCategory, let campaign = campaignCategory,
           !customer.isEmpty, !campaign.isEmpty, customer != campaign {
            return false
        }
        return true
    }

    /// Whether a consent exempts a number from NIX on `callDate`: the consent exemption is on,
    /// and the consent was given on or before the call date and no more than
    /// `consent_exemption_months` before it (`callDate <= consentDate + months`). A consent
    /// dated after the call date does not exempt: it did not exist yet.
    public func consentExempts(consentDate: LocalDate, callDate: LocalDate) -> Bool {
        consentExemption && consentDate <= callDate && callDate <= consentDate.adding(months: consentExemptionMonths)
    }

    /// Whether a consent makes a number callable in `consent_only` mode on `callDate`: it was
    /// given on or before the call date and no more than `consent_validity_months` before it
    /// (`consentDate <= callDate <= consentDate + months`).
    public func consentValid(consentDate: LocalDate, callDate: LocalDate) -> Bool {
        consentDate <= callDate && callDate <= consentDate.adding(months: consentValidityMonths)
    }
}
