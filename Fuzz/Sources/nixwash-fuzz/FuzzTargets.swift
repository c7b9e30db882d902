#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NixWashKit
import ZIPFoundation

/// One libFuzzer entry for every parser of outside data; `NIXWASH_FUZZ_TARGET` picks the parser
/// (scripts/fuzz sets it). Every input must end in a result or a `NixWashError`: anything else
/// (a trap, a sanitizer report, another error type, a broken invariant) is a finding.
enum FuzzTarget: String, CaseIterable {
    case gzip, csv, phone, index, history, profile, campaign, list, scrub, delivery

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["NIXWASH_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fputs("set NIXWASH_FUZZ_TARGET to one of: \(allCases.map(\.rawValue).joined(separator: " "))\n", stderr)
            exit(2)
        }
        return target
    }()
}

/// Parsers read paths: the input goes into a file in memory-backed /dev/shm when there is one.
let scratchFolder: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NSTemporaryDirectory()
    let folder = "\(base)/nixwash-fuzz-\(getpid())"
    mkdir(folder, 0o700)
    atexit { _ = try? FileManager.default.removeItem(atPath: scratchFolder) }
    return folder
}()

func writeScratch(_ name: String, _ bytes: UnsafeRawBufferPointer) -> String {
    let path = scratchFolder + "/" + name
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot write \(path)")
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        precondition(n > 0, "cannot write \(path)")
        offset += n
    }
    close(fd)
    return path
}

/// Runs `body`; a `NixWashError` is a correct answer to bad input, any other error a finding.
func expectingNixWashErrors(_ body: () throws -> Void) {
    do {
        try body()
    } catch let error as NixWashError {
        // Every message must be printable: it is what the user sees.
        precondition(!(error.errorDescription ?? "").isEmpty, "an error without a message: \(error)")
    } catch {
        preconditionFailure("an error that is not a NixWashError: \(error)")
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// SwiftPM gives an executable its own entry symbol, so libFuzzer's `main` is never linked:
/// this one hands the command line to libFuzzer's driver.
@main
enum FuzzMain {
    static func main() {
        _ = FuzzTarget.current
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    switch FuzzTarget.current {
    case .gzip: fuzzGzip(bytes)
    case .csv: fuzzCSV(bytes)
    case .phone: fuzzPhone(bytes)
    case .index: fuzzIndex(bytes)
    case .history: fuzzHistory(bytes)
    case .profile: fuzzProfile(bytes)
    case .campaign: fuzzCampaign(bytes)
    case .list: fuzzList(bytes)
    case .scrub: fuzzScrub(bytes)
    case .delivery: fuzzDelivery(bytes)
    }
    return 0
}

/// The first byte picks the read buffer size, so gzip members and headers split everywhere.
func fuzzGzip(_ bytes: UnsafeRawBufferPointer) {
    guard let first = bytes.first else { return }
    let path = writeScratch("input.gz", UnsafeRawBufferPointer(rebasing: bytes.dropFirst()))
    expectingNixWashErrors {
        let input = try InputFile(path: path, bufferSize: Int(first % 64) + 2)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(first >> 4) + 1, alignment: 1)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = try input.read(into: buffer)
            precondition(n >= 0 && n <= buffer.count)
            if n == 0 { break }
            total += n
        }
        precondition(input.isGzip || total == bytes.count - 1, "a plain file read short")
    }
}

/// The first byte picks the delimiter, chunk size and record limit; every field of every record
/// is touched, and line numbers must never go back.
func fuzzCSV(_ bytes: UnsafeRawBufferPointer) {
    guard let first = bytes.first else { return }
    let path = writeScratch("input.csv", UnsafeRawBufferPointer(rebasing: bytes.dropFirst()))
    let delimiters: [UInt8?] = [nil, UInt8(ascii: ","), UInt8(ascii: ";"), 0x09]
    let options = CSVOptions(delimiter: delimiters[Int(first & 3)], hasHeader: first & 4 == 0,
                             maxRecordSize: first & 8 == 0 ? 1 << 20 : 64, chunkSize: Int(first >> 4) + 1,
                             requireDataRows: first & 2 == 0)
    expectingNixWashErrors {
        let reader = try CSVReader(input: InputFile(path: path), options: options)
        var lastLine: UInt64 = 0
        var sum = 0
        while let record = try reader.next() {
            precondition(record.line > lastLine, "line numbers went from \(lastLine) to \(record.line)")
            lastLine = record.line
            precondition(record.totalBytes <= max(options.maxRecordSize, bytes.count), "a record larger than the file")
            for i in 0..<record.count { for byte in record.field(i) { sum &+= Int(byte) } }
        }
        _ = sum
    }
}

/// Any bytes normalize to a number or a reason; a valid number, written as E.164, normalizes to
/// itself.
func fuzzPhone(_ bytes: UnsafeRawBufferPointer) {
    for country in [PhoneCountry.sweden, .norway] {
        let normalizer = PhoneNormalizer(defaultCountry: country)
        guard case let .valid(number) = normalizer.normalize(bytes) else { continue }
        guard case let .valid(again) = normalizer.normalize(number.key.e164) else {
            preconditionFailure("\(number.key.e164) from \(Array(bytes)) does not normalize again")
        }
        precondition(again == number, "\(number.key.e164): \(number) then \(again)")
    }
}

/// Two passes: the bytes as they are (the checks must refuse them), and the same bytes with
/// both checksums made right, so the structural checks behind them are reached too. An index
/// that opens must answer every lookup like a search of its sorted keys.
func fuzzIndex(_ bytes: UnsafeRawBufferPointer) {
    let path = writeScratch("input.idx", bytes)
    expectingNixWashErrors { _ = try BlockIndex(path: path) }
    guard let fixed = IndexChecksums.fixed(Array(bytes)) else { return }
    let fixedPath = fixed.withUnsafeBytes { writeScratch("fixed.idx", $0) }
    expectingNixWashErrors {
        let index = try BlockIndex(path: fixedPath)
        let keys = index.keys
        var probes: [UInt64] = [0, .max, index.header.minKey, index.header.maxKey]
        for key in keys.prefix(64) { probes += [key, key &- 1, key &+ 1] }
        let sortedAndDistinct = zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }
        for probe in probes {
            let found = index.contains(key: PhoneKey(rawValue: probe))
            if sortedAndDistinct, (try? index.verify()) != nil {
                precondition(found == keys.contains(probe), "lookup of \(probe) disagrees with the keys")
            }
        }
    }
}

