namespace Dragon.Platform.Audit;

/// <summary>
/// The last signed checkpoint this host verified the trail up to (its sequence and root hash), kept in memory: the next
/// verification starts there instead of at the first event. An event rewritten at or before it changes the hash the
/// trail stores at that sequence (every later hash chains over it), so starting from the remembered hash still catches
/// it. A restarted host verifies the whole trail once.
/// </summary>
public sealed class AuditVerifiedPoint
{
    private readonly Lock _lock = new();
    private (long Sequence, string Hash)? _point;

    public (long Sequence, string Hash)? Current
    {
        get
        {
            lock (_lock)
            {
                return _point;
            }
        }
    }

    public void Advance(long sequence, string hash)
    {
        lock (_lock)
        {
            if (_point is not { } known || known.Sequence < sequence)
            {
                _point = (sequence, hash);
            }
        }
    }

    public void Forget()
    {
        lock (_lock)
        {
            _point = null;
        }
    }
}
