using Dragon.Platform.Persistence;

namespace Dragon.Platform.Tests.Infrastructure;

/// <summary>One platform host per test class, shared by its tests; each provider has its own fixture type.</summary>
public abstract class ApiFixture : IDisposable
{
    protected ApiFixture(DatabaseProvider provider) => Factory = DragonApiFactory.Create(provider);

    public DragonApiFactory Factory { get; }

    public void Dispose()
    {
        Factory.Dispose();
        Factory.DropDatabase();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteApiFixture() : ApiFixture(DatabaseProvider.Sqlite);

public sealed class PostgresApiFixture() : ApiFixture(DatabaseProvider.PostgreSql);
