import Foundation
import XCTest
@testable import NixWashKit

final class RulesProfileTests: XCTestCase {
    func decode(_ json: String) throws -> RuleProfile {
        try RuleProfile.decode(Data(json.utf8), path: "campaign/profile.json")
    }

    /// The message of the error decoding `json` throws; fails when it does not throw a usage error.
    func message(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try decode(json)
            XCTFail("decoded \(json)", file: file, line: line)
        } catch let error as NixWashError {
            XCTAssertEqual(error.kind, .usage, file: file, line: line)
            return error.localizedDescription
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
        return ""
    }

    func testDefaultsAreSPECs() {
        let p = RuleProfile.default
        XCTAssertEqual(p.dailyLimit, 2)
        XCTAssertEqual(p.minGapMinutes, 240)
        XCTAssertEqual(p.campaignLimit, 20)
        XCTAssertEqual(p.campaignWindowDays, 30)
        XCTAssertEqual(p.offerCampaignLimit, 2)
        XCTAssertEqual(p.offerWindowDays, 365)
        XCTAssertEqual(p.weekdayHours, CallingHours(open: 480, close: 1260))
        XCTAssertEqual(p.weekendHours, CallingHours(open: 600, close: 1080))
        XCTAssertEqual(p.noCallDays, [.christmasEve, .easterEve, .midsummerEve])
        XCTAssertEqual(p.extraNoCallDates, [])
        XCTAssertEqual(p.calledNumberTypes, ["mobile", "fixed"])
        XCTAssertEqual(p.calledCountries, ["SE"])
        XCTAssertTrue(p.customerExemption)
        XCTAssertEqual(p.customerExemptionMonths, 12)
        XCTAssertTrue(p.consentExemption)
        XCTAssertEqual(p.consentExemptionMonths, 3)
        XCTAssertEqual(p.registerValidityMonths, 2)
    }

    func testEmptyObjectIsTheDefault() throws {
        XCTAssertEqual(try decode("{}"), .default)
    }

