using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Platform.Audit;
using Dragon.Platform.Common;
using Dragon.Platform.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Policies;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Catalogue;

/// <summary>Creates, versions and searches the cohorts of the catalogue.</summary>
public sealed class CohortCatalogue(DragonDbContext db, DataUsePolicy dataUse, AuditTrail audit, TimeProvider time)
{
    /// <summary>The names of the cohorts among <paramref name="ids"/> that exist, in one query.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        return await db.Cohorts.Where(c => wanted.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
    }

    /// <summary>A node publishes its own cohort; a steward who publishes one becomes its first steward.</summary>
    public async Task<Result<CohortResponse>> CreateAsync(CohortRequest request, CohortPublisher publisher, CancellationToken cancellationToken)
    {
        var validation = CohortValidator.Validate(request, dataUse);
        if (!validation.Succeeded)
        {
            return validation.Error;
        }
        var now = Clock.UtcNow(time);
        var cohort = new Cohort
        {
            Id = Guid.NewGuid(),
            Name = "",
            Description = "",
            Population = "",
            NodeId = publisher.NodeId,
            Version = 1,
            CreatedAt = now,
        };
        if (publisher.StewardId is { } steward)
        {
            cohort.Stewards.Add(new CohortSteward { CohortId = cohort.Id, UserId = steward });
        }
        Apply(validation.Value, cohort, now);
        db.Cohorts.Add(cohort);
        await audit.SaveChangesAsync(Event(publisher.Actor, AuditAction.Cohort_Published, cohort), cancellationToken);
        return CohortMapping.ToResponse(cohort);
    }

    public async Task<Result<CohortResponse>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var cohort = await Cohorts().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return cohort is null ? CatalogueErrors.CohortNotFound(id) : CohortMapping.ToResponse(cohort);
    }

    /// <summary>Replaces the cohort's description with a new version, if <paramref name="expectedVersion"/> is current.</summary>
    public async Task<Result<CohortResponse>> UpdateAsync(
        Guid id, CohortRequest request, int? expectedVersion, CohortPublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        var cohort = await Cohorts().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (cohort is null)
        {
            return CatalogueErrors.CohortNotFound(id);
        }
        if (!publisher.MayChange(cohort))
        {
            return CatalogueErrors.NotYourCohort(id);
        }
        if (expectedVersion is null)
        {
            return CatalogueErrors.VersionRequired();
        }
        if (expectedVersion != cohort.Version)
        {
            return CatalogueErrors.StaleVersion(expectedVersion.Value, cohort.Version);
        }
        var validation = CohortValidator.Validate(request, dataUse);
        if (!validation.Succeeded)
        {
            return validation.Error;
        }
        Apply(validation.Value, cohort, Clock.UtcNow(time));
        cohort.Version++;
        try
        {
            await audit.SaveChangesAsync(Event(publisher.Actor, AuditAction.Cohort_Updated, cohort), cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CatalogueErrors.ConcurrentUpdate();
        }
        return CohortMapping.ToResponse(cohort);
    }

    public async Task<Paged<CohortResponse>> SearchAsync(CohortSearch search, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(page);
        var query = Cohorts().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search.Text))
        {
            var text = search.Text.Trim().ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // ToLower() is translated to SQL lower(), the same on every provider.
            query = query.Where(c => c.Name.ToLower().Contains(text)
                || c.Description.ToLower().Contains(text)
                || c.Population.ToLower().Contains(text)
                || c.Variables.Any(v => v.Label.ToLower().Contains(text) || v.Name.Contains(text)));
#pragma warning restore CA1304, CA1311, CA1862
        }
        if (!string.IsNullOrWhiteSpace(search.Country))
        {
            var country = search.Country.Trim().ToUpperInvariant();
            query = query.Where(c => c.Countries.Contains(country));
        }
        if (!string.IsNullOrWhiteSpace(search.Variable))
        {
            var variable = search.Variable.Trim();
            query = query.Where(c => c.Variables.Any(v => v.Name == variable));
        }
        if (!string.IsNullOrWhiteSpace(search.DataUse))
        {
            var code = dataUse.Normalize(search.DataUse);
            query = query.Where(c => c.DataUse.Contains(code));
        }
        var total = await query.CountAsync(cancellationToken);
        var cohorts = await query
            .OrderBy(c => c.Name)
            .ThenBy(c => c.Id)
            .Skip(page.Skip)
            .Take(page.PageSize)
            .ToListAsync(cancellationToken);
        return new Paged<CohortResponse>([.. cohorts.Select(CohortMapping.ToResponse)], page.Page, page.PageSize, total);
    }

    /// <summary>Makes a DataSteward a steward of the cohort; adding one twice changes nothing.</summary>
    public async Task<Result<CohortResponse>> AddStewardAsync(Guid id, Guid userId, AuditActor actor, CancellationToken cancellationToken)
    {
        var cohort = await Cohorts().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (cohort is null)
        {
            return CatalogueErrors.CohortNotFound(id);
        }
        var isSteward = await (from userRole in db.UserRoles
                               join role in db.Roles on userRole.RoleId equals role.Id
                               where userRole.UserId == userId && role.Name == DragonRoles.DataSteward
                               select userRole).AnyAsync(cancellationToken);
        if (!isSteward)
        {
            return CatalogueErrors.NotASteward(userId);
        }
        if (cohort.Stewards.All(s => s.UserId != userId))
        {
            cohort.Stewards.Add(new CohortSteward { CohortId = id, UserId = userId });
            await audit.SaveChangesAsync(Event(actor, AuditAction.Cohort_StewardAdded, cohort, ("stewardId", userId.ToString())), cancellationToken);
        }
        return CohortMapping.ToResponse(cohort);
    }

    public async Task<Result<CohortResponse>> RemoveStewardAsync(Guid id, Guid userId, AuditActor actor, CancellationToken cancellationToken)
    {
        var cohort = await Cohorts().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (cohort is null)
        {
            return CatalogueErrors.CohortNotFound(id);
        }
        var steward = cohort.Stewards.SingleOrDefault(s => s.UserId == userId);
        if (steward is null)
        {
            return new DomainError(ErrorKind.NotFound, "cohort.steward_not_found", $"User {userId} is not a steward of cohort {id}.");
        }
        cohort.Stewards.Remove(steward);
        await audit.SaveChangesAsync(Event(actor, AuditAction.Cohort_StewardRemoved, cohort, ("stewardId", userId.ToString())), cancellationToken);
        return CohortMapping.ToResponse(cohort);
    }

    private static AuditEntry Event(AuditActor actor, AuditAction action, Cohort cohort, params (string Key, string? Value)[] facts) =>
        new(actor, action, "Cohort", cohort.Id.ToString(),
            AuditFacts.Of([("version", cohort.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. facts]));

    private IQueryable<Cohort> Cohorts() => db.Cohorts.Include(c => c.Stewards).AsSplitQuery();

    private static void Apply(ValidCohort valid, Cohort cohort, DateTimeOffset now)
    {
        cohort.Name = valid.Name;
        cohort.Description = valid.Description;
        cohort.Population = valid.Population;
        cohort.Countries = valid.Countries;
        cohort.Size = valid.Size;
        cohort.DataUse = valid.DataUse;
        cohort.Variables = valid.Variables;
        cohort.UpdatedAt = now;
    }
}
