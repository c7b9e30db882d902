/// One country's numbering plan as a minimal automaton over the digits of the national
/// significant number (NSN), generated from libphonenumber's metadata by
/// scripts/generate-numbering-plans.py (see there for how). State 0 is dead, state 1 the start;
/// reading digit d in state s leads to state `transitions[s * 10 + d]`. A state's `types`
/// entry is the type of a number ending there (0: not a complete number).
///
/// At run time the tables live in memory that is never freed, so a plan is a plain value
/// (copying it retains nothing), and they are laid out for the walk's dependency chain, which
/// is what costs: the digits arrive packed four bits each (DigitBuffer), so the first three
/// digits index a 4096-entry table directly, then each further pair of digits (one byte of
/// the packed digits) indexes a 256-entry row of the current state. All plans have fewer than
/// 256 states, so states are bytes and a row is a shift away.
struct NumberingPlan: @unchecked Sendable {  // the pointers are immutable and immortal
    let callingCode: UInt64
    /// Open plans (Sweden, Finland) dial a 0 before the NSN nationally; it is no part of E.164.
    let hasTrunkPrefix: Bool
    /// Bit d is set when some fixed-line number starts with digit d: where such a number breaks
    /// off within its first three digits, the area code is what does not exist.
    let geographicFirstDigits: UInt16
    /// Next state by state * 10 + digit, as generated.
    private let next: UnsafePointer<UInt16>
    /// State after the first three digits, by their packed value (d0 | d1 << 4 | d2 << 8).
    private let afterThree: UnsafePointer<UInt8>
    /// State after two more digits, by state << 8 | their packed value (d0 | d1 << 4).
    private let afterTwo: UnsafePointer<UInt8>
    private let types: UnsafePointer<UInt8>
    /// Most digits still to read from a state before a complete number: 0 means any further
    /// digit makes the number too long.
    private let maxRemaining: UnsafePointer<UInt8>

    init(callingCode: UInt64, hasTrunkPrefix: Bool, geographicFirstDigits: UInt16,
         transitions: [UInt16], types: [UInt8], maxRemaining: [UInt8]) {
        let states = types.count
        precondition(transitions.count == states * 10 && maxRemaining.count == states && states <= 256)
        self.callingCode = callingCode
        self.hasTrunkPrefix = hasTrunkPrefix
        self.geographicFirstDigits = geographicFirstDigits
        /// The state after reading `count` packed digits from `state` (0 for a nibble over 9).
        func after(_ state: Int, _ count: Int, _ packed: Int) -> UInt8 {
            var state = state
            for k in 0..<count {
                let digit = packed >> (4 * k) & 0xF
                state = digit > 9 ? 0 : Int(transitions[state * 10 + digit])
            }
            return UInt8(state)
        }
        self.next = UnsafePointer(immortalCopy(transitions))
        self.afterThree = UnsafePointer(immortalCopy((0..<4096).map { after(1, 3, $0) }))
        self.afterTwo = UnsafePointer(immortalCopy((0..<states * 256).map { after($0 >> 8, 2, $0 & 0xFF) }))
        self.types = UnsafePointer(immortalCopy(types))
        self.maxRemaining = UnsafePointer(immortalCopy(maxRemaining))
    }

    /// What the NSN in `digits[start..<end]` is: a type code (1...) with the E.164 key, or a rejection.
    @inline(__always)
    func classify(_ digits: DigitBuffer, from start: Int, to end: Int) -> PlanVerdict {
        let length = end &- start
        // No plan has numbers over 16 digits; `reject` says why.
        guard length >= 3, length <= 16 else { return reject(digits, from: start, to: end) }
        var rest = digits.nibbles(from: start)
        var state = Int(afterThree[Int(rest & 0xFFF)])
        var key = callingCode
        for _ in 0..<3 {
            key = key &* 10 &+ (rest & 0xF)
            rest >>= 4
        }
        var remaining = length &- 3
        while remaining >= 2 {
            state = Int(afterTwo[state << 8 | Int(rest & 0xFF)])
            key = key &* 100 &+ (rest & 0xF) &* 10 &+ (rest >> 4 & 0xF)
            rest >>= 8
            remaining &-= 2
        }
        if remaining == 1 {
            state = Int(next[state &* 10 &+ Int(rest & 0xF)])
            key = key &* 10 &+ (rest & 0xF)
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
