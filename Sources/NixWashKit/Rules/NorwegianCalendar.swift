/// Norway's public holidays, the days on which Norwegian law forbids telephone marketing to
/// consumers besides Saturdays (markedsføringsloven § 14: not on Saturdays, Sundays and public
/// holidays ("helgedager") or days the law treats as such, nor on weekdays before 09:00 or after
/// 21:00). The holidays ("helligdager") are those of lov om helligdager og helligdagsfred
/// (LOV-1995-02-24-12) § 2: every Sunday, New Year's Day, Maundy Thursday, Good Friday, Easter
/// Sunday and Monday, Ascension Day, Whit Sunday and Monday, Christmas Day and Boxing Day; the
/// days treated as holidays are 1 May and 17 May (lov om 1. og 17. mai som offentlige
/// høytidsdager, LOV-1947-04-26-1). The movable ones follow Easter Sunday, computed as for
/// Sweden (`SwedishCalendar.easterSunday`: the anonymous Gregorian algorithm of Meeus, Jones
/// and Butcher; both countries use the Gregorian Western Easter).
public enum NorwegianCalendar {
    /// The fixed and movable public holidays of the Norway profile, in calendar order.
    public static let publicHolidays: [NoCallDay] = [
        .newYearsDay, .maundyThursday, .goodFriday, .easterSunday, .easterMonday, .mayDay,
        .constitutionDay, .ascensionDay, .whitSunday, .whitMonday, .christmasDay, .boxingDay,
    ]

    /// Every public holiday of `year` with its date, in calendar order.
    public static func holidays(year: Int) -> [(day: NoCallDay, date: LocalDate)] {
        publicHolidays.map { ($0, $0.date(year: year)) }.sorted { $0.date < $1.date }
    }
}
