namespace Dragon.Contracts.Nodes;

public sealed record EnrollmentTokenRequest(string? Organisation, int? ExpiresInHours);

/// <summary>The token is shown once; the platform keeps only its hash.</summary>
public sealed record EnrollmentTokenResponse(string Token, DateTimeOffset ExpiresAt);

public sealed record EnrollRequest(string? Token, string? Name, string? Organisation, string? Country, string? ContactEmail);

/// <summary>The node's client credentials, shown once: the node agent stores them in its state folder.</summary>
public sealed record EnrollResponse(Guid NodeId, string ClientId, string ClientSecret);

public sealed record NodeResponse(
    Guid Id,
    string Name,
    string Organisation,
    string Country,
    string ContactEmail,
    string Status,
    string? AgentVersion,
    DateTimeOffset? LastHeartbeatAt,
    DateTimeOffset CreatedAt);

public sealed record HeartbeatRequest(string? AgentVersion);
