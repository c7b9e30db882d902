/// Blanks around a value: spaces and tabs. The CSV reader keeps them byte for byte; whoever
/// reads a value from a field (a number, a date, a time, a name) looks past them with these.
enum Blanks {
    /// Whether a field is empty or holds only blanks.
    @inline(__always)
    static func isBlank(_ field: UnsafeRawBufferPointer) -> Bool {
        for byte in field where byte != 0x20 && byte != 0x09 { return false }
        return true
    }

    /// Whether a text shows nothing: blanks and no-break spaces only (UTF-8 `C2 A0`, or a
    /// Latin-1 `A0`). A source that shows nothing tells a consumer nothing.
    @inline(__always)
    static func showsNothing(_ field: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < field.count {
            switch field[i] {
            case 0x20, 0x09, 0xA0: i += 1
            case 0xC2 where i + 1 < field.count && field[i + 1] == 0xA0: i += 2
            default: return false
            }
        }
        return true
    }

    /// The bounds of `field` without its leading and trailing blanks (empty when all blank).
    @inline(__always)
    static func trimmed(_ field: UnsafeRawBufferPointer) -> (start: Int, end: Int) {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
        while end > start, field[end - 1] == 0x20 || field[end - 1] == 0x09 { end -= 1 }
        return (start, end)
    }
}
