#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file mapped read-only into memory for as long as this object lives. The mapping
/// is private and read-only, so a reader never sees its own writes; a file replaced by rename
/// (as the index builder does) leaves an existing mapping on the old contents.
public final class MappedFile {
    public let path: String
    /// The mapped bytes; empty for an empty file (which cannot be mapped).
    public let bytes: UnsafeRawBufferPointer

    /// Maps `path`. `populate` asks the kernel to read the whole file in now (one sequential
    /// read) instead of on first touch of each page; worth it when every page will be read.
    public init(path: String, populate: Bool = false) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw NixWashError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw NixWashError.readFailed(path: path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw NixWashError.notARegularFile(path: path)
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        #if os(Linux)
        let flags = MAP_PRIVATE | (populate ? MAP_POPULATE : 0)
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let address = mmap(nil, size, PROT_READ, flags, fd, 0), address != MAP_FAILED else {
            throw NixWashError.readFailed(path: path, reason: "cannot map the file: " + String(cString: strerror(errno)))
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let start = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: start), bytes.count)
        }
    }
}
