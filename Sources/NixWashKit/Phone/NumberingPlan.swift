/// One country's numbering plan as a minimal automaton over the digits of the national
/// significant number (NSN), generated from libphonenumber's metadata by
/// scripts/generate-numbering-plans.py (see there for how). State 0 is dead, state 1 the start;
/// reading digit d in state s leads to state `transitions[s * 10 + d]`. A state's `types`
/// entry is the type of a number ending there (0: not a complete number).
///
/// At run time the tables live in memory that is never freed, so a plan is a plain value
/// (copying it retains nothing), and they are laid out for the walk's dependency chain, which
/// is what costs: the first three digits are one lookup in a 1000-entry table, then two digits
/// at a time in a 100-entry row per state, whose entries hold the next state's row offset, so
/// each step is one load and one add.
struct NumberingPlan: @unchecked Sendable {  // the pointers are immutable and immortal
    let callingCode: UInt64
    /// Open plans (Sweden, Finland) dial a 0 before the NSN nationally; it is no part of E.164.
    let hasTrunkPrefix: Bool
    /// Bit d is set when some fixed-line number starts with digit d: where such a number breaks
    /// off within its first three digits, the area code is what does not exist.
    let geographicFirstDigits: UInt16
    /// Next state by state * 10 + digit, as generated.
    private let next: UnsafePointer<UInt16>
    /// Row offset (state * 100) after the first three digits, by their value 0-999; 0 if dead.
    private let afterThree: UnsafePointer<UInt16>
    /// Row offset after two more digits, by row offset + their value 0-99.
    private let afterTwo: UnsafePointer<UInt16>
    private let types: UnsafePointer<UInt8>
    /// Most digits still to read from a state before a complete number: 0 means any further
    /// digit makes the number too long.
    private let maxRemaining: UnsafePointer<UInt8>

    init(callingCode: UInt64, hasTrunkPrefix: Bool, geographicFirstDigits: UInt16,
         transitions: [UInt16], types: [UInt8], maxRemaining: [UInt8]) {
        let states = types.count
        precondition(transitions.count == states * 10 && maxRemaining.count == states && states * 100 <= Int(UInt16.max))
        self.callingCode = callingCode
        self.hasTrunkPrefix = hasTrunkPrefix
        self.geographicFirstDigits = geographicFirstDigits
        func after(_ state: Int, _ digits: Int, _ value: Int) -> Int {
            var state = state, divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            while divisor > 0 {
                state = Int(transitions[state * 10 + value / divisor % 10])
                divisor /= 10
            }
            return state
        }
        self.next = UnsafePointer(immortalCopy(transitions))
        self.afterThree = UnsafePointer(immortalCopy((0..<1000).map { UInt16(after(1, 3, $0) * 100) }))
        self.afterTwo = UnsafePointer(immortalCopy((0..<states * 100).map { UInt16(after($0 / 100, 2, $0 % 100) * 100) }))
        self.types = UnsafePointer(immortalCopy(types))
        self.maxRemaining = UnsafePointer(immortalCopy(maxRemaining))
    }

    /// What the NSN in `digits[start..<end]` is: a type code (1...) with the E.164 key, or a rejection.
    @inline(__always)
    func classify(_ digits: DigitBuffer, from start: Int, to end: Int) -> PlanVerdict {
        guard end - start >= 3 else { return reject(digits, from: start, to: end) }
        let d0 = UInt64(digits[start]), d1 = UInt64(digits[start + 1]), d2 = UInt64(digits[start + 2])
        let prefix = d0 &* 100 &+ d1 &* 10 &+ d2
        var offset = Int(afterThree[Int(prefix)])
        var key = callingCode &* 1000 &+ prefix
        var i = start + 3
        while i + 1 < end {
            let pair = Int(digits[i]) &* 10 &+ Int(digits[i + 1])
            offset = Int(afterTwo[offset &+ pair])
            key = key &* 100 &+ UInt64(pair)
            i += 2
        }
        var state = offset / 100
        if i < end {
            let digit = digits[i]
            state = Int(next[state &* 10 &+ Int(digit)])
            key = key &* 10 &+ UInt64(digit)
        }
        let type = types[state]
        if type == 0 { return reject(digits, from: start, to: end) }
        return .number(type: type, key: key)
    }

    /// Why the NSN is not a number of this plan: walks it again, digit by digit, to see where
    /// and how it breaks off. Only rejected numbers come here.
    private func reject(_ digits: DigitBuffer, from start: Int, to end: Int) -> PlanVerdict {
        var state = 1
        for i in start..<end {
            let following = Int(next[state * 10 + Int(digits[i])])
            if following == 0 {
                if maxRemaining[state] == 0 { return .rejected(.tooLong) }
                if hasTrunkPrefix, i - start < 3, geographicFirstDigits & (1 << UInt16(digits[start])) != 0 {
                    return .rejected(.unknownAreaCode)
                }
                return .rejected(.badPrefix)
            }
            state = following
        }
        return .rejected(.tooShort)
    }
}

/// A copy of a generated table that lives as long as the process (plans are static lets).
func immortalCopy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: values.count)
    pointer.initialize(from: values, count: values.count)
    return pointer
}

/// The outcome of checking an NSN against one plan.
enum PlanVerdict {
    case number(type: UInt8, key: UInt64)
    case rejected(PhoneRejection)
}

extension NumberType {
    /// The generator's type codes 1...11 (TYPE_CODES in scripts/generate-numbering-plans.py).
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
