/// A number of a phone field as `Prepare` left it: `parsed` nil for a blank field.
struct PreparedNumber {
    var parsed: PhoneParseResult?
    var duplicate = false
    var facts = NumberFacts.none
    /// Excel's artefacts undone before it was read.
    var repairs = ExcelRepairs()
    /// Its bytes in the field, and where the separator before it starts (`FieldNumber`).
    var start: Int32 = 0
    var end: Int32 = 0
    var separatorStart: Int32 = 0
    /// For the first number of a field that holds several: the others, in `Batch.more`.
    var more: Range<Int> = 0..<0

    init(parsed: PhoneParseResult?) {
        self.parsed = parsed
    }

    init(_ number: FieldNumber) {
        parsed = number.parsed
        repairs = number.repairs
        start = Int32(truncatingIfNeeded: number.start)
        end = Int32(truncatingIfNeeded: number.end)
        separatorStart = Int32(truncatingIfNeeded: number.separatorStart)
    }

    /// The first number of a field that holds one number as written, all of the field.
    var isWholeField: Bool { repairs.isEmpty && more.isEmpty }
}

/// Which fields of a lead list's records `Prepare` reads.
struct PhoneLayout {
    var columns: Int
    var phoneColumns: [Int]
    /// Per phone column: restore a leading 0 (the column is plainly an Excel export).
    var restoresLeadingZero: [Bool]
    /// The columns whose content is checked for phone numbers: neither washed nor declared.
    var checkedColumns: [Int]
}

/// The stage between reading and the rules: a batch's phone fields become numbers, the run's
/// duplicate set marks those seen before (in input order), and one probe per number into every
/// list (NIX and its exemptions, block lists, consents, the history) gives the facts a verdict
/// needs. Runs on the reading thread, one batch at a time, a batch ahead of the judging one.
final class Prepare {
    // The lists, held here so that a probe reaches each in one load.
    private let nix: BlockIndex
    private let blockLists: [BlockIndex]
    private let history: HistorySnapshot?
    private let customers: CustomerList?
    private let consents: ConsentList?
    /// How a lead's phone field is read: Excel's artefacts, lists of numbers.
    let leadFields: LeadPhoneFields
    let content: PhoneContent
    private let seen = KeySet()
    private let profile: RuleProfile
    private let callDate: LocalDate
    private let callDay: Int32
    private let customerCategory: CustomerList.CategoryFilter?
    private let consentOnly: Bool
    /// The further numbers of the field being read (reused).
    private var fieldNumbers: [FieldNumber] = []
    /// Keeps the read-ahead loads of `markDuplicates` from being optimized away.
    private var peekSink: UInt64 = 0

    init(lists: WashLists) {
        let c = lists.configuration
        nix = lists.nix
        blockLists = lists.blockLists
        history = lists.history
        customers = lists.customers
        consents = lists.consents
        leadFields = LeadPhoneFields(defaultCountry: c.defaultCountry)
        content = PhoneContent(normalizer: PhoneNormalizer(defaultCountry: c.defaultCountry))
        profile = c.profile
        callDate = c.callDate
        callDay = Int32(c.callDate.daysSinceEpoch)
        customerCategory = customers?.category(c.productCategory)
        consentOnly = profile.nixMode == .consentOnly
    }

    /// Reads the phone fields of a record the scrub judges into `batch.numbers` (placeholders
    /// for a malformed record or one of the wrong width), and counts what its checked columns
    /// hold.
    @inline(__always)
    func prepare(_ record: CSVRecord, layout: PhoneLayout, into batch: RecordBatches.Batch, counts: inout ColumnContentCounts) {
        guard record.problem == nil, record.count == layout.columns else {
            for _ in layout.phoneColumns { batch.numbers.append(PreparedNumber(parsed: nil)) }
            return
        }
        for column in layout.checkedColumns {
            counts.count(content.kind(of: record.field(column)), column: column, line: record.line)
        }
        for (position, column) in layout.phoneColumns.enumerated() {
            let field = record.field(column)
            if Blanks.isBlank(field) {
                batch.numbers.append(PreparedNumber(parsed: nil))
                continue
            }
            var first = PreparedNumber(leadFields.read(field, restoringLeadingZero: layout.restoresLeadingZero[position], more: &fieldNumbers))
            if !fieldNumbers.isEmpty {
                first.more = batch.more.count..<(batch.more.count + fieldNumbers.count)
                for number in fieldNumbers { batch.more.append(PreparedNumber(number)) }
                fieldNumbers.removeAll(keepingCapacity: true)
            }
            batch.numbers.append(first)
        }
    }

    /// After a batch's records were prepared: the duplicate rule and the list probes.
    func finish(_ batch: RecordBatches.Batch) {
        markDuplicates(in: batch)
        lookUp(&batch.numbers)
        lookUp(&batch.more)
    }

