namespace Dragon.Platform.Api.Demo;

/// <summary>One synthetic COVID-19 admission with a chest CT; <paramref name="Consent"/> is <c>granted</c>, <c>withdrawn</c> or null (never asked).</summary>
public sealed record CovidPatient(string SubjectRef, int Age, string Sex, int CtSeverity, bool Icu, string Outcome, double Crp, string? Consent);
