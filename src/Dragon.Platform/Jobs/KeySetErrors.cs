using Dragon.Platform.Common;

namespace Dragon.Platform.Jobs;

public static class KeySetErrors
{
    public static DomainError NotFound(Guid id) => new(ErrorKind.NotFound, "key_set.not_found", $"Key set {id} does not exist.");

    public static DomainError InvalidShare(string reason) =>
        DomainError.Invalid(new Dictionary<string, string[]> { ["share"] = [$"The share is not a valid public-key share for this key set: {reason}"] });

    public static DomainError Retired(Guid id, long maxParts) => new(ErrorKind.Conflict, "key_set.retired",
        $"Key set {id} has decrypted as many ciphertext parts as its smudging allows ({maxParts}) and is retired: create a new key set (a new key ceremony) for further jobs.");

    public static DomainError InvalidSignature() =>
        DomainError.Invalid(new Dictionary<string, string[]> { ["signature"] = ["signature must be base64 of this node's identity-key signature over the key share statement (key set, seed, party index, node, share digest)."] });

    public static DomainError ShareAlreadyUploaded() =>
        new(ErrorKind.Conflict, "key_set.share_already_uploaded", "This node already uploaded a different share for this key set; shares cannot be replaced.");

    public static DomainError InvalidThresholdShares(string reason) =>
        DomainError.Invalid(new Dictionary<string, string[]> { ["shares"] = [reason] });

    public static DomainError NotSharing(Guid id, string status) => new(ErrorKind.Conflict, "key_set.not_sharing",
        $"Key set {id} is {status}: threshold shares are dealt once every public-key share is in, and only once.");
}
