/// An Excel artefact in a phone field that nixwash undoes before reading the number. Each is
/// counted in the report under its `name` and named in the detail of the row it was applied to.
public enum ExcelRepair: Int, CaseIterable, Sendable {
    /// `="0701234567"`: Excel's way to keep a number as text.
    case formulaText
    /// `'0701234567`: the same, typed.
    case apostrophe
    /// `46701234567.0` (or `,0`): a number written as a decimal.
    case decimalZero
    /// `701234567` in a column where most values lost their 0 (Excel read them as numbers).
    case leadingZero
    /// `4.6701234567E+10` with every digit there, written out.
    case scientificNotation

    public var name: String {
        switch self {
        case .formulaText: return "excel_formula_text"
        case .apostrophe: return "excel_apostrophe"
        case .decimalZero: return "excel_decimal_zero"
        case .leadingZero: return "excel_leading_zero"
        case .scientificNotation: return "excel_scientific_notation"
        }
    }

    public var detail: String {
        switch self {
        case .formulaText: return "=\"…\" unwrapped"
        case .apostrophe: return "leading apostrophe removed"
        case .decimalZero: return ".0 removed"
        case .leadingZero: return "leading 0 restored (most values of the column are written without it)"
        case .scientificNotation: return "scientific notation written out (no digit was lost)"
        }
    }
}

/// The Excel repairs applied to one number, as bits of `ExcelRepair` raw values.
public struct ExcelRepairs: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ repair: ExcelRepair) { rawValue = 1 << UInt8(repair.rawValue) }

    public var repairs: [ExcelRepair] { ExcelRepair.allCases.filter { contains(ExcelRepairs($0)) } }

    /// `excel_apostrophe: leading apostrophe removed; ...`, for a row's detail.
    public var detail: String { repairs.map { "\($0.name): \($0.detail)" }.joined(separator: "; ") }
}

/// Name, in the report's `excel_artefacts`, of the numbers rejected for digits lost in
/// scientific notation (not a repair: the number cannot be known).
public let excelDigitsLostName = "excel_digits_lost"

/// One number found in a lead's phone field.
public struct FieldNumber: Equatable, Sendable {
    public var parsed: PhoneParseResult
    public var repairs: ExcelRepairs
    /// Its bytes in the field, spaces around it left out (the whole field for a field with one
    /// number that needed no split).
    public var start: Int
    public var end: Int
    /// Where the text after the number before it begins (its separator and this number): a
    /// callable field is rebuilt from the callable numbers with the separators before them.
    public var separatorStart: Int
}

/// Reads the numbers in a lead's phone field (docs/lead-deliveries.md, "Excel" and "Several
/// numbers in one field"): Excel's artefacts are undone, each repair noted, and a field that
/// is not one number but holds a list (`070-123 45 67 / 08-123 456 78`) gives each number.
///
/// A field that reads as one valid number as written is that number: two numbers run together
/// are never one valid number, so the split is only tried on a field that is not. Digits
/// without their trunk 0 (`701234567`) are read only in a column where most values are written
/// so (`restoringLeadingZero`); anywhere else they are `no_trunk_zero`, as the digits could be
/// an id or the calling code without its +.
public struct LeadPhoneFields: Sendable {
    public let normalizer: PhoneNormalizer
    private let withoutTrunkZero: PhoneNormalizer

    public init(defaultCountry: PhoneCountry) {
        normalizer = PhoneNormalizer(defaultCountry: defaultCountry, readsNumbersWithoutTrunkZero: false)
        withoutTrunkZero = PhoneNormalizer(defaultCountry: defaultCountry, readsNumbersWithoutTrunkZero: true)
    }

    /// The first number of `field`; any further ones are appended to `more`.
    @inline(__always)
    public func read(_ field: UnsafeRawBufferPointer, restoringLeadingZero: Bool, more: inout [FieldNumber]) -> FieldNumber {
        let n = field.count
        if !Self.mayHoldExcelMark(field) {
            let parsed = normalizer.normalize(field)
            if case .valid = parsed { return FieldNumber(parsed: parsed, repairs: [], start: 0, end: n, separatorStart: 0) }
        }
        return readSlowly(field, restoringLeadingZero: restoringLeadingZero, more: &more)
    }

