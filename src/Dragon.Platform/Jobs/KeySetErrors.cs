using Dragon.Platform.Common;

namespace Dragon.Platform.Jobs;

public static class KeySetErrors
{
    public static DomainError NotFound(Guid id) => new(ErrorKind.NotFound, "key_set.not_found", $"Key set {id} does not exist.");

    public static DomainError InvalidShare(string reason) =>
        DomainError.Invalid(new Dictionary<string, string[]> { ["share"] = [$"The share is not a valid public-key share for this key set: {reason}"] });

    public static DomainError ShareAlreadyUploaded() =>
        new(ErrorKind.Conflict, "key_set.share_already_uploaded", "This node already uploaded a different share for this key set; shares cannot be replaced.");
}
