/// How a customer's agreement stands, as the NIX customer-relationship exemption needs it.
public enum AgreementEnd: Equatable, Sendable {
    /// The agreement has no end date: it is active.
    case active
    /// The agreement ended (or ends) on this day (days since 1970-01-01, see `DayNumber`).
    case ended(day: Int32)
}

/// The principal's customer list (SPEC section 2): number, agreement end date (empty means
/// active), optional product category; a number may have several rows (several agreements).
/// Loaded once per run, then asked for every lead number that is on the NIX register.
public final class CustomerList {
    public struct Row: Equatable, Sendable {
        /// Days since 1970-01-01, or `Int32.max` for an active agreement (so the latest end
        /// is the largest value).
        public var agreementEnd: Int32
        /// 0 when the row has no category, else the category's position in `categories` + 1.
        public var category: UInt32
    }

    /// Which rows a campaign's product category matches: rows without a category always do,
    /// and a campaign without a category matches every row.
    public struct CategoryFilter: Equatable, Sendable {
        @usableFromInline let id: UInt32?
    }

    /// The distinct categories of the list, as first written in it.
    public let categories: [String]
    public let table: NumberRows<Row>
    /// Pointers into `table`, read by the hot path without retaining anything.
    @usableFromInline let rows: NumberRowsView<Row>
    private let categoryIDs: [String: UInt32]

    /// - Parameter entries: number, agreement end (nil = active), category (nil or blank = none).
    public init(entries: [(key: PhoneKey, agreementEnd: Int32?, category: String?)]) {
        var categories: [String] = []
        var ids: [String: UInt32] = [:]
        // A list spells its few categories the same way on most rows: fold each spelling once.
        var idsBySpelling: [String: UInt32] = [:]
        var rows: [(key: PhoneKey, row: Row)] = []
        rows.reserveCapacity(entries.count)
        for entry in entries {
            var id: UInt32 = 0
            if let name = entry.category {
                if let known = idsBySpelling[name] {
                    id = known
                } else {
                    let folded = Self.fold(name)
                    if folded.isEmpty {
                        id = 0
                    } else if let known = ids[folded] {
                        id = known
                    } else {
                        categories.append(name)
                        id = UInt32(categories.count)
                        ids[folded] = id
                    }
                    idsBySpelling[name] = id
                }
            }
            rows.append((entry.key, Row(agreementEnd: entry.agreementEnd ?? Int32.max, category: id)))
        }
        self.categories = categories
        self.categoryIDs = ids
        self.table = NumberRows(rows)
        self.rows = table.view
    }

    /// Categories match ignoring case and surrounding spaces.
    static func fold(_ name: String) -> String {
        String(name.lowercased().drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }

    /// The filter for a campaign's category (nil when the campaign carries none). A category
    /// that no row of the list has matches only the rows without a category.
    public func category(_ name: String?) -> CategoryFilter {
        guard let name, case let folded = Self.fold(name), !folded.isEmpty else { return CategoryFilter(id: nil) }
        return CategoryFilter(id: categoryIDs[folded] ?? UInt32.max)
    }

    /// The latest agreement end among the number's rows that match the category, or nil when
    /// the number is not a customer (for that category).
    @inlinable
    public func agreementEnd(for key: PhoneKey, category: CategoryFilter) -> AgreementEnd? {
        var latest: Int32?
        for row in rows.rows(for: key) {
            if let wanted = category.id, row.category != 0, row.category != wanted { continue }
            latest = max(latest ?? row.agreementEnd, row.agreementEnd)
        }
        guard let latest else { return nil }
        return latest == Int32.max ? .active : .ended(day: latest)
    }
}

/// The consent list (SPEC section 2): number and the date the consumer gave this principal
/// consent to be called; several rows per number allowed.
public final class ConsentList {
    public let table: NumberRows<Int32>
    @usableFromInline let rows: NumberRowsView<Int32>

    /// - Parameter entries: number and consent date (days since 1970-01-01).
    public init(entries: [(key: PhoneKey, consentDate: Int32)]) {
        table = NumberRows(entries.map { ($0.key, $0.consentDate) })
        rows = table.view
    }

    /// The latest consent given on or before `day` (a consent dated after the call date does
    /// not count for that call), or nil.
    @inlinable
    public func latestConsent(for key: PhoneKey, onOrBefore day: Int32) -> Int32? {
        var latest: Int32?
        for consent in rows.rows(for: key) where consent <= day {
            latest = max(latest ?? consent, consent)
        }
        return latest
    }
}
