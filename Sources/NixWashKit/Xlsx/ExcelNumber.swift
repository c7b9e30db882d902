/// A number cell's stored text (`<v>46701234567</v>`, `<v>4.6701234567E+10</v>`) written as
/// the sheet shows it: plain decimal digits, never a binary float, so no digit is lost on the
/// way (a phone number stored as a number keeps every digit). Like Excel, at most 15
/// significant digits are kept (`0.30000000000000004` shows as `0.3`); a phone number has at
/// most 15. Text that is not a decimal number passes through unchanged.
enum ExcelNumber {
    static let significantDigits = 15
    /// Beyond this many digits before or after the point the text is left as it is.
    static let maxPlaces = 30

    static func displayText(_ text: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        guard let parts = parse(text) else {
            out += text
            return
        }
        var digits = parts.digits
        var point = parts.point
        // Leading zeros carry no value: "000123.4" is 123.4.
        let leading = digits.prefix(while: { $0 == 0 }).count
        digits.removeFirst(leading)
        point -= leading
        if digits.isEmpty {
            out.append(UInt8(ascii: "0"))
            return
        }
        if digits.count > significantDigits {
            let roundUp = digits[significantDigits] >= 5
            digits.removeLast(digits.count - significantDigits)
            if roundUp {
                var i = digits.count - 1
                while i >= 0, digits[i] == 9 { digits[i] = 0; i -= 1 }
                if i >= 0 { digits[i] += 1 } else { digits.insert(1, at: 0); point += 1 }
            }
        }
        while digits.last == 0, digits.count > max(point, 1) { digits.removeLast() }
        guard point <= maxPlaces, point >= -maxPlaces else {
            out += text
            return
        }
        if parts.negative { out.append(UInt8(ascii: "-")) }
        if point <= 0 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            out += [UInt8](repeating: UInt8(ascii: "0"), count: -point)
            out += digits.map { $0 + 0x30 }
            return
        }
        for i in 0..<point { out.append(i < digits.count ? digits[i] + 0x30 : UInt8(ascii: "0")) }
        if digits.count > point {
            out.append(UInt8(ascii: "."))
            out += digits[point...].map { $0 + 0x30 }
        }
    }

    /// Sign, digit values and where the point falls in them: "-1.25E+3" is (true, [1,2,5], 4).
    private static func parse(_ text: UnsafeRawBufferPointer) -> (negative: Bool, digits: [UInt8], point: Int)? {
        var i = 0
        let n = text.count
        var negative = false
        if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        var digits: [UInt8] = []
        var point: Int?
        while i < n {
            let c = text[i]
            if c >= 0x30 && c <= 0x39 {
                digits.append(c - 0x30)
            } else if c == UInt8(ascii: "."), point == nil {
                point = digits.count
            } else {
                break
            }
            i += 1
        }
        guard !digits.isEmpty else { return nil }
        var exponent = 0
        if i < n, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            var exponentNegative = false
            if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                exponentNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            let start = i
            while i < n, text[i] >= 0x30 && text[i] <= 0x39, i - start < 4 {
                exponent = exponent * 10 + Int(text[i] - 0x30)
                i += 1
            }
            guard i > start else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard i == n else { return nil }
        return (negative, digits, (point ?? digits.count) + exponent)
    }
}
