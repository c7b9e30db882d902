/// What a field outside the phone columns holds, seen from the dialer: a whole phone number,
/// a Swedish personal identity number (personnummer), or anything else. The scrub checks
/// every such field of every row, so the common case (a name, an address, a postal code) is
/// decided from its first byte or its length.
///
/// Not phone numbers, though their digits may parse as one: dates (`2026-10-01`,
/// `01.10.2026`), amounts (`1234.50`), postal codes and short ids (too few digits), and digits
/// written without a trunk 0 or country code unless they read as a mobile number (Excel drops
/// the 0 of `0701234567`, but an id such as `12345678` is not a Stockholm number).
/// Personal identity numbers are counted apart: a column that holds mostly those is not a
/// phone column even where some of them parse as numbers.
struct PhoneContent {
    enum Kind {
        case other
        case phoneNumber
        /// Written as only a personal identity number is (`YYMMDD-XXXX`, `YYYYMMDDXXXX`).
        case identityNumber
        /// Ten bare digits that are both: `0701234567` is a mobile number and, with a valid
        /// check digit, the identity number of someone born on 23 January 2007.
        case phoneOrIdentityNumber
        /// A text with a whole phone number inside it, between words: `ring 070-123 45 67 efter 17`.
        case phoneNumberInText
    }

    let normalizer: PhoneNormalizer
    private let hasTrunkPrefix: Bool
    private let callingCode: UInt64

    init(normalizer: PhoneNormalizer) {
        self.normalizer = normalizer
        hasTrunkPrefix = normalizer.defaultCountry.plan.hasTrunkPrefix
        callingCode = normalizer.defaultCountry.callingCode
    }

    /// Fewer digits than any phone number has with its trunk 0: postal codes, short ids.
    static let minimumDigits = 7

    @inline(__always)
    func kind(of field: UnsafeRawBufferPointer) -> Kind {
        let n = field.count
        guard n >= Self.minimumDigits else { return .other }
        if n <= 40 {
            let first = field[0]
            if first &- 0x30 < 10 || first == 0x2B || first == 0x28 || first == 0x20 {
                let kind = closerLook(field)
                if kind != .other { return kind }
                let excelKind = excelLook(field)
                if excelKind != .other { return excelKind }
            } else if first == 0x3D || first == 0x27 {
                return excelLook(field)
            } else {
                // `Tel: 070…`, `Mobil 070…`, `tfn.070…`: a label the normalizer reads as one.
                switch (first | 0x20, field[1] | 0x20, field[2] | 0x20) {
                case (0x74, 0x65, 0x6C), (0x74, 0x66, 0x6E), (0x74, 0x6C, 0x66), (0x6D, 0x6F, 0x62), (0x70, 0x68, 0x6F):
                    if case .valid = normalizer.normalize(field) { return .phoneNumber }
                default:
                    break
                }
            }
        }
        return Self.digitCount(field) >= Self.minimumDigits && hasNumberInText(field) ? .phoneNumberInText : .other
    }

    /// The digits of a field, counted without a branch per byte: most texts (names,
    /// addresses, towns) have too few to hold a number and need no closer look.
    @inline(__always)
    static func digitCount(_ field: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in field { count &+= byte &- 0x30 < 10 ? 1 : 0 }
        return count
    }

