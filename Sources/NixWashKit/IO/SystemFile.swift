#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place that talks to file descriptors: open, read, write, sync, rename. Everything
/// above works with these typed wrappers and gets `NixWashError`s that name the path.
final class SystemFile {
    let path: String
    private(set) var descriptor: Int32
    private let ownsDescriptor: Bool

    private init(path: String, descriptor: Int32, ownsDescriptor: Bool) {
        self.path = path
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
    }

    deinit {
        if ownsDescriptor && descriptor >= 0 { _ = close(descriptor) }
    }

    static var standardInput: SystemFile { SystemFile(path: "-", descriptor: 0, ownsDescriptor: false) }

    /// Opens a regular file for reading; a directory or device is refused with a clear error.
    static func openForReading(_ path: String) throws -> SystemFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw NixWashError.cannotOpen(path: path, reason: errnoText()) }
        let file = SystemFile(path: path, descriptor: fd, ownsDescriptor: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw NixWashError.cannotOpen(path: path, reason: errnoText()) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw NixWashError.notARegularFile(path: path) }
        return file
    }

    /// Creates a new file that must not exist yet (outputs are always written to fresh
    /// temporary names, then renamed into place).
    static func createExclusive(_ path: String, mode: mode_t = 0o644) throws -> SystemFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw NixWashError.cannotOpen(path: path, reason: errnoText()) }
        return SystemFile(path: path, descriptor: fd, ownsDescriptor: true)
    }

    /// Size in bytes, or nil for a pipe.
    func size() -> UInt64? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return UInt64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw NixWashError.readFailed(path: path, reason: errnoText())
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`, without moving the file position.
    func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw NixWashError.readFailed(path: path, reason: errnoText())
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw NixWashError.writeFailed(path: path, reason: errnoText())
            }
            offset += n
        }
    }

    func sync() throws {
        guard fsync(descriptor) == 0 else { throw NixWashError.writeFailed(path: path, reason: errnoText()) }
    }

    func closeChecked() throws {
        guard ownsDescriptor, descriptor >= 0 else { return }
        let result = close(descriptor)
        descriptor = -1
        guard result == 0 else { throw NixWashError.writeFailed(path: path, reason: errnoText()) }
    }
}

func errnoText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}

/// Filesystem operations on paths, with errors that name them.
enum FileSystem {
    static func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else {
            throw NixWashError.writeFailed(path: to, reason: "cannot move \(from) into place: \(errnoText())")
        }
    }

    /// Swaps two paths in one step (renameat2 with RENAME_EXCHANGE, Linux 3.15+), so that
    /// each name always holds one complete folder. False where the system or the filesystem
    /// cannot; the caller then falls back to two renames.
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        guard let renameat2 = renameat2Function else { return false }
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */) == 0
        #else
        return false
        #endif
    }

    /// What makes two paths one file, whatever they are called.
    struct Identity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// The file `path` names (through links); nil when there is none.
    static func identity(_ path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// The absolute path with every link, `.` and `..` resolved; nil when there is no such file.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// A folder, or a link to one.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func makeDirectory(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 else { throw NixWashError.cannotOpen(path: path, reason: errnoText()) }
    }

    /// Removes a file or a folder with the files in it (output folders are flat).
    static func removeTree(_ path: String) {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name == "." || name == ".." { continue }
                unlink(path + "/" + name)
            }
            closedir(dir)
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Removes the entries of `parent` named `prefix` + a process id whose process is gone:
    /// the temporary files and folders of killed runs, which would otherwise pile up.
    static func removeLeftoversOfDeadProcesses(in parent: String, prefix: String) {
        guard let dir = opendir(parent) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            guard entryName.hasPrefix(prefix), let pid = Int32(entryName.dropFirst(prefix.count)) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { removeTree(parent + "/" + entryName) }
        }
    }

    /// Makes a rename inside `directory` durable.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { _ = fsync(fd); _ = close(fd) }
    }
}

#if os(Linux)
private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
/// glibc declares renameat2 only under _GNU_SOURCE, which Swift's Glibc module does not set.
private let renameat2Function: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }
#endif
