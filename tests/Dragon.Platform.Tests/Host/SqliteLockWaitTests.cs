using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Host;

/// <summary>
/// <see cref="SqliteBusyWait"/>: every connection the host opens to its SQLite file waits for another's lock inside
/// SQLite, so a second writer is served as soon as the first commits instead of being told the database is locked.
/// </summary>
public sealed class SqliteLockWaitTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public async Task EveryConnection_HasTheBusyTimeout()
    {
        using var scope = fixture.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";

        Assert.Equal((long)SqliteBusyWait.Timeout.TotalMilliseconds, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ASecondWriter_WaitsForTheFirstToCommit_ThenWrites()
    {
        using var firstScope = fixture.Factory.Services.CreateScope();
        using var secondScope = fixture.Factory.Services.CreateScope();
        var first = firstScope.ServiceProvider.GetRequiredService<DragonDbContext>();
        var second = secondScope.ServiceProvider.GetRequiredService<DragonDbContext>();
        var holding = await first.Database.BeginTransactionAsync();
        await first.Database.ExecuteSqlRawAsync("UPDATE WorkItems SET Kind = Kind WHERE 0");

        var waiting = Task.Run(async () =>
        {
            await using var transaction = await second.Database.BeginTransactionAsync();
            await second.Database.ExecuteSqlRawAsync("UPDATE WorkItems SET Kind = Kind WHERE 0");
            await transaction.CommitAsync();
        });
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "the second writer went ahead while the first held the lock");
        await holding.CommitAsync();
        await holding.DisposeAsync();

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