    private func readSlowly(_ field: UnsafeRawBufferPointer, restoringLeadingZero: Bool, more: inout [FieldNumber]) -> FieldNumber {
        let whole = readOne(field, 0, field.count, restoringLeadingZero: restoringLeadingZero)
        switch whole.parsed {
        case .valid, .invalid(.digitsLostInScientificNotation): return whole  // `4,67012E+10` is no list
        case .invalid: break
        }
        let pieces = Self.listPieces(field)
        guard let firstPiece = pieces.first, pieces.count > 1 || (firstPiece.start, firstPiece.end) != (whole.start, whole.end) else {
            return whole
        }
        var numbers = pieces.map { piece -> FieldNumber in
            var number = readOne(field, piece.start, piece.end, restoringLeadingZero: restoringLeadingZero)
            number.separatorStart = piece.separatorStart
            return number
        }
        // One number with a stray separator (`0701234567,`) is that number, if it reads as one.
        if numbers.count == 1, case .invalid = numbers[0].parsed { return whole }
        let first = numbers.removeFirst()
        more.append(contentsOf: numbers)
        return first
    }

    /// The text of a field that keeps only `numbers` (start, end, separator start) of those in
    /// it: each with the separator written before it, the first without.
    public static func text(of numbers: [(start: Int, end: Int, separatorStart: Int)], in field: UnsafeRawBufferPointer) -> [UInt8] {
        var text: [UInt8] = []
        for (k, number) in numbers.enumerated() {
            text.append(contentsOf: field[(k == 0 ? number.start : number.separatorStart)..<number.end])
        }
        return text
    }

    /// Whether `field`, one value of a phone column, is a number Excel wrote without its 0
    /// (`LeadPhoneFields` restores it in a column where most values are such).
    public func isWrittenWithoutTrunkZero(_ field: UnsafeRawBufferPointer) -> Bool {
        readOne(field, 0, field.count, restoringLeadingZero: true).repairs.contains(ExcelRepairs(.leadingZero))
    }

    /// Whether most of the non-blank `values` of a column are numbers written without their 0.
    public func restoresLeadingZero<Values: Sequence>(_ values: Values) -> Bool where Values.Element == UnsafeRawBufferPointer {
        var filled = 0
        var withoutZero = 0
        for value in values where !Self.isBlank(value) {
            filled += 1
            if isWrittenWithoutTrunkZero(value) { withoutZero += 1 }
        }
        return withoutZero * 2 > filled
    }

    /// One number in `field[start..<end]`, Excel's artefacts undone.
    private func readOne(_ field: UnsafeRawBufferPointer, _ from: Int, _ to: Int, restoringLeadingZero: Bool) -> FieldNumber {
        var start = from
        var end = to
        while start < end, Self.isSpace(field[start]) { start += 1 }
        while end > start, Self.isSpace(field[end - 1]) { end -= 1 }
        var result = FieldNumber(parsed: .invalid(.empty), repairs: [], start: start, end: end, separatorStart: from)
        var textStart = start
        var textEnd = end
        if textEnd - textStart >= 3, field[textStart] == 0x3D, field[textStart + 1] == 0x22, field[textEnd - 1] == 0x22 {
            textStart += 2
            textEnd -= 1
            result.repairs.insert(ExcelRepairs(.formulaText))
        }
        if textStart < textEnd, field[textStart] == 0x27 {
            textStart += 1
            result.repairs.insert(ExcelRepairs(.apostrophe))
        }
        let text = UnsafeRawBufferPointer(rebasing: field[textStart..<textEnd])
        if let integer = Self.decimalZeroPrefix(text) {
            textEnd = textStart + integer
            result.repairs.insert(ExcelRepairs(.decimalZero))
        }
        let number = UnsafeRawBufferPointer(rebasing: field[textStart..<textEnd])
        switch Self.scientific(number) {
        case .notScientific:
            result.parsed = read(number, repairs: &result.repairs, restoringLeadingZero: restoringLeadingZero)
        case .digitsLost:
            result.parsed = .invalid(.digitsLostInScientificNotation)
        case let .exact(digits):
            result.repairs.insert(ExcelRepairs(.scientificNotation))
            result.parsed = digits.withUnsafeBytes { read($0, repairs: &result.repairs, restoringLeadingZero: restoringLeadingZero) }
        }
        return result
    }

    private func read(_ text: UnsafeRawBufferPointer, repairs: inout ExcelRepairs, restoringLeadingZero: Bool) -> PhoneParseResult {
        let parsed = normalizer.normalize(text)
        guard restoringLeadingZero, case .invalid(.noTrunkZero) = parsed, Self.digitCount(text) == 9,
              case let .valid(number) = withoutTrunkZero.normalize(text),
              number.type == .mobile || number.type == .fixedLine else {
            return parsed
        }
        repairs.insert(ExcelRepairs(.leadingZero))
        return .valid(number)
    }

    // MARK: The shapes

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    static func isBlank(_ field: UnsafeRawBufferPointer) -> Bool { field.allSatisfy(isSpace) }

