/// The on-disk block index, format version 1. This comment and docs/index-format.md are the
/// one description of the layout; keep them in step.
///
/// All integers are little-endian. The file is a header followed by the body:
///
/// ```
/// header (headerLength bytes, a multiple of 64)
///   offset size  field
///        0    8  magic "NIXWIDX" followed by 0x1A
///        8    4  format version, UInt32 (1)
///       12    4  headerLength, UInt32: where the body starts
///       16    1  kind, UInt8: 1 = NIX register, 2 = company block list
///       17    1  levelOneShift, UInt8 (see KeyLookup)
///       18    2  number country, UInt16: the calling code of the country whose numbers
///                written without a country code the lists were read as (46 = Sweden); 0 in
///                an index built before nixwash recorded it
///       20    4  register date, Int32 days since 1970-01-01; Int32.min = none given
///       24    8  build time, Int64 seconds since 1970-01-01T00:00:00Z
///       32    8  entryCount n, UInt64: number of distinct keys
///       40    8  minKey, UInt64 (0 when n = 0)
///       48    8  maxKey, UInt64 (0 when n = 0)
///       56    8  levelOneCount u, UInt64
///       64    8  levelTwoCount m, UInt64
///       72    8  bodyLength, UInt64 = 8n + 8u + 4m
///       80    8  bodyChecksum, UInt64: XXH64 (seed 0) of the whole body
///       88    4  labelLength, UInt32 (UTF-8 bytes, at most 1024)
///       92    4  sourceCount, UInt32 (at most 65536)
///       96    8  headerChecksum, UInt64: XXH64 of the first headerLength bytes with this
///                field set to 0
///      104       label, UTF-8
///                sources, sourceCount records of:
///                   8  checksum: XXH64 of the file as stored (compressed bytes for gzip)
///                   8  file length in bytes
///                   8  lines read
///                   8  valid numbers read
///                   8  lines without a valid number
///                   1  role: 0 = full register, 1 = numbers added, 2 = numbers removed
///                   1  reserved, 0
///                   2  name length, UInt16 (UTF-8 bytes)
///                      name, UTF-8 (the path as given to the builder)
///                zero bytes up to headerLength
/// body (starts at headerLength, so 64-byte aligned; the file ends with the body)
///   8n  keys, UInt64, strictly ascending: E.164 numbers as `PhoneKey` raw values
///   8u  level-one table, UInt64 entries
///   4m  level-two table, UInt32 entries
/// ```
public enum IndexFormat {
    /// "NIXWIDX" and 0x1A (the DOS end-of-file byte: `type`/`cat` on the file stop early).
    public static let magic: [UInt8] = [0x4E, 0x49, 0x58, 0x57, 0x49, 0x44, 0x58, 0x1A]
    public static let version: UInt32 = 1
    static let fixedHeaderLength = 104
    static let headerChecksumOffset = 96
    static let alignment = 64
    static let maxLabelLength = 1024
    static let maxSourceCount = 65536
    static let noRegisterDate = Int32.min
}

/// Which list an index holds: the NIX register (exemptions may lift it) or a company block
/// list (nothing lifts it).
public enum IndexKind: UInt8, Sendable, CaseIterable {
    case nix = 1
    case block = 2

    public var name: String { self == .nix ? "nix" : "block" }

    public init?(name: String) {
        switch name {
        case "nix": self = .nix
        case "block": self = .block
        default: return nil
        }
    }
}

/// One input file an index was built from, as recorded in the header for auditors.
public struct IndexSource: Equatable, Sendable {
    public enum Role: UInt8, Sendable {
        /// A full register or block list.
        case register = 0
        /// A delta file whose numbers were added to an earlier index.
        case added = 1
        /// A delta file whose numbers were removed from an earlier index.
        case removed = 2

        public var name: String {
            switch self {
            case .register: return "register"
            case .added: return "added"
            case .removed: return "removed"
            }
        }
    }

    public var name: String
    public var role: Role
    /// XXH64 of the file as stored (compressed bytes for a gzip file).
    public var checksum: UInt64
    /// Length of the file as stored, in bytes.
    public var fileLength: UInt64
    public var lines: UInt64
    public var numbers: UInt64
    public var invalidLines: UInt64

    public init(name: String, role: Role, checksum: UInt64, fileLength: UInt64,
                lines: UInt64, numbers: UInt64, invalidLines: UInt64) {
        self.name = name
        self.role = role
        self.checksum = checksum
        self.fileLength = fileLength
        self.lines = lines
        self.numbers = numbers
        self.invalidLines = invalidLines
    }
}

