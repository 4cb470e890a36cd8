using Dragon.Platform.Audit;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Host;

/// <summary>
/// What a refused request must leave as it was: the number of rows in every table of the platform's model and the
/// audit trail's head (its last sequence number and hash, which any audited change moves).
/// </summary>
public sealed record DatabaseFingerprint(string Counts, long AuditSequence, string AuditHash)
{
    public static async Task<DatabaseFingerprint> TakeAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order(StringComparer.Ordinal);
        var counts = new List<string>();
        foreach (var table in tables)
        {
#pragma warning disable EF1002 // the table names come from the model, not from input
            var count = await db.Database.SqlQueryRaw<long>($"SELECT COUNT(*) AS \"Value\" FROM \"{table}\"").SingleAsync();
#pragma warning restore EF1002
            counts.Add($"{table}={count}");
        }
        var head = await db.AuditHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == AuditHead.SingletonId);
        return new DatabaseFingerprint(string.Join(' ', counts), head?.LastSequence ?? 0, head?.LastHash ?? "");
    }
}
