/// Which columns of a lead list hold phone numbers and which the address source.
///
/// Phone columns are found by header name on a word model (`Alt. telefon`, `Tel arb`,
/// `TelefonHem`, `Telefon (mobil)`, `alt_phone`, `Mobil 1`: any case, any punctuation, camel
/// case, å/ä/ö folded) and by content (`PhoneContent`, a sample of the rows, passed in). A
/// column that holds phone numbers is either washed or declared not to be called: the scrub
/// refuses a list that has one that is neither.
public struct ColumnRoles: Equatable, Sendable {
    public var phoneColumns: [Int]
    public var sourceColumn: Int?
    /// The phone columns that were found by their content, not their name (none when the
    /// phone columns were named).
    public var phoneColumnsByContent: [Int] = []
    /// Columns declared not to hold numbers to call: never washed, never checked.
    public var declaredNotPhone: [Int] = []

    /// Names that were phone names before the word model; kept so that they stay phone names
    /// (`nummer` alone, `msisdn`).
    static let phoneNames: Set<String> = [
        "telefon", "tel", "telnr", "telefonnr", "telefonnummer", "tfn", "tfnnr", "mobil", "mobilnr",
        "mobilnummer", "mobiltelefon", "mobiltel", "hemtelefon", "hemtel", "arbetstelefon", "privattelefon",
        "phone", "phonenumber", "phoneno", "mobile", "mobilephone", "mobilenumber", "cell", "cellphone",
        "msisdn", "telephone", "telephonenumber", "landline", "fastnat", "fasttelefon", "nummer",
    ]
    /// Words that say "phone" on their own.
    static let phoneWords: Set<String> = [
        "tel", "tele", "telefon", "telephone", "tfn", "tlf", "mobil", "mobile", "mob", "phone", "cell",
        "cellular", "gsm", "msisdn", "landline",
    ]
    /// Words that may stand next to a phone word in a phone column's name: which phone
    /// (home, work, alternative, ...) and "number" (nummer, nr, no, ...), which is a phone
    /// name only beside a phone word (`kundnummer` is not one).
    static let companionWords: Set<String> = [
        "hem", "hemma", "home", "arb", "arbete", "arbets", "work", "jobb", "job", "alt", "alternativ",
        "alternative", "alternate", "privat", "private", "priv", "fast", "nat", "direkt", "direct", "vaxel",
        "kontakt", "contact", "kund", "customer", "primar", "primary", "sekundar", "secondary", "annan",
        "annat", "other", "extra", "ny", "new", "office", "kontor", "business", "personal", "dag", "kvall",
        "nummer", "nr", "no", "num", "number", "nmr", "nbr", "numer", "numero",
    ]
    /// Words that make a name with a phone word about something else than the number:
    /// `Telefontyp`, `Phone status`, `Tel kommentar`.
    static let attributeWords: Set<String> = [
        "typ", "type", "status", "operator", "kommentar", "comment", "note", "notes", "datum", "date", "tid",
        "time", "land", "country", "antal", "count", "samtycke", "consent", "ok", "flag", "kalla", "source",
    ]
    static let sourceNames: Set<String> = [
        "kalla", "adresskalla", "listkalla", "leadkalla", "source", "leadsource", "listsource",
        "addresssource", "datasource", "vendor", "leverantor", "listleverantor",
    ]

