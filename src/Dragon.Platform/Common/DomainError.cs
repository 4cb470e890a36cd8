namespace Dragon.Platform.Common;

/// <summary>What kind of failure a domain outcome is; the host maps each kind to one HTTP status.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Forbidden,
    Conflict,
    PreconditionFailed,
    PreconditionRequired,
}

/// <summary>
/// An expected failure of a domain operation, with a stable <paramref name="Code"/> that clients and tests
/// can rely on. <paramref name="Fields"/> carries per-field messages for validation failures.
/// </summary>
public sealed record DomainError(
    ErrorKind Kind,
    string Code,
    string Message,
    IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static DomainError Invalid(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "validation_failed", "One or more fields are invalid.", fields);
}
