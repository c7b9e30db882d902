import Foundation

/// Renders a scrub's report as `report.json` (for scripts) and `report.html` (one
/// self-contained page for people: no external assets, charts as inline SVG).
public enum ReportWriter {
    public static func json(_ report: ScrubReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(report)
    }

    public static func writeJSON(_ report: ScrubReport, to path: String) throws {
        var data = try json(report)
        data.append(0x0A)
        try write(data, to: path)
    }

    public static func writeHTML(_ report: ScrubReport, to path: String) throws {
        try write(Data(html(report).utf8), to: path)
    }

    private static func write(_ data: Data, to path: String) throws {
        let sink = try PlainFileSink(path: path)
        try data.withUnsafeBytes { try sink.write($0) }
        try sink.finish()
    }

    /// How an outcome is drawn: a colour and a fill pattern. The pattern tells the three groups
    /// of reasons apart (the number itself: solid; a list: stripes; a call-frequency rule: dots),
    /// and within a group the colours stay apart for colour-blind readers and in grey print
    /// (checked by `ReportTests`: CIELAB distance under simulated protanopia, deuteranopia
    /// and tritanopia, and lightness). Colours from Paul Tol's colour-blind-safe schemes.
    struct Style: Equatable {
        enum Pattern: String { case solid, stripes, dots }
        var colour: String
        var pattern: Pattern
    }

    static let callableStyle = Style(colour: "#117733", pattern: .solid)

    static func style(_ reason: Reason) -> Style {
        switch reason {
        case .malformedRow: Style(colour: "#000000", pattern: .solid)
        case .invalidNumber: Style(colour: "#332288", pattern: .solid)
        case .numberType: Style(colour: "#CCBB44", pattern: .solid)
        case .foreignNumber: Style(colour: "#EE6677", pattern: .solid)
        case .duplicate: Style(colour: "#DDDDDD", pattern: .solid)
        case .companyBlock: Style(colour: "#222222", pattern: .stripes)
        case .nix: Style(colour: "#CC3311", pattern: .stripes)
        case .noConsent: Style(colour: "#BBBBBB", pattern: .stripes)
        case .offerQuota: Style(colour: "#88CCEE", pattern: .dots)
        case .quota30d: Style(colour: "#999933", pattern: .dots)
        case .quotaDaily: Style(colour: "#AA3377", pattern: .dots)
        case .minGap: Style(colour: "#332288", pattern: .dots)
        }
    }

    /// The reason in words, for people; the code stays beside it in the report.
    static func label(_ reason: Reason) -> String {
        switch reason {
        case .malformedRow: "Row could not be read cleanly"
        case .invalidNumber: "Not a valid phone number"
        case .numberType: "Number type not called (premium, freephone, M2M, ...)"
        case .foreignNumber: "Country not called"
        case .duplicate: "Already earlier in this run"
        case .companyBlock: "On a company block list"
        case .nix: "In the NIX-Telefon register"
        case .noConsent: "No valid consent (consent-only mode)"
        case .offerQuota: "Same offer already made by other campaigns"
        case .quota30d: "Campaign's 30-day attempt limit reached"
        case .quotaDaily: "Contact centre's daily attempt limit reached"
        case .minGap: "Too soon after the last attempt today"
        }
    }

    /// Where an outcome's fill comes from: its colour, or its pattern (defined once per page).
    static func fill(_ style: Style, id: String) -> String {
        style.pattern == .solid ? style.colour : "url(#fill-\(id))"
    }

    /// The SVG patterns of the outcomes that have one, referenced by every chart on the page.
    static func patternDefinitions() -> String {
        var patterns = ""
        for reason in Reason.inPrecedenceOrder {
            let s = style(reason)
            switch s.pattern {
            case .solid: continue
            case .stripes:
                patterns += "<pattern id=\"fill-\(reason.rawValue)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"\(s.colour)\"/><rect width=\"2\" height=\"6\" fill=\"#fff\"/></pattern>"
            case .dots:
                patterns += "<pattern id=\"fill-\(reason.rawValue)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"\(s.colour)\"/><circle cx=\"3\" cy=\"3\" r=\"1.4\" fill=\"#fff\"/></pattern>"
            }
        }
        return "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>\(patterns)</defs></svg>"
    }

    /// The outcomes of a chart: callable first, then each reason with rejections, in precedence order.
    static func outcomes(_ counts: ScrubCounts) -> [(id: String, label: String, style: Style, count: UInt64)] {
        var items = [(id: "callable", label: "Callable", style: callableStyle, count: counts.numbersCallable)]
        for reason in Reason.inPrecedenceOrder {
            let n = counts.rejectedByReason[reason.rawValue] ?? 0
            if n > 0 { items.append((reason.rawValue, label(reason), style(reason), n)) }
        }
        return items
    }

