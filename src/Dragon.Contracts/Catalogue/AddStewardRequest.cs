namespace Dragon.Contracts.Catalogue;

public sealed record AddStewardRequest(Guid? UserId);
