import Foundation
import XCTest
@testable import NixWashKit

final class CSVTests: XCTestCase {
    /// Reads `content` and writes it back field by field in the detected dialect.
    private func roundTrip(_ content: [UInt8], name: String = "in.csv") throws -> [UInt8] {
        let folder = try makeTemporaryFolder(self)
        let input = folder.appendingPathComponent(name)
        try writeFile(input, content)
        let reader = try CSVReader(input: InputFile(path: input.path))
        let outPath = folder.appendingPathComponent("out.csv").path
        let writer = CSVWriter(sink: try PlainFileSink(path: outPath), dialect: reader.dialect, bufferSize: 64)
        for field in reader.headerFields { try field.withUnsafeBytes { try writer.writeField($0) } }
        try writer.endRow()
        while let record = try reader.next() {
            for i in 0..<record.count { try writer.writeField(record.field(i)) }
            try writer.endRow()
        }
        try writer.finish()
        return Array(try Data(contentsOf: URL(fileURLWithPath: outPath)))
    }

    func testRoundTripIsByteIdentical() throws {
        let cases: [(String, [UInt8])] = [
            ("comma LF", bytes("telefon,namn,ort\n070-123 45 67,Anna Berg,Umeå\n+46701234568,Bo,\n")),
            ("semicolon CRLF", bytes("Mobil;Namn;Källa\r\n0701234567;\"Berg; Anna\";Lead AB\r\n")),
            ("tab", bytes("phone\tname\n0701234567\tAnna\n")),
            ("quoted newlines and quotes", bytes("tel,note\n0701234567,\"line one\nline two \"\"quoted\"\"\"\n0701234568,plain\n")),
            ("quoted CRLF inside", bytes("tel,note\r\n0701234567,\"a\r\nb\"\r\n")),
            ("BOM", [0xEF, 0xBB, 0xBF] + bytes("telefon;namn\n0701234567;Anna\n")),
            ("spaces kept", bytes("tel,name\n 0701234567 , Anna \n")),
            ("empty fields", bytes("a,b,c\n,,\n1,,3\n")),
        ]
        for (name, content) in cases {
            XCTAssertEqual(try roundTrip(content), content, name)
        }
    }

    func testLatin1ExcelExportRoundTripsByteIdentical() throws {
        // "Källa;Namn\nLeadbolaget;Åsa Öberg\n" as Windows-1252 / Latin-1.
        var content = bytes("K") + [0xE4] + bytes("lla;Namn;Telefon\r\nLeadbolaget;") + [0xC5] + bytes("sa ") + [0xD6] + bytes("berg;070-1234567\r\n")
        content += bytes("Leadbolaget;\"J") + [0xF6] + bytes("rgen; Sm") + [0xE5] + bytes("land\";070-7654321\r\n")
        XCTAssertEqual(try roundTrip(content), content)
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("latin1.csv")
        try writeFile(url, content)
        XCTAssertEqual(try readAll(url.path).header, ["Källa", "Namn", "Telefon"])
    }

    func testDetectsDelimiterLineEndingAndOverride() throws {
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("d.csv")
        try writeFile(url, bytes("\"a;b\",c,d\r\n1,2,3\r\n"))
        let detected = try readAll(url.path)
        XCTAssertEqual(detected.dialect.delimiter, UInt8(ascii: ","))
        XCTAssertEqual(detected.dialect.lineEnding, [0x0D, 0x0A])
        XCTAssertEqual(detected.header, ["a;b", "c", "d"])
        let semicolons = folder.appendingPathComponent("s.csv")
        try writeFile(semicolons, bytes("a;b;c,d\n1;2;3,4\n"))
        XCTAssertEqual(try readAll(semicolons.path).header, ["a", "b", "c,d"])
        let forced = try readAll(semicolons.path, options: CSVOptions(delimiter: UInt8(ascii: ",")))
        XCTAssertEqual(forced.header, ["a;b;c", "d"])
        XCTAssertEqual(forced.dialect.delimiter, UInt8(ascii: ","))
    }

    func testLineNumbersCountQuotedNewlinesBlankLinesAndCRLF() throws {
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("lines.csv")
        let text = "tel,note\r\n" +          // line 1
            "1,\"two\r\nlines\"\r\n" +        // lines 2-3
            "\r\n" +                           // line 4 blank
            "2,x\r\n" +                        // line 5
            "3,\"a\nb\nc\"\n" +                // lines 6-8
            "4,last"                           // line 9, no final newline
        try writeFile(url, bytes(text))
        let result = try readAll(url.path)
        XCTAssertEqual(result.lines, [2, 5, 6, 9])
        XCTAssertEqual(result.rows.map { String(decoding: $0[0], as: UTF8.self) }, ["1", "2", "3", "4"])
        XCTAssertEqual(String(decoding: result.rows[0][1], as: UTF8.self), "two\r\nlines")
    }

