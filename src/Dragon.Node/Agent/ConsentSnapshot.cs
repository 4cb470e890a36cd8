namespace Dragon.Node.Agent;

/// <summary>What <see cref="ConsentStore"/> keeps on disk: the feed cursor and the latest consent per subject.</summary>
public sealed record ConsentSnapshot(long Cursor, IReadOnlyList<LocalConsent> Subjects);
