using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dragon.Platform.Api.Features.Portal.Pages;

public sealed class IndexModel : PageModel;