    /// Whether a run of digits and phone punctuation between words of the text is a whole
    /// phone number by `closerLook`'s rules (a date, an amount, an id or a personal identity
    /// number is not). Most texts have no run of seven digits, and are passed over in one look
    /// at each byte.
    private func hasNumberInText(_ field: UnsafeRawBufferPointer) -> Bool {
        let n = field.count
        var i = 0
        while i < n {
            let byte = field[i]
            guard byte &- 0x30 < 10 || byte == 0x2B else {
                i += 1
                continue
            }
            // A run starts after a byte that is not a letter or digit (`A1234567` is an id).
            if i > 0, Self.isWordByte(field[i - 1]) {
                i += 1
                while i < n, field[i] &- 0x30 < 10 { i += 1 }
                continue
            }
            var end = i, digits = 0, lastDigit = i
            while end < n {
                let b = field[end]
                if b &- 0x30 < 10 {
                    digits += 1
                    lastDigit = end
                } else if !(b == 0x20 || b == 0x2D || b == 0x2E || b == 0x2F || b == 0x28 || b == 0x29 || (b == 0x2B && end == i)) {
                    break
                }
                end += 1
            }
            // The run ends at its last digit, and not inside a word (`070-1234567abc`).
            if digits >= Self.minimumDigits, lastDigit + 1 == n || !Self.isWordByte(field[lastDigit + 1]) {
                if isPhoneNumber(run: i...lastDigit, of: field) { return true }
                // Two numbers side by side (`070-123 45 67 08-123 456 78`) make one run: each
                // start after a blank is tried again, with every end before a blank.
                if let blank = (i...lastDigit).first(where: { field[$0] == 0x20 }) {
                    i = blank + 1
                    continue
                }
            }
            i = max(end, i + 1)
        }
        return false
    }

    /// The run, or a part of it that ends before a blank, is a whole phone number.
    private func isPhoneNumber(run: ClosedRange<Int>, of field: UnsafeRawBufferPointer) -> Bool {
        func isPhone(_ range: ClosedRange<Int>) -> Bool {
            guard range.count <= 40 else { return false }
            let kind = closerLook(UnsafeRawBufferPointer(rebasing: field[range]))
            return kind == .phoneNumber || kind == .phoneOrIdentityNumber
        }
        if isPhone(run) { return true }
        var digits = 0
        for j in run {
            if field[j] &- 0x30 < 10 { digits += 1 }
            if field[j] == 0x20, digits >= Self.minimumDigits, field[j - 1] &- 0x30 < 10, isPhone(run.lowerBound...(j - 1)) { return true }
        }
        return false
    }

