/// The digits of one phone field, four bits each in two registers (no memory traffic, no
/// allocation). Longer fields only count their digits: no number has more than 17, so anything
/// past `capacity` is rejected as too long anyway.
struct DigitBuffer {
    static let capacity = 32
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private(set) var count = 0

    @inline(__always)
    mutating func append(_ digit: UInt8) {
        if count < 16 {
            low |= UInt64(digit) << UInt64(count &* 4)
        } else if count < Self.capacity {
            high |= UInt64(digit) << UInt64((count &- 16) &* 4)
        }
        count += 1
    }

    /// Appends eight digits packed four bits each, first digit lowest. Swift's shifts by 64 or
    /// more give 0 and negative ones shift the other way, which splits them across the words.
    @inline(__always)
    mutating func append(eight packed: UInt64) {
        let shift = count &* 4
        low |= packed << shift
        high |= packed << (shift &- 64)
        count += 8
    }

    /// The digits from `start` on, four bits each, first digit lowest (16 at most).
    @inline(__always)
    func nibbles(from start: Int) -> UInt64 {
        let shift = start &* 4
        return low >> shift | high << (64 &- shift)
    }

    @inline(__always)
    subscript(index: Int) -> UInt8 {
        index < 16 ? UInt8(truncatingIfNeeded: low >> UInt64(index &* 4)) & 0xF
                   : UInt8(truncatingIfNeeded: high >> UInt64((index &- 16) &* 4)) & 0xF
    }
}

/// Turns what a vendor typed into a phone field into an E.164 number with its country and type,
/// or a specific reason why it is not one. Accepted written forms: any mix of spaces (including
/// non-breaking and other Unicode spaces, in UTF-8 or Latin-1), dashes, dots, slashes,
/// parentheses and quotes between the digits; a leading `+` or `00` international prefix; a
/// national `0` trunk prefix; `+46 (0)70...` (a parenthesised 0 after the country code, and
/// for Sweden and Finland any 0 after it, is the trunk prefix and dropped); the default
/// country's calling code without `+` (`46701234567`) when the digits are not a valid national
/// number but are one after the code; a leading label such as `tel:`, `Tfn.` or `Mobil:`.
///
/// Numbers with a calling code of Sweden, Norway, Finland or Denmark are checked against
/// that country's plan, so a Norwegian number in a Swedish list comes out valid with country
/// `.norway`. Numbers with any other assigned calling code come out valid with country nil and
/// type `.unknown` when their length is plausible for that code.
///
/// The hot path reads the bytes once, keeps the digits in two registers and walks one table per
/// country: no Foundation, no allocation, no regex.
public struct PhoneNormalizer: Sendable {
    public let defaultCountry: PhoneCountry
    /// Whether digits written without the trunk 0 of a country that dials one (`701234567`)
    /// are read as a national number. A lead's phone field reads them only in a column that is
    /// plainly an Excel export (`LeadPhoneFields`); elsewhere they are `no_trunk_zero`.
    public let readsNumbersWithoutTrunkZero: Bool
    private let plan: NumberingPlan
    private let countryDigits: Int
    private let callingCodes: CallingCodeTable
    private let byteClasses: ByteClasses

    public init(defaultCountry: PhoneCountry = .sweden, readsNumbersWithoutTrunkZero: Bool = true) {
        self.defaultCountry = defaultCountry
        self.readsNumbersWithoutTrunkZero = readsNumbersWithoutTrunkZero
        self.plan = defaultCountry.plan
        self.countryDigits = defaultCountry.callingCode < 100 ? 2 : 3
        self.callingCodes = .shared
        self.byteClasses = .shared
    }

    public func normalize(_ text: String) -> PhoneParseResult {
        var text = text
        return text.withUTF8 { normalize(UnsafeRawBufferPointer($0)) }
    }

