namespace Dragon.Contracts.Consent;

/// <summary>A node registers or updates the consent of one of its pseudonymous subjects.</summary>
/// <param name="Status"><c>granted</c> or <c>withdrawn</c>.</param>
public sealed record ConsentRequest(string? SubjectRef, Guid? CohortId, IReadOnlyList<string>? Purposes, string? Status, string? Evidence = null);

/// <summary>Up to 1,000 consents registered in one transaction; when one is refused, none is saved.</summary>
public sealed record ConsentBatchRequest(IReadOnlyList<ConsentRequest?>? Consents);

/// <summary>What became of one consent of a batch, in the order sent.</summary>
/// <param name="Outcome"><c>created</c>, <c>changed</c> (a new version) or <c>unchanged</c>.</param>
public sealed record ConsentBatchItem(Guid ConsentId, Guid CohortId, string SubjectRef, int Version, string Status, string Outcome);

public sealed record ConsentBatchResponse(IReadOnlyList<ConsentBatchItem> Items, int Created, int Changed, int Unchanged);

public sealed record ConsentVersionResponse(int Version, string Status, IReadOnlyList<string> Purposes, string? Evidence, string ActorType, DateTimeOffset RecordedAt);

public sealed record ConsentResponse(
    Guid Id,
    Guid NodeId,
    Guid CohortId,
    string SubjectRef,
    string Status,
    IReadOnlyList<string> Purposes,
    int Version,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ConsentVersionResponse> History);

public sealed record LinkCodeRequest(string? SubjectRef, Guid? CohortId);

/// <summary>A one-time code the hospital hands its patient; shown once.</summary>
public sealed record LinkCodeResponse(string Code, DateTimeOffset ExpiresAt);

public sealed record LinkRequest(string? Code);

public sealed record GrantRequest(IReadOnlyList<string>? Purposes);

/// <summary>One consent version in a node's change feed; <paramref name="Cursor"/> orders the feed.</summary>
public sealed record ConsentChange(long Cursor, Guid ConsentId, Guid CohortId, string SubjectRef, int Version, string Status, IReadOnlyList<string> Purposes, DateTimeOffset RecordedAt);

/// <summary>A page of the feed; pass <paramref name="NextCursor"/> as <c>after</c> to continue.</summary>
public sealed record ConsentFeed(IReadOnlyList<ConsentChange> Items, long NextCursor);

/// <summary>A node asks the platform to erase its subject (GDPR art. 17).</summary>
public sealed record SubjectErasureRequest(string? SubjectRef);

/// <param name="ConsentsWithdrawn">Consents withdrawn now; the node reads them in its consent feed.</param>
/// <param name="Complete">True when the pseudonym is already gone from the platform; otherwise it goes once the node's agent has read the withdrawals.</param>
public sealed record SubjectErasureResponse(int ConsentsWithdrawn, bool Complete);