    /// One number read on its own, outside a run (`explain`): as a scrub reads a lead's field
    /// outside an Excel export's column (Excel's marks undone, digits without their trunk 0
    /// not taken for a number), with its facts; nothing is remembered for the duplicate rule.
    func alone(_ field: UnsafeRawBufferPointer) -> (parsed: PhoneParseResult, facts: NumberFacts) {
        var more: [FieldNumber] = []
        let parsed = leadFields.read(field, restoringLeadingZero: false, more: &more).parsed
        guard case let .valid(number) = parsed else { return (parsed, .none) }
        return (parsed, facts(for: number.key))
    }

    /// The duplicate rule over a batch, in input order. A first pass reads every number's
    /// place in the set, so the cache misses of thousands of independent loads overlap; the
    /// second then finds them cached.
    private func markDuplicates(in batch: RecordBatches.Batch) {
        var peeked: UInt64 = 0
        for item in batch.numbers {
            if case let .valid(number)? = item.parsed { peeked |= seen.peek(number.key.rawValue) }
        }
        peekSink |= peeked
        for i in batch.numbers.indices {
            if case let .valid(number)? = batch.numbers[i].parsed {
                batch.numbers[i].duplicate = !seen.insert(number.key.rawValue)
            }
            // A field's further numbers come right after its first, in input order.
            for k in batch.numbers[i].more {
                if case let .valid(number)? = batch.more[k].parsed { batch.more[k].duplicate = !seen.insert(number.key.rawValue) }
            }
        }
    }

    /// Numbers whose lookups are prefetched together: enough misses in flight to fill the
    /// memory system, few enough that the prefetched lines are still cached when read.
    static let lookupGroup = 32

    /// The probes a group at a time: every bucket of the group is fetched, then every first
    /// key, then the lookups run on cached lines. Each step's reads are independent, so their
    /// cache misses overlap.
    private func lookUp(_ numbers: inout [PreparedNumber]) {
        var start = 0
        while start < numbers.count {
            let group = start..<min(start + Self.lookupGroup, numbers.count)
            for i in group {
                if case let .valid(number)? = numbers[i].parsed { prefetchBuckets(number.key) }
            }
            for i in group {
                if case let .valid(number)? = numbers[i].parsed { prefetchKeys(number.key) }
            }
            for i in group {
                if case let .valid(number)? = numbers[i].parsed { numbers[i].facts = facts(for: number.key) }
            }
            start = group.upperBound
        }
    }

    /// The two steps that read the lookups' memory ahead (`KeyLookup.prefetchBucket`,
    /// `prefetchKeys`) for the NIX index, the block lists, the history and the customer list
    /// (read only for numbers in NIX, which is not known yet; the consent list is rarely large).
    @inline(__always)
    private func prefetchBuckets(_ key: PhoneKey) {
        nix.lookup.prefetchBucket(key.rawValue)
        for list in blockLists { list.lookup.prefetchBucket(key.rawValue) }
        history?.prefetchBucket(key)
        customers?.rows.prefetchBucket(key)
        if consentOnly { consents?.rows.prefetchBucket(key) }
    }

    @inline(__always)
    private func prefetchKeys(_ key: PhoneKey) {
        nix.lookup.prefetchKeys(key.rawValue)
        for list in blockLists { list.lookup.prefetchKeys(key.rawValue) }
        history?.prefetchKeys(key)
        customers?.rows.prefetchKeys(key)
        if consentOnly { consents?.rows.prefetchKeys(key) }
    }

    /// What every list holds about a number.
    @inline(__always)
    func facts(for key: PhoneKey) -> NumberFacts {
        var blocked: UInt64 = 0
        for (i, list) in blockLists.enumerated() where list.contains(key: key) { blocked |= 1 << UInt64(i) }
        let inNix = nix.contains(key: key)
        return NumberFacts(inNix: inNix, exemption: inNix ? nixExemption(for: key) : nil, blockLists: blocked,
                           history: history?.history(for: key) ?? .none,
                           consented: consentOnly && hasValidConsent(key))
    }

    /// Consent-only mode: a consent for this principal valid on the call date.
    private func hasValidConsent(_ key: PhoneKey) -> Bool {
        guard let consents, let day = consents.latestConsent(for: key, onOrBefore: callDay) else { return false }
        return profile.consentValid(consentDate: LocalDate(daysSinceEpoch: Int(day)), callDate: callDate)
    }

    /// The exemption that lifts NIX for this number on the call date, customer first.
    private func nixExemption(for key: PhoneKey) -> NixExemption? {
        if let customers, let category = customerCategory, profile.customerExemption,
           let end = customers.agreementEnd(for: key, category: category) {
            let endDate: LocalDate?
            switch end {
            case .active: endDate = nil
            case let .ended(day): endDate = LocalDate(daysSinceEpoch: Int(day))
            }
            // The category was matched by the lookup; pass none so it is not compared twice.
            if profile.customerExempts(agreementEnd: endDate, customerCategory: nil, campaignCategory: nil, callDate: callDate) {
                return .customer
            }
        }
        if let consents, profile.consentExemption,
           let day = consents.latestConsent(for: key, onOrBefore: callDay),
           profile.consentExempts(consentDate: LocalDate(daysSinceEpoch: Int(day)), callDate: callDate) {
            return .consent
        }
        return nil
    }
}
