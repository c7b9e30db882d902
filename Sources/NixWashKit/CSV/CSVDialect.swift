/// How a CSV file is written: what the reader detected and what the writers reproduce, so a
/// callable list comes out in the dialect its lead list came in.
public struct CSVDialect: Equatable, Sendable {
    public var delimiter: UInt8
    /// `\r\n` or `\n`, from the first line of the input.
    public var lineEnding: [UInt8]
    /// Whether the input began with a UTF-8 byte order mark (Excel's "CSV UTF-8").
    public var hasByteOrderMark: Bool

    public init(delimiter: UInt8 = UInt8(ascii: ","), lineEnding: [UInt8] = [0x0A], hasByteOrderMark: Bool = false) {
        self.delimiter = delimiter
        self.lineEnding = lineEnding
        self.hasByteOrderMark = hasByteOrderMark
    }

    public static let candidateDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]

    /// A name for people: `,` `;` `|` or `tab`.
    public var delimiterName: String { delimiter == 0x09 ? "tab" : String(UnicodeScalar(delimiter)) }

    /// Parses a delimiter given on the command line: `,` `;` `|` `tab` or `\t`.
    public static func delimiter(named name: String) -> UInt8? {
        switch name {
        case ",", "comma": return UInt8(ascii: ",")
        case ";", "semicolon": return UInt8(ascii: ";")
        case "\t", "\\t", "tab": return 0x09
        case "|", "pipe": return UInt8(ascii: "|")
        default: return nil
        }
    }

    /// Picks the delimiter that occurs most often outside quotes in the first line; a file
    /// with a single column (none occur) is read as comma-separated.
    static func detectDelimiter(firstLine: UnsafeRawBufferPointer) -> UInt8 {
        var counts = [Int](repeating: 0, count: candidateDelimiters.count)
        var quoted = false
        for byte in firstLine {
            if byte == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if quoted { continue }
            if byte == 0x0A || byte == 0x0D { break }
            if let i = candidateDelimiters.firstIndex(of: byte) { counts[i] += 1 }
        }
        let best = counts.indices.max { counts[$0] < counts[$1] }!
        return counts[best] > 0 ? candidateDelimiters[best] : UInt8(ascii: ",")
    }
}

/// Header names as text: UTF-8 when the bytes are valid UTF-8, otherwise Latin-1 (the
/// encoding of Excel's plain "CSV" export in Sweden).
func decodeText(_ bytes: UnsafeRawBufferPointer) -> String {
    if let utf8 = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) { return utf8 }
    return String(bytes.map { Character(UnicodeScalar($0)) })
}
