import Foundation

/// What makes a run folder auditable: `report.json` records the size and SHA-256 of every
/// other output (`output_files`); `report.json.sha256` beside it holds the digest of
/// `report.json` itself (in `sha256sum` format, so `sha256sum -c` checks it too); with a signing
/// key, `report.json.sig` holds an Ed25519 signature of `report.json`.
public enum AuditTrail {
    public static let reportName = "report.json"
    public static let digestName = "report.json.sha256"
    public static let signatureName = "report.json.sig"

    /// The trail's own files, for a report's `outputs`.
    public static func names(signed: Bool) -> [String] {
        signed ? [digestName, signatureName] : [digestName]
    }

    /// The `output_files` entries of `names`, hashed from `folder` (the run's temporary folder).
    public static func digests(of names: [String], in folder: String) throws -> [FileDigest] {
        try names.map { try FileDigest.of(path: folder + "/" + $0, name: $0) }
    }

    /// Writes the digest file of the `report.json` already in `folder` and, with a signer, its
    /// signature: both of the bytes on disk.
    public static func seal(_ folder: OutputFolder, signer: ReportSignature?) throws {
        let reportPath = folder.temporaryPath + "/" + reportName
        let digest = try FileDigest.of(path: reportPath, name: reportName)
        try write(Data(digestLine(digest.sha256).utf8), to: folder.path(for: digestName))
        if let signer {
            let bytes: Data
            do {
                bytes = try Data(contentsOf: URL(fileURLWithPath: reportPath))
            } catch {
                throw NixWashError.readFailed(path: reportPath, reason: (error as NSError).localizedDescription)
            }
            try write(Data((try signer.sign(bytes) + "\n").utf8), to: folder.path(for: signatureName))
        }
    }

    /// `HEX  report.json`, as `sha256sum` writes it.
    static func digestLine(_ sha256: String) -> String { "\(sha256)  \(reportName)\n" }

    /// The digest a digest file records, or nil when it is not one line of that form.
    static func recordedDigest(_ text: String) -> String? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[1].trimmingCharacters(in: .whitespacesAndNewlines) == reportName,
              parts[0].count == 64, parts[0].allSatisfy(\.isHexDigit) else { return nil }
        return parts[0].lowercased()
    }

    private static func write(_ data: Data, to path: String) throws {
        let sink = try PlainFileSink(path: path)
        try data.withUnsafeBytes { try sink.write($0) }
        try sink.finish()
    }
}
