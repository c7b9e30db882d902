import Foundation

/// One file an audit looked at, and what it found.
public struct AuditCheck: Equatable, Sendable {
    public enum Role: String, Sendable { case report, output, signature, input, index }
    public enum Status: String, Sendable {
        /// The file is as the run recorded it.
        case intact
        /// The file is there but not as recorded (or cannot be read as recorded).
        case differs
        /// A file the run wrote is gone.
        case missing
        /// A file the run wrote nothing about is in the folder.
        case unexpected
        /// Not checked: an input or index no longer at its recorded path, or a signature
        /// without a public key to check it with.
        case skipped
    }

    public var file: String
    public var role: Role
    public var status: Status
    public var detail: String

    /// Whether this check breaks the trail.
    public var fails: Bool { status == .differs || status == .missing || status == .unexpected }
}

public struct AuditResult: Sendable {
    public var folder: String
    public var checks: [AuditCheck]
    /// Everything that was checked is as recorded.
    public var intact: Bool { !checks.contains(where: \.fails) }
}

/// `audit verify`: checks a run folder against its own `report.json` (see `AuditTrail`), the
/// report against its digest file (and signature), the inputs still at their recorded paths
/// against their SHA-256, the indexes still there against their recorded checksums.
public enum AuditVerifier {
    public static func verify(folder: String, publicKey: ReportSignature?) throws -> AuditResult {
        var result = AuditResult(folder: folder, checks: [])
        func add(_ file: String, _ role: AuditCheck.Role, _ status: AuditCheck.Status, _ detail: String) {
            result.checks.append(AuditCheck(file: file, role: role, status: status, detail: detail))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw NixWashError.cannotOpen(path: folder, reason: "no such folder. Give the output folder of a nixwash run")
        }
        let reportPath = folder + "/" + AuditTrail.reportName
        guard FileManager.default.fileExists(atPath: reportPath) else {
            add(AuditTrail.reportName, .report, .missing, "the run's report is gone, so nothing in the folder can be verified")
            return result
        }
        let reportData = try Data(contentsOf: URL(fileURLWithPath: reportPath))
        let reportDigest = try FileDigest.of(path: reportPath, name: AuditTrail.reportName)

        // report.json against the digest beside it.
        let digestPath = folder + "/" + AuditTrail.digestName
        if let text = try? String(contentsOfFile: digestPath, encoding: .utf8) {
            if let recorded = AuditTrail.recordedDigest(text) {
                if recorded == reportDigest.sha256 {
                    add(AuditTrail.reportName, .report, .intact, "SHA-256 \(recorded) as in \(AuditTrail.digestName)")
                } else {
                    add(AuditTrail.reportName, .report, .differs, "SHA-256 is \(reportDigest.sha256), \(AuditTrail.digestName) records \(recorded)")
                }
            } else {
                add(AuditTrail.digestName, .report, .differs, "is not one line 'SHA256  report.json'")
            }
        } else {
            add(AuditTrail.digestName, .report, .missing, "the digest of report.json is gone, so the report itself cannot be verified")
        }

        // The signature, when there is a key to check it with.
        let signaturePath = folder + "/" + AuditTrail.signatureName
        let signature = try? String(contentsOfFile: signaturePath, encoding: .utf8)
        if let publicKey {
            if let signature {
                if publicKey.verify(reportData, signature: signature) {
                    add(AuditTrail.signatureName, .signature, .intact, "a valid Ed25519 signature of report.json by the given key")
                } else {
                    add(AuditTrail.signatureName, .signature, .differs, "not a signature of this report.json by the given key")
                }
            } else {
                add(AuditTrail.signatureName, .signature, .missing, "no signature of report.json, but a public key was given to check one")
            }
        } else if signature != nil {
            add(AuditTrail.signatureName, .signature, .skipped, "signed, but no public key given to check the signature with")
        }

        guard let report = try? JSONSerialization.jsonObject(with: reportData) as? [String: Any] else {
            add(AuditTrail.reportName, .report, .differs, "is not a JSON object")
            return result
        }
        let base = report["working_directory"] as? String

        // Every output against its recorded size and SHA-256.
        let trailFiles = Set([AuditTrail.reportName, AuditTrail.digestName, AuditTrail.signatureName])
        var recordedNames = trailFiles
        if let outputs = report["output_files"] as? [[String: Any]] {
            for entry in outputs {
                guard let name = entry["name"] as? String, let sha = entry["sha256"] as? String,
                      let size = (entry["size"] as? NSNumber)?.uint64Value else {
                    add(AuditTrail.reportName, .report, .differs, "an output_files entry lacks name, size or sha256")
                    continue
                }
                recordedNames.insert(name)
                let path = folder + "/" + name
                guard FileManager.default.fileExists(atPath: path) else {
                    add(name, .output, .missing, "written by the run, no longer in the folder")
                    continue
                }
                let digest = try FileDigest.of(path: path, name: name)
                if digest.sha256 == sha && digest.size == size {
                    add(name, .output, .intact, "\(size) bytes, SHA-256 \(sha)")
                } else {
                    add(name, .output, .differs, "\(digest.size) bytes, SHA-256 \(digest.sha256); report.json records \(size) bytes, \(sha)")
                }
            }
        } else {
            add(AuditTrail.reportName, .report, .differs, "records no output_files digests (written by a nixwash before they were recorded), so the outputs cannot be verified")
        }
        let present = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in present.sorted() where !recordedNames.contains(name) {
            add(name, .output, .unexpected, "in the folder, but not written by the run")
        }

        // Inputs and indexes, where they still are.
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") || base == nil ? path : base! + "/" + path
        }
        for input in report["inputs"] as? [[String: Any]] ?? [] {
            guard let path = input["path"] as? String, let sha = input["sha256"] as? String, path != "-" else { continue }
            let resolved = resolve(path)
            guard FileManager.default.fileExists(atPath: resolved) else {
                add(path, .input, .skipped, "no longer at its recorded path")
                continue
            }
            let digest = try FileDigest.of(path: resolved, name: path)
            if digest.sha256 == sha {
                add(path, .input, .intact, "SHA-256 \(sha)")
            } else {
                add(path, .input, .differs, "SHA-256 is \(digest.sha256), the run read \(sha): the file at this path changed since")
            }
        }
        for register in report["registers"] as? [[String: Any]] ?? [] {
            guard let path = register["path"] as? String, let checksum = register["index_checksum"] as? String else { continue }
            let resolved = resolve(path)
            guard FileManager.default.fileExists(atPath: resolved) else {
                add(path, .index, .skipped, "no longer at its recorded path")
                continue
            }
            do {
                let index = try BlockIndex(path: resolved)
                let found = hex16(index.header.bodyChecksum)
                if found == checksum {
                    add(path, .index, .intact, "\(index.header.label), checksum \(checksum)")
                } else {
                    add(path, .index, .differs, "checksum \(found), the run used \(checksum): the index was rebuilt or replaced since")
                }
            } catch let error as NixWashError {
                add(path, .index, .differs, error.localizedDescription)
            }
        }
        return result
    }
}
