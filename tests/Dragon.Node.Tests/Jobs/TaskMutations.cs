using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;

namespace Dragon.Node.Tests.Jobs;

/// <summary>
/// A task as a hostile platform could change it while keeping it well-typed (so it reaches the node's checks rather
/// than its JSON reader): one field or element changed by what its value is. An id becomes another id the consortium
/// knows or a fresh one; base64 bytes get a flipped bit, lose their tail or become another field's bytes; a digest gets
/// a changed character; a number moves by one, to 0, -1 or its extreme; an array loses, repeats, swaps or reverses
/// elements; an optional field is dropped; any other text becomes another word.
/// </summary>
public static class TaskMutations
{
    private static readonly string[] Words = ["count", "sum", "mean", "glm", "decryptionShare", "contribution", "commitment", "bfv-4096", "bfv-8192-batch", "DUO:0000004", "DUO:0000007", "age", ""];

    /// <summary>Which place to change, and how: shrinks toward the first place and the first way.</summary>
    public static Gen<(int At, int Choice, int Detail)> Choices { get; } = Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]);

    /// <summary>The task changed as <paramref name="choice"/> says, or null when the change made it something the node's JSON reader refuses (a required id dropped).</summary>
    public static (string Mutation, NodeTask? Task) Apply(NodeTask honest, IReadOnlyList<Guid> knownIds, (int At, int Choice, int Detail) choice)
    {
        var json = JsonSerializer.SerializeToNode(honest, DragonJson.Options)!;
        var places = Places(json, "$").ToList();
        var (path, target) = places[choice.At % places.Count];
        var mutation = Mutate(json, target, path, choice.Choice, choice.Detail, knownIds);
        try
        {
            return (mutation, json.Deserialize<NodeTask>(DragonJson.Options));
        }
        catch (JsonException)
        {
            return (mutation, null);
        }
    }

    private static string Mutate(JsonNode root, JsonNode? target, string path, int choice, int detail, IReadOnlyList<Guid> knownIds)
    {
        switch (target)
        {
            case JsonArray array when array.Count > 0:
                var i = detail % array.Count;
                switch (choice % 4)
                {
                    case 0:
                        array.RemoveAt(i);
                        return $"{path}[{i}] removed";
                    case 1:
                        array.Add(array[i]!.DeepClone());
                        return $"{path}[{i}] repeated";
                    case 2:
                        var j = (i + 1) % array.Count;
                        (array[i], array[j]) = (array[j]!.DeepClone(), array[i]!.DeepClone());
                        return $"{path}[{i}] and [{j}] swapped";
                    default:
                        var reversed = array.Select(e => e?.DeepClone()).Reverse().ToList();
                        array.Clear();
                        reversed.ForEach(array.Add);
                        return $"{path} reversed";
                }
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number):
                long[] options = [number + 1, number - 1, 0, -1, int.MaxValue];
                Replace(root, path, JsonValue.Create(options[choice % options.Length]));
                return $"{path} {number} -> {options[choice % options.Length]}";
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                var real = value.GetValue<double>();
                double[] reals = [real * 2, 0, -real, 1e308];
                Replace(root, path, JsonValue.Create(reals[choice % reals.Length]));
                return $"{path} {real} -> {reals[choice % reals.Length]}";
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var changed = Changed(text, choice, detail, knownIds, root);
                Replace(root, path, JsonValue.Create(changed));
                return $"{path} changed ({Describe(text)} -> {Describe(changed)})";
            default:
                Replace(root, path, null);
                return $"{path} dropped";
        }
    }

    private static string Changed(string text, int choice, int detail, IReadOnlyList<Guid> knownIds, JsonNode root)
    {
        if (Guid.TryParse(text, out _))
        {
            return choice % 2 == 0 ? knownIds[detail % knownIds.Count].ToString() : Guid.NewGuid().ToString();
        }
        if (text.Length == 64 && text.All(Uri.IsHexDigit))
        {
            var at = detail % text.Length;
            return string.Concat(text[..at], text[at] == '0' ? "1" : "0", text[(at + 1)..]);
        }
        if (text.Length >= 16 && text.Length % 4 == 0 && Convert.TryFromBase64String(text, new byte[text.Length], out _))
        {
            var bytes = Convert.FromBase64String(text);
            switch (choice % 3)
            {
                case 0:
                    bytes[detail % bytes.Length] ^= (byte)(1 << (detail % 8));
                    return Convert.ToBase64String(bytes);
                case 1:
                    return Convert.ToBase64String(bytes[..(detail % bytes.Length)]);
                default:
                    // Another field's bytes: a peer's contribution in place of the aggregate, one signature for another.
                    var others = Places(root, "$").Select(p => p.Node).OfType<JsonValue>()
                        .Where(v => v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: >= 16 } s && s != text && s.Length % 4 == 0 && !Guid.TryParse(s, out _))
                        .Select(v => v.GetValue<string>()).ToList();
                    return others.Count > 0 ? others[detail % others.Count] : Convert.ToBase64String(bytes.Reverse().ToArray());
            }
        }
        return Words[detail % Words.Length];
    }

    private static string Describe(string text) => text.Length > 24 ? $"{text[..12]}...({text.Length} chars)" : $"'{text}'";

    private static IEnumerable<(string Path, JsonNode? Node)> Places(JsonNode? node, string path)
    {
        if (path != "$")
        {
            yield return (path, node);
        }
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    foreach (var inner in Places(child, $"{path}.{name}"))
                    {
                        yield return inner;
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var inner in Places(array[i], $"{path}[{i}]"))
                    {
                        yield return inner;
                    }
                }
                break;
        }
    }

    private static JsonNode? Find(JsonNode root, string path) => Places(root, "$").First(p => p.Path == path).Node;

    private static void Replace(JsonNode root, string path, JsonNode? value)
    {
        var cut = path.LastIndexOfAny(['.', '[']);
        var parent = cut == 1 ? root : Find(root, path[..cut]);
        switch (parent)
        {
            case JsonObject obj:
                obj[path[(cut + 1)..]] = value;
                break;
            case JsonArray array:
                array[int.Parse(path[(cut + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
                break;
        }
    }
}
