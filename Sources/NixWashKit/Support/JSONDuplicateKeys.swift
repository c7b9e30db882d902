import Foundation

/// A key written twice in one JSON object. JSON parsers keep one of the two without a word
/// (Foundation keeps the last), so a campaign file with `block_indexes` twice silently loses a
/// block list. The settings files are small and written by hand: they are checked for it.
public struct JSONDuplicateKey: Equatable {
    public let key: String
    /// The 1-based line of the second occurrence.
    public let line: Int
}

public enum JSONDuplicateKeys {
    /// The first key that occurs twice in one object of `data`, which is already known to be
    /// valid JSON. Keys are compared after their escapes are read (`"a"` and `"\u0061"` clash).
    public static func first(in data: Data) -> JSONDuplicateKey? {
        // JSON may come in UTF-16 or UTF-32 (Notepad's "Unicode"): scanned as bytes, a unit such
        // as U+0122 holds a `"` byte. The text is scanned in UTF-8.
        let bytes = [UInt8](utf8(data))
        // One entry per open container: the keys of an object seen so far, nil for an array.
        var open: [Set<String>?] = []
        var expectingKey = false
        var line = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
            case UInt8(ascii: "{"):
                open.append([])
                expectingKey = true
            case UInt8(ascii: "["):
                open.append(nil)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard !open.isEmpty else { return nil }
                open.removeLast()
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = open.last.map { $0 != nil } ?? false
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard index < bytes.count else { return nil }
                if expectingKey, var keys = open.last ?? nil {
                    let token = Data(bytes[start...index])
                    let key = (try? JSONSerialization.jsonObject(with: token, options: [.fragmentsAllowed])) as? String
                        ?? String(decoding: token, as: UTF8.self)
                    if !keys.insert(key).inserted { return JSONDuplicateKey(key: key, line: line) }
                    open[open.count - 1] = keys
                    expectingKey = false
                }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// The text in UTF-8, from the encodings JSON allows (RFC 8259 §8.1, and a byte order mark
    /// as Foundation accepts one), told by the NUL bytes of its first characters.
    private static func utf8(_ data: Data) -> Data {
        let head = [UInt8](data.prefix(4)) + [1, 1, 1, 1]
        let (encoding, byteOrderMark): (String.Encoding, Int)
        switch (head[0], head[1], head[2], head[3]) {
        case (0xEF, 0xBB, 0xBF, _): return data.dropFirst(3)
        case (0xFF, 0xFE, 0x00, 0x00): (encoding, byteOrderMark) = (.utf32LittleEndian, 4)
        case (0x00, 0x00, 0xFE, 0xFF): (encoding, byteOrderMark) = (.utf32BigEndian, 4)
        case (0xFF, 0xFE, _, _): (encoding, byteOrderMark) = (.utf16LittleEndian, 2)
        case (0xFE, 0xFF, _, _): (encoding, byteOrderMark) = (.utf16BigEndian, 2)
        case (0x00, 0x00, 0x00, _): (encoding, byteOrderMark) = (.utf32BigEndian, 0)
        case (_, 0x00, 0x00, 0x00): (encoding, byteOrderMark) = (.utf32LittleEndian, 0)
        case (0x00, _, _, _): (encoding, byteOrderMark) = (.utf16BigEndian, 0)
        case (_, 0x00, _, _): (encoding, byteOrderMark) = (.utf16LittleEndian, 0)
        default: return data
        }
        let body = data.dropFirst(byteOrderMark)
        return String(data: body, encoding: encoding).map { Data($0.utf8) } ?? data
    }
}
