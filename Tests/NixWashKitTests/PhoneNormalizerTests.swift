import XCTest
@testable import NixWashKit

final class PhoneNormalizerTests: XCTestCase {
    let sweden = PhoneNormalizer()

    func normalize(_ bytes: [UInt8], _ normalizer: PhoneNormalizer) -> PhoneParseResult {
        bytes.withUnsafeBytes { normalizer.normalize($0) }
    }

    func valid(_ e164: UInt64, _ type: NumberType, _ country: PhoneCountry? = .sweden) -> PhoneParseResult {
        .valid(NormalizedNumber(key: PhoneKey(rawValue: e164), country: country, type: type))
    }

    /// Every written form of SPEC section 2, and the other common ones, gives the same key.
    func testEveryWrittenFormOfOneMobileNumberGivesTheSameKey() {
        let forms: [(String, [UInt8])] = [
            ("dashes and spaces", Array("070-123 45 67".utf8)),
            ("compact national", Array("0701234567".utf8)),
            ("E.164", Array("+46701234567".utf8)),
            ("trunk zero in parentheses", Array("+46 (0)70 123 45 67".utf8)),
            ("trunk zero kept after +46", Array("+460701234567".utf8)),
            ("00 international prefix", Array("0046701234567".utf8)),
            ("00 prefix and (0)", Array("0046 (0)70-123 45 67".utf8)),
            ("calling code without plus", Array("46701234567".utf8)),
            ("calling code without plus, spaced", Array("46 70 123 45 67".utf8)),
            ("no trunk prefix", Array("701234567".utf8)),
            ("dots", Array("070.123.45.67".utf8)),
            ("slash", Array("070/123 45 67".utf8)),
            ("parentheses around the prefix", Array("(070) 123 45 67".utf8)),
            ("RFC 3966", Array("tel:+46-70-123-45-67".utf8)),
            ("label", Array("Tel. 070-123 45 67".utf8)),
            ("label with colon", Array("Mobil: 0701234567".utf8)),
            ("Excel apostrophe", Array("'0701234567".utf8)),
            ("quotes and padding", Array("  \"070-1234567\"\t".utf8)),
            ("trailing CR LF", Array("0701234567\r\n".utf8)),
            ("no-break space UTF-8", [0x30, 0x37, 0x30, 0xC2, 0xA0] + Array("123 45 67".utf8)),
            ("no-break space Latin-1", [0x30, 0x37, 0x30, 0xA0] + Array("123".utf8) + [0xA0] + Array("45 67".utf8)),
            ("narrow no-break space", Array("070\u{202F}123\u{202F}45\u{202F}67".utf8)),
            ("en dash", Array("070\u{2013}123 45 67".utf8)),
            ("Windows-1252 en dash", [0x30, 0x37, 0x30, 0x96] + Array("1234567".utf8)),
            ("byte order mark", [0xEF, 0xBB, 0xBF] + Array("0701234567".utf8)),
        ]
        for (name, bytes) in forms {
            XCTAssertEqual(normalize(bytes, sweden), valid(46701234567, .mobile), name)
        }
        XCTAssertEqual(sweden.normalize("08-123 456 78"), valid(46812345678, .fixedLine))
        XCTAssertEqual(sweden.normalize("+46 8 123 456 78"), valid(46812345678, .fixedLine))
    }

    func testSwedishNumberSeriesHaveTheirTypes() {
        let cases: [(String, PhoneParseResult)] = [
            ("070-123 45 67", valid(46701234567, .mobile)),
            ("072-123 45 67", valid(46721234567, .mobile)),
            ("073-123 45 67", valid(46731234567, .mobile)),
            ("076-123 45 67", valid(46761234567, .mobile)),
            ("079-123 45 67", valid(46791234567, .mobile)),
            ("08-12 34 56", valid(468123456, .fixedLine)),
            ("031-123 45 67", valid(46311234567, .fixedLine)),
            ("0910-123 45", valid(46910123_45, .fixedLine)),
            ("010-123 45 67", valid(46101234567, .uan)),
            ("020-12 34 56", valid(4620123456, .freephone)),
            ("0900-123 45 67", valid(469001234567, .premiumRate)),
            ("0939-123 456", valid(46939123456, .premiumRate)),
            ("0944-123 456", valid(46944123456, .premiumRate)),
            ("074-012 34 56", valid(46740123456, .paging)),
            ("075-123 45 67", valid(46751234567, .personal)),
            ("077-123 45 67", valid(46771234567, .sharedCost)),
            ("078-123 45 67", valid(46781234567, .mobile)),
            ("0254-123 456 789", valid(46254123456789, .voicemail)),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(sweden.normalize(text), expected, text)
        }
    }

