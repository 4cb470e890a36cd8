using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace Dragon.Platform.Tests.Host;

/// <summary>
/// JSON bodies generated from an operation's schema in the served OpenAPI document, then mutated the ways a hostile or
/// broken client would: a value of the wrong type, a field missing or extra, huge strings and arrays, nulls, unicode
/// edge cases, deep nesting, and bodies that are not JSON at all. Strings are drawn from words the API knows (kinds,
/// operators, DUO terms, variable names), from the ids of objects that exist, and from hostile text, so that some
/// generated bodies reach past the first check.
/// </summary>
public sealed class SchemaBodies(JsonElement document, IReadOnlyList<Guid> knownIds)
{
    private const int MaxDepth = 6;

    private static readonly Gen<JsonNode?> NullValue = Gen.Const((JsonNode?)null);

    /// <summary>The ids of objects that exist, as path and body values.</summary>
    public IReadOnlyList<string> KnownIds { get; } = [.. knownIds.Select(id => id.ToString())];

    private static readonly string[] Words =
    [
        "count", "sum", "mean", "variance", "histogram", "crosstab", "glm", "eq", "ne", "lt", "le", "gt", "ge", "in",
        "age", "sex", "crp", "outcome", "icu", "deceased", "female", "DUO:0000004", "DUO:0000006", "DUO:0000007",
        "exact", "dp", "gaussian", "binomial", "poisson", "logit", "log", "identity", "approve", "reject", "granted",
        "withdrawn", "bfv-8192", "bfv-1024-batch-insecure", "researcher@dragon.test", "NL", "integer", "decimal",
        "category", "boolean", "date", "2026-01-01", "2026-01-01T00:00:00Z", "Purpose", "a", "",
    ];

    /// <summary>Text that breaks naive handling: control and format characters, lone surrogates, long combining runs, markup, paths.</summary>
    private static readonly string[] HostileText =
    [
        "\0", "\u0000\u0001\u001f", "\ud800", "\udfff", "a\ud83d", "\u202e\u0041\u0042", "\ufeff", "\u200b\u200d",
        "e" + new string('\u0301', 500), "💉🦠🧬", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd",
        "=HYPERLINK(\"http://x\")", "%00", "\\u0000", "NaN", "-0", "1e999", "true", "null", "{}", "[]",
        new string('x', 70_000), "İıſK", "\r\n\r\n", "\t",
    ];