    /// The same rows and line numbers whatever the chunk and buffer sizes, so records split
    /// across chunks at every position (plain and multi-member gzip).
    func testTinyBuffersGiveIdenticalRowsAndLines() throws {
        let folder = try makeTemporaryFolder(self)
        var text = "telefon;namn;källa\r\n"
        for i in 0..<40 {
            let note = i % 7 == 0 ? "\"Berg;\r\n\"\"A\"\"\"" : "Namn \(i)"
            text += "070-\(1_000_000 + i);\(note);\(i % 3 == 0 ? "" : "Vendor")\r\n"
            if i % 11 == 0 { text += "\r\n" }
        }
        let content = bytes(text)
        let plain = folder.appendingPathComponent("p.csv")
        try writeFile(plain, content)
        let half = content.count / 2
        let gz = folder.appendingPathComponent("p.csv.gz")
        try writeFile(gz, try gzipBytes(Array(content[..<half])) + gzipBytes(Array(content[half...])))
        let reference = try readAll(plain.path)
        XCTAssertEqual(reference.rows.count, 40)
        for path in [plain.path, gz.path] {
            for chunk in 1...6 {
                for inputBuffer in [1, 2, 3, 5, 8] {
                    let result = try readAll(path, inputBuffer: inputBuffer, options: CSVOptions(chunkSize: chunk))
                    XCTAssertEqual(result, reference, "\(path) chunk \(chunk) input buffer \(inputBuffer)")
                }
            }
        }
    }

    func testRowsWithTheWrongFieldCountAreReturnedForTheCallerToReport() throws {
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("ragged.csv")
        try writeFile(url, bytes("a,b,c\n1,2,3\n1,2\n1,2,3,4\n"))
        let result = try readAll(url.path)
        XCTAssertEqual(result.rows.map(\.count), [3, 2, 4])
        XCTAssertEqual(result.lines, [2, 3, 4])
    }

    func testMalformedQuotingMarksTheRowAndReadingGoesOn() throws {
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("quotes.csv")
        try writeFile(url, bytes("tel,name,src\n0701,\"Anna\" Berg,x\n0702,Bo,y\n07\"03,C,z\n0704,\"multi\nline\"x,q\n0705,D,w\n"))
        for chunk in [1, 3, 64] {
            let reader = try CSVReader(input: InputFile(path: url.path), options: CSVOptions(chunkSize: chunk))
            var seen: [(UInt64, CSVProblem?, String)] = []
            while let record = try reader.next() { seen.append((record.line, record.problem, record.count > 0 ? record.string(0) : "")) }
            XCTAssertEqual(seen.map(\.0), [2, 3, 4, 5, 7], "chunk \(chunk)")
            XCTAssertEqual(seen.map(\.1), [CSVProblem(line: 2, column: 12), nil, CSVProblem(line: 4, column: 3),
                                          CSVProblem(line: 6, column: 6), nil], "chunk \(chunk)")
            XCTAssertEqual(seen.map(\.2), ["0701", "0702", "", "0704", "0705"])
        }
    }

    func testBadInputsAreClearErrors() throws {
        let folder = try makeTemporaryFolder(self)
        func error(_ content: [UInt8], options: CSVOptions = CSVOptions()) throws -> (NixWashError?, String) {
            let url = folder.appendingPathComponent("bad-\(UUID().uuidString).csv")
            try writeFile(url, content)
            do {
                _ = try readAll(url.path, options: options)
                return (nil, url.path)
            } catch {
                return (error as? NixWashError, url.path)
            }
        }
        var (e, path) = try error([])
        XCTAssertEqual(e, .emptyInput(path: path))
        (e, path) = try error(bytes("\n\n"))
        XCTAssertEqual(e, .emptyInput(path: path))
        (e, path) = try error(bytes("telefon,namn\n"))
        XCTAssertEqual(e, .headerOnly(path: path))
        (e, path) = try error(bytes("telefon,namn\n0701,\"Anna\n0702,Bo\n"))
        XCTAssertEqual(e, .unterminatedQuote(path: path, line: 2))
        (e, path) = try error(bytes("telefon,namn\n0701,Anna\n") + [0x00, 0x01, 0xFF] + bytes("x\n"))
        XCTAssertEqual(e, .binaryInput(path: path, offset: 23))
        let runaway = bytes("telefon,namn\n0701,ok\n0702,\"") + [UInt8](repeating: UInt8(ascii: "x"), count: 5000)
        (e, path) = try error(runaway, options: CSVOptions(maxRecordSize: 1000, chunkSize: 256))
        XCTAssertEqual(e, .recordTooLarge(path: path, line: 3, limit: 1000))
        XCTAssertTrue(NixWashError.unterminatedQuote(path: "x.csv", line: 2).localizedDescription.contains("x.csv:2"))
    }
}

