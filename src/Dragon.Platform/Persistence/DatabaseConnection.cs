namespace Dragon.Platform.Persistence;

/// <summary>The database this host uses, resolved once from configuration at start-up.</summary>
public sealed record DatabaseConnection(DatabaseProvider Provider, string ConnectionString);
