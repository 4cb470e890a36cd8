namespace Dragon.Platform.Audit;

/// <summary>
/// Answers a GDPR art. 17 erasure request for the audit trail: destroys the person's key, so their personal
/// data in past events can no longer be read, while every event and the chain stay intact and verifiable.
/// </summary>
public sealed class PersonErasure(PersonalDataVault vault, AuditTrail audit)
{
    /// <summary>Returns false when nothing was left to erase.</summary>
    public async Task<bool> EraseAsync(Guid personRef, AuditActor actor, CancellationToken cancellationToken)
    {
        if (!await vault.EraseAsync(personRef, cancellationToken))
        {
            return false;
        }
        await audit.SaveChangesAsync(new AuditEntry(actor, AuditAction.Person_DataErased, "Person", personRef.ToString(),
            LegalBasis: "GDPR art. 17: right to erasure"), cancellationToken);
        return true;
    }
}
