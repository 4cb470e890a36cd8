namespace Dragon.Node.Tests.Infrastructure;

/// <summary>A fact that needs the PostgreSQL server named by <see cref="Variable"/>; skipped when it is not set.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "DRAGON_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            Skip = $"{Variable} is not set: no PostgreSQL server to test against.";
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);
}
