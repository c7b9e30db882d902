import CCrypto
import Foundation

/// Ed25519 signatures of `report.json` by libcrypto: `report.json.sig` holds the 64-byte
/// signature in base64. Keys are PEM files as `openssl genpkey -algorithm ed25519` writes them
/// (the public half: `openssl pkey -in KEY -pubout`).
public final class ReportSignature {
    private let key: OpaquePointer
    private let path: String

    /// Loads a private key (`isPrivate`) or a public key from a PEM file; anything else,
    /// including a key of another algorithm, is a usage error naming the file.
    public init(pemFile path: String, isPrivate: Bool) throws {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw NixWashError.cannotOpen(path: path, reason: (error as NSError).localizedDescription)
        }
        let loaded: OpaquePointer? = data.withUnsafeBytes { bytes in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            return isPrivate ? PEM_read_bio_PrivateKey(bio, nil, nil, nil) : PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        ERR_clear_error()
        let kind = isPrivate ? "private" : "public"
        guard let loaded else {
            throw NixWashError.invalidSigningKey(path: path, reason: "not a PEM \(kind) key. Make an Ed25519 key with `openssl genpkey -algorithm ed25519 -out KEY` (its public half: `openssl pkey -in KEY -pubout`).")
        }
        guard EVP_PKEY_get_id(loaded) == EVP_PKEY_ED25519 else {
            EVP_PKEY_free(loaded)
            throw NixWashError.invalidSigningKey(path: path, reason: "is a \(kind) key of another algorithm; nixwash signs with Ed25519 (`openssl genpkey -algorithm ed25519`).")
        }
        key = loaded
    }

    deinit { EVP_PKEY_free(key) }

    /// The signature of `message`, base64.
    public func sign(_ message: Data) throws -> String {
        guard let context = EVP_MD_CTX_new() else { throw NixWashError.signingFailed(path: path, reason: "libcrypto is out of memory") }
        defer { EVP_MD_CTX_free(context) }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = signature.count
        let ok = message.withUnsafeBytes { bytes in
            EVP_DigestSignInit(context, nil, nil, nil, key) == 1
                && EVP_DigestSign(context, &signature, &length, bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count) == 1
        }
        ERR_clear_error()
        guard ok, length == 64 else {
            throw NixWashError.signingFailed(path: path, reason: "libcrypto could not sign with this key.")
        }
        return Data(signature).base64EncodedString()
    }

    /// Whether `signature` (base64) is this public key's signature of `message`.
    public func verify(_ message: Data, signature: String) -> Bool {
        guard let raw = Data(base64Encoded: signature.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 64,
              let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let ok = message.withUnsafeBytes { bytes in
            raw.withUnsafeBytes { sig in
                EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1
                    && EVP_DigestVerify(context, sig.bindMemory(to: UInt8.self).baseAddress, sig.count,
                                        bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count) == 1
            }
        }
        ERR_clear_error()
        return ok
    }
}
