namespace Dragon.Contracts.Nodes;

public sealed record EnrollmentTokenRequest(string? Organisation, int? ExpiresInHours);

/// <summary>The token is shown once; the platform keeps only its hash.</summary>
public sealed record EnrollmentTokenResponse(string Token, DateTimeOffset ExpiresAt);

/// <param name="IdentityKey">Base64 of the node's identity key (ECDSA P-256, DER SubjectPublicKeyInfo): the key its protocol messages are signed with.</param>
public sealed record EnrollRequest(string? Token, string? Name, string? Organisation, string? Country, string? ContactEmail, string? IdentityKey = null);

/// <summary>The node's client credentials, shown once: the node agent stores them in its state folder.</summary>
public sealed record EnrollResponse(Guid NodeId, string ClientId, string ClientSecret);

/// <param name="ContactEmail">Shown to Admins, the node itself and the stewards of its cohorts; null for anyone else.</param>
public sealed record NodeResponse(
    Guid Id,
    string Name,
    string Organisation,
    string Country,
    string? ContactEmail,
    string Status,
    string? AgentVersion,
    DateTimeOffset? LastHeartbeatAt,
    DateTimeOffset CreatedAt,
    string? IdentityKey = null,
    string? IdentityFingerprint = null);

public sealed record HeartbeatRequest(string? AgentVersion);
