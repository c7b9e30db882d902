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
        let bytes = [UInt8](data)
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
                open.removeLast()
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = open.last.map { $0 != nil } ?? false
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
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
}
