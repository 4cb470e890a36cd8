namespace Dragon.Contracts.Privacy;

/// <summary>A job's release mode and, for <see cref="ReleaseModes.Dp"/>, the zCDP budget rho its release spends.</summary>
public sealed record JobPrivacy(string Mode, double Rho);
