using Dragon.Contracts.Consent;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Dragon.Platform.Policies;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Consent;

/// <summary>
/// GDPR art. 15 for patients: the agreements that covered their cohorts while their consent was granted for
/// a purpose that covers the agreement's purpose, with the overlapping period, and the jobs under those
/// agreements over their cohorts that started in that period.
/// </summary>
public sealed class AccessLog(DragonDbContext db, ConsentRegistry consents, DataUsePolicy dataUse, TimeProvider time)
{
    /// <summary>The most entries one answer holds: the newest; an earlier window is asked for with <c>before</c>.</summary>
    public const int MaxEntries = 1000;

    /// <param name="before">Only entries that began before this moment (the next page back: the <c>from</c> of the oldest entry seen).</param>
    public async Task<IReadOnlyList<AccessLogEntry>> ForPatientAsync(Guid userId, CancellationToken cancellationToken, DateTimeOffset? before = null)
    {
        var mine = await consents.ForPatientAsync(userId, cancellationToken);
        var cohortIds = mine.Select(c => c.CohortId).Distinct().ToList();
        var agreements = await db.Agreements.AsNoTracking().Where(a => a.CohortIds.Any(c => cohortIds.Contains(c))).ToListAsync(cancellationToken);
        var agreementIds = agreements.Select(a => a.Id).ToList();
        var jobs = await db.Jobs.Where(j => agreementIds.Contains(j.AgreementId) && (before == null || j.CreatedAt < before))
            .OrderByDescending(j => j.CreatedAt).Take(MaxEntries)
            .Select(j => new { j.Id, j.AgreementId, j.CohortIds, j.CreatedAt }).ToListAsync(cancellationToken);
        var now = Clock.UtcNow(time);
        var entries = new List<AccessLogEntry>();
        foreach (var consent in mine)
        {
            var granted = GrantedPeriods(consent).ToList();
            foreach (var agreement in agreements.Where(a => a.CohortIds.Contains(consent.CohortId)))
            {
                var agreementEnd = agreement.RevokedAt ?? (agreement.ExpiresAt < now ? agreement.ExpiresAt : (DateTimeOffset?)null);
                foreach (var (from, to, purposes) in granted.Where(p => dataUse.Covers(p.Purposes, agreement.Purpose)))
                {
                    var start = from > agreement.CreatedAt ? from : agreement.CreatedAt;
                    var end = Earliest(to, agreementEnd);
                    if (end is null || start < end)
                    {
                        var label = dataUse.Find(agreement.Purpose)?.Label ?? agreement.Purpose;
                        entries.Add(new AccessLogEntry(consent.Id, consent.CohortId, "agreement", agreement.Id, agreement.Purpose, label, start, end));
                        entries.AddRange(jobs
                            .Where(j => j.AgreementId == agreement.Id && j.CohortIds.Contains(consent.CohortId) && j.CreatedAt >= start && (end is null || j.CreatedAt < end))
                            .Select(j => new AccessLogEntry(consent.Id, consent.CohortId, "job", agreement.Id, agreement.Purpose, label, j.CreatedAt, null, j.Id)));
                    }
                }
            }
        }
        return [.. entries.Where(e => before is null || e.From < before).OrderByDescending(e => e.From).Take(MaxEntries).OrderBy(e => e.From)];
    }

    /// <summary>The periods during which the consent was granted, and for which purposes.</summary>
    private static IEnumerable<(DateTimeOffset From, DateTimeOffset? To, IReadOnlyList<string> Purposes)> GrantedPeriods(ConsentResponse consent)
    {
        var history = consent.History.OrderBy(v => v.Version).ToList();
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].Status == "granted")
            {
                yield return (history[i].RecordedAt, i + 1 < history.Count ? history[i + 1].RecordedAt : null, history[i].Purposes);
            }
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
