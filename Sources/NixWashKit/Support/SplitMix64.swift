/// SplitMix64: a small seeded generator for generated data (benchmarks, property and crash
/// tests), so a run can be repeated exactly and a failure replayed from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound (bound > 0).
    public mutating func below(_ bound: UInt64) -> UInt64 { next() % bound }

    /// A value in [0, 1).
    public mutating func fraction() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
