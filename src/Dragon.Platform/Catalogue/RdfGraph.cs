using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Dragon.Platform.Catalogue;

/// <summary>An RDF term: an IRI, a blank node (<c>_:</c> label) or a literal with a datatype or a language.</summary>
public sealed record RdfTerm(string Value, RdfTermKind Kind, string? Datatype = null, string? Language = null)
{
    public static RdfTerm Iri(string iri) => new(iri, RdfTermKind.Iri);

    public static RdfTerm Blank(string label) => new(label, RdfTermKind.Blank);

    public static RdfTerm Text(string text, string language = "en") => new(text, RdfTermKind.Literal, Language: language);

    public static RdfTerm Typed(string text, string datatype) => new(text, RdfTermKind.Literal, Datatype: datatype);
}

public enum RdfTermKind
{
    Iri,
    Blank,
    Literal,
}

/// <summary>
/// A small set of triples written as Turtle or as expanded JSON-LD (no <c>@context</c>, so a reader fetches nothing):
/// both from the same triples, so the two are the same graph.
/// </summary>
public sealed class RdfGraph(IReadOnlyDictionary<string, string> prefixes)
{
    public const string RdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

    private readonly List<(RdfTerm Subject, string Predicate, RdfTerm Object)> _triples = [];

    public int Count => _triples.Count;

    public void Add(RdfTerm subject, string predicate, RdfTerm value) => _triples.Add((subject, predicate, value));

    public string ToTurtle()
    {
        var text = new StringBuilder();
        foreach (var (prefix, iri) in prefixes)
        {
            text.Append(CultureInfo.InvariantCulture, $"@prefix {prefix}: <{iri}> .\n");
        }
        foreach (var subject in _triples.GroupBy(t => t.Subject))
        {
            text.Append('\n').Append(Turtle(subject.Key));
            var statements = subject.Select(t => $"{(t.Predicate == RdfType ? "a" : TurtleIri(t.Predicate))} {Turtle(t.Object)}").ToList();
            text.Append(' ').AppendJoin(" ;\n    ", statements).Append(" .\n");
        }
        return text.ToString();
    }

    public string ToJsonLd()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var subject in _triples.GroupBy(t => t.Subject))
            {
                json.WriteStartObject();
                json.WriteString("@id", Id(subject.Key));
                foreach (var predicate in subject.GroupBy(t => t.Predicate))
                {
                    if (predicate.Key == RdfType)
                    {
                        json.WriteStartArray("@type");
                        foreach (var type in predicate)
                        {
                            json.WriteStringValue(type.Object.Value);
                        }
                        json.WriteEndArray();
                        continue;
                    }
                    json.WriteStartArray(predicate.Key);
                    foreach (var (_, _, value) in predicate)
                    {
                        json.WriteStartObject();
                        if (value.Kind == RdfTermKind.Literal)
                        {
                            json.WriteString("@value", value.Value);
                            if (value.Datatype is not null)
                            {
                                json.WriteString("@type", value.Datatype);
                            }
                            if (value.Language is not null)
                            {
                                json.WriteString("@language", value.Language);
                            }
                        }
                        else
                        {
                            json.WriteString("@id", Id(value));
                        }
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Id(RdfTerm term) => term.Kind == RdfTermKind.Blank ? $"_:{term.Value}" : term.Value;

    private string Turtle(RdfTerm term) => term.Kind switch
    {
        RdfTermKind.Iri => TurtleIri(term.Value),
        RdfTermKind.Blank => $"_:{term.Value}",
        _ => $"\"{Escape(term.Value)}\"" + (term.Language is not null ? $"@{term.Language}" : term.Datatype is not null ? $"^^{TurtleIri(term.Datatype)}" : ""),
    };

    /// <summary>A prefixed name when the IRI is in a declared namespace and its rest is plain letters, digits and underscores; the full IRI otherwise.</summary>
    private string TurtleIri(string iri)
    {
        foreach (var (prefix, ns) in prefixes)
        {
            if (iri.StartsWith(ns, StringComparison.Ordinal) && iri.Length > ns.Length && iri[ns.Length..].All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return $"{prefix}:{iri[ns.Length..]}";
            }
        }
        return $"<{EscapeIri(iri)}>";
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    /// <summary>IRIs come from the platform's own ids and URLs; characters Turtle does not allow in one are escaped anyway.</summary>
    private static string EscapeIri(string iri) =>
        string.Concat(iri.Select(c => c <= ' ' || "<>\"{}|^`\\".Contains(c, StringComparison.Ordinal) ? $"\\u{(int)c:X4}" : c.ToString()));
}
