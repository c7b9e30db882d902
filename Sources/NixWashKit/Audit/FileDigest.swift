/// One file of a run's folder as `report.json` records it (`output_files`): name, size and
/// SHA-256 of its bytes on disk.
public struct FileDigest: Codable, Equatable, Sendable {
    public var name: String
    public var size: UInt64
    public var sha256: String

    public init(name: String, size: UInt64, sha256: String) {
        self.name = name
        self.size = size
        self.sha256 = sha256
    }

    /// Reads a file to its end and hashes it.
    public static func of(path: String, name: String) throws -> FileDigest {
        let file = try SystemFile.openForReading(path)
        let hash = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var size: UInt64 = 0
        while true {
            let n = try file.read(into: buffer)
            if n == 0 { break }
            hash.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            size += UInt64(n)
        }
        return FileDigest(name: name, size: size, sha256: hash.finalize())
    }
}