    static func swatch(_ style: Style, id: String) -> String {
        "<svg class=\"swatch\" width=\"14\" height=\"14\" aria-hidden=\"true\"><rect width=\"14\" height=\"14\" rx=\"2\" fill=\"\(fill(style, id: id))\" stroke=\"#555\" stroke-width=\"0.5\"/></svg>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func percent(_ part: UInt64, _ whole: UInt64) -> String {
        whole == 0 ? "0.0 %" : String(format: "%.1f %%", Double(part) * 100 / Double(whole))
    }

    /// A horizontal stacked bar of callable numbers and rejections by primary reason.
    static func stackedBar(_ counts: ScrubCounts, width: Int = 640) -> String {
        let total = counts.numbersIn
        var x = 0.0
        var rects = ""
        for item in outcomes(counts) where item.count > 0 {
            let w = total == 0 ? 0 : Double(width) * Double(item.count) / Double(total)
            rects += "<rect x=\"\(String(format: "%.2f", x))\" y=\"0\" width=\"\(String(format: "%.2f", w))\" height=\"28\" fill=\"\(fill(item.style, id: item.id))\"><title>\(escape(item.label)) (\(item.id)): \(item.count) (\(percent(item.count, total)))</title></rect>"
            x += w
        }
        return "<svg class=\"bar\" viewBox=\"0 0 \(width) 28\" preserveAspectRatio=\"none\" width=\"100%\" height=\"28\" role=\"img\" aria-label=\"callable and rejected numbers\">\(rects)</svg>"
    }

    static func legend(_ counts: ScrubCounts) -> String {
        "<ul class=\"legend\">" + outcomes(counts).map { item in
            "<li>\(swatch(item.style, id: item.id))\(escape(item.label))\(item.id == "callable" ? "" : " <code>\(item.id)</code>") <b>\(item.count)</b> <small>\(percent(item.count, counts.numbersIn))</small></li>"
        }.joined() + "</ul>"
    }

    /// "2026-11-23 10:18:34" from an ISO 8601 timestamp with offset (the offset shown once, apart).
    static func readableTime(_ iso: String) -> String {
        guard iso.count >= 19 else { return iso }
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(8)
    }

    static func seconds(from start: String, to end: String) -> Int? {
        // The import's own reader: Foundation's ISO8601DateFormatter costs a small run 3 ms to create.
        guard case let .instant(a, _) = AttemptTimestamp.parse(start), case let .instant(b, _) = AttemptTimestamp.parse(end) else {
            return nil
        }
        return Int(b - a)
    }

    /// The history's coverage, or a plain statement that the run had none.
    static func historySection(_ coverage: HistoryCoverage?) -> String {
        guard let h = coverage else {
            return "<p>No contact history was given: the quota rules saw no earlier attempts.</p>"
        }
        return """
        <table><tr><th>history</th><th>oldest attempt</th><th>newest attempt</th><th>attempts</th><th>this campaign</th><th>this offer</th><th>this contact centre</th></tr>
        <tr><td>\(escape(h.path))</td><td>\(h.oldestAttempt ?? "none")</td><td>\(h.newestAttempt ?? "none")</td><td class="n">\(h.attempts)</td><td class="n">\(h.campaignAttempts)</td><td class="n">\(h.offerAttempts)</td><td class="n">\(h.contactCentreAttempts)</td></tr></table>
        """
    }

