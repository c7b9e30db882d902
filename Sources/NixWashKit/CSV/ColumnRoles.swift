/// Which columns of a lead list hold phone numbers and which the address source, found from
/// the header names that Swedish and English exports use (case, spaces, punctuation and å/ä/ö
/// ignored; `telefon2`, `Mobil 1` and the like match too).
public struct ColumnRoles: Equatable, Sendable {
    public var phoneColumns: [Int]
    public var sourceColumn: Int?

    static let phoneNames: Set<String> = [
        "telefon", "tel", "telnr", "telefonnr", "telefonnummer", "tfn", "tfnnr", "mobil", "mobilnr",
        "mobilnummer", "mobiltelefon", "mobiltel", "hemtelefon", "hemtel", "arbetstelefon", "privattelefon",
        "phone", "phonenumber", "phoneno", "mobile", "mobilephone", "mobilenumber", "cell", "cellphone",
        "msisdn", "telephone", "telephonenumber", "landline", "fastnat", "fasttelefon", "nummer",
    ]
    static let sourceNames: Set<String> = [
        "kalla", "adresskalla", "listkalla", "leadkalla", "source", "leadsource", "listsource",
        "addresssource", "datasource", "vendor", "leverantor", "listleverantor",
    ]

    /// Lower case ASCII letters and digits only, å/ä → a and ö → o, trailing digits dropped.
    public static func canonicalName(_ name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            switch scalar {
            case "å", "ä", "à", "á": out.append("a")
            case "ö", "ø", "ó": out.append("o")
            case "é", "è": out.append("e")
            case "a"..."z", "0"..."9": out.unicodeScalars.append(scalar)
            default: continue
            }
        }
        while let last = out.last, last.isNumber { out.removeLast() }
        return out
    }

    public static func isPhoneName(_ name: String) -> Bool { phoneNames.contains(canonicalName(name)) }
    public static func isSourceName(_ name: String) -> Bool { sourceNames.contains(canonicalName(name)) }

    /// Roles from the header, or from explicit column names where given (an explicit name
    /// that is not in the header is an error naming the file and listing the header).
    public static func resolve(header: [String], path: String, phoneColumns explicitPhones: [String] = [],
                               sourceColumn explicitSource: String? = nil) throws -> ColumnRoles {
        func index(of name: String) throws -> Int {
            if let exact = header.firstIndex(of: name) { return exact }
            let wanted = name.lowercased()
            if let loose = header.firstIndex(where: { $0.lowercased() == wanted }) { return loose }
            throw NixWashError.missingColumn(path: path, column: name, header: header)
        }
        let phones = explicitPhones.isEmpty
            ? header.indices.filter { isPhoneName(header[$0]) }
            : try explicitPhones.map(index(of:))
        guard !phones.isEmpty else { throw NixWashError.noPhoneColumn(path: path, header: header) }
        let source = try explicitSource.map(index(of:)) ?? header.indices.first { isSourceName(header[$0]) }
        return ColumnRoles(phoneColumns: phones, sourceColumn: source)
    }
}
