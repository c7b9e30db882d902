/// Why a number is not callable: the reason codes of SPEC section 1, declared in precedence
/// order (a number's primary reason is the first that applies).
public enum Reason: String, CaseIterable, Comparable, Sendable {
    /// Not in SPEC's list: a CSV row that could not be read cleanly (a stray quote, or not as
    /// many fields as the header), so none of its phone fields can be trusted.
    case malformedRow = "malformed_row"
    case invalidNumber = "invalid_number"
    case numberType = "number_type"
    case foreignNumber = "foreign_number"
    case duplicate = "duplicate"
    case companyBlock = "company_block"
    case nix = "nix"
    /// Consent-only mode (`nix_mode: consent_only`): no valid consent record for the principal.
    case noConsent = "no_consent"
    case offerQuota = "offer_quota"
    case quota30d = "quota_30d"
    case quotaDaily = "quota_daily"
    case minGap = "min_gap"

    /// Position in precedence order; a switch, so hot paths never touch `allCases`.
    @inlinable
    public var precedence: Int {
        switch self {
        case .malformedRow: return 0
        case .invalidNumber: return 1
        case .numberType: return 2
        case .foreignNumber: return 3
        case .duplicate: return 4
        case .companyBlock: return 5
        case .nix: return 6
        case .noConsent: return 7
        case .offerQuota: return 8
        case .quota30d: return 9
        case .quotaDaily: return 10
        case .minGap: return 11
        }
    }

    public static func < (lhs: Reason, rhs: Reason) -> Bool { lhs.precedence < rhs.precedence }
}

extension Reason {
    /// All reasons, indexed by precedence.
    public static let inPrecedenceOrder: [Reason] = allCases.sorted { $0.precedence < $1.precedence }
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
        return Reason.inPrecedenceOrder[rawValue.trailingZeroBitCount]
    }

    /// All reasons in precedence order.
    public var reasons: [Reason] { Reason.inPrecedenceOrder.filter { contains($0) } }
}
