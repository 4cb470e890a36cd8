namespace Dragon.Platform.Audit;

/// <summary>
/// The single row that orders writers: each append first updates it, which locks it (PostgreSQL, SQL Server)
/// or the database (SQLite) until the transaction ends, so sequence numbers have no gaps and no duplicates.
/// </summary>
public sealed class AuditHead
{
    public const int SingletonId = 1;

    public int Id { get; init; } = SingletonId;
    public long LastSequence { get; set; }
    public required string LastHash { get; set; }
}