    /// A cheap look at both ends: `=` or `'` first, or `.0`/`,0` last (which the normalizer
    /// would read as one more digit).
    @inline(__always)
    static func mayHoldExcelMark(_ field: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        var end = field.count
        while start < end, isSpace(field[start]) { start += 1 }
        while end > start, isSpace(field[end - 1]) { end -= 1 }
        guard end - start >= 2 else { return false }
        let first = field[start]
        if first == 0x3D || first == 0x27 { return true }
        var zeros = end
        while zeros > start, field[zeros - 1] == 0x30 { zeros -= 1 }
        return zeros < end && zeros > start && (field[zeros - 1] == 0x2E || field[zeros - 1] == 0x2C)
    }

    /// For `[+]DIGITS.0` (or `,00`...), the length of `[+]DIGITS`.
    static func decimalZeroPrefix(_ text: UnsafeRawBufferPointer) -> Int? {
        var i = text.first == 0x2B ? 1 : 0
        let digitsStart = i
        while i < text.count, text[i] &- 0x30 < 10 { i += 1 }
        let integerEnd = i
        guard integerEnd > digitsStart, i < text.count, text[i] == 0x2E || text[i] == 0x2C else { return nil }
        i += 1
        guard i < text.count else { return nil }
        while i < text.count, text[i] == 0x30 { i += 1 }
        return i == text.count ? integerEnd : nil
    }

    enum Scientific: Equatable {
        case notScientific
        /// The integer has this many digits, not all of them written.
        case digitsLost(integerDigits: Int)
        /// Every digit of the integer is written: its digits.
        case exact([UInt8])
    }

    /// `4.67012E+10`, `4,6701234567E+10`, `7.01234567e8`: a mantissa with one digit before the
    /// point, an exponent of at most two digits.
    static func scientific(_ text: UnsafeRawBufferPointer) -> Scientific {
        var i = text.first == 0x2B ? 1 : 0
        guard i < text.count, text[i] &- 0x30 < 10 else { return .notScientific }
        var mantissa = [text[i]]
        i += 1
        if i < text.count, text[i] == 0x2E || text[i] == 0x2C {
            i += 1
            while i < text.count, text[i] &- 0x30 < 10 {
                mantissa.append(text[i])
                i += 1
            }
        }
        guard i < text.count, text[i] | 0x20 == 0x65 else { return .notScientific }
        i += 1
        if i < text.count, text[i] == 0x2B { i += 1 }
        var exponent = 0
        let exponentStart = i
        while i < text.count, text[i] &- 0x30 < 10, i - exponentStart < 2 {
            exponent = exponent * 10 + Int(text[i] - 0x30)
            i += 1
        }
        guard i == text.count, i > exponentStart else { return .notScientific }
        // Trailing zeros of the mantissa are digits Excel kept (`4.6701234560E+10` is exact).
        if mantissa.count < exponent + 1 { return .digitsLost(integerDigits: exponent + 1) }
        // Digits past the point of the integer: a fraction, no phone number.
        guard mantissa.count == exponent + 1 else { return .notScientific }
        return .exact(mantissa)
    }

    static func digitCount(_ text: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in text where byte &- 0x30 < 10 { count += 1 }
        return count
    }

    struct Piece: Equatable {
        var start: Int
        var end: Int
        var separatorStart: Int
    }

    /// The parts of a field split at `/` `,` `;` ` och ` ` or ` (any case), spaces around them
    /// and blank parts left out.
    static func listPieces(_ field: UnsafeRawBufferPointer) -> [Piece] {
        var pieces: [Piece] = []
        func close(_ from: Int, _ to: Int) {
            var start = from
            var end = to
            while start < end, isSpace(field[start]) { start += 1 }
            while end > start, isSpace(field[end - 1]) { end -= 1 }
            guard start < end else { return }
            pieces.append(Piece(start: start, end: end, separatorStart: pieces.last?.end ?? start))
        }
        var pieceStart = 0
        var i = 0
        while i < field.count {
            let byte = field[i]
            let length = byte == 0x2F || byte == 0x2C || byte == 0x3B ? 1 : byte == 0x20 ? wordSeparatorLength(field, at: i) : 0
            if length > 0 {
                close(pieceStart, i)
                i += length
                pieceStart = i
            } else {
                i += 1
            }
        }
        close(pieceStart, field.count)
        return pieces
    }

    /// 5 for ` och `, 4 for ` or ` (any case) at `i`, else 0.
    private static func wordSeparatorLength(_ field: UnsafeRawBufferPointer, at i: Int) -> Int {
        func matches(_ word: [UInt8]) -> Bool {
            guard i + word.count + 1 < field.count, field[i + word.count + 1] == 0x20 else { return false }
            for (k, letter) in word.enumerated() where field[i + 1 + k] | 0x20 != letter { return false }
            return true
        }
        if matches(Array("och".utf8)) { return 5 }
        if matches(Array("or".utf8)) { return 4 }
        return 0
    }
}