/// A dialer log through the whole import into an in-memory history, rolled back each time.
func fuzzHistory(_ bytes: UnsafeRawBufferPointer) {
    _ = AttemptTimestamp.parse(bytes)
    _ = AttemptTimestamp.parse(bytes, zone: AttemptTimeZone("UTC")!, dateOrder: .monthDayYear)
    _ = LocalDate.read(bytes, order: .dayMonthYear)
    let path = writeScratch("log.csv", bytes)
    expectingNixWashErrors {
        let session = try HistoryFuzzing.store.beginImport(maxBadRows: nil)
        defer { session.rollback() }
        let summary = try session.importLog(path: path)
        precondition(summary.inserted + summary.duplicates + summary.bad + summary.notAttempts == summary.rows,
                     "rows do not add up: \(summary)")
    }
}

enum HistoryFuzzing {
    static let store: HistoryStore = {
        do {
            return try HistoryStore(path: scratchFolder + "/history.db", mode: .create)
        } catch {
            fatalError("cannot create the history for fuzzing: \(error)")
        }
    }()
}

func fuzzProfile(_ bytes: UnsafeRawBufferPointer) {
    expectingNixWashErrors { _ = try RuleProfile.decode(Data(bytes), path: "profile.json") }
}

func fuzzCampaign(_ bytes: UnsafeRawBufferPointer) {
    let path = writeScratch("campaign.json", bytes)
    expectingNixWashErrors { _ = try CampaignFile.load(path: path) }
}

/// The same bytes as a register or block list (as `nixwash index build` reads it), a customer
/// list and a consent list; every customer and consent read must be answerable.
func fuzzList(_ bytes: UnsafeRawBufferPointer) {
    let path = writeScratch("list.csv", bytes)
    let options = ListReadingOptions(maxInvalidLines: .max)
    expectingNixWashErrors {
        var keys: [UInt64] = []
        _ = try ListReading.readNumbers(path: path, role: .register, options: options, into: &keys)
    }
    expectingNixWashErrors {
        let (customers, _) = try ListReading.readCustomers(path: path, options: options)
        _ = customers.agreementEnd(for: PhoneKey(rawValue: 46_701_234_567), category: customers.category("bredband"))
    }
    expectingNixWashErrors {
        let (consents, _) = try ListReading.readConsents(path: path, options: options)
        _ = consents.latestConsent(for: PhoneKey(rawValue: 46_701_234_567), onOrBefore: 20_000)
    }
}

