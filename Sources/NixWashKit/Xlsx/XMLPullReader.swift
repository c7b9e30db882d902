#if canImport(Glibc)
import Glibc
#endif
import CXML2

/// libxml2's streaming reader (xmlTextReader) over a `ContentSource`: one node at a time,
/// pulled as the zip member inflates, so a sheet of any size is read in flat memory. Names
/// and values are libxml2's own bytes, valid until the next `next()`; nothing is allocated
/// per node. No network access and no entity expansion.
final class XMLPullReader {
    enum Node: Int32 {
        case element = 1, text = 3, cdata = 4, whitespace = 13, significantWhitespace = 14, endElement = 15
        case other = -1
    }

    private let reader: xmlTextReaderPtr
    private let context: XMLReadContext
    let name: String

    init(source: ContentSource, name: String) throws {
        self.name = name
        context = XMLReadContext(source: source)
        let opaque = Unmanaged.passUnretained(context).toOpaque()
        guard let reader = xmlReaderForIO(xmlRead, nil, opaque, nil, nil, Int32(XML_PARSE_NONET.rawValue)) else {
            throw NixWashError.damagedArchive(path: name, reason: "libxml2 could not start reading")
        }
        self.reader = reader
        xmlTextReaderSetErrorHandler(reader, xmlError, opaque)
    }

    deinit { xmlFreeTextReader(reader) }

    /// The next node, or nil at the end of the document.
    func next() throws -> Node? {
        let status = xmlTextReaderRead(reader)
        if status == 1 { return Node(rawValue: xmlTextReaderNodeType(reader)) ?? .other }
        if let error = context.readError { throw error }
        if status == 0, context.parseError == nil { return nil }
        throw NixWashError.damagedArchive(path: name, reason: "damaged XML (\(context.parseError ?? "libxml2 stopped reading"))")
    }

    /// The current node's local name (no namespace prefix), a C string of libxml2's.
    var localName: UnsafePointer<CChar>? {
        xmlTextReaderConstLocalName(reader).map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
    }

    /// Whether the current node's local name is `name`.
    @inline(__always)
    func isNamed(_ name: StaticString) -> Bool {
        guard let local = xmlTextReaderConstLocalName(reader) else { return false }
        return strcmp(UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self),
                      UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The current text node's bytes.
    var value: UnsafeRawBufferPointer {
        guard let v = xmlTextReaderConstValue(reader) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: v, count: strlen(UnsafeRawPointer(v).assumingMemoryBound(to: CChar.self)))
    }

    /// Calls `body` with each attribute's local name and value of the current element.
    func forEachAttribute(_ body: (_ name: UnsafePointer<CChar>, _ value: UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard xmlTextReaderMoveToFirstAttribute(reader) == 1 else { return }
        repeat {
            if let local = localName { try body(local, value) }
        } while xmlTextReaderMoveToNextAttribute(reader) == 1
        xmlTextReaderMoveToElement(reader)
    }

    /// The value of attribute `name` of the current element, as text (for the small parts).
    func attribute(_ name: String) -> String? {
        var found: String?
        forEachAttribute { local, value in
            if found == nil, String(cString: local) == name { found = String(decoding: value, as: UTF8.self) }
        }
        return found
    }

    /// The text inside the current element, up to its end (for the small parts).
    func text() throws -> String {
        guard !isEmptyElement else { return "" }
        var bytes: [UInt8] = []
        var depth = 1
        while depth > 0, let node = try next() {
            switch node {
            case .element: if !isEmptyElement { depth += 1 }
            case .endElement: depth -= 1
            case .text, .cdata, .whitespace, .significantWhitespace: bytes += value
            case .other: break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The source and the first failure, reachable from libxml2's C callbacks.
private final class XMLReadContext {
    let source: ContentSource
    var readError: Error?
    var parseError: String?
    init(source: ContentSource) { self.source = source }
}

private let xmlRead: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, Int32) -> Int32 = { opaque, buffer, length in
    let context = Unmanaged<XMLReadContext>.fromOpaque(opaque!).takeUnretainedValue()
    guard context.readError == nil else { return -1 }
    do {
        return Int32(try context.source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length))))
    } catch {
        context.readError = error
        return -1
    }
}

private let xmlError: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, xmlParserSeverities, xmlTextReaderLocatorPtr?) -> Void = { opaque, message, severity, locator in
    let context = Unmanaged<XMLReadContext>.fromOpaque(opaque!).takeUnretainedValue()
    guard severity == XML_PARSER_SEVERITY_ERROR || severity == XML_PARSER_SEVERITY_VALIDITY_ERROR,
          context.parseError == nil else { return }
    let line = locator.map { xmlTextReaderLocatorLineNumber($0) } ?? 0
    var text = message.map { String(cString: $0) } ?? "error"
    while text.last?.isWhitespace == true { text.removeLast() }
    context.parseError = "line \(line) of the part: \(text)"
}
