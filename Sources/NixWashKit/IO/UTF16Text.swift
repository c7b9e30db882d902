/// UTF-16 text with its byte order mark (Excel's "Unicode text", little-endian; big-endian
/// from some exports) read as UTF-8 while it streams, so the CSV reader and the writers see
/// UTF-8. The byte order mark becomes UTF-8's, so the outputs say in turn that they are
/// Unicode. A surrogate without its partner, or an odd byte at the end, is an error naming the
/// byte: such a file is damaged, and a guess could change a number.
final class UTF16Text: ContentSource {
    let source: ContentSource
    let bigEndian: Bool
    var path: String { source.path }
    var compressedBytesRead: UInt64 { source.compressedBytesRead }
    var compressedSize: UInt64? { source.compressedSize }

    private let raw: UnsafeMutableRawBufferPointer
    private var rawStart = 0
    private var rawEnd = 0
    private var sourceEnded = false
    /// Content bytes of the UTF-16 text consumed before `raw[rawStart]`, for error offsets.
    private var consumed: UInt64 = 0
    private let decoded: UnsafeMutableRawBufferPointer
    private var decodedStart = 0
    private var decodedEnd = 0
    private var startedText = false

    /// `source` read as UTF-8 when its first bytes, `head`, are a UTF-16 byte order mark, with
    /// the encoding it is transcoded from (`utf-16le`, `utf-16be`); nil for any other text.
    static func transcoding(_ source: ContentSource, head: [UInt8]) -> (content: ContentSource, from: String)? {
        if head.starts(with: [0xFF, 0xFE]) { return (UTF16Text(source: source, bigEndian: false), "utf-16le") }
        if head.starts(with: [0xFE, 0xFF]) { return (UTF16Text(source: source, bigEndian: true), "utf-16be") }
        return nil
    }

    /// `source` is positioned at the byte order mark (`FF FE` or `FE FF`).
    init(source: ContentSource, bigEndian: Bool, bufferSize: Int = 1 << 16) {
        self.source = source
        self.bigEndian = bigEndian
        raw = .allocate(byteCount: max(bufferSize, 8), alignment: 8)
        // Each code unit becomes at most 3 bytes of UTF-8 (a pair of them, 4).
        decoded = .allocate(byteCount: max(bufferSize, 8) / 2 * 3 + 8, alignment: 8)
    }

    deinit {
        raw.deallocate()
        decoded.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while decodedStart == decodedEnd {
            if sourceEnded && rawEnd - rawStart < 2 {
                if rawEnd > rawStart {
                    throw NixWashError.invalidText(path: path, offset: consumed, reason: "the UTF-16 text ends in the middle of a character (an odd number of bytes)")
                }
                return 0
            }
            try decodeMore()
        }
        let n = min(buffer.count, decodedEnd - decodedStart)
        buffer.baseAddress!.copyMemory(from: decoded.baseAddress! + decodedStart, byteCount: n)
        decodedStart += n
        return n
    }

    private func unit(at offset: Int) -> UInt16 {
        let a = UInt16(raw[offset]), b = UInt16(raw[offset + 1])
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    /// Reads more UTF-16 and turns every complete character of it into UTF-8.
    private func decodeMore() throws {
        let kept = rawEnd - rawStart
        if kept > 0 { raw.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart, byteCount: kept) }
        rawStart = 0
        rawEnd = kept
        if !sourceEnded {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[rawEnd...]))
            if n == 0 { sourceEnded = true }
            rawEnd += n
        }
        if !startedText {
            guard rawEnd >= 2 || sourceEnded else { return }
            startedText = true
            // The byte order mark, written again as UTF-8's.
            rawStart = 2
            consumed = 2
            decoded[0] = 0xEF
            decoded[1] = 0xBB
            decoded[2] = 0xBF
            decodedStart = 0
            decodedEnd = 3
        } else {
            decodedStart = 0
            decodedEnd = 0
        }
        let out = decoded.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var o = decodedEnd
        var i = rawStart
        while i + 2 <= rawEnd {
            let u = unit(at: i)
            var scalar = UInt32(u)
            var width = 2
            if u >= 0xD800 && u <= 0xDBFF {
                guard i + 4 <= rawEnd else {
                    if sourceEnded { throw invalid(at: i, "a high surrogate at the end of the text") }
                    break  // its partner comes with the next read
                }
                let low = unit(at: i + 2)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw invalid(at: i, "a high surrogate without its low surrogate") }
                scalar = 0x10000 + (UInt32(u - 0xD800) << 10) + UInt32(low - 0xDC00)
                width = 4
            } else if u >= 0xDC00 && u <= 0xDFFF {
                throw invalid(at: i, "a low surrogate without its high surrogate")
            }
            switch scalar {
            case 0..<0x80:
                out[o] = UInt8(scalar); o += 1
            case 0x80..<0x800:
                out[o] = UInt8(0xC0 | scalar >> 6); out[o + 1] = UInt8(0x80 | scalar & 0x3F); o += 2
            case 0x800..<0x10000:
                out[o] = UInt8(0xE0 | scalar >> 12); out[o + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
                out[o + 2] = UInt8(0x80 | scalar & 0x3F); o += 3
            default:
                out[o] = UInt8(0xF0 | scalar >> 18); out[o + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
                out[o + 2] = UInt8(0x80 | scalar >> 6 & 0x3F); out[o + 3] = UInt8(0x80 | scalar & 0x3F); o += 4
            }
            i += width
        }
        consumed += UInt64(i - rawStart)
        rawStart = i
        decodedEnd = o
    }

    private func invalid(at offset: Int, _ what: String) -> NixWashError {
        .invalidText(path: path, offset: consumed + UInt64(offset - rawStart), reason: "not valid UTF-16: \(what)")
    }
}
