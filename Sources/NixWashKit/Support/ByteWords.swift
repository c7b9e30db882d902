/// Tests on eight bytes at once (SWAR), shared by the CSV writer's quote check and the
/// encoding guess.
enum ByteWords {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// `byte` in every byte of a word.
    @inline(__always)
    static func repeated(_ byte: UInt8) -> UInt64 { UInt64(byte) &* ones }

    /// Whether a byte of `word` equals the byte `repeated` holds in every position (a byte
    /// equal to it is a zero byte after XOR).
    @inline(__always)
    static func hasByte(_ word: UInt64, _ repeated: UInt64) -> Bool {
        let x = word ^ repeated
        return (x &- ones) & ~x & highBits != 0
    }

    /// The 1 to 7 bytes at `p` in one word, some of them repeated to fill it (every byte of
    /// the word is one of the field's, so a byte test on the word is a test on the field):
    /// a short field, or the end of a long one, without a loop over its bytes.
    @inline(__always)
    static func packed(_ p: UnsafeRawPointer, count n: Int) -> UInt64 {
        if n >= 4 {
            let head = UInt64(p.loadUnaligned(as: UInt32.self))
            let tail = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            return head | tail << 32
        }
        let first = UInt64(p.load(as: UInt8.self))
        let middle = UInt64(p.load(fromByteOffset: n >> 1, as: UInt8.self))
        let last = UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self))
        return first &* 0x0101_0101_0101_0000 | middle << 8 | last
    }
}
