using Dragon.Platform.Catalogue;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>A cohort's name from <see cref="CohortCatalogue.NamesAsync"/>; a cohort no longer in the catalogue shows its id.</summary>
public static class CohortNames
{
    public static string Of(this IReadOnlyDictionary<Guid, string> names, Guid id) =>
        names is not null && names.TryGetValue(id, out var name) ? name : id.ToString();
}
