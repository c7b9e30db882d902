#if canImport(Glibc)
import Glibc
#endif

/// An output folder that appears all at once. Files are written into a hidden temporary
/// folder beside the final one (same filesystem, so the last step is one `rename`); until
/// `commit()` nothing exists under the final name, and a failed or killed run leaves at most
/// the hidden temporary folder, which the next run into the same place removes.
public final class OutputFolder {
    public let finalPath: String
    public let temporaryPath: String
    private let replaceExisting: Bool
    private var committed = false
    /// This folder's entries in `InterruptCleanup`.
    private var cleanupSlots: [Int?] = []

    public init(path: String, replaceExisting: Bool = false) throws {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        finalPath = trimmed
        self.replaceExisting = replaceExisting
        if FileSystem.exists(finalPath), !replaceExisting { throw NixWashError.outputExists(path: finalPath) }
        let (parent, name) = OutputFolder.split(finalPath)
        guard FileSystem.isDirectory(parent) else { throw NixWashError.outputParentMissing(path: finalPath, parent: parent) }
        FileSystem.removeLeftoversOfDeadProcesses(in: parent, prefix: ".\(name).partial-")
        FileSystem.removeLeftoversOfDeadProcesses(in: parent, prefix: ".\(name).replaced-")
        temporaryPath = "\(parent)/.\(name).partial-\(getpid())"
        FileSystem.removeTree(temporaryPath)
        // Registered before it exists: a signal between the two would leave the folder behind.
        cleanupSlots.append(InterruptCleanup.register(temporaryPath))
        try FileSystem.makeDirectory(temporaryPath)
    }

    deinit {
        if !committed { FileSystem.removeTree(temporaryPath) }
        cleanupSlots.forEach(InterruptCleanup.release)
    }

    /// The temporary path of an output file; it moves to the final folder on `commit()`, and
    /// is removed if the process is interrupted before.
    public func path(for fileName: String) -> String {
        let path = temporaryPath + "/" + fileName
        cleanupSlots.append(InterruptCleanup.register(path))
        return path
    }

    /// Moves the folder into place. With `replaceExisting`, an old folder of that name is
    /// swapped out and removed only after the new one is in place; the swap is one step where
    /// the system allows, so the final name never stands empty, even if the process is killed.
    public func commit() throws {
        try InterruptCleanup.committing { try moveIntoPlace() }
    }

    private func moveIntoPlace() throws {
        FileSystem.syncDirectory(temporaryPath)
        var displaced: String?
        if FileSystem.exists(finalPath) {
            guard replaceExisting else { throw NixWashError.outputExists(path: finalPath) }
            if FileSystem.exchange(temporaryPath, finalPath) {
                committed = true
                FileSystem.syncDirectory(OutputFolder.split(finalPath).parent)
                FileSystem.removeTree(temporaryPath)  // the old folder, swapped out
                return
            }
            let (parent, name) = OutputFolder.split(finalPath)
            displaced = "\(parent)/.\(name).replaced-\(getpid())"
            try FileSystem.rename(finalPath, to: displaced!)
        }
        try FileSystem.rename(temporaryPath, to: finalPath)
        committed = true
        FileSystem.syncDirectory(OutputFolder.split(finalPath).parent)
        if let displaced { FileSystem.removeTree(displaced) }
    }

    static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let parent = String(path[..<slash])
        return (parent.isEmpty ? "/" : parent, String(path[path.index(after: slash)...]))
    }
}
