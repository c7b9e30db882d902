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

    /// One colour per outcome, the same in every chart.
    static let palette: [String: String] = [
        "callable": "#2e7d32", "malformed_row": "#6d4c41", "invalid_number": "#8e24aa", "number_type": "#5e35b1",
        "foreign_number": "#3949ab", "duplicate": "#757575", "company_block": "#c62828", "nix": "#d84315",
        "offer_quota": "#f9a825", "quota_30d": "#ef6c00", "quota_daily": "#00838f", "min_gap": "#0277bd",
    ]

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
        var segments: [(String, UInt64)] = [("callable", counts.numbersCallable)]
        for reason in Reason.inPrecedenceOrder {
            let n = counts.rejectedByReason[reason.rawValue] ?? 0
            if n > 0 { segments.append((reason.rawValue, n)) }
        }
        var x = 0.0
        var rects = ""
        for (name, n) in segments where n > 0 {
            let w = total == 0 ? 0 : Double(width) * Double(n) / Double(total)
            rects += "<rect x=\"\(String(format: "%.2f", x))\" y=\"0\" width=\"\(String(format: "%.2f", w))\" height=\"28\" fill=\"\(palette[name] ?? "#999")\"><title>\(name): \(n) (\(percent(n, total)))</title></rect>"
            x += w
        }
        return "<svg class=\"bar\" viewBox=\"0 0 \(width) 28\" preserveAspectRatio=\"none\" width=\"100%\" height=\"28\" role=\"img\" aria-label=\"callable and rejected numbers\">\(rects)</svg>"
    }

    static func legend(_ counts: ScrubCounts) -> String {
        var items = [("callable", counts.numbersCallable)]
        for reason in Reason.inPrecedenceOrder {
            let n = counts.rejectedByReason[reason.rawValue] ?? 0
            if n > 0 { items.append((reason.rawValue, n)) }
        }
        return "<ul class=\"legend\">" + items.map { name, n in
            "<li><span class=\"swatch\" style=\"background:\(palette[name] ?? "#999")\"></span>\(name) <b>\(n)</b> <small>\(percent(n, counts.numbersIn))</small></li>"
        }.joined() + "</ul>"
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
        let maxReason = max(1, Reason.inPrecedenceOrder.map { t.rejectedByReason[$0.rawValue] ?? 0 }.max() ?? 1)
        for reason in Reason.inPrecedenceOrder {
            let primary = t.rejectedByReason[reason.rawValue] ?? 0
            let applied = t.reasonsApplied[reason.rawValue] ?? 0
            let w = Int(Double(primary) / Double(maxReason) * 240)
            reasonRows += "<tr><td><code>\(reason.rawValue)</code></td><td class=\"n\">\(primary)</td><td class=\"n\">\(applied)</td><td><svg width=\"240\" height=\"14\"><rect width=\"\(w)\" height=\"14\" fill=\"\(palette[reason.rawValue] ?? "#999")\"/></svg></td></tr>"
        }
        var sourceSections = ""
        for (name, counts) in r.bySource.sorted(by: { $0.value.numbersIn > $1.value.numbersIn }) {
            sourceSections += """
            <section class="source"><h3>\(escape(name))</h3>
            <p>\(counts.rowsIn) rows, \(counts.numbersIn) numbers: <b>\(counts.numbersCallable)</b> callable (\(percent(counts.numbersCallable, counts.numbersIn))), \(counts.numbersRejected) rejected</p>
            \(stackedBar(counts))\(legend(counts))</section>
            """
        }
        let inputs = r.inputs.map { i in
            "<tr><td>\(escape(i.path))</td><td class=\"n\">\(i.rows)</td><td>\(i.compression)</td><td>\(escape(i.delimiter))</td><td>\(i.encoding)</td><td><code class=\"hash\">\(i.sha256)</code></td></tr>"
        }.joined()
        let registers = r.registers.map { l in
            "<tr><td>\(l.kind)</td><td>\(escape(l.label))</td><td>\(l.registerDate ?? "")</td><td class=\"n\">\(l.entries)</td><td><code>\(l.indexChecksum)</code></td></tr>"
        }.joined()
        let exemptions = (t.nixExemptions["customer"] ?? 0, t.nixExemptions["consent"] ?? 0)
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>nixwash report: \(escape(r.campaign)) \(r.callDate)</title>
        <style>
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#f4f5f7}
        main{max-width:980px;margin:0 auto;padding:24px}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 10px} h3{font-size:15px;margin:0 0 6px}
        .meta{color:#5b6474;margin:0 0 18px}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px}
        .card{background:#fff;border-radius:8px;padding:14px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        .card .v{font-size:26px;font-weight:650} .card .l{color:#5b6474;font-size:13px}
        .ok{color:#2e7d32} .bad{color:#c62828}
        table{border-collapse:collapse;background:#fff;width:100%;border-radius:8px;overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        th,td{text-align:left;padding:7px 10px;border-bottom:1px solid #eceef2;font-size:14px} th{background:#fafbfc;font-weight:600}
        td.n{text-align:right;font-variant-numeric:tabular-nums}
        .source{background:#fff;border-radius:8px;padding:14px 16px;margin:10px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        .bar{display:block;width:100%;height:28px;border-radius:4px}
        .legend{list-style:none;padding:0;margin:8px 0 0;display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px}
        .swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
        code.hash{font-size:11px;word-break:break-all}
        footer{color:#8a93a3;font-size:12px;margin-top:30px}
        </style></head><body><main>
        <h1>Wash of campaign \(escape(r.campaign)) for \(r.callDate)</h1>
        <p class="meta">Offer <b>\(escape(r.offer))</b> · contact centre <b>\(escape(r.contactCentre))</b>\(r.productCategory.map { " · category <b>\(escape($0))</b>" } ?? "") · calling window \(r.callingWindow["open"] ?? "") – \(r.callingWindow["close"] ?? "") · run \(r.started) – \(r.finished)</p>
        <div class="cards">
        <div class="card"><div class="v">\(t.rowsIn)</div><div class="l">rows in</div></div>
        <div class="card"><div class="v ok">\(t.rowsCallable)</div><div class="l">callable rows (\(percent(t.rowsCallable, t.rowsIn)))</div></div>
        <div class="card"><div class="v">\(t.numbersIn)</div><div class="l">numbers in</div></div>
        <div class="card"><div class="v ok">\(t.numbersCallable)</div><div class="l">callable numbers (\(percent(t.numbersCallable, t.numbersIn)))</div></div>
        <div class="card"><div class="v bad">\(t.numbersRejected)</div><div class="l">rejected numbers</div></div>
        <div class="card"><div class="v">\(exemptions.0 + exemptions.1)</div><div class="l">NIX exemptions (customer \(exemptions.0), consent \(exemptions.1))</div></div>
        </div>
        <h2>All numbers</h2>
        <div class="source">\(stackedBar(t))\(legend(t))</div>
        <h2>Rejections by reason</h2>
        <table><tr><th>reason</th><th>primary</th><th>applied</th><th></th></tr>\(reasonRows)</table>
        <h2>By address source</h2>
        \(sourceSections)
        <h2>Accounting</h2>
        <table><tr><td>\(escape(r.accounting.rows))</td></tr><tr><td>\(escape(r.accounting.numbers))</td></tr>
        <tr><td class="\(r.accounting.balanced ? "ok" : "bad")">\(r.accounting.balanced ? "balanced" : "NOT balanced")</td></tr></table>
        <h2>Inputs</h2>
        <table><tr><th>file</th><th>rows</th><th>compression</th><th>delimiter</th><th>encoding</th><th>SHA-256</th></tr>\(inputs)</table>
        <h2>Contact history</h2>
        \(historySection(r.historyCoverage))
        <h2>Registers and block lists</h2>
        <table><tr><th>kind</th><th>label</th><th>register date</th><th>entries</th><th>index checksum</th></tr>\(registers)</table>
        <footer>\(r.tool.name) \(r.tool.version) · rule profile \(escape(r.ruleProfilePath ?? "built-in defaults")) · the same figures are in report.json</footer>
        </main></body></html>

        """
    }
}
