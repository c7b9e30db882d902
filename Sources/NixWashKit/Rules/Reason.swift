/// Why a number is not callable: the reason codes of SPEC section 1, declared in precedence
/// order (a number's primary reason is the first that applies).
public enum Reason: String, CaseIterable, Comparable, Sendable {
    case invalidNumber = "invalid_number"
    case numberType = "number_type"
    case foreignNumber = "foreign_number"
    case duplicate = "duplicate"
    case companyBlock = "company_block"
    case nix = "nix"
    case offerQuota = "offer_quota"
    case quota30d = "quota_30d"
    case quotaDaily = "quota_daily"
    case minGap = "min_gap"

    public var precedence: Int { Reason.allCases.firstIndex(of: self)! }

    public static func < (lhs: Reason, rhs: Reason) -> Bool { lhs.precedence < rhs.precedence }
}

/// A set of reasons packed into bits, so a verdict costs no allocation.
public struct ReasonSet: OptionSet, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ reason: Reason) { self.rawValue = 1 << UInt16(reason.precedence) }

    public func contains(_ reason: Reason) -> Bool { rawValue & (1 << UInt16(reason.precedence)) != 0 }
    public mutating func insert(_ reason: Reason) { rawValue |= 1 << UInt16(reason.precedence) }

    /// The first reason in precedence order, or nil when the set is empty.
    public var primary: Reason? {
        guard rawValue != 0 else { return nil }
        return Reason.allCases[rawValue.trailingZeroBitCount]
    }

    /// All reasons in precedence order.
    public var reasons: [Reason] { Reason.allCases.filter { contains($0) } }
}
