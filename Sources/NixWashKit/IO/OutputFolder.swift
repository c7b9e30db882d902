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

    /// `marker`: the file every folder this kind of run writes holds (`report.json`); only such
    /// a folder is replaced. `inputs`: the run's inputs, which a replaced folder must not hold.
    public init(path: String, replaceExisting: Bool = false, marker: String, inputs: [String]) throws {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        finalPath = trimmed
        self.replaceExisting = replaceExisting
        if FileSystem.exists(finalPath) {
            guard replaceExisting else { throw NixWashError.outputExists(path: finalPath) }
            try OutputTargets.refuseReplacing(finalPath, marker: marker, inputs: inputs)
        }
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

/// Outputs that replace a file must never replace an input of the same run: a rejects file
/// or an index written over the register it is read from would destroy it.
public enum OutputTargets {
    /// Refuses an output path that names the same file as an input, or as another output.
    public static func refuseOverwriting(inputs: [String], outputs: [String]) throws {
        var taken: [FileSystem.Identity: String] = [:]
        for input in inputs where input != "-" {
            if let identity = FileSystem.identity(input) { taken[identity] = input }
        }
        for output in outputs {
            guard let identity = FileSystem.identity(output) else { continue }
            if let other = taken[identity] { throw NixWashError.outputIsInput(output: output, input: other) }
            taken[identity] = output
        }
        // Outputs not written yet have no identity of their own: theirs is their folder's and name.
        var named: [String: String] = [:]
        for output in outputs where FileSystem.identity(output) == nil {
            let (parent, name) = OutputFolder.split(output)
            let place = (FileSystem.realPath(parent) ?? parent) + "/" + name
            if let other = named[place] { throw NixWashError.outputIsInput(output: output, input: other) }
            named[place] = output
        }
    }

    /// Refuses to replace what is not a folder an earlier run wrote (a lead list, or a folder of
    /// them, given as the output by mistake would be removed), and a folder that holds, or is,
    /// one of this run's inputs.
    static func refuseReplacing(_ folder: String, marker: String, inputs: [String]) throws {
        guard FileSystem.isDirectory(folder), FileSystem.exists(folder + "/" + marker) else {
            throw NixWashError.replacedNotAnOutputFolder(path: folder, isFolder: FileSystem.isDirectory(folder), marker: marker)
        }
        guard let root = FileSystem.realPath(folder) else { return }
        for input in inputs where input != "-" {
            guard let real = FileSystem.realPath(input) else { continue }
            if real == root || real.hasPrefix(root + "/") {
                throw NixWashError.replacedFolderHoldsInput(folder: folder, input: input, isTheInput: real == root)
            }
        }
    }
}
