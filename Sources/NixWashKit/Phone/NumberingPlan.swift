/// One country's numbering plan as a minimal automaton over the digits of the national
/// significant number (NSN), generated from libphonenumber's metadata by
/// scripts/generate-numbering-plans.py (see there for how). State 0 is dead, state 1 the start;
/// reading digit d in state s leads to `transitions[s * 10 + d]`. A state's `types` entry is the
/// type of a number ending there (0: not a complete number). Checking a number costs one table
/// lookup per digit and never allocates.
struct NumberingPlan: Sendable {
    let callingCode: UInt64
    /// Open plans (Sweden, Finland) dial a 0 before the NSN nationally; it is no part of E.164.
    let hasTrunkPrefix: Bool
    /// Bit d is set when some fixed-line number starts with digit d: where such a number breaks
    /// off within its first three digits, the area code is what does not exist.
    let geographicFirstDigits: UInt16
    let minLength: Int
    let maxLength: Int
    let transitions: [UInt16]
    let types: [UInt8]
    /// Fewest / most digits still to read from a state before a complete number.
    let minRemaining: [UInt8]
    let maxRemaining: [UInt8]

    /// What the NSN in `digits[start..<end]` is: a type code (1...) with the E.164 key, or a rejection.
    @inline(__always)
    func classify(_ digits: borrowing DigitBuffer, from start: Int, to end: Int) -> PlanVerdict {
        let length = end - start
        if length <= 0 { return .rejected(.tooShort) }
        var state = 1
        var key = callingCode
        var i = start
        while i < end {
            let digit = Int(digits[i])
            let next = Int(transitions[state &* 10 &+ digit])
            if next == 0 {
                if maxRemaining[state] == 0 { return .rejected(.tooLong) }
                if hasTrunkPrefix, i - start < 3,
                   geographicFirstDigits & (1 << UInt16(digits[start])) != 0 {
                    return .rejected(.unknownAreaCode)
                }
                return .rejected(.badPrefix)
            }
            key = key &* 10 &+ UInt64(digit)
            state = next
            i += 1
        }
        let type = types[state]
        if type == 0 { return .rejected(.tooShort) }
        return .number(type: type, key: key)
    }
}

/// The outcome of checking an NSN against one plan.
enum PlanVerdict {
    case number(type: UInt8, key: UInt64)
    case rejected(PhoneRejection)
}

extension NumberType {
    /// The generator's type codes (TYPE_CODES in scripts/generate-numbering-plans.py).
    @inline(__always)
    init(code: UInt8) {
        switch code {
        case 1: self = .mobile
        case 2: self = .fixedLine
        case 3: self = .fixedLineOrMobile
        case 4: self = .freephone
        case 5: self = .premiumRate
        case 6: self = .sharedCost
        case 7: self = .personal
        case 8: self = .voip
        case 9: self = .paging
        case 10: self = .uan
        default: self = .voicemail
        }
    }
}
