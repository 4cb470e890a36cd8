using System.Globalization;
using Dragon.Contracts.Common;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>Where a portal list stands among its pages: "21 to 40 of 95", with links to the newer and older pages.</summary>
public sealed record PortalPager(int Page, int PageSize, int Total)
{
    public const int ListPageSize = 50;

    public static PortalPager Of<T>(Paged<T> paged)
    {
        ArgumentNullException.ThrowIfNull(paged);
        return new(paged.Page, paged.PageSize, paged.Total);
    }

    public static PortalPager Empty { get; } = new(1, ListPageSize, 0);

    public bool HasNewer => Page > 1;

    public bool HasOlder => (long)Page * PageSize < Total;

    public string Shown => (long)(Page - 1) * PageSize >= Total
        ? string.Create(CultureInfo.InvariantCulture, $"none on this page, of {Total}")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Min((long)(Page - 1) * PageSize + 1, Total)} to {Math.Min((long)Page * PageSize, Total)} of {Total}");
}