    @inline(__always)
    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26 || byte >= 0x80
    }

    /// A value as Excel writes a number (`="0701234567"`, `'0701234567`, `46701234567.0`,
    /// `4.6701234567E+10`), looked at as the phone columns read it once repaired: a number
    /// they would wash is a phone number here too. Scientific notation that lost digits of a
    /// number long enough to be a phone number counts as one: its digits cannot be checked.
    private func excelLook(_ field: UnsafeRawBufferPointer) -> Kind {
        var start = 0
        var end = field.count
        while start < end, LeadPhoneFields.isSpace(field[start]) { start += 1 }
        while end > start, LeadPhoneFields.isSpace(field[end - 1]) { end -= 1 }
        var marked = false
        if end - start >= 3, field[start] == 0x3D, field[start + 1] == 0x22, field[end - 1] == 0x22 {
            start += 2
            end -= 1
            marked = true
        }
        if start < end, field[start] == 0x27 {
            start += 1
            marked = true
        }
        let text = UnsafeRawBufferPointer(rebasing: field[start..<end])
        if let integer = LeadPhoneFields.decimalZeroPrefix(text) {
            return closerLook(UnsafeRawBufferPointer(rebasing: text[..<integer]))
        }
        switch LeadPhoneFields.scientific(text) {
        case .notScientific:
            return marked ? closerLook(text) : .other
        case let .digitsLost(integerDigits):
            return integerDigits >= Self.minimumDigits ? .phoneNumber : .other
        case let .exact(digits):
            return digits.withUnsafeBytes { closerLook($0) }
        }
    }

    /// The field starts like a number: its shape, then the normalizer.
    private func closerLook(_ field: UnsafeRawBufferPointer) -> Kind {
        // Digits packed four bits each (at most 16 kept) and the shape of the separators.
        var digits = 0
        var value: UInt64 = 0
        var plus = false
        var groups = DigitGroups()
        var group = 0
        var separators: UInt32 = 0  // bit per separator byte seen: 0 '-', 1 '.', 2 '/', 3 ' ', 4 '(' ')', 5 '+'
        for byte in field {
            switch byte {
            case 0x30...0x39:
                digits += 1
                if digits <= 18 { value = value &* 10 &+ UInt64(byte &- 0x30) }
                group += 1
                continue
            case 0x2D: separators |= 1
            case 0x2E: separators |= 2
            case 0x2F: separators |= 4
            case 0x20: separators |= 8
            case 0x28, 0x29: separators |= 16
            case 0x2B:
                if digits > 0 { separators |= 32 } else { plus = true }
            default:
                return .other
            }
            if group > 0 {
                groups.append(group)
                group = 0
            }
        }
        if group > 0 { groups.append(group) }
        guard digits >= Self.minimumDigits, digits <= 17 else { return .other }
        var identity = false
        if !plus, Self.isIdentityNumber(value: value, digits: digits, groups: groups, separators: separators) {
            if digits == 12 || groups.count == 2 { return .identityNumber }
            identity = true
        }
        if !plus, digits == 8, Self.isDayMonthYear(value: value, groups: groups, separators: separators) { return .other }
        let phone = isPhoneNumber(field, value: value, digits: digits, plus: plus)
        return phone ? (identity ? .phoneOrIdentityNumber : .phoneNumber) : (identity ? .identityNumber : .other)
    }

    private func isPhoneNumber(_ field: UnsafeRawBufferPointer, value: UInt64, digits: Int, plus: Bool) -> Bool {
        guard case let .valid(number) = normalizer.normalize(field) else { return false }
        if plus || !hasTrunkPrefix { return true }
        // Written without +: with a trunk 0 or 00, or with the country's code, it is a
        // number; bare digits are one only when they read as a mobile number.
        let leading = Self.leadingDigits(value: value, digits: digits, count: 3)
        if leading / 100 == 0 { return true }
        let codeDigits = callingCode < 100 ? 2 : 3
        if leading / UInt64(codeDigits == 2 ? 10 : 1) == callingCode, digits >= codeDigits + 6 { return true }
        return number.type == .mobile
    }

    /// The first `count` of a value's `digits` digits.
    private static func leadingDigits(value: UInt64, digits: Int, count: Int) -> UInt64 {
        var v = value
        var d = digits
        while d > count {
            v /= 10
            d -= 1
        }
        return v
    }

    /// `YYMMDD-XXXX`, `YYYYMMDD-XXXX` (or `+` for a centenarian, or no separator) with a valid
    /// date (a day plus 60 for a coordination number) and check digit.
    static func isIdentityNumber(value: UInt64, digits: Int, groups: DigitGroups, separators: UInt32) -> Bool {
        guard digits == 10 || digits == 12 else { return false }
        switch groups.count {
        case 1: break
        case 2: guard groups.length(1) == 4, separators & ~UInt32(1 | 32) == 0 else { return false }
        default: return false
        }
        let ten = value % 10_000_000_000
        if digits == 12 {
            let century = value / 10_000_000_000
            guard century == 19 || century == 20 else { return false }
        }
        let month = Int(ten / 1_000_000 % 100)
        var day = Int(ten / 10_000 % 100)
        if day > 60 { day -= 60 }
        guard (1...12).contains(month), (1...31).contains(day) else { return false }
        // Luhn over the ten digits, the last one the check digit.
        var sum = 0
        var rest = ten
        for position in 0..<10 {
            var digit = Int(rest % 10)
            rest /= 10
            if position % 2 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return sum % 10 == 0
    }

    /// `DD.MM.YYYY`, `DD/MM/YYYY`, `DD-MM-YYYY`: a date, not `01-10 20 26`.
    static func isDayMonthYear(value: UInt64, groups: DigitGroups, separators: UInt32) -> Bool {
        guard groups.count == 3, groups.length(0) == 2, groups.length(1) == 2, groups.length(2) == 4,
              separators & 8 == 0, separators != 0 else { return false }
        let day = value / 1_000_000, month = value / 10_000 % 100, year = value % 10_000
        return (1...31).contains(day) && (1...12).contains(month) && (1900...2099).contains(year)
    }
}

