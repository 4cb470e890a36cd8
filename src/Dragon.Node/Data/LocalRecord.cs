namespace Dragon.Node.Data;

/// <summary>One subject's values, by variable name; a missing value is null.</summary>
public sealed record LocalRecord(string SubjectRef, IReadOnlyDictionary<string, object?> Values);
