#if canImport(Glibc)
import Glibc
#endif

/// What nixwash records of a file it relies on: its size and a digest of its bytes as stored
/// (compressed, if it is), read once to the end.
enum FileFingerprint {
    /// SHA-256 (hex) and size: the report's inputs and outputs, the history's imports.
    static func sha256(path: String) throws -> (sha256: String, size: UInt64) {
        let hash = SHA256()
        let size = try read(path) { hash.update($0) }
        return (hash.finalize(), size)
    }

    /// `sha256(path:)` of a regular file; nil for standard input (`-`) and for a pipe or
    /// anything else that cannot be read twice.
    static func sha256(ofRegularFile path: String) throws -> (sha256: String, size: UInt64)? {
        guard path != "-" else { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else { throw NixWashError.cannotOpen(path: path, reason: errnoText()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return try sha256(path: path)
    }

    /// XXH64 and size: the checksum an index keeps of the list it was built from.
    static func xxHash64(path: String) throws -> (checksum: UInt64, size: UInt64) {
        var hasher = XXHash64()
        let size = try read(path) { hasher.update($0) }
        return (hasher.digest, size)
    }

    /// Reads `path` to its end in 1 MiB chunks; returns how many bytes it has.
    private static func read(_ path: String, _ update: (UnsafeRawBufferPointer) -> Void) throws -> UInt64 {
        let file = try SystemFile.openForReading(path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var size: UInt64 = 0
        while true {
            let n = try file.read(into: buffer)
            if n == 0 { return size }
            update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            size += UInt64(n)
        }
    }
}