    func testEncodingWritesEveryKeyAndRoundTrips() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(RuleProfile.default)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(object.keys), Set(RuleProfile.jsonKeys))
        XCTAssertEqual(object["weekday_hours"] as? [String: String], ["open": "08:00", "close": "21:00"])
        XCTAssertEqual(object["no_call_days"] as? [String], ["christmas_eve", "easter_eve", "midsummer_eve"])
        XCTAssertEqual(try decode(String(decoding: data, as: UTF8.self)), .default)
    }

    func testEverySettingIsRead() throws {
        let p = try decode("""
        {"daily_limit": 1, "min_gap_minutes": 300, "campaign_limit": 10, "campaign_window_days": 14,
         "offer_campaign_limit": 1, "offer_window_days": 180,
         "weekday_hours": {"open": "09:00", "close": "20:30"}, "weekend_hours": {"close": "24:00", "open": "00:00"},
         "no_call_days": ["christmas_eve"], "extra_no_call_dates": ["2026-06-06", "12-31", "02-29"],
         "called_number_types": ["mobile"], "called_countries": ["SE", "NO"],
         "customer_exemption": false, "customer_exemption_months": 6,
         "consent_exemption": false, "consent_exemption_months": 1, "register_validity_months": 1}
        """)
        XCTAssertEqual(p, RuleProfile(
            dailyLimit: 1, minGapMinutes: 300, campaignLimit: 10, campaignWindowDays: 14,
            offerCampaignLimit: 1, offerWindowDays: 180,
            weekdayHours: CallingHours(open: 540, close: 1230), weekendHours: CallingHours(open: 0, close: 1440),
            noCallDays: [.christmasEve],
            extraNoCallDates: [.once(LocalDate("2026-06-06")!), .yearly(month: 12, day: 31), .yearly(month: 2, day: 29)],
            calledNumberTypes: ["mobile"], calledCountries: ["SE", "NO"],
            customerExemption: false, customerExemptionMonths: 6,
            consentExemption: false, consentExemptionMonths: 1, registerValidityMonths: 1))
        XCTAssertEqual(p.extraNoCallDates.map(\.description), ["2026-06-06", "12-31", "02-29"])
    }

    func testUnknownKeysAreNamed() {
        let top = message(#"{"daily_limit": 2, "dayly_limit": 3}"#)
        XCTAssertTrue(top.hasPrefix("campaign/profile.json: key 'dayly_limit': unknown key"), top)
        XCTAssertTrue(top.contains("daily_limit, min_gap_minutes"), top)
        let nested = message(#"{"weekend_hours": {"open": "10:00", "close": "18:00", "opens": "09:00"}}"#)
        XCTAssertTrue(nested.hasPrefix("campaign/profile.json: key 'weekend_hours.opens': unknown key"), nested)
    }

    /// JSON keeps one of the two without a word: which limit the user meant cannot be told.
    func testAKeyGivenTwiceIsRefused() {
        let twice = message("{\"daily_limit\": 2,\n \"daily_limit\": 5}")
        XCTAssertTrue(twice.hasPrefix("campaign/profile.json: key 'daily_limit': given twice (the second on line 2)"), twice)
        let nested = message(#"{"weekend_hours": {"open": "10:00", "close": "18:00", "open": "09:00"}}"#)
        XCTAssertTrue(nested.hasPrefix("campaign/profile.json: key 'open': given twice"), nested)
    }

    func testBadValuesAreNamed() {
        let table: [(String, String)] = [
            (#"{"daily_limit": 0}"#, "key 'daily_limit': must be a whole number at least 1, found 0"),
            (#"{"min_gap_minutes": 1441}"#, "key 'min_gap_minutes': must be a whole number between 0 and 1440, found 1441"),
            (#"{"campaign_limit": "20"}"#, "key 'campaign_limit': expected a whole number"),
            (#"{"campaign_limit": 2.5}"#, "key 'campaign_limit': must be a whole number at least 1, found 2.5"),
            (#"{"customer_exemption": "yes"}"#, "key 'customer_exemption': expected true or false"),
            (#"{"consent_exemption": null}"#, "key 'consent_exemption': expected true or false"),
            (#"{"weekday_hours": {"open": "8:00", "close": "21:00"}}"#, "key 'weekday_hours.open': '8:00' is not a time of day HH:MM"),
            (#"{"weekday_hours": {"open": "08:00", "close": "24:01"}}"#, "key 'weekday_hours.close': '24:01' is not a time of day"),
            (#"{"weekday_hours": {"open": "21:00", "close": "08:00"}}"#, "key 'weekday_hours': open (21:00) must be before close (08:00)"),
            (#"{"weekday_hours": {"open": "08:00"}}"#, "key 'weekday_hours.close': is required"),
            (#"{"weekday_hours": "08:00-21:00"}"#, "key 'weekday_hours': expected a JSON object"),
            (#"{"no_call_days": ["new_years_eve"]}"#, "key 'no_call_days[0]'"),
            (#"{"extra_no_call_dates": ["2026-06-06", "31-12"]}"#, "key 'extra_no_call_dates[1]': '31-12' is neither YYYY-MM-DD nor MM-DD"),
            (#"{"called_number_types": ["mobile", "premium_rate"]}"#, "key 'called_number_types': 'premium_rate' is not one of mobile, fixed"),
            (#"{"called_countries": ["se"]}"#, "key 'called_countries': 'se' is not one of SE, NO, FI, DK"),
            (#"{"register_validity_months": 0}"#, "key 'register_validity_months': must be a whole number between 1 and 1200"),
            (#"{"daily_limit": 2"#, "campaign/profile.json: not valid JSON (Unexpected end of file"),
            ("{\"daily_limit\": 2, \"min_gap_minutes\" 3}", "campaign/profile.json: not valid JSON (Invalid value around character"),
            (#"[1, 2]"#, "campaign/profile.json: expected a JSON object"),
        ]
        for (json, expected) in table {
            let text = message(json)
            XCTAssertTrue(text.contains(expected), "\(json): \(text)")
            XCTAssertTrue(text.hasPrefix("campaign/profile.json"), text)
            XCTAssertTrue(text.hasSuffix("docs/rule-profile.md) and rerun."), text)
        }
    }

    func testLoadFromFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rules-profile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("profile.json").path
        try Data(#"{"daily_limit": 1}"#.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try RuleProfile.load(path: path).dailyLimit, 1)

        try Data(#"{"daily_limits": 1}"#.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RuleProfile.load(path: path)) { error in
            XCTAssertEqual(error as? NixWashError,
                           .invalidRuleProfile(path: path, key: "daily_limits",
                                               reason: "unknown key; the known keys here are \(RuleProfile.jsonKeys.joined(separator: ", "))"))
        }
        let missing = folder.appendingPathComponent("missing.json").path
        XCTAssertThrowsError(try RuleProfile.load(path: missing)) { error in
            guard case .cannotOpen(missing, _)? = error as? NixWashError else { return XCTFail("\(error)") }
        }
    }

    func testEveryKeyIsDocumented() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/rule-profile.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for key in RuleProfile.jsonKeys {
            XCTAssertTrue(text.contains("`\(key)`"), "docs/rule-profile.md does not describe \(key)")
        }
        // The example file in the docs is itself a valid profile equal to the defaults.
        let start = try XCTUnwrap(text.range(of: "```json\n"))
        let end = try XCTUnwrap(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        XCTAssertEqual(try decode(String(text[start.upperBound..<end.lowerBound])), .default)
    }
}

final class RulesComplianceTests: XCTestCase {
    let profile = RuleProfile.default

    func refusal(_ callDate: String, register: String = "2026-11-01") -> NixWashError? {
        profile.refusal(callDate: LocalDate(callDate)!, registerDate: LocalDate(register)!, register: "nix.idx")
    }

    func testNoCallDaysAreRefusedByName() {
        let table: [(String, String)] = [
            ("2026-12-24", "2026-12-24 is Christmas Eve (julafton): no telephone sales calls may be made that day. Choose another call date."),
            ("2027-03-27", "2027-03-27 is Easter Eve (påskafton): no telephone sales calls may be made that day. Choose another call date."),
            ("2027-06-25", "2027-06-25 is Midsummer Eve (midsommarafton): no telephone sales calls may be made that day. Choose another call date."),
        ]
        for (date, text) in table {
            let error = refusal(date, register: date)
            XCTAssertEqual(error?.kind, .compliance, date)
            XCTAssertEqual(error?.localizedDescription, text)
        }
        XCTAssertNil(refusal("2026-12-23", register: "2026-12-01"))
    }

    func testExtraNoCallDates() throws {
        var p = profile
        p.extraNoCallDates = [.yearly(month: 12, day: 31), .once(LocalDate("2026-06-06")!)]
        XCTAssertEqual(p.noCallDay(on: LocalDate("2027-12-31")!), "a no-call day of the rule profile (extra_no_call_dates: 12-31)")
        XCTAssertEqual(p.noCallDay(on: LocalDate("2026-06-06")!), "a no-call day of the rule profile (extra_no_call_dates: 2026-06-06)")
        XCTAssertNil(p.noCallDay(on: LocalDate("2027-06-06")!))
        p.noCallDays = []
        XCTAssertNil(p.noCallDay(on: LocalDate("2026-12-24")!), "a profile can drop the guidelines' eves")
    }

    func testRegisterIsValidForTwoCalendarMonths() {
        let table: [(register: String, callDate: String, stale: Bool)] = [
            ("2026-01-15", "2026-03-15", false),  // exactly two months: last valid day
            ("2026-01-15", "2026-03-16", true),
            ("2025-12-31", "2026-02-28", false),  // Dec 31 + 2 months = Feb 28
            ("2025-12-31", "2026-03-01", true),
            ("2023-12-31", "2024-02-29", false),  // leap year: Feb 29
            ("2023-12-31", "2024-03-01", true),
            ("2026-11-01", "2026-10-01", false),  // a register newer than the call date
        ]
        for row in table {
            let error = refusal(row.callDate, register: row.register)
            XCTAssertEqual(error != nil, row.stale, "\(row)")
        }
        XCTAssertEqual(refusal("2026-03-01", register: "2025-12-31")?.localizedDescription,
                       "nix.idx: the register NIX-Telefon is dated 2025-12-31 and may be used for 2 months, through 2026-02-28; the call date 2026-03-01 is later. Get the current register, rebuild its index and rerun.")
        XCTAssertEqual(refusal("2026-03-01", register: "2025-12-31")?.kind, .compliance)
    }

    func testNoCallDayIsReportedBeforeAStaleRegister() {
        guard case .noCallDay? = refusal("2026-12-24", register: "2020-01-01") else { return XCTFail() }
    }

    func testCustomerExemption() {
        let call = LocalDate("2026-11-23")!
        let table: [(end: String?, customer: String?, campaign: String?, exempt: Bool)] = [
            (nil, nil, nil, true),                        // active agreement
            ("2027-01-01", nil, nil, true),               // ends in the future
            ("2025-11-23", nil, nil, true),               // ended exactly 12 months before
            ("2025-11-22", nil, nil, false),              // 12 months and a day
            ("2026-11-23", nil, nil, true),
            (nil, "broadband", "broadband", true),
            (nil, "broadband", "insurance", false),
            (nil, "broadband", nil, true),                // only one side has a category
            (nil, nil, "insurance", true),
            (nil, "", "insurance", true),                 // empty means none
            ("2025-11-22", "broadband", "broadband", false),
        ]
        for row in table {
            XCTAssertEqual(profile.customerExempts(agreementEnd: row.end.flatMap(LocalDate.init),
                                                   customerCategory: row.customer, campaignCategory: row.campaign,
                                                   callDate: call), row.exempt, "\(row)")
        }
        // 12 months after 2025-02-28 is 2026-02-28; from a leap day the month end clamps.
        XCTAssertTrue(profile.customerExempts(agreementEnd: LocalDate("2024-02-29"), customerCategory: nil,
                                              campaignCategory: nil, callDate: LocalDate("2025-02-28")!))
        XCTAssertFalse(profile.customerExempts(agreementEnd: LocalDate("2024-02-29"), customerCategory: nil,
                                               campaignCategory: nil, callDate: LocalDate("2025-03-01")!))
        var off = profile
        off.customerExemption = false
        XCTAssertFalse(off.customerExempts(agreementEnd: nil, customerCategory: nil, campaignCategory: nil, callDate: call))
    }

    func testConsentExemption() {
        let table: [(consent: String, call: String, exempt: Bool)] = [
            ("2026-05-15", "2026-05-15", true),   // given on the call date
            ("2026-02-15", "2026-05-15", true),   // exactly 3 months before
            ("2026-02-14", "2026-05-15", false),  // 3 months and a day
            ("2026-05-16", "2026-05-15", false),  // dated after the call date
            ("2026-03-01", "2026-05-31", true),   // Mar 1 + 3 months = Jun 1
            ("2026-02-28", "2026-05-31", false),  // Feb 28 + 3 months = May 28
        ]
        for row in table {
            XCTAssertEqual(profile.consentExempts(consentDate: LocalDate(row.consent)!, callDate: LocalDate(row.call)!),
                           row.exempt, "\(row)")
        }
        let call = LocalDate("2026-05-31")!
        XCTAssertTrue(profile.consentExempts(consentDate: LocalDate("2026-01-31")!, callDate: LocalDate("2026-04-30")!))
        XCTAssertFalse(profile.consentExempts(consentDate: LocalDate("2026-01-31")!, callDate: LocalDate("2026-05-01")!))
        var off = profile
        off.consentExemption = false
        XCTAssertFalse(off.consentExempts(consentDate: call, callDate: call))
    }
}