    /// A foreign number in a Swedish list is valid with its country, never an invalid Swedish number.
    func testNordicNumbersWithTheirCallingCodeAreForeignNotInvalid() {
        XCTAssertEqual(sweden.normalize("+47 412 34 567"), valid(4741234567, .mobile, .norway))
        XCTAssertEqual(sweden.normalize("0047 22 12 34 56"), valid(4722123456, .fixedLine, .norway))
        XCTAssertEqual(sweden.normalize("+47 79 12 34 56"), valid(4779123456, .fixedLine, .norway))  // Svalbard
        XCTAssertEqual(sweden.normalize("+358 40 123 4567"), valid(358401234567, .mobile, .finland))
        XCTAssertEqual(sweden.normalize("+358 (0)9 123 4567"), valid(35891234567, .fixedLine, .finland))
        XCTAssertEqual(sweden.normalize("+45 32 12 34 56"), valid(4532123456, .fixedLineOrMobile, .denmark))
        XCTAssertEqual(sweden.normalize("+45 90 12 34 56"), valid(4590123456, .premiumRate, .denmark))
        XCTAssertEqual(sweden.normalize("+45 20 12 34 56"), valid(4520123456, .fixedLineOrMobile, .denmark))
        XCTAssertEqual(sweden.normalize("+45 80 12 34 56"), valid(4580123456, .freephone, .denmark))
    }

    /// Other calling codes: valid when the length fits, country nil, type unknown (foreign_number).
    func testOtherCallingCodesAreForeignWithUnknownType() {
        XCTAssertEqual(sweden.normalize("+49 30 1234567"), valid(49301234567, .unknown, nil))
        XCTAssertEqual(sweden.normalize("+44 (0)20 7946 0000"), valid(442079460000, .unknown, nil))
        XCTAssertEqual(sweden.normalize("0044 020 7946 0000"), valid(442079460000, .unknown, nil))
        XCTAssertEqual(sweden.normalize("+1 201 555 0123"), valid(12015550123, .unknown, nil))
        XCTAssertEqual(sweden.normalize("+49 30"), .invalid(.tooShort))
        XCTAssertEqual(sweden.normalize("+44 1234 567 890 123 45"), .invalid(.tooLong))
    }

    func testDefaultCountryIsASetting() {
        let norway = PhoneNormalizer(defaultCountry: .norway)
        XCTAssertEqual(norway.normalize("41234567"), valid(4741234567, .mobile, .norway))
        XCTAssertEqual(norway.normalize("412 34 567"), valid(4741234567, .mobile, .norway))
        XCTAssertEqual(norway.normalize("47 41 23 45 67"), valid(4741234567, .mobile, .norway))
        XCTAssertEqual(norway.normalize("0046 70 123 45 67"), valid(46701234567, .mobile, .sweden))
        XCTAssertEqual(norway.normalize("070-123 45 67"), .invalid(.tooLong))
        let finland = PhoneNormalizer(defaultCountry: .finland)
        XCTAssertEqual(finland.normalize("040 123 4567"), valid(358401234567, .mobile, .finland))
        let denmark = PhoneNormalizer(defaultCountry: .denmark)
        XCTAssertEqual(denmark.normalize("32 12 34 56"), valid(4532123456, .fixedLineOrMobile, .denmark))
        XCTAssertEqual(PhoneCountry.denmark.callingCode, 45)
        XCTAssertEqual(PhoneCountry.finland.callingCode, 358)
    }

    /// Both readings of `46...` valid: the national one wins, as in libphonenumber.
    func testCallingCodeWithoutPlusOnlyWhenTheNationalReadingIsNotValid() {
        XCTAssertEqual(sweden.normalize("46 8 123 456"), valid(46468123456, .fixedLine))
        XCTAssertEqual(sweden.normalize("4681234567"), valid(4681234567, .fixedLine))
    }

