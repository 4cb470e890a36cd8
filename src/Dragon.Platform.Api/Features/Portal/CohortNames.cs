using Dragon.Platform.Catalogue;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>Cohort names for pages that list cohorts by id; a cohort no longer in the catalogue shows its id.</summary>
public static class CohortNames
{
    public static async Task<IReadOnlyDictionary<Guid, string>> LookupAsync(CohortCatalogue catalogue, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(ids);
        var names = new Dictionary<Guid, string>();
        foreach (var id in ids.Distinct())
        {
            var cohort = await catalogue.GetAsync(id, cancellationToken);
            names[id] = cohort.Succeeded ? cohort.Value.Name : id.ToString();
        }
        return names;
    }

    public static string Of(this IReadOnlyDictionary<Guid, string> names, Guid id) =>
        names is not null && names.TryGetValue(id, out var name) ? name : id.ToString();
}
