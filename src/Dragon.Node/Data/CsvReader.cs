using System.Text;
using Dragon.Node.Cli;

namespace Dragon.Node.Data;

/// <summary>
/// Reads RFC 4180 CSV: comma separated, fields optionally in double quotes (a quote inside doubled, line breaks
/// allowed inside quotes), LF or CRLF line ends. Blank lines are skipped.
/// </summary>
public static class CsvReader
{
    /// <exception cref="NodeException">A quoted field is not closed, or text follows a closing quote.</exception>
    public static IEnumerable<CsvRow> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadRows(reader);
    }

    private static IEnumerable<CsvRow> ReadRows(TextReader reader)
    {
        var line = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var rowStart = 1;
        var quoted = false;
        var afterQuote = false;
        var rowHasContent = false;
        int next;
        while ((next = reader.Read()) != -1)
        {
            var c = (char)next;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                        afterQuote = true;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    afterQuote = false;
                    rowHasContent = true;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                    if (rowHasContent || field.Length > 0 || afterQuote)
                    {
                        fields.Add(field.ToString());
                        yield return new CsvRow(rowStart, fields.ToArray());
                    }
                    fields.Clear();
                    field.Clear();
                    afterQuote = false;
                    rowHasContent = false;
                    line++;
                    rowStart = line;
                    break;
                case '"' when field.Length == 0 && !afterQuote:
                    quoted = true;
                    rowHasContent = true;
                    break;
                default:
                    if (afterQuote)
                    {
                        throw new NodeException($"Line {line}: text after a closing quote; a quote inside a quoted field is written twice (\"\").");
                    }
                    field.Append(c);
                    rowHasContent = true;
                    break;
            }
        }
        if (quoted)
        {
            throw new NodeException($"Line {rowStart}: a quoted field is not closed before the end of the file.");
        }
        if (rowHasContent || field.Length > 0 || afterQuote)
        {
            fields.Add(field.ToString());
            yield return new CsvRow(rowStart, fields.ToArray());
        }
    }
}