/// A whole scrub of the bytes as a lead list (first byte: delimiter and record limit) against a
/// small NIX register: it ends in outputs or a NixWashError, never in broken accounting, and a
/// failed run leaves no output folder.
func fuzzScrub(_ bytes: UnsafeRawBufferPointer) {
    guard let first = bytes.first else { return }
    let leads = writeScratch("leads.csv", UnsafeRawBufferPointer(rebasing: bytes.dropFirst()))
    let out = scratchFolder + "/out"
    var config = ScrubConfiguration(leadFiles: [leads], outputFolder: out, callDate: LocalDate("2026-11-23")!,
                                    campaign: "c", offer: "o", contactCentre: "k", nixIndex: ScrubFuzzing.nixIndex)
    config.source = "fallback"
    let delimiters: [UInt8?] = [nil, UInt8(ascii: ","), UInt8(ascii: ";"), 0x09]
    config.csv = CSVOptions(delimiter: delimiters[Int(first & 3)], maxRecordSize: first & 4 == 0 ? 1 << 20 : 1024)
    do {
        let report = try Scrubber(configuration: config).run()
        precondition(report.accounting.balanced, "unbalanced: \(report.accounting)")
        try? FileManager.default.removeItem(atPath: out)
    } catch let error as NixWashError {
        if case .accountingBroken = error { preconditionFailure(error.errorDescription ?? "") }
        precondition(access(out, F_OK) != 0, "a failed scrub left its output folder: \(error)")
    } catch {
        preconditionFailure("an error that is not a NixWashError: \(error)")
    }
}

enum ScrubFuzzing {
    static let nixIndex: String = {
        let path = scratchFolder + "/nix.idx"
        let keys: [UInt64] = [46_701_234_567, 46_701_234_568, 46_812_345_678]
        do {
            try IndexWriter.write(keys: keys, metadata: IndexWriter.Metadata(kind: .nix, label: "NIX", registerDate: 20_758,
                                                                             buildTime: 0, sources: [], numberCountry: .sweden), to: path)
        } catch {
            fatalError("cannot write the fuzzing index: \(error)")
        }
        return path
    }()
}

/// A lead delivery as vendors send it, opened by content (`LeadSources.open`) and read to its
/// end. The first byte picks the wrapping: the bytes as they are; after a UTF-16 LE or BE byte
/// order mark; as a workbook's sheet XML; or as its shared strings under a fixed sheet.
func fuzzDelivery(_ bytes: UnsafeRawBufferPointer) {
    guard let first = bytes.first else { return }
    let body = Data(UnsafeRawBufferPointer(rebasing: bytes.dropFirst()))
    let path: String
    switch first % 5 {
    case 1: path = (Data([0xFF, 0xFE]) + body).withUnsafeBytes { writeScratch("delivery.txt", $0) }
    case 2: path = (Data([0xFE, 0xFF]) + body).withUnsafeBytes { writeScratch("delivery.txt", $0) }
    case 3: path = DeliveryFuzzing.workbook(sheet: body, sharedStrings: DeliveryFuzzing.sharedStrings)
    case 4: path = DeliveryFuzzing.workbook(sheet: DeliveryFuzzing.sheet, sharedStrings: body)
    default: path = body.withUnsafeBytes { writeScratch("delivery.bin", $0) }
    }
    expectingNixWashErrors {
        for input in try LeadSources.open(path) {
            var options = CSVOptions(requireDataRows: false)
            options.delimiter = input.delimiter
            let reader = try CSVReader(input: input.content, options: options)
            var lastLine: UInt64 = 0
            var sum = 0
            while let record = try reader.next() {
                precondition(record.line > lastLine, "line numbers went from \(lastLine) to \(record.line)")
                lastLine = record.line
                for i in 0..<record.count { for byte in record.field(i) { sum &+= Int(byte) } }
            }
            _ = sum
        }
    }
}

enum DeliveryFuzzing {
    static let sheet = Data(#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>46701234567</v></c></row></sheetData></worksheet>"#.utf8)
    static let sharedStrings = Data(#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>telefon</t></si><si><t>mobil</t></si><si><t>0701234567</t></si></sst>"#.utf8)
    private static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// A workbook with one sheet, stored (not deflated) so the fuzzer's bytes reach the XML reader.
    static func workbook(sheet: Data, sharedStrings: Data) -> String {
        let path = scratchFolder + "/delivery.xlsx"
        unlink(path)
        let parts: [(String, Data)] = [
            ("xl/workbook.xml", Data(#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="\#(relationships)"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8)),
            ("xl/_rels/workbook.xml.rels", Data(#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(relationships)/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="\#(relationships)/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.utf8)),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", sharedStrings),
        ]
        do {
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
            for (name, data) in parts {
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), provider: { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                })
            }
        } catch {
            fatalError("cannot write the fuzzing workbook: \(error)")
        }
        return path
    }
}
