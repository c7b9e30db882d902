/// A phone number in E.164 form packed into one integer: the digits after the `+`, read as a
/// decimal number (`+46701234567` is `46701234567`). E.164 numbers have at most 15 digits and
/// no country code starts with 0, so the packing is exact, and sorting keys sorts numbers.
/// This is the key of the block index and of the contact history.
public struct PhoneKey: Hashable, Comparable, Sendable {
    public var rawValue: UInt64

    @inlinable
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    @inlinable
    public static func < (lhs: PhoneKey, rhs: PhoneKey) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `+46701234567`.
    public var e164: String { "+" + String(rawValue) }
}
