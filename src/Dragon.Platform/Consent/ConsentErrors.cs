using Dragon.Platform.Common;

namespace Dragon.Platform.Consent;

public static class ConsentErrors
{
    public static DomainError NotFound(Guid id) => new(ErrorKind.NotFound, "consent.not_found", $"Consent {id} does not exist.");

    public static DomainError CohortNotYours(Guid cohortId) =>
        new(ErrorKind.NotFound, "consent.cohort_not_found", $"Cohort {cohortId} is not a cohort this node publishes.");

    public static DomainError CodeRejected() =>
        DomainError.Invalid(new Dictionary<string, string[]> { ["code"] = ["The code is unknown, used or expired; ask your hospital for a new one."] });

    public static DomainError AlreadyWithdrawn() =>
        new(ErrorKind.Conflict, "consent.already_withdrawn", "This consent is already withdrawn.");

    public static DomainError WithdrawnByPatient() =>
        new(ErrorKind.Conflict, "consent.withdrawn_by_patient",
            "The patient withdrew this consent in the portal; only the patient can grant it again there.");

    public static DomainError AlreadyGranted() =>
        new(ErrorKind.Conflict, "consent.already_granted", "This consent is already granted for exactly these purposes.");
}