    func testEachRejectionHasATableCase() {
        let cases: [(String, [UInt8], PhoneRejection)] = [
            ("empty field", [], .empty),
            ("spaces only", Array("   ".utf8), .empty),
            ("no-break space only", [0xC2, 0xA0], .empty),
            ("a dash for no number", Array("-".utf8), .empty),
            ("a plus alone", Array("+".utf8), .empty),
            ("letters among digits", Array("070-ABC 45 67".utf8), .letters),
            ("a word", Array("saknas".utf8), .letters),
            ("Latin-1 letter", [0x30, 0x37, 0xF6], .letters),
            ("UTF-8 letter", Array("07ö0".utf8), .letters),
            ("extension", Array("08-123 456 78 ankn 12".utf8), .letters),
            ("unknown label", Array("fax: 08-123 456 78".utf8), .letters),
            ("hash", Array("070-123 45 67#".utf8), .badCharacter),
            ("two numbers", Array("0701234567, 0812345678".utf8), .badCharacter),
            ("plus after digits", Array("070+1234567".utf8), .badCharacter),
            ("two plus signs", Array("++46701234567".utf8), .badCharacter),
            ("mobile one digit short", Array("070-123 45 6".utf8), .tooShort),
            ("only the country code", Array("+46".utf8), .tooShort),
            ("half a calling code", Array("+3".utf8), .tooShort),
            ("a trunk zero alone", Array("0".utf8), .tooShort),
            ("mobile one digit long", Array("070-123 45 678".utf8), .tooLong),
            ("Stockholm one digit long", Array("08-123 456 789".utf8), .tooLong),
            ("forty digits", Array(String(repeating: "1234", count: 10).utf8), .tooLong),
            ("071 is not in the plan", Array("071-123 45 67".utf8), .badPrefix),
            ("Norwegian numbers do not start with 1", Array("+47 12 34 56 78".utf8), .badPrefix),
            ("Danish numbers do not start with 0", Array("+45 01 23 45 67".utf8), .badPrefix),
            ("no area code 0694", Array("0694-123 45".utf8), .unknownAreaCode),
            ("no area code 0124", Array("0124-123 45".utf8), .unknownAreaCode),
            ("calling code 999", Array("+999 123 456 789".utf8), .unknownCountryCode),
            ("calling code starting with 0", Array("+070 123 45 67".utf8), .unknownCountryCode),
            ("three zeros", Array("000 46 70 123 45 67".utf8), .unknownCountryCode),
        ]
        for (name, bytes, reason) in cases {
            XCTAssertEqual(normalize(bytes, sweden), .invalid(reason), name)
        }
        // The rejections of a lead's phone field: digits without their trunk 0 outside an
        // Excel column, and Excel's scientific notation (LeadPhoneFields, ScrubPhoneFieldTests).
        let strict = PhoneNormalizer(readsNumbersWithoutTrunkZero: false)
        XCTAssertEqual(normalize(Array("701234567".utf8), strict), .invalid(.noTrunkZero))
        XCTAssertEqual(normalize(Array("46701234567".utf8), strict), valid(46701234567, .mobile), "the calling code without +")
        XCTAssertEqual(normalize(Array("0701234567".utf8), strict), valid(46701234567, .mobile))
        XCTAssertEqual(normalize(Array("+46701234567".utf8), strict), valid(46701234567, .mobile))
        XCTAssertEqual(normalize(Array("12345678".utf8), PhoneNormalizer(defaultCountry: .norway, readsNumbersWithoutTrunkZero: false)),
                       normalize(Array("12345678".utf8), PhoneNormalizer(defaultCountry: .norway)), "Norway dials no trunk 0")
        for reason in PhoneRejection.allCases {
            XCTAssertTrue(cases.contains { $0.2 == reason } || [.noTrunkZero, .digitsLostInScientificNotation].contains(reason),
                          "no table case for \(reason)")
            XCTAssertTrue(reason.detail.hasSuffix("."), "\(reason) detail is a sentence")
        }
    }

    func testTypeAndRejectionWordsAreStable() {
        XCTAssertEqual(NumberType.allCases.map(\.rawValue), [
            "mobile", "fixed", "fixed_or_mobile", "freephone", "premium", "shared_cost", "personal",
            "m2m", "paging", "voip", "uan", "voicemail", "unknown",
        ])
        XCTAssertEqual(PhoneRejection.allCases.map(\.rawValue), [
            "empty", "letters", "bad_character", "too_short", "too_long", "bad_prefix",
            "unknown_area_code", "unknown_country_code", "no_trunk_zero", "scientific_notation",
        ])
    }
}
