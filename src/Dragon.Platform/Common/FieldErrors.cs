namespace Dragon.Platform.Common;

/// <summary>Collects validation messages per field, in the <c>errors</c> shape of a problem+json answer.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _messages = new(StringComparer.Ordinal);

    public bool Any => _messages.Count > 0;

    public void Add(string field, string message)
    {
        if (!_messages.TryGetValue(field, out var list))
        {
            list = [];
            _messages[field] = list;
        }
        list.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _messages.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}