/// Everything an index header says, decoded.
public struct IndexHeader: Equatable, Sendable {
    public var formatVersion: UInt32
    public var kind: IndexKind
    public var label: String
    /// Days since 1970-01-01 (see `DayNumber`); nil when the builder was given none.
    public var registerDate: Int32?
    /// Seconds since 1970-01-01T00:00:00Z.
    public var buildTime: Int64
    /// The country whose numbers written without a country code the lists were read as: a
    /// run that reads its leads as another country's would never meet them. Nil in an index
    /// built before it was recorded.
    public var numberCountry: PhoneCountry?
    public var entryCount: Int
    public var minKey: UInt64
    public var maxKey: UInt64
    public var bodyChecksum: UInt64
    public var headerChecksum: UInt64
    public var sources: [IndexSource]
    public var headerLength: Int
    public var bodyLength: Int
    var levelOneShift: Int
    var levelOneCount: Int
    var levelTwoCount: Int

    public var fileLength: Int { headerLength + bodyLength }

    /// The header bytes, padded to the alignment, with the header checksum filled in.
    func encoded() -> [UInt8] {
        var out = ByteWriter()
        out.bytes.append(contentsOf: IndexFormat.magic)
        out.append(formatVersion)
        out.append(UInt32(0)) // headerLength, patched below
        out.bytes.append(kind.rawValue)
        out.bytes.append(UInt8(levelOneShift))
        out.append(UInt16(numberCountry?.callingCode ?? 0))
        out.append(UInt32(bitPattern: registerDate ?? IndexFormat.noRegisterDate))
        out.append(UInt64(bitPattern: buildTime))
        out.append(UInt64(entryCount))
        out.append(minKey)
        out.append(maxKey)
        out.append(UInt64(levelOneCount))
        out.append(UInt64(levelTwoCount))
        out.append(UInt64(bodyLength))
        out.append(bodyChecksum)
        let labelBytes = Array(label.utf8)
        out.append(UInt32(labelBytes.count))
        out.append(UInt32(sources.count))
        out.append(UInt64(0)) // header checksum, patched below
        out.bytes.append(contentsOf: labelBytes)
        for source in sources {
            out.append(source.checksum)
            out.append(source.fileLength)
            out.append(source.lines)
            out.append(source.numbers)
            out.append(source.invalidLines)
            out.bytes.append(source.role.rawValue)
            out.bytes.append(0)
            let name = Array(source.name.utf8.prefix(Int(UInt16.max)))
            out.append(UInt16(name.count))
            out.bytes.append(contentsOf: name)
        }
        let padded = (out.bytes.count + IndexFormat.alignment - 1) / IndexFormat.alignment * IndexFormat.alignment
        out.bytes.append(contentsOf: [UInt8](repeating: 0, count: padded - out.bytes.count))
        out.patch(UInt32(padded), at: 12)
        let checksum = out.bytes.withUnsafeBytes { XXHash64.hash($0) }
        out.patch(checksum, at: IndexFormat.headerChecksumOffset)
        return out.bytes
    }