    public func normalize(_ bytes: UnsafeRawBufferPointer) -> PhoneParseResult {
        var digits = DigitBuffer()
        var plus = false
        var letters = false
        var badCharacter = false
        var parenthesisStart = -1
        var parenthesisedZero = -1
        let count = bytes.count
        let classes = byteClasses.classes
        var i = 0
        while i < count {
            // Eight digits in a row (compact forms): check and pack them at once.
            if i &+ 8 <= count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let values = word ^ 0x3030_3030_3030_3030
                if ((values &+ 0x7676_7676_7676_7676) | values) & 0x8080_8080_8080_8080 == 0 {
                    var packed = (values | values >> 4) & 0x00FF_00FF_00FF_00FF
                    packed = (packed | packed >> 8) & 0x0000_FFFF_0000_FFFF
                    packed = (packed | packed >> 16) & 0x0000_0000_FFFF_FFFF
                    digits.append(eight: packed)
                    i &+= 8
                    continue
                }
            }
            let byte = bytes[i]
            i += 1
            let byteClass = classes[Int(byte)]
            if byteClass < 10 {
                digits.append(byteClass)
                continue
            }
            if byteClass == ByteClasses.separator { continue }
            switch byte {
            case 0x28:
                parenthesisStart = digits.count
            case 0x29:
                // Past the buffer's capacity digits are only counted (the field is too long).
                if parenthesisStart >= 0, parenthesisStart < DigitBuffer.capacity,
                   digits.count == parenthesisStart + 1, digits[parenthesisStart] == 0 {
                    parenthesisedZero = parenthesisStart
                }
                parenthesisStart = -1
            case 0x2B:
                if digits.count == 0, !plus { plus = true } else { badCharacter = true }
            case 0x41...0x5A, 0x61...0x7A:
                if digits.count == 0, !plus, !letters, let end = Self.labelEnd(bytes, at: i - 1) {
                    i = end
                } else {
                    letters = true
                }
            case 0x80...:
                let width = Self.unicodeSeparatorWidth(bytes, at: i - 1)
                if width == 0 { letters = true } else { i += width - 1 }
            default:
                badCharacter = true
            }
        }
        if letters { return .invalid(.letters) }
        if badCharacter { return .invalid(.badCharacter) }
        if digits.count == 0 { return .invalid(.empty) }
        if digits.count > DigitBuffer.capacity { return .invalid(.tooLong) }
        if plus { return international(digits, from: 0, parenthesisedZero: parenthesisedZero) }
        if digits.count >= 2, digits[0] == 0, digits[1] == 0 {
            return international(digits, from: 2, parenthesisedZero: parenthesisedZero)
        }
        return national(digits, parenthesisedZero: parenthesisedZero)
    }

    /// A number written without `+` or `00`: a national number of the default country, or that
    /// country's calling code followed by a national number (`46701234567`, `4608...`). The
    /// national reading wins when both are valid, as in libphonenumber.
    private func national(_ digits: DigitBuffer, parenthesisedZero: Int) -> PhoneParseResult {
        let start = plan.hasTrunkPrefix && digits[0] == 0 ? 1 : 0
        var reading = plan.classify(digits, from: start, to: digits.count)
        if case let .number(type, key) = reading {
            if start == 0, plan.hasTrunkPrefix, !readsNumbersWithoutTrunkZero {
                // Its 0 eaten, or the calling code without + (`46 8 123 456`): it cannot be told.
                reading = .rejected(.noTrunkZero)
            } else {
                return .valid(NormalizedNumber(key: PhoneKey(rawValue: key), country: defaultCountry, type: NumberType(code: type)))
            }
        }
        guard start == 0, digits.count > countryDigits, startsWithCallingCode(digits) else {
            return Self.result(reading, country: defaultCountry)
        }
        var nsn = countryDigits
        if digits[nsn] == 0, plan.hasTrunkPrefix || parenthesisedZero == nsn { nsn += 1 }
        let withCode = plan.classify(digits, from: nsn, to: digits.count)
        if case .number = withCode { return Self.result(withCode, country: defaultCountry) }
        // Report the national reading's fault unless it only failed for being too long.
        if case .rejected(.tooLong) = reading { return Self.result(withCode, country: defaultCountry) }
        return Self.result(reading, country: defaultCountry)
    }

    @inline(__always)
    private func startsWithCallingCode(_ digits: DigitBuffer) -> Bool {
        var code: UInt64 = 0
        for i in 0..<countryDigits { code = code * 10 + UInt64(digits[i]) }
        return code == plan.callingCode
    }

    /// A number after `+` or `00`: calling code, then the NSN (a trunk 0 after the code dropped).
    private func international(_ digits: DigitBuffer, from start: Int, parenthesisedZero: Int) -> PhoneParseResult {
        if start < digits.count, digits[start] == 0 { return .invalid(.unknownCountryCode) }
        var code = 0
        var entry: UInt32 = 0
        var nsn = start
        while nsn < digits.count, nsn - start < 3 {
            code = code * 10 + Int(digits[nsn])
            nsn += 1
            entry = callingCodes.entries[code]
            if entry != 0 { break }
        }
        if entry == 0 {
            return .invalid(nsn - start < 3 && nsn == digits.count ? .tooShort : .unknownCountryCode)
        }
        if let country = Self.country(callingCode: code) {
            let plan = country.plan
            if nsn < digits.count, digits[nsn] == 0, plan.hasTrunkPrefix || parenthesisedZero == nsn { nsn += 1 }
            return Self.result(plan.classify(digits, from: nsn, to: digits.count), country: country)
        }
        // A country whose plan is not carried: check the length only.
        let codeLength = nsn - start
        if nsn < digits.count, digits[nsn] == 0, entry & 0x1_0000 != 0 || parenthesisedZero == nsn {
            nsn += 1
            // A country that dials a trunk 0 has no national number starting with 0: a second
            // 0 would survive into the E.164 form, which would then read as another number.
            if entry & 0x1_0000 != 0, nsn < digits.count, digits[nsn] == 0 { return .invalid(.badPrefix) }
        }
        let length = digits.count - nsn
        if length < Int(entry & 0xFF) { return .invalid(.tooShort) }
        if length > Int((entry >> 8) & 0xFF) || codeLength + length > 15 {
            return .invalid(.tooLong)
        }
        var key = UInt64(code)
        for i in nsn..<digits.count { key = key &* 10 &+ UInt64(digits[i]) }
        return .valid(NormalizedNumber(key: PhoneKey(rawValue: key), country: nil, type: .unknown))
    }

    @inline(__always)
    private static func country(callingCode: Int) -> PhoneCountry? {
        switch callingCode {
        case 46: return .sweden
        case 47: return .norway
        case 358: return .finland
        case 45: return .denmark
        default: return nil
        }
    }

    @inline(__always)
    private static func result(_ verdict: PlanVerdict, country: PhoneCountry) -> PhoneParseResult {
        switch verdict {
        case let .number(type, key):
            return .valid(NormalizedNumber(key: PhoneKey(rawValue: key), country: country, type: NumberType(code: type)))
        case let .rejected(reason):
            return .invalid(reason)
        }
    }

    /// Where the number proper starts after a label such as `tel:` (RFC 3966), `Tel.`, `Tfn:`,
    /// `Mobil ` that starts at `start`, or nil when the letters there are no such label.
    private static func labelEnd(_ bytes: UnsafeRawBufferPointer, at start: Int) -> Int? {
        // The label, lower-cased and packed into an integer: at most 7 ASCII letters.
        var word: UInt64 = 0
        var j = start
        while j < bytes.count, j - start < 8 {
            let lower = bytes[j] | 0x20
            guard lower >= 0x61, lower <= 0x7A else { break }
            word = word << 8 | UInt64(lower)
            j += 1
        }
        guard j - start < 8, j < bytes.count, knownLabels.contains(word) else { return nil }
        switch bytes[j] {
        case 0x3A, 0x2E, 0x20: return j + 1  // ':', '.', ' '
        default: return nil
        }
    }

    private static let knownLabels: [UInt64] = ["tel", "tfn", "tlf", "telefon", "mob", "mobil", "phone"].map { label in
        label.utf8.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The width of a Unicode space or dash starting at `index` in UTF-8 (no-break, narrow
    /// no-break, thin and other spaces, zero-width space and joiners, byte order mark, hyphens,
    /// dashes, minus sign), or 0 when the byte starts anything else.
    @inline(__always)
    private static func unicodeSeparatorWidth(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int {
        let lead = bytes[index]
        let next: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
        let third: UInt8 = index + 2 < bytes.count ? bytes[index + 2] : 0
        switch (lead, next) {
        case (0xC2, 0xA0), (0xC2, 0xAD):
            return 2
        case (0xE2, 0x80):
            return (0x80...0x95).contains(third) || third == 0xAF ? 3 : 0
        case (0xE2, 0x81):
            return third == 0xA0 ? 3 : 0
        case (0xE2, 0x88):
            return third == 0x92 ? 3 : 0
        case (0xE3, 0x80):
            return third == 0x80 ? 3 : 0
        case (0xEF, 0xBB):
            return third == 0xBF ? 3 : 0
        default:
            return 0
        }
    }
}

/// What each byte of a phone field is, for the scanning loop: a digit's value, a separator, or
/// something that needs a closer look. Built once, in memory that is never freed.
struct ByteClasses: @unchecked Sendable {  // immutable and never freed
    static let separator: UInt8 = 10
    static let other: UInt8 = 11
    static let shared = ByteClasses()
    let classes: UnsafePointer<UInt8>

    init() {
        let table = immortalCopy([UInt8](repeating: Self.other, count: 256))
        for digit in 0..<10 { table[0x30 + digit] = UInt8(digit) }
        // space, tab, LF, CR, - . / " ', Latin-1 no-break space and soft hyphen,
        // Windows-1252 en and em dash
        for byte in [0x20, 0x09, 0x0A, 0x0D, 0x2D, 0x2E, 0x2F, 0x22, 0x27, 0xA0, 0xAD, 0x96, 0x97] {
            table[byte] = Self.separator
        }
        classes = UnsafePointer(table)
    }
}

/// `countryCallingCodes` in immortal memory, so that a lookup is a bare load.
struct CallingCodeTable: @unchecked Sendable {  // immutable and never freed
    static let shared = CallingCodeTable(entries: UnsafePointer(immortalCopy(countryCallingCodes)))
    let entries: UnsafePointer<UInt32>
}