    /// Lower case ASCII letters and digits only, å/ä → a and ö → o, trailing digits dropped.
    public static func canonicalName(_ name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            if let folded = folded(scalar) { out.unicodeScalars.append(folded) } else if ("0"..."9").contains(scalar) { out.unicodeScalars.append(scalar) }
        }
        while let last = out.last, last.isNumber { out.removeLast() }
        return out
    }

    /// A lower-case letter with its accent dropped, or nil for anything that is not a letter.
    private static func folded(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar {
        case "å", "ä", "à", "á": return "a"
        case "ö", "ø", "ó": return "o"
        case "é", "è": return "e"
        case "a"..."z": return scalar
        default: return nil
        }
    }

    /// The words of a header name: split at anything that is not a letter and where lower case
    /// turns to upper case (`TelefonHem`), lower-cased and folded.
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for scalar in name.unicodeScalars {
            let lower = Character(scalar).lowercased().unicodeScalars.first ?? scalar
            guard let letter = folded(lower) else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
                continue
            }
            let isUpper = lower != scalar
            if isUpper, previousWasLower, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.unicodeScalars.append(letter)
            previousWasLower = !isUpper
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The vocabulary words a word is made of (`telefonhem` → telefon, hem), or nil when it is
    /// not made of them alone. Longest words first, with backtracking: words are short.
    static func compound(_ word: String) -> [String]? {
        let letters = Array(word)
        func split(from start: Int) -> [String]? {
            if start == letters.count { return [] }
            for end in stride(from: letters.count, to: start, by: -1) {
                let part = String(letters[start..<end])
                guard phoneWords.contains(part) || companionWords.contains(part) || attributeWords.contains(part) else { continue }
                if let rest = split(from: end) { return [part] + rest }
            }
            return nil
        }
        return split(from: 0)
    }

    /// Whether a header name says the column holds phone numbers. Register and list readers
    /// use it too, to find the number column of a register file.
    public static func isPhoneName(_ name: String) -> Bool {
        if phoneNames.contains(canonicalName(name)) { return true }
        var sawPhoneWord = false
        for word in words(name) {
            guard let parts = compound(word) else { return false }
            for part in parts {
                if attributeWords.contains(part) { return false }
                if phoneWords.contains(part) { sawPhoneWord = true }
            }
        }
        return sawPhoneWord
    }

    public static func isSourceName(_ name: String) -> Bool { sourceNames.contains(canonicalName(name)) }

    /// How a column is named in messages, the report and the rejects: its header name, with
    /// its place among the columns of that name (`telefon#2`) when the header repeats it.
    public static func displayName(of column: Int, header: [String]) -> String {
        let name = header[column]
        let same = header.indices.filter { header[$0] == name }
        guard same.count > 1 else { return name }
        return "\(name)#\(same.firstIndex(of: column)! + 1)"
    }

    /// The columns a name given by the user selects: every column of that name (exactly, or
    /// else ignoring case), or one of them as `name#2`.
    public static func columns(named name: String, header: [String], path: String) throws -> [Int] {
        let exact = header.indices.filter { header[$0] == name }
        if !exact.isEmpty { return exact }
        let loose = header.indices.filter { header[$0].lowercased() == name.lowercased() }
        if !loose.isEmpty { return loose }
        if let mark = name.lastIndex(of: "#"), let place = Int(name[name.index(after: mark)...]), place >= 1 {
            let base = String(name[..<mark])
            var same = header.indices.filter { header[$0] == base }
            if same.isEmpty { same = header.indices.filter { header[$0].lowercased() == base.lowercased() } }
            if place <= same.count { return [same[place - 1]] }
        }
        throw NixWashError.missingColumn(path: path, column: name, header: header)
    }

    /// Roles from the header, the columns whose sampled content is mostly phone numbers
    /// (`byContent`), and the user's declarations.
    ///
    /// Without explicit phone columns every phone column found is washed, except the ones
    /// declared not to be. With explicit phone columns, another column that looks like one
    /// (by name or content) and is not declared refuses the run.
    public static func resolve(header: [String], path: String, phoneColumns explicitPhones: [String] = [],
                               notPhoneColumns: [String] = [], sourceColumn explicitSource: String? = nil,
                               byContent: [Int] = []) throws -> ColumnRoles {
        let declared = Set(try notPhoneColumns.flatMap { name -> [Int] in
            let named = try columns(named: name, header: header, path: path)
            guard named.count == 1 else {
                throw NixWashError.declaredColumnAmbiguous(path: path, name: name, columns: named.map { displayName(of: $0, header: header) })
            }
            return named
        })
        let byName = header.indices.filter { isPhoneName(header[$0]) }
        let found = Set(byName).union(byContent).subtracting(declared)
        var phones: [Int]
        if explicitPhones.isEmpty {
            phones = found.sorted()
        } else {
            phones = []
            for name in explicitPhones {
                for column in try columns(named: name, header: header, path: path) where !phones.contains(column) {
                    if declared.contains(column) {
                        throw NixWashError.conflictingSettings(source: path, reason: "column '\(displayName(of: column, header: header))' is given both as a phone column and as not a phone column. Give it once.")
                    }
                    phones.append(column)
                }
            }
            let unwashed = found.subtracting(phones).sorted()
            if !unwashed.isEmpty {
                throw NixWashError.unwashedPhoneColumns(
                    path: path, columns: unwashed.map { column in
                        UnwashedColumn(name: displayName(of: column, header: header),
                                       foundBy: byName.contains(column) ? .name : .content)
                    },
                    washed: phones.map { displayName(of: $0, header: header) })
            }
        }
        guard !phones.isEmpty else { throw NixWashError.noPhoneColumn(path: path, header: header) }
        let source = try explicitSource.map { try columns(named: $0, header: header, path: path)[0] }
            ?? header.indices.first { isSourceName(header[$0]) && !phones.contains($0) }
        return ColumnRoles(phoneColumns: phones, sourceColumn: source,
                           phoneColumnsByContent: explicitPhones.isEmpty ? phones.filter { !byName.contains($0) } : [],
                           declaredNotPhone: declared.sorted())
    }
}

/// A column that holds phone numbers but is neither washed nor declared, for the error
/// that refuses the run.
public struct UnwashedColumn: Equatable, Sendable {
    public enum Evidence: Equatable, Sendable {
        /// Its header name is a phone name.
        case name
        /// Most of its sampled values are phone numbers.
        case content
        /// Some of its values are phone numbers: `count`, the first on `firstLine`.
        case numbers(count: UInt64, firstLine: UInt64)
        /// Some of its values have a phone number inside their text (`ring 070-123 45 67 efter 17`).
        case numbersInText(count: UInt64, firstLine: UInt64)
    }

    public var name: String
    public var foundBy: Evidence

    public init(name: String, foundBy: Evidence) {
        self.name = name
        self.foundBy = foundBy
    }
}
