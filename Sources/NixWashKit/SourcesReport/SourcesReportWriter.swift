import Foundation

/// Writes a `SourcesReport` as `sources.csv` (one row per source and run), `sources.json` and
/// `sources.html` (one self-contained page: a trend chart and a table per source), all or
/// nothing into an output folder.
public enum SourcesReportWriter {
    public static let fileNames = ["sources.csv", "sources.json", "sources.html"]

    public static let csvColumns = [
        "source", "run", "call_date", "rows", "numbers", "nix", "nix_share", "blocked", "blocked_share",
        "invalid", "invalid_share", "duplicate_in_run", "duplicate_in_run_share", "duplicate_earlier",
        "duplicate_earlier_share", "callable", "callable_share", "other_rejected",
    ]

    /// The measures charted and shared, with their colours (those of report.html where they exist).
    static let measures: [(name: String, colour: String, value: (SourceDelivery) -> UInt64)] = [
        ("callable", ReportWriter.callableStyle.colour, { $0.callable }),
        ("nix", ReportWriter.style(.nix).colour, { $0.nix }),
        ("blocked", ReportWriter.style(.companyBlock).colour, { $0.blocked }),
        ("invalid", ReportWriter.style(.invalidNumber).colour, { $0.invalid }),
        ("duplicate_in_run", ReportWriter.style(.duplicate).colour, { $0.duplicateInRun }),
        ("duplicate_earlier", "#212121", { $0.duplicateEarlier }),
    ]

