namespace Dragon.Contracts.Privacy;

/// <summary>
/// A job's release mode and, for <see cref="ReleaseModes.Dp"/>, the zCDP budget rho its release spends; an exact job
/// carries the <see cref="ExactChecks"/> its nodes compute beside its vector.
/// </summary>
public sealed record JobPrivacy(string Mode, double Rho, ExactChecks? Checks = null);
