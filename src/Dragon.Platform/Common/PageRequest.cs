namespace Dragon.Platform.Common;

/// <summary>The <c>page</c> and <c>pageSize</c> of a list request, validated against the API's limits.</summary>
public sealed record PageRequest(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Far beyond any list, and small enough that <see cref="Skip"/> cannot overflow.</summary>
    public const int MaxPage = 1_000_000;

    public int Skip => (Page - 1) * PageSize;

    public static Result<PageRequest> From(int? page, int? pageSize)
    {
        var errors = new FieldErrors();
        if (page is < 1 or > MaxPage)
        {
            errors.Add("page", $"page must be between 1 and {MaxPage}.");
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        return new PageRequest(page ?? 1, pageSize ?? DefaultPageSize);
    }
}
