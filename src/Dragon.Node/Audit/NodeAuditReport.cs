using System.Globalization;
using System.Net;
using System.Text;

namespace Dragon.Node.Audit;

/// <summary>The node's audit entries as a data protection officer reads them: CSV for a spreadsheet, HTML for a person.</summary>
public static class NodeAuditReport
{
    private static readonly string[] Columns =
        ["sequence", "at", "outcome", "task", "job", "key set", "round", "agreement", "researcher id", "researcher", "organisation", "query", "cohorts",
            "consent cursor", "records", "upload sha256", "rule", "hash"];

    public static string Csv(IReadOnlyList<NodeAuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = new StringBuilder().AppendJoin(',', Columns).Append("\r\n");
        foreach (var record in records)
        {
            text.AppendJoin(',', Cells(record).Select(Quoted)).Append("\r\n");
        }
        return text.ToString();
    }

    public static string Html(IReadOnlyList<NodeAuditRecord> records, Guid nodeId, string period)
    {
        ArgumentNullException.ThrowIfNull(records);
        var jobs = records.Where(r => r.Entry.JobId is not null).Select(r => r.Entry.JobId).Distinct().Count();
        var refused = records.Count(r => r.Entry.Outcome == NodeAuditEntry.Refused);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Node audit report</title>
            <style>body{font-family:sans-serif;margin:2em} table{border-collapse:collapse;font-size:.85em} th,td{border:1px solid #999;padding:.3em;vertical-align:top;text-align:left} th{background:#eee}</style>
            </head><body>
            <h1>What this node served and refused</h1>
            <p>Node {{nodeId}}, {{Encode(period)}}: {{records.Count}} entries, {{jobs}} jobs, {{refused}} refusals. Each entry is chained to the one
            before it and signed with the node's identity key (<code>dragon-node audit verify</code> checks them). No subject
            and no value ever left the hospital in clear: what was uploaded is named by the SHA-256 of its ciphertext or share.</p>
            <table><thead><tr>
            """);
        foreach (var column in Columns)
        {
            text.Append("<th>").Append(Encode(column)).Append("</th>");
        }
        text.Append("</tr></thead><tbody>\n");
        foreach (var record in records)
        {
            text.Append("<tr>");
            foreach (var cell in Cells(record))
            {
                text.Append("<td>").Append(Encode(cell)).Append("</td>");
            }
            text.Append("</tr>\n");
        }
        return text.Append("</tbody></table></body></html>\n").ToString();
    }

    private static IEnumerable<string> Cells(NodeAuditRecord record)
    {
        var e = record.Entry;
        return
        [
            record.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToString("O", CultureInfo.InvariantCulture), e.Outcome, e.Task,
            e.JobId?.ToString() ?? "", e.KeySetId.ToString(), e.Round.ToString(CultureInfo.InvariantCulture), e.AgreementId?.ToString() ?? "",
            e.ResearcherId?.ToString() ?? "", e.Researcher ?? "", e.Organisation ?? "", e.Query ?? "", e.Cohorts ?? "",
            e.ConsentCursor?.ToString(CultureInfo.InvariantCulture) ?? "", e.Records?.ToString(CultureInfo.InvariantCulture) ?? "",
            e.UploadDigest ?? "", e.Rule ?? "", record.Hash,
        ];
    }

    /// <summary>RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with an apostrophe.</summary>
    private static string Quoted(string cell)
    {
        var safe = cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' ? "'" + cell : cell;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
