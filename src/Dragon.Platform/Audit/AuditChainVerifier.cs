namespace Dragon.Platform.Audit;

/// <summary>
/// Recomputes the hash chain over events in sequence order and checks checkpoints against it. Pure: the
/// platform runs it over its database, the offline verifier over an exported file.
/// </summary>
public sealed class AuditChainVerifier
{
    private readonly Dictionary<long, string> _hashes = [];
    private long _expected = 1;
    private string _previous = AuditCanonicalForm.GenesisHash;

    public AuditChainVerifier()
    {
    }

    /// <summary>A verifier that goes on from an event already verified: the chain continues from its sequence and hash.</summary>
    public AuditChainVerifier(long sequence, string hash)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        (_expected, _previous) = (sequence + 1, hash);
        _hashes[sequence] = hash;
    }

    public long EventsChecked { get; private set; }

    public long? FirstInvalidSequence { get; private set; }

    public bool Valid => FirstInvalidSequence is null;

    /// <summary>Feeds the next event; after the first break, the rest only counts.</summary>
    public void Add(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        EventsChecked++;
        if (!Valid)
        {
            return;
        }
        if (e.Sequence != _expected || e.PreviousHash != _previous || AuditCanonicalForm.Hash(e) != e.Hash)
        {
            FirstInvalidSequence = Math.Min(e.Sequence, _expected);
            return;
        }
        _hashes[e.Sequence] = e.Hash;
        _previous = e.Hash;
        _expected++;
    }

    /// <summary>
    /// A checkpoint holds when its signature verifies with the key it names and the chain reaches its size with its root
    /// hash; a trail cut short of a checkpoint, or rewritten under it, fails here. <paramref name="publicKeyPem"/> is
    /// null when the checkpoint names a key the verifier does not know, which fails it too.
    /// </summary>
    public void Check(AuditCheckpoint checkpoint, string? publicKeyPem)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var signed = publicKeyPem is not null
            && AuditSigningKey.Verify(publicKeyPem, AuditCheckpointText.Body(checkpoint.Origin, checkpoint.Sequence, checkpoint.RootHash), checkpoint.Signature);
        var matches = _hashes.TryGetValue(checkpoint.Sequence, out var hash) && hash == checkpoint.RootHash;
        if (!signed || !matches)
        {
            Fail(checkpoint.Sequence);
        }
    }

    /// <summary>Marks the trail invalid at <paramref name="sequence"/> (or earlier, where it already broke or ended).</summary>
    public void Fail(long sequence) =>
        FirstInvalidSequence = Math.Min(FirstInvalidSequence ?? long.MaxValue, Math.Min(sequence, _expected));
}