    static func html(_ r: ScrubReport) -> String {
        let t = r.totals
        var reasonRows = ""
        let maxReason = max(1, Reason.inPrecedenceOrder.map { t.reasonsApplied[$0.rawValue] ?? 0 }.max() ?? 1)
        for reason in Reason.inPrecedenceOrder {
            let primary = t.rejectedByReason[reason.rawValue] ?? 0
            let applied = t.reasonsApplied[reason.rawValue] ?? 0
            let w = Int(Double(primary) / Double(maxReason) * 200)
            let wAll = Int(Double(applied) / Double(maxReason) * 200)
            reasonRows += "<tr><td>\(swatch(style(reason), id: reason.rawValue)) \(escape(label(reason))) <code>\(reason.rawValue)</code></td><td class=\"n\">\(primary)</td><td class=\"n\">\(applied)</td><td class=\"chart\"><svg width=\"200\" height=\"14\" role=\"img\" aria-label=\"\(primary) primary, \(applied) in all\"><rect width=\"\(wAll)\" height=\"14\" fill=\"none\" stroke=\"#555\" stroke-dasharray=\"2 2\"/><rect width=\"\(w)\" height=\"14\" fill=\"\(fill(style(reason), id: reason.rawValue))\"/></svg></td></tr>"
        }
        var sourceSections = ""
        for (name, counts) in r.bySource.sorted(by: { $0.value.numbersIn > $1.value.numbersIn }) {
            sourceSections += """
            <section class="source"><h3>\(escape(name))</h3>
            <p>\(counts.rowsIn) rows, \(counts.numbersIn) numbers: <b>\(counts.numbersCallable)</b> callable (\(percent(counts.numbersCallable, counts.numbersIn))), \(counts.numbersRejected) rejected</p>
            \(stackedBar(counts))\(legend(counts))</section>
            """
        }
        let leadFiles = r.inputs.map { i in
            let pair = i.outputs.joined(separator: " + ")
            let size = i.size.map { "\($0) bytes, " } ?? ""
            let byContent = Set(i.phoneColumnsByContent ?? [])
            var columns = i.phoneColumns.map { escape($0) + (byContent.contains($0) ? " (found by content)" : "") }.joined(separator: ", ")
            // A declared column is not washed: whoever reads the report must see that it was a choice.
            if let declared = i.notPhoneColumns, !declared.isEmpty {
                columns += "; declared not to hold numbers to call, not washed: " + declared.map(escape).joined(separator: ", ")
            }
            return "<tr><td data-label=\"file\">\(escape(i.path))</td><td class=\"n\" data-label=\"rows\">\(i.rows)</td><td data-label=\"format\">\(size)\(i.compression == "none" ? "not compressed" : i.compression) · delimiter <code>\(escape(i.delimiter))</code> · \(i.encoding)</td><td data-label=\"phone columns\">\(columns)\(i.sourceColumn.map { "; source: " + escape($0) } ?? "")</td><td data-label=\"outputs\"><b>\(escape(pair))</b></td><td data-label=\"SHA-256\"><code class=\"hash\">\(i.sha256)</code></td></tr>"
        }.joined()
        let registers = r.registers.map { l in
            "<tr><td data-label=\"list\">\(l.kind == "nix" ? "NIX register" : "Block list")</td><td data-label=\"label\">\(escape(l.label))</td><td data-label=\"register date\">\(l.registerDate ?? "—")</td><td class=\"n\" data-label=\"numbers\">\(l.entries)</td><td data-label=\"index\">\(escape(l.path))</td><td data-label=\"checksum\"><code class=\"hash\">\(l.indexChecksum)</code></td></tr>"
        }.joined()
        var otherLists = ""
        func bothWays(_ list: ScrubReport.ExemptionListReport) -> String {
            guard let count = list.numbersReadBothWays, count > 0 else { return "" }
            return "; \(count) more read two ways (468123456: 046-812 34 56 or +46 8 123 456) and exempt neither"
        }
        if let c = r.customers { otherLists += "<tr><td>Customer list (NIX customer exemption)</td><td>\(escape(c.path))</td><td class=\"n\">\(c.numbers) numbers\(bothWays(c))</td></tr>" }
        if let c = r.consents { otherLists += "<tr><td>Consent list (NIX consent exemption)</td><td>\(escape(c.path))</td><td class=\"n\">\(c.numbers) numbers\(bothWays(c))</td></tr>" }
        if let h = r.history { otherLists += "<tr><td>Contact history</td><td>\(escape(h.path))</td><td class=\"n\">\(h.numbersWithAttempts) \(h.lookup == .perNumber ? "of this run's numbers have attempts that count (each number's history read alone)" : "numbers with attempts that count for this run")</td></tr>" }
        if otherLists.isEmpty { otherLists = "<tr><td colspan=\"3\">No customer list, consent list or contact history was given.</td></tr>" }
        let exemptions = (t.nixExemptions["customer"] ?? 0, t.nixExemptions["consent"] ?? 0)
        let duration = seconds(from: r.started, to: r.finished).map { $0 == 0 ? " (under a second)" : " (\($0) s)" } ?? ""
        let offset = r.started.count > 19 ? String(r.started.dropFirst(19)) : ""
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>nixwash report: \(escape(r.campaign)) \(r.callDate)</title>
        <style>
        *{-webkit-print-color-adjust:exact;print-color-adjust:exact;box-sizing:border-box}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#f4f5f7}
        main{max-width:1000px;margin:0 auto;padding:24px}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 10px} h3{font-size:15px;margin:0 0 6px}
        .meta{color:#4a5262;margin:0 0 18px}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px}
        .card{background:#fff;border-radius:8px;padding:14px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        .card .v{font-size:26px;font-weight:650} .card .l{color:#4a5262;font-size:13px}
        .ok{color:#117733} .bad{color:#cc3311}
        .scroll{overflow-x:auto;border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        table{border-collapse:collapse;background:#fff;width:100%}
        th,td{text-align:left;padding:7px 10px;border-bottom:1px solid #eceef2;font-size:14px;vertical-align:top} th{background:#fafbfc;font-weight:600}
        td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        td code{font-size:12px;color:#4a5262}
        .note{font-size:14px;color:#4a5262;margin:0 0 8px}
        .source{background:#fff;border-radius:8px;padding:14px 16px;margin:10px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        .bar{display:block;width:100%;height:28px;border-radius:4px;border:1px solid #555}
        .legend{list-style:none;padding:0;margin:8px 0 0;display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px}
        .swatch{display:inline-block;vertical-align:-2px;margin-right:5px}
        code.hash{font-size:11px;word-break:break-all}
        footer{color:#6b7383;font-size:12px;margin-top:30px}
        @media (max-width:600px){main{padding:12px} td.chart,th.chart{display:none} th,td{padding:6px 7px;font-size:13px}
        table.stack th{display:none} table.stack tr{display:block;border-bottom:1px solid #d5d9e0;padding:4px 0} table.stack td{display:block;border:0;padding:2px 10px;text-align:left}
        table.stack td[data-label]::before{content:attr(data-label) ": ";color:#4a5262}}
        @media print{body{background:#fff} main{max-width:none;padding:0} .card,.source,.scroll{box-shadow:none;border:1px solid #bbb} .source,table,tr{break-inside:avoid}}
        </style></head><body>\(patternDefinitions())<main>
        <h1>Wash of campaign \(escape(r.campaign)) for \(r.callDate)</h1>
        <p class="meta">Offer <b>\(escape(r.offer))</b> · contact centre <b>\(escape(r.contactCentre))</b>\(r.productCategory.map { " · category <b>\(escape($0))</b>" } ?? "") · calling window \(readableTime(r.callingWindow["open"] ?? "").dropFirst(11)) – \(readableTime(r.callingWindow["close"] ?? "").dropFirst(11))<br>
        Run started \(readableTime(r.started)), finished \(readableTime(r.finished))\(duration), Europe/Stockholm time (UTC\(offset))</p>
        <div class="cards">
        <div class="card"><div class="v">\(t.rowsIn)</div><div class="l">rows in</div></div>
        <div class="card"><div class="v ok">\(t.rowsCallable)</div><div class="l">callable rows (\(percent(t.rowsCallable, t.rowsIn)))</div></div>
        <div class="card"><div class="v">\(t.numbersIn)</div><div class="l">numbers in</div></div>
        <div class="card"><div class="v ok">\(t.numbersCallable)</div><div class="l">callable numbers (\(percent(t.numbersCallable, t.numbersIn)))</div></div>
        <div class="card"><div class="v bad">\(t.numbersRejected)</div><div class="l">rejected numbers</div></div>
        <div class="card"><div class="v">\(exemptions.0 + exemptions.1)</div><div class="l">callable through a NIX exemption (customer \(exemptions.0), consent \(exemptions.1))</div></div>
        </div>
        <h2>All numbers</h2>
        <div class="source">\(stackedBar(t))\(legend(t))</div>
        <h2>Rejections by reason</h2>
        <p class="note"><b>Primary</b> counts each rejected number once, under the first reason that applies in this table's order; <b>all reasons</b> counts it under every reason that applies, so one number can count several times. In the chart the filled bar is the primary count and the dashed outline all reasons.</p>
        <div class="scroll"><table><tr><th>reason</th><th>primary</th><th>all reasons</th><th class="chart"></th></tr>\(reasonRows)</table></div>
        <h2>By address source</h2>
        \(sourceSections)
        <h2>Accounting</h2>
        <div class="scroll"><table><tr><td>\(escape(r.accounting.rows))</td></tr><tr><td>\(escape(r.accounting.numbers))</td></tr>
        <tr><td class="\(r.accounting.balanced ? "ok" : "bad")">\(r.accounting.balanced ? "balanced" : "NOT balanced")</td></tr></table></div>
        <h2>Inputs</h2>
        <h3>Lead files and the output pair each went to</h3>
        <div class="scroll"><table class="stack"><tr><th>file</th><th>rows</th><th>format</th><th>phone columns</th><th>outputs</th><th>SHA-256</th></tr>\(leadFiles)</table></div>
        <h3 style="margin-top:14px">Register versions and block lists</h3>
        <div class="scroll"><table class="stack"><tr><th>list</th><th>label</th><th>register date</th><th>numbers</th><th>index</th><th>index checksum (XXH64)</th></tr>\(registers)</table></div>
        <h3 style="margin-top:14px">Contact history coverage</h3>
        \(historySection(r.historyCoverage))
        <h3 style="margin-top:14px">Customers, consents and contact history</h3>
        <div class="scroll"><table class="stack">\(otherLists)</table></div>
        <footer>\(r.tool.name) \(r.tool.version) · rule profile \(escape(r.ruleProfilePath ?? "built-in defaults (SPEC)")) · the same figures are in report.json (docs/report-json.md)</footer>
        </main></body></html>

        """
    }
}