    /// <summary>A valid-shaped value for the schema, or not, as the schema allows.</summary>
    public Gen<JsonNode?> Value(JsonElement schema, int depth = 0)
    {
        schema = Resolve(schema);
        if (depth > MaxDepth)
        {
            return NullValue;
        }
        foreach (var combinator in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(combinator, out var choices))
            {
                return Gen.OneOf([.. choices.EnumerateArray().Select(c => Value(c, depth + 1))]);
            }
        }
        var types = !schema.TryGetProperty("type", out var type) ? ["any"]
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        // A nullable field is null now and then, not half the time: the other types are what reach the checks.
        return Gen.Frequency([.. types.Select(t => (t == "null" ? 1 : 6, Typed(t, format, schema, depth)))]);
    }

    /// <summary>The value mutated once or twice (or left alone now and then, to reach deeper checks).</summary>
    public Gen<JsonNode?> Mutated(Gen<JsonNode?> valid) =>
        Gen.Frequency(
            (1, valid),
            (6, valid.SelectMany(Mutate)),
            (2, valid.SelectMany(Mutate).SelectMany(Mutate)));

    /// <summary>Request bodies that are not JSON of any schema: raw text and bytes, truncated or too deep JSON, invalid UTF-8.</summary>
    public static Gen<(string MediaType, byte[] Bytes)> NotJson =>
        Gen.OneOf(
            Gen.OneOf("", "{", "[", "{\"a\":", "null", "nul", "\"unterminated", "{}}", "[1,]", "{'a':1}", "hello", "{\"a\":1,\"a\":2}")
                .Select(text => ("application/json", System.Text.Encoding.UTF8.GetBytes(text))),
            Gen.Int[65, 2_000].Select(depth => ("application/json", System.Text.Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)))),
            Gen.Byte.Array[0, 2_000].Select(bytes => ("application/json", bytes)),
            Gen.Const(("application/json", new byte[] { (byte)'"', 0xC3, 0x28, 0xFF, 0xFE, (byte)'"' })),
            Gen.Byte.Array[0, 200].Select(bytes => ("text/plain", bytes)),
            Gen.Byte.Array[0, 200].Select(bytes => ("application/xml", bytes)),
            Gen.Byte.Array[0, 4_000].Select(bytes => ("application/octet-stream", bytes)));

    private Gen<JsonNode?> Typed(string type, string? format, JsonElement schema, int depth) => type switch
    {
        "null" => NullValue,
        "boolean" => Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        "integer" => Gen.OneOf(Gen.OneOf(0L, 1L, -1L, 2L, 10L, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue), Gen.Long[-1_000, 1_000_000])
            .Select(n => (JsonNode?)JsonValue.Create(n)),
        "number" => Gen.OneOf(Gen.OneOf(0.0, -0.0, 0.5, 1.0, -1.0, 1e308, -1e308, double.Epsilon, 1e-300), Gen.Double[-1e6, 1e6])
            .Select(n => (JsonNode?)JsonValue.Create(n)),
        "string" => String(format).Select(s => (JsonNode?)JsonValue.Create(s)),
        "array" => Value(schema.TryGetProperty("items", out var items) ? items : default, depth + 1).List[0, 4].Select(list => (JsonNode?)new JsonArray([.. list])),
        "object" => Object(schema, depth),
        _ => Any(depth),
    };

    private Gen<string> String(string? format) => format switch
    {
        "uuid" => Gen.Frequency((5, Gen.OneOf(KnownIds.ToArray())), (2, Gen.Guid.Select(g => g.ToString())), (1, Gen.OneOf(HostileText))),
        "date-time" => Gen.Frequency((4, Gen.DateTimeOffset.Select(d => d.ToString("O"))), (1, Gen.OneOf(HostileText))),
        _ => Gen.Frequency((5, Gen.OneOf(Words)), (2, Gen.OneOf(HostileText)), (1, Gen.String)),
    };

    private Gen<JsonNode?> Object(JsonElement schema, int depth)
    {
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToHashSet() : [];
        var properties = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().ToList() : [];
        if (properties.Count == 0)
        {
            return Any(depth);
        }
        var fields = properties.Select(property =>
            Gen.Select(Gen.Int[0, 9], Value(property.Value, depth + 1)).Select((chance, value) => (property.Name, Present: required.Contains(property.Name) || chance < 7, value)));
        return fields.Aggregate(Gen.Const(new List<(string, bool, JsonNode?)>()), (all, field) => all.SelectMany(list => field.Select(f => (List<(string, bool, JsonNode?)>)[.. list, f])))
            .Select(list =>
            {
                var obj = new JsonObject();
                foreach (var (name, present, value) in list.Where(f => f.Item2))
                {
                    obj[name] = value;
                }
                return (JsonNode?)obj;
            });
    }

    private static Gen<JsonNode?> Any(int depth) => depth > 2
        ? Gen.OneOf(Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)), Gen.OneOf(Words).Select(w => (JsonNode?)JsonValue.Create(w)), NullValue)
        : Gen.OneOf(
            Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.OneOf(Words).Select(w => (JsonNode?)JsonValue.Create(w)),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            NullValue,
            Any(depth + 1).List[0, 3].Select(list => (JsonNode?)new JsonArray([.. list])));

    private Gen<JsonNode?> Mutate(JsonNode? body) =>
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, 7], Gen.OneOf(HostileText), Gen.Int[1_000, 20_000]).Select((pick, kind, text, size) =>
        {
            var copy = body?.DeepClone();
            var places = Places(copy).ToList();
            var (parent, name, index) = places[pick % places.Count];
            var remove = kind == 7;
            JsonNode? replacement = kind switch
            {
                0 => JsonValue.Create(text),
                1 => null,
                2 => JsonValue.Create(size),
                3 => new JsonArray([.. Enumerable.Range(0, size).Select(i => (JsonNode?)JsonValue.Create(i))]),
                4 => JsonValue.Create(new string('é', size * 10)),
                5 => new JsonObject { ["extra"] = text, ["$type"] = "System.Object" },
                6 => JsonValue.Create(true),
                _ => null,
            };
            switch (parent)
            {
                case null:
                    return remove ? new JsonObject() : replacement;
                case JsonObject obj when remove:
                    obj.Remove(name!);
                    break;
                case JsonObject obj:
                    obj[name!] = replacement;
                    break;
                case JsonArray array when remove:
                    array.RemoveAt(index);
                    break;
                case JsonArray array:
                    array[index] = replacement;
                    break;
            }
            return copy;
        });

    /// <summary>Every place in a body a mutation can hit: the body itself (no parent), each field, each element.</summary>
    private static IEnumerable<(JsonNode? Parent, string? Name, int Index)> Places(JsonNode? root)
    {
        yield return (null, null, -1);
        var pending = new Stack<JsonNode?>([root]);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj)
                    {
                        yield return (obj, name, -1);
                        pending.Push(child);
                    }
                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        yield return (array, null, i);
                        pending.Push(array[i]);
                    }
                    break;
            }
        }
    }

    private JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }
        return schema.ValueKind == JsonValueKind.Object ? schema : default;
    }
}
