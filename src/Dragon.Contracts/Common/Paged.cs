namespace Dragon.Contracts.Common;

/// <summary>One page of a list, as every list route answers it.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
