using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>What every portal page shares: who is signed in, and how a domain outcome is shown.</summary>
public abstract class PortalPageModel : PageModel
{
    /// <summary>The newest entries of a short list (nodes, waiting requests), as many as one API page holds.</summary>
    protected static PageRequest FirstPage { get; } = new(1, PageRequest.MaxPageSize);

    /// <summary>
    /// Page <paramref name="page"/> of a long list; a number out of range shows the first page. Pages bind it as
    /// <c>[FromQuery(Name = "page")]</c>: a parameter named <c>page</c> would get Razor Pages' route value instead.
    /// </summary>
    protected static PageRequest ListPage(int? page) => new(page is >= 1 and <= PageRequest.MaxPage ? page.Value : 1, PortalPager.ListPageSize);

    protected Guid UserId => User.Id();

    /// <summary>Where a page's long list stands among its pages (see <see cref="ListPage"/>).</summary>
    public PortalPager Pager { get; protected set; } = PortalPager.Empty;

    /// <summary>A one-line confirmation shown on the next page, after the redirect that follows a change.</summary>
    protected void Notify(string message) => TempData["Notice"] = message;

    /// <summary>
    /// Shows a domain error on the page: field messages next to their fields, anything else at the top. Not-found
    /// errors are not shown: the caller answers 404 instead, as the API does.
    /// </summary>
    protected void ShowError(DomainError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Fields is { Count: > 0 } fields)
        {
            foreach (var (field, messages) in fields)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field, message);
                }
            }
            return;
        }
        ModelState.AddModelError(string.Empty, error.Message);
    }

    /// <summary>The 404 page, for objects that do not exist or are not the caller's.</summary>
    protected static NotFoundResult Missing() => new();
}
