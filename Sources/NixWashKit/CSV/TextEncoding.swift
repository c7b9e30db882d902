/// What the bytes of a file say about its encoding, accumulated field by field without
/// allocating: pure ASCII, valid UTF-8, or neither (then most likely Latin-1/Windows-1252 from
/// an Excel export).
public struct EncodingGuess: Sendable {
    public private(set) var sawNonASCII = false
    public private(set) var sawInvalidUTF8 = false

    public init() {}

    public var name: String {
        if !sawNonASCII { return "ascii" }
        return sawInvalidUTF8 ? "latin-1" : "utf-8"
    }

    public mutating func observe(_ bytes: UnsafeRawBufferPointer) {
        guard !sawInvalidUTF8, !Self.isASCII(bytes) else { return }
        var i = 0
        let n = bytes.count
        while i < n {
            // ASCII runs eight bytes at a time, and an ASCII end under 8 bytes in one word.
            while i + 8 <= n, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & ByteWords.highBits == 0 { i += 8 }
            guard i < n else { return }
            if n - i < 8, ByteWords.packed(bytes.baseAddress! + i, count: n - i) & ByteWords.highBits == 0 { return }
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            sawNonASCII = true
            let length: Int
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: sawInvalidUTF8 = true; return
            }
            guard i + length <= n else { sawInvalidUTF8 = true; return }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 {
                sawInvalidUTF8 = true
                return
            }
            i += length
        }
    }

    /// Whether every byte is below 0x80, a word at a time; the last bytes (or a field under 8
    /// bytes) in one more word of overlapping loads, not a byte loop.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        guard n > 0 else { return true }
        let p = bytes.baseAddress!
        guard n >= 8 else { return ByteWords.packed(p, count: n) & ByteWords.highBits == 0 }
        var high: UInt64 = 0
        var i = 0
        while i + 8 <= n {
            high |= p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        high |= p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        return high & ByteWords.highBits == 0
    }
}

/// The encoding nixwash writes its own text in (source labels, details, file and column
/// names), so that each output file has one encoding: that of its input.
public enum OutputTextEncoding: String, Sendable {
    case utf8 = "utf-8"
    /// Latin-1 (ISO 8859-1); a character it cannot hold is written as `?` (a scrub refuses
    /// such names of its own before writing, see `canHold`).
    case latin1 = "latin-1"

    /// The encoding of outputs for an input whose bytes look like `guess`.
    public init(input guess: EncodingGuess) {
        self = guess.sawInvalidUTF8 ? .latin1 : .utf8
    }

    /// Whether `text` is written as it is (no character replaced by `?`).
    public func canHold(_ text: String) -> Bool {
        self == .utf8 || text.unicodeScalars.allSatisfy { $0.value < 0x100 }
    }

    public func bytes(_ text: String) -> [UInt8] {
        switch self {
        case .utf8:
            return Array(text.utf8)
        case .latin1:
            return text.unicodeScalars.map { $0.value < 0x100 ? UInt8($0.value) : UInt8(ascii: "?") }
        }
    }
}
