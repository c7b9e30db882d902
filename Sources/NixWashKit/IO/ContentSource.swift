/// The text of one input as the CSV reader takes it: already inflated, taken out of its
/// archive or workbook, and in UTF-8 when it was UTF-16. A plain or gzip file (`InputFile`) is
/// one; a zip member, a workbook sheet and a UTF-16 file are others.
public protocol ContentSource: AnyObject {
    /// The input's name in errors and the report: a path, `archive.zip:member.csv` or
    /// `book.xlsx:Sheet1`.
    var path: String { get }
    /// Reads up to `buffer.count` bytes of text; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Bytes of the file on disk consumed so far (compressed bytes where it is compressed), for
    /// progress; nil where that cannot be told (a zip member inflated on another thread).
    var compressedBytesRead: UInt64 { get }
    /// Size of the file on disk, or nil for a pipe.
    var compressedSize: UInt64? { get }
}

extension InputFile: ContentSource {}