    /// Decodes and checks the header at the start of `file`: magic, version, header checksum,
    /// field ranges, and that the file is exactly as long as the header says.
    static func decode(_ file: UnsafeRawBufferPointer, path: String) throws -> IndexHeader {
        let size = UInt64(file.count)
        let magic = IndexFormat.magic
        guard file.count >= magic.count, zip(file.prefix(magic.count), magic).allSatisfy({ $0 == $1 }) else {
            if file.count < magic.count && zip(file, magic).allSatisfy({ $0 == $1 }) {
                throw NixWashError.indexTruncated(path: path, size: size, expected: UInt64(IndexFormat.fixedHeaderLength))
            }
            throw NixWashError.notAnIndex(path: path)
        }
        guard file.count >= 12 else {
            throw NixWashError.indexTruncated(path: path, size: size, expected: UInt64(IndexFormat.fixedHeaderLength))
        }
        let version = file.loadLE(UInt32.self, at: 8)
        guard version == IndexFormat.version else {
            throw NixWashError.indexVersion(path: path, found: version, supported: IndexFormat.version)
        }
        guard file.count >= IndexFormat.fixedHeaderLength else {
            throw NixWashError.indexTruncated(path: path, size: size, expected: UInt64(IndexFormat.fixedHeaderLength))
        }
        let headerLength = Int(file.loadLE(UInt32.self, at: 12))
        guard headerLength >= IndexFormat.fixedHeaderLength, headerLength % IndexFormat.alignment == 0 else {
            throw NixWashError.indexCorrupt(path: path, reason: "the header length \(headerLength) is impossible")
        }
        guard headerLength <= file.count else {
            throw NixWashError.indexTruncated(path: path, size: size, expected: UInt64(headerLength))
        }
        let header = UnsafeRawBufferPointer(rebasing: file[0..<headerLength])
        var hasher = XXHash64()
        hasher.update(UnsafeRawBufferPointer(rebasing: header[0..<IndexFormat.headerChecksumOffset]))
        withUnsafeBytes(of: UInt64(0)) { hasher.update($0) }
        hasher.update(UnsafeRawBufferPointer(rebasing: header[(IndexFormat.headerChecksumOffset + 8)...]))
        let headerChecksum = header.loadLE(UInt64.self, at: IndexFormat.headerChecksumOffset)
        guard hasher.digest == headerChecksum else {
            throw NixWashError.indexCorrupt(path: path, reason: "the header checksum does not match the header")
        }
        func corrupt(_ reason: String) -> NixWashError { .indexCorrupt(path: path, reason: reason) }

        guard let kind = IndexKind(rawValue: header[16]) else { throw corrupt("unknown index kind \(header[16])") }
        let levelOneShift = Int(header[17])
        let countryCode = UInt64(header.loadLE(UInt16.self, at: 18))
        let numberCountry = PhoneCountry.allCases.first { $0.callingCode == countryCode }
        guard countryCode == 0 || numberCountry != nil else { throw corrupt("unknown number country +\(countryCode)") }
        let registerDateRaw = Int32(bitPattern: header.loadLE(UInt32.self, at: 20))
        let buildTime = Int64(bitPattern: header.loadLE(UInt64.self, at: 24))
        let entryCount = header.loadLE(UInt64.self, at: 32)
        let minKey = header.loadLE(UInt64.self, at: 40)
        let maxKey = header.loadLE(UInt64.self, at: 48)
        let levelOneCount = header.loadLE(UInt64.self, at: 56)
        let levelTwoCount = header.loadLE(UInt64.self, at: 64)
        let bodyLength = header.loadLE(UInt64.self, at: 72)
        let bodyChecksum = header.loadLE(UInt64.self, at: 80)
        let labelLength = Int(header.loadLE(UInt32.self, at: 88))
        let sourceCount = Int(header.loadLE(UInt32.self, at: 92))

        guard entryCount < UInt64(UInt32.max), levelTwoCount < UInt64(UInt32.max),
              levelOneCount >= 1, levelOneCount <= UInt64(1 << KeyLookup.maxLevelOneBits), levelTwoCount >= 2,
              levelOneShift < 64, minKey <= maxKey else {
            throw corrupt("the table sizes in the header are impossible")
        }
        // levelOneCount is at least 1 here; `+ 1` on the other side would overflow for a full
        // key range with shift 0.
        guard levelOneCount - 1 == (maxKey - minKey) >> UInt64(levelOneShift) else {
            throw corrupt("the level-one table size does not match the key range")
        }
        let expectedBody = entryCount * 8 + levelOneCount * 8 + levelTwoCount * 4
        guard bodyLength == expectedBody else {
            throw corrupt("the body length \(bodyLength) does not match \(entryCount) keys and the tables")
        }
        let expectedSize = UInt64(headerLength) + bodyLength
        guard size >= expectedSize else {
            throw NixWashError.indexTruncated(path: path, size: size, expected: expectedSize)
        }
        guard size == expectedSize else {
            throw corrupt("\(size - expectedSize) bytes follow the end of the body")
        }

        var reader = ByteReader(bytes: header, position: IndexFormat.fixedHeaderLength)
        guard labelLength <= IndexFormat.maxLabelLength, sourceCount <= IndexFormat.maxSourceCount,
              let labelBytes = reader.take(labelLength),
              let label = String(validating: labelBytes, as: UTF8.self) else {
            throw corrupt("the label is not valid")
        }
        var sources: [IndexSource] = []
        for _ in 0..<sourceCount {
            guard let checksum = reader.read(UInt64.self), let fileLength = reader.read(UInt64.self),
                  let lines = reader.read(UInt64.self), let numbers = reader.read(UInt64.self),
                  let invalid = reader.read(UInt64.self), let roleRaw = reader.read(UInt8.self),
                  let role = IndexSource.Role(rawValue: roleRaw), reader.read(UInt8.self) != nil,
                  let nameLength = reader.read(UInt16.self), let nameBytes = reader.take(Int(nameLength)),
                  let name = String(validating: nameBytes, as: UTF8.self) else {
                throw corrupt("the list of source files in the header is not valid")
            }
            sources.append(IndexSource(name: name, role: role, checksum: checksum, fileLength: fileLength,
                                       lines: lines, numbers: numbers, invalidLines: invalid))
        }
        return IndexHeader(formatVersion: version, kind: kind, label: label,
                           registerDate: registerDateRaw == IndexFormat.noRegisterDate ? nil : registerDateRaw,
                           buildTime: buildTime, numberCountry: numberCountry, entryCount: Int(entryCount), minKey: minKey, maxKey: maxKey,
                           bodyChecksum: bodyChecksum, headerChecksum: headerChecksum, sources: sources,
                           headerLength: headerLength, bodyLength: Int(bodyLength), levelOneShift: levelOneShift,
                           levelOneCount: Int(levelOneCount), levelTwoCount: Int(levelTwoCount))
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func patch<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (i, byte) in raw.enumerated() { bytes[offset + i] = byte }
        }
    }
}

struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    mutating func read<T: FixedWidthInteger>(_: T.Type) -> T? {
        guard position + MemoryLayout<T>.size <= bytes.count else { return nil }
        defer { position += MemoryLayout<T>.size }
        return bytes.loadLE(T.self, at: position)
    }

    mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, position + count <= bytes.count else { return nil }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }
}

extension UnsafeRawBufferPointer {
    func loadLE<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
