using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dragon.Platform.Policies;

/// <summary>The DUO terms the platform accepts, and the hierarchy between data use permissions.</summary>
public sealed class DataUsePolicy
{
    public const string FileName = "data-use.json";

    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    private readonly Dictionary<string, DataUseTerm> _terms;
    private readonly Dictionary<string, string> _codesByShorthand;

    public DataUsePolicy(IEnumerable<DataUseTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        _terms = terms.ToDictionary(term => term.Code, StringComparer.Ordinal);
        _codesByShorthand = _terms.Values.Where(t => !string.IsNullOrEmpty(t.Shorthand)).ToDictionary(t => t.Shorthand, t => t.Code, StringComparer.OrdinalIgnoreCase);
        foreach (var term in _terms.Values)
        {
            if (term.Parent is not null && !_terms.ContainsKey(term.Parent))
            {
                throw new PolicyException($"policy.data_use.unknown_parent: {term.Code} names the unknown parent {term.Parent}.");
            }
        }
    }

    public IReadOnlyCollection<DataUseTerm> Terms => _terms.Values;

    public bool IsKnown(string code) => _terms.ContainsKey(code);

    public DataUseTerm? Find(string code) => _terms.GetValueOrDefault(code);

    /// <summary>
    /// The DUO code an input names: the code itself, or the code of a shorthand (GRU, HMB, DS, ... in any case), which is
    /// what is stored; anything else trimmed and as it is, for the caller to refuse as unknown.
    /// </summary>
    [return: NotNullIfNotNull(nameof(input))]
    public string? Normalize(string? input)
    {
        var trimmed = input?.Trim();
        return trimmed is not null && _codesByShorthand.TryGetValue(trimmed, out var code) ? code : trimmed;
    }

    /// <summary>
    /// Whether consent (or data use) for <paramref name="granted"/> covers <paramref name="purpose"/>: a
    /// permission covers itself and every permission beneath it (general research use covers health/medical
    /// research, which covers disease-specific research). Modifiers add conditions and cover nothing.
    /// </summary>
    public bool Covers(IEnumerable<string> granted, string purpose)
    {
        ArgumentNullException.ThrowIfNull(granted);
        var grantedPermissions = granted.Where(code => Find(code)?.Kind == DataUseTermKind.Permission).ToHashSet(StringComparer.Ordinal);
        for (var term = Find(purpose); term is not null; term = term.Parent is null ? null : Find(term.Parent))
        {
            if (term.Kind == DataUseTermKind.Permission && grantedPermissions.Contains(term.Code))
            {
                return true;
            }
        }
        return false;
    }

    public static DataUsePolicy Load(string policyDirectory) =>
        PolicyFile.Load(policyDirectory, FileName, "data_use", root =>
        {
            var file = root.Deserialize<DataUseFile>(FileJson);
            if (file?.Terms is not { Count: > 0 })
            {
                throw new PolicyException($"policy.data_use.empty: {FileName} lists no terms.");
            }
            return new DataUsePolicy(file.Terms);
        });

    private sealed record DataUseFile(List<DataUseTerm>? Terms);
}
