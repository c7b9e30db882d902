import XCTest
@testable import NixWashKit

/// `VerdictRules` alone: facts in, every reason out, with no list, file or database behind it.
final class RulesVerdictTests: XCTestCase {
    private let monday = LocalDate("2026-11-23")!
    private let normalizer = PhoneNormalizer(defaultCountry: .sweden)

    private func parsed(_ text: String) -> PhoneParseResult {
        Array(text.utf8).withUnsafeBytes { normalizer.normalize($0) }
    }

    private func rules(_ change: (inout RuleProfile) -> Void = { _ in }) -> VerdictRules {
        var profile = RuleProfile.default
        change(&profile)
        return VerdictRules(profile: profile, callDate: monday)
    }

    func testAMobileNumberWithNoFactsIsCallableWithTheWholeDayLeft() {
        let verdict = rules().verdict(parsed("070-123 45 67"), duplicate: false, facts: .none)
        XCTAssertTrue(verdict.isCallable)
        XCTAssertEqual(verdict.number?.key.rawValue, 46_701_234_567)
        XCTAssertEqual(verdict.quota.attemptsLeftToday, RuleProfile.default.dailyLimit)
        XCTAssertEqual(verdict.quota.notBefore, rules().quota.window.open)
        XCTAssertNil(verdict.exemption)
    }

    func testEveryFactThatForbidsACallGivesItsReasonAndAllOfThemAreKept() {
        let history = NumberHistory(campaignAttemptsInWindow: 20, centreAttemptsOnCallDate: 2,
                                    lastCentreAttemptOnCallDate: nil, otherCampaignsWithSameOffer: 2)
        let facts = NumberFacts(inNix: true, exemption: nil, blockLists: 0b101, history: history)
        let verdict = rules().verdict(parsed("0701234567"), duplicate: true, facts: facts)
        XCTAssertEqual(verdict.reasons.reasons, [.duplicate, .companyBlock, .nix, .offerQuota, .quota30d, .quotaDaily])
        XCTAssertEqual(verdict.reasons.primary, .duplicate)
        XCTAssertEqual(verdict.blockLists, 0b101)
        XCTAssertEqual(verdict.quota.attemptsLeftToday, 0)
    }

    func testAnExemptionLiftsNixButNothingElse() {
        let facts = NumberFacts(inNix: true, exemption: .customer, blockLists: 1)
        let verdict = rules().verdict(parsed("0701234567"), duplicate: false, facts: facts)
        XCTAssertEqual(verdict.reasons.reasons, [.companyBlock])
        XCTAssertEqual(verdict.exemption, .customer)
        let lifted = rules().verdict(parsed("0701234567"), duplicate: false, facts: NumberFacts(inNix: true, exemption: .consent))
        XCTAssertTrue(lifted.isCallable)
        XCTAssertEqual(lifted.exemption, .consent)
    }

    func testAnInvalidNumberHasOnlyItsOwnReasonWhateverTheFactsSay() {
        let verdict = rules().verdict(parsed("12"), duplicate: true, facts: NumberFacts(inNix: true, blockLists: 1))
        XCTAssertEqual(verdict.reasons.reasons, [.invalidNumber])
        XCTAssertNotNil(verdict.rejection)
        XCTAssertNil(verdict.number)
    }

    func testTypesAndCountriesTheCampaignDoesNotCall() {
        let mobileOnly = rules { $0.calledNumberTypes = ["mobile"] }
        XCTAssertEqual(mobileOnly.verdict(parsed("08-123 456 78"), duplicate: false, facts: .none).reasons.reasons, [.numberType])
        XCTAssertTrue(mobileOnly.verdict(parsed("0701234567"), duplicate: false, facts: .none).isCallable)
        let norwegian = rules().verdict(parsed("+47 412 34 567"), duplicate: false, facts: .none)
        XCTAssertEqual(norwegian.reasons.reasons, [.foreignNumber])
        let both = rules { $0.calledCountries = ["SE", "NO"] }
        XCTAssertTrue(both.verdict(parsed("+47 412 34 567"), duplicate: false, facts: .none).isCallable)
    }

    func testConsentOnlyNeedsAConsentEvenOutsideNix() {
        let consentOnly = rules { $0.nixMode = .consentOnly }
        XCTAssertEqual(consentOnly.verdict(parsed("0701234567"), duplicate: false, facts: .none).reasons.reasons, [.noConsent])
        XCTAssertTrue(consentOnly.verdict(parsed("0701234567"), duplicate: false, facts: NumberFacts(consented: true)).isCallable)
        // In the default mode a missing consent is no reason.
        XCTAssertTrue(rules().verdict(parsed("0701234567"), duplicate: false, facts: NumberFacts(consented: false)).isCallable)
    }

    /// The same facts give the same verdict every time: nothing is remembered between calls.
    func testTheRulesRememberNothing() {
        let r = rules()
        let first = r.verdict(parsed("0701234567"), duplicate: false, facts: .none)
        for _ in 0..<3 { XCTAssertEqual(r.verdict(parsed("0701234567"), duplicate: false, facts: .none), first) }
    }
}