    /// `inputs`: the run folders and files the report was read from (a replaced folder holds none).
    public static func write(_ report: SourcesReport, to path: String, replaceExisting: Bool, inputs: [String]) throws {
        let folder = try OutputFolder(path: path, replaceExisting: replaceExisting, marker: "sources.json", inputs: inputs)
        try write(Data(csv(report).utf8), to: folder.path(for: "sources.csv"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try write(try encoder.encode(report) + [0x0A], to: folder.path(for: "sources.json"))
        try write(Data(html(report).utf8), to: folder.path(for: "sources.html"))
        try folder.commit()
    }

    private static func write(_ data: Data, to path: String) throws {
        let sink = try PlainFileSink(path: path)
        try data.withUnsafeBytes { try sink.write($0) }
        try sink.finish()
    }

    static func share(_ value: Double) -> String { String(format: "%.4f", value) }

    public static func csv(_ report: SourcesReport) -> String {
        var out = csvColumns.joined(separator: ",") + "\n"
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        for name in report.sources.keys.sorted() {
            for d in report.sources[name]! {
                let fields = [field(name), field(d.run), d.callDate, String(d.rows), String(d.numbers),
                              String(d.nix), share(d.share(d.nix)), String(d.blocked), share(d.share(d.blocked)),
                              String(d.invalid), share(d.share(d.invalid)), String(d.duplicateInRun), share(d.share(d.duplicateInRun)),
                              String(d.duplicateEarlier), share(d.share(d.duplicateEarlier)),
                              String(d.callable), share(d.share(d.callable)), String(d.otherRejected)]
                out += fields.joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// A line per measure over the runs, shares from 0 to 100 %.
    static func trendChart(_ deliveries: [SourceDelivery], runs: [SourcesReport.Run]) -> String {
        let width = 640.0, height = 220.0, left = 40.0, bottom = 24.0, top = 8.0
        let plotWidth = width - left - 12, plotHeight = height - top - bottom
        let positions = deliveries.map { d in runs.firstIndex { $0.folder == d.run } ?? 0 }
        let steps = max(runs.count - 1, 1)
        func x(_ position: Int) -> Double { runs.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(position) / Double(steps) }
        func y(_ share: Double) -> Double { top + plotHeight * (1 - share) }
        var svg = "<svg class=\"trend\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-label=\"shares per run\">"
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg += "<line x1=\"\(left)\" x2=\"\(width - 12)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"#e3e6ea\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\" font-size=\"11\" fill=\"#5b6474\">\(Int(tick * 100)) %</text>"
        }
        for (i, run) in runs.enumerated() {
            svg += "<text x=\"\(x(i))\" y=\"\(height - 6)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#5b6474\">\(ReportWriter.escape(run.callDate))</text>"
        }
        for measure in measures {
            let points = zip(positions, deliveries).map { position, d in (x(position), y(d.share(measure.value(d))), d) }
            let path = points.map { String(format: "%.1f,%.1f", $0.0, $0.1) }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(measure.colour)\" stroke-width=\"2\"/>"
            for (px, py, d) in points {
                svg += "<circle cx=\(String(format: "\"%.1f\"", px)) cy=\(String(format: "\"%.1f\"", py)) r=\"3\" fill=\"\(measure.colour)\"><title>\(measure.name) \(ReportWriter.escape(d.callDate)): \(measure.value(d)) of \(d.numbers) (\(ReportWriter.percent(measure.value(d), d.numbers)))</title></circle>"
            }
        }
        return svg + "</svg>"
    }

    static func html(_ report: SourcesReport) -> String {
        let legend = "<ul class=\"legend\">" + measures.map {
            "<li><span class=\"swatch\" style=\"background:\($0.colour)\"></span>\($0.name.replacingOccurrences(of: "_", with: " "))</li>"
        }.joined() + "</ul>"
        var sections = ""
        for name in report.sources.keys.sorted() {
            let deliveries = report.sources[name]!
            var rows = ""
            for d in deliveries {
                rows += "<tr><td>\(ReportWriter.escape(d.callDate))</td><td>\(ReportWriter.escape(d.run))</td><td class=\"n\">\(d.rows)</td><td class=\"n\">\(d.numbers)</td>"
                for measure in measures {
                    rows += "<td class=\"n\">\(measure.value(d)) <small>\(ReportWriter.percent(measure.value(d), d.numbers))</small></td>"
                }
                rows += "</tr>"
            }
            sections += """
            <section class="source"><h2>\(ReportWriter.escape(name))</h2>
            \(trendChart(deliveries, runs: report.runs))\(legend)
            <table><tr><th>call date</th><th>run</th><th>rows</th><th>numbers</th>\(measures.map { "<th>\($0.name.replacingOccurrences(of: "_", with: " "))</th>" }.joined())</tr>\(rows)</table>
            </section>
            """
        }
        let runs = report.runs.map {
            "<tr><td>\(ReportWriter.escape($0.callDate))</td><td>\(ReportWriter.escape($0.folder))</td><td>\(ReportWriter.escape($0.campaign))</td><td><code class=\"hash\">\($0.reportSha256)</code></td></tr>"
        }.joined()
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>nixwash: address sources over \(report.runs.count) runs</title>
        <style>
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#f4f5f7}
        main{max-width:980px;margin:0 auto;padding:24px} h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:0 0 10px}
        .meta{color:#5b6474;margin:0 0 18px}
        .source{background:#fff;border-radius:8px;padding:14px 16px;margin:14px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        table{border-collapse:collapse;background:#fff;width:100%} th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eceef2;font-size:13px}
        td.n{text-align:right;font-variant-numeric:tabular-nums} small{color:#5b6474}
        .legend{list-style:none;padding:0;margin:6px 0 10px;display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px}
        .swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
        code.hash{font-size:11px;word-break:break-all}
        </style></head><body><main>
        <h1>Address sources over \(report.runs.count) runs</h1>
        <p class="meta">Shares are of the numbers each source delivered in a run, by the first reason that applied; \
        "duplicate earlier" counts the distinct numbers the same source had already delivered in an earlier run listed here.</p>
        \(sections)
        <section class="source"><h2>Runs</h2><table><tr><th>call date</th><th>folder</th><th>campaign</th><th>report.json SHA-256</th></tr>\(runs)</table></section>
        </main></body></html>

        """
    }
}