/// The word-at-a-time byte tests of the writer and the encoding guess: short fields are packed
/// into one word from overlapping loads and long ones end with an overlapping word, so every
/// length and every position of the byte sought is tried.
final class CSVByteTestTests: XCTestCase {
    private final class MemorySink: ByteSink {
        var bytes: [UInt8] = []
        func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes += bytes }
        func finish() throws {}
    }

    private func written(_ field: [UInt8], delimiter: UInt8 = UInt8(ascii: ";")) throws -> [UInt8] {
        let sink = MemorySink()
        let writer = CSVWriter(sink: sink, dialect: CSVDialect(delimiter: delimiter))
        try writer.writeField(field)
        try writer.endRow()
        try writer.finish()
        return Array(sink.bytes.dropLast())
    }

    func testAFieldIsQuotedWhereverItsSpecialByteIs() throws {
        for length in 1...25 {
            let plain = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            XCTAssertEqual(try written(plain), plain, "length \(length)")
            for position in 0..<length {
                for special in [UInt8(ascii: ";"), UInt8(ascii: "\""), 0x0A, 0x0D] {
                    var field = plain
                    field[position] = special
                    let out = try written(field)
                    XCTAssertEqual(out.first, UInt8(ascii: "\""), "length \(length), byte \(special) at \(position)")
                    XCTAssertEqual(out.last, UInt8(ascii: "\""), "length \(length), byte \(special) at \(position)")
                }
                // Another dialect's delimiter is an ordinary byte.
                var comma = plain
                comma[position] = UInt8(ascii: ",")
                XCTAssertEqual(try written(comma), comma)
            }
        }
        XCTAssertEqual(try written([]), [])
    }

    func testASCIIIsToldFromHighBytesAtEveryLengthAndPosition() {
        for length in 0...25 {
            let ascii = [UInt8](repeating: 0x7F, count: length)
            XCTAssertTrue(ascii.withUnsafeBytes { EncodingGuess.isASCII($0) }, "length \(length)")
            for position in 0..<length {
                var high = ascii
                high[position] = 0xE9
                XCTAssertFalse(high.withUnsafeBytes { EncodingGuess.isASCII($0) }, "length \(length), at \(position)")
            }
        }
    }

    func testIntegersAreWrittenInDecimal() throws {
        let sink = MemorySink()
        let writer = CSVWriter(sink: sink, dialect: CSVDialect(delimiter: UInt8(ascii: ",")))
        let values: [UInt64] = [0, 7, 9, 10, 11, 99, 100, 101, 999, 1000, 46_701_234_567, 358_401_234_567, .max]
        for value in values { try writer.writeField(value) }
        try writer.writeField(46_700_000_000, prefix: UInt8(ascii: "+"))
        try writer.endRow()
        try writer.finish()
        XCTAssertEqual(String(decoding: sink.bytes, as: UTF8.self),
                       values.map(String.init).joined(separator: ",") + ",+46700000000\n")
    }
}

/// A delimiter at the end of every line (some exports write one) is not a column.
final class CSVTrailingDelimiterTests: XCTestCase {
    func testATrailingDelimiterOnDataLinesOrTheHeaderIsNotAField() throws {
        let folder = try makeTemporaryFolder(self)
        let cases = [
            "id;telefon;kalla\n1;0701234567;A;\n2;0701234568;B;\n",
            "id;telefon;kalla;\n1;0701234567;A;\n2;0701234568;B;\n",
            "id;telefon;kalla;\n1;0701234567;A\n2;0701234568;B\n",
        ]
        for text in cases {
            let url = folder.appendingPathComponent("t.csv")
            try writeFile(url, bytes(text))
            let result = try readAll(url.path)
            XCTAssertEqual(result.header, ["id", "telefon", "kalla"], text)
            XCTAssertEqual(result.rows, [[bytes("1"), bytes("0701234567"), bytes("A")], [bytes("2"), bytes("0701234568"), bytes("B")]], text)
        }
        // A value past the header is data in no column: the record keeps it.
        let url = folder.appendingPathComponent("extra.csv")
        try writeFile(url, bytes("id;telefon;kalla\n1;0701234567;A;x\n2;0701234568;B;;\n"))
        XCTAssertEqual(try readAll(url.path).rows.map(\.count), [4, 5])
        let reader = try CSVReader(input: InputFile(path: folder.appendingPathComponent("t.csv").path))
        while try reader.next() != nil {}
        XCTAssertEqual(reader.trailingDelimiterRows, 0)
        XCTAssertTrue(reader.headerHadTrailingDelimiter)
    }

    func testPipeIsDetected() throws {
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("p.csv")
        try writeFile(url, bytes("id|telefon|kalla, ort\n1|0701234567|A, Umeå\n"))
        let result = try readAll(url.path)
        XCTAssertEqual(result.dialect.delimiter, UInt8(ascii: "|"))
        XCTAssertEqual(result.header, ["id", "telefon", "kalla, ort"])
    }
}
