using Dragon.Platform.Common;

namespace Dragon.Platform.Catalogue;

public static class CatalogueErrors
{
    public static DomainError CohortNotFound(Guid id) =>
        new(ErrorKind.NotFound, "cohort.not_found", $"Cohort {id} does not exist.");

    public static DomainError VersionRequired() =>
        new(ErrorKind.PreconditionRequired, "cohort.version_required",
            "Send the cohort's current version in an If-Match header to update it.");

    public static DomainError StaleVersion(int expected, int current) =>
        new(ErrorKind.PreconditionFailed, "cohort.stale_version",
            $"The cohort is at version {current}, not {expected}: read it again and reapply your change.");

    public static DomainError ConcurrentUpdate() =>
        new(ErrorKind.Conflict, "cohort.concurrent_update",
            "Another update to this cohort was saved at the same time: read it again and reapply your change.");

    public static DomainError NotYourCohort(Guid id) =>
        new(ErrorKind.Forbidden, "cohort.not_publisher", $"Only the node that publishes cohort {id} or one of its stewards may change it.");

    public static DomainError NotASteward(Guid userId) =>
        DomainError.Invalid(new Dictionary<string, string[]> { ["userId"] = [$"User {userId} does not exist or is not a DataSteward."] });
}