/// The lengths of a field's runs of digits, four bits each in one word (no allocation).
struct DigitGroups {
    private var lengths: UInt64 = 0
    private(set) var count = 0

    @inline(__always)
    mutating func append(_ length: Int) {
        if count < 16 { lengths |= UInt64(min(length, 15)) << UInt64(count * 4) }
        count += 1
    }

    func length(_ index: Int) -> Int { Int(lengths >> UInt64(index * 4) & 0xF) }
}

/// Per column of a lead list: how many of its fields are phone numbers and identity numbers,
/// and the first line with a phone number. Counted for the columns that are neither washed
/// nor declared, on every row.
struct ColumnContentCounts {
    var phoneNumbers: [UInt64]
    /// Phone numbers that cannot be identity numbers: never excused by an identity column.
    var onlyPhoneNumbers: [UInt64]
    var firstOnlyPhoneLine: [UInt64]
    var identityNumbers: [UInt64]
    var numberLike: [UInt64]
    var firstPhoneLine: [UInt64]
    /// Texts with a phone number inside: not a phone column's values, but a number to wash.
    var numbersInText: [UInt64]
    var firstTextLine: [UInt64]

    init(columns: Int) {
        numbersInText = Array(repeating: 0, count: columns)
        firstTextLine = Array(repeating: 0, count: columns)
        phoneNumbers = Array(repeating: 0, count: columns)
        onlyPhoneNumbers = Array(repeating: 0, count: columns)
        firstOnlyPhoneLine = Array(repeating: 0, count: columns)
        identityNumbers = Array(repeating: 0, count: columns)
        numberLike = Array(repeating: 0, count: columns)
        firstPhoneLine = Array(repeating: 0, count: columns)
    }

    @inline(__always)
    mutating func count(_ kind: PhoneContent.Kind, column: Int, line: UInt64) {
        switch kind {
        case .other: return
        case .phoneNumber:
            countPhoneNumber(column: column, line: line)
            if onlyPhoneNumbers[column] == 0 { firstOnlyPhoneLine[column] = line }
            onlyPhoneNumbers[column] += 1
        case .identityNumber:
            identityNumbers[column] += 1
        case .phoneOrIdentityNumber:
            countPhoneNumber(column: column, line: line)
            identityNumbers[column] += 1
        case .phoneNumberInText:
            if numbersInText[column] == 0 { firstTextLine[column] = line }
            numbersInText[column] += 1
            return
        }
        numberLike[column] += 1
    }

    @inline(__always)
    private mutating func countPhoneNumber(column: Int, line: UInt64) {
        if phoneNumbers[column] == 0 { firstPhoneLine[column] = line }
        phoneNumbers[column] += 1
    }

    /// Identity numbers that make a column an identity-number column: one bare number that
    /// could be either is a phone number.
    static let identityColumnMinimum: UInt64 = 20

    /// A column of personal identity numbers written as ten bare digits: some of them read as
    /// phone numbers (`0503151234`), but those are identity numbers too.
    func isIdentityColumn(_ column: Int) -> Bool {
        identityNumbers[column] >= Self.identityColumnMinimum && identityNumbers[column] * 10 >= numberLike[column] * 9
    }

    /// Whether the column holds a phone number that must be washed: an identity column's
    /// values that could be either are excused, a value that can only be a phone number
    /// (`070-132 93 15`, a number with no valid check digit) never is.
    func holdsPhoneNumbers(_ column: Int) -> Bool {
        wholePhoneNumbers(column).count > 0 || numbersInText[column] > 0
    }

    /// The column's fields that are whole phone numbers to wash, and the first line of one.
    func wholePhoneNumbers(_ column: Int) -> (count: UInt64, firstLine: UInt64) {
        isIdentityColumn(column) ? (onlyPhoneNumbers[column], firstOnlyPhoneLine[column])
            : (phoneNumbers[column], firstPhoneLine[column])
    }
}
