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
        let fingerprint = try FileFingerprint.sha256(path: path)
        return FileDigest(name: name, size: fingerprint.size, sha256: fingerprint.sha256)
    }
}
