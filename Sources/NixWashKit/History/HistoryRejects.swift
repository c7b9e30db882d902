import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rows an import lets through its bad-row limit, as CSV (UTF-8):
/// `file,line,column,value,reason,detail,row`, where `row` is the whole log row as text. The
/// file is written under a temporary name and appears under its own only when the import
/// commits, so a failed import leaves no rejects file.
public final class HistoryRejectsFile {
    public let path: String
    private let temporaryPath: String
    private var file: SystemFile?
    private var buffer: [UInt8] = []
    private var cleanupSlot: Int?
    private var published = false

    /// Refuses a path that already exists: a rejects file is never overwritten.
    public init(path: String) throws {
        guard !FileSystem.exists(path) else { throw NixWashError.outputFileExists(path: path) }
        self.path = path
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = "\(folder).\(name).nixwash-tmp-\(getpid())"
        unlink(temporaryPath)
        // Registered before it exists: a signal between the two would leave the file behind.
        let slot = InterruptCleanup.register(temporaryPath)
        do {
            file = try SystemFile.createExclusive(temporaryPath)
        } catch NixWashError.cannotOpen(_, let reason) {
            // Named as the user gave it: the temporary name is nixwash's own business.
            InterruptCleanup.release(slot)
            throw NixWashError.cannotOpen(path: path, reason: reason)
        } catch {
            InterruptCleanup.release(slot)
            throw error
        }
        cleanupSlot = slot
        append("file,line,column,value,reason,detail,row\n")
    }

    deinit { discard() }

    func add(path logPath: String, row: HistoryBadRow, text: String?) throws {
        let fields = [logPath, "\(row.line)", row.column ?? "", row.value ?? "", row.reason.rawValue, row.detail, text ?? ""]
        append(fields.map { CSVRejectsText.quoted($0, delimiter: 0x2C) }.joined(separator: ",") + "\n")
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    private func flush() throws {
        try buffer.withUnsafeBytes { try file?.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes, syncs and links the file under its name (failing if that appeared meanwhile).
    func publish() throws {
        guard let file else { return }
        try flush()
        try file.sync()
        guard link(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            if errno == EEXIST { throw NixWashError.outputFileExists(path: path) }
            throw NixWashError.writeFailed(path: path, reason: reason)
        }
        published = true
        discard()
    }

    /// Removes a published file again (the import it belongs to failed to commit).
    func withdraw() {
        if published { unlink(path) }
        published = false
    }

    /// Drops the temporary file; a published file stays.
    func discard() {
        file = nil
        unlink(temporaryPath)
        InterruptCleanup.release(cleanupSlot)
        cleanupSlot = nil
    }
}

/// Quoting for the CSV text nixwash writes about rows (rejects): RFC 4180, a field quoted only
/// when it holds the delimiter, a quote or a line break.
enum CSVRejectsText {
    static func quoted(_ field: String, delimiter: UInt8) -> String {
        let needsQuotes = field.utf8.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        return needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
