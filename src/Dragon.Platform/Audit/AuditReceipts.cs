using Dragon.Contracts.Audit;

namespace Dragon.Platform.Audit;

/// <summary>Signs receipts for what nodes upload, with the trail's checkpoint key, so a node can later hold the trail to them.</summary>
public sealed class AuditReceipts(AuditSigningKey key, AuditOptions options)
{
    public AuditReceipt For(AuditLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return new AuditReceipt(options.Origin, link.Sequence, link.Hash, key.KeyId, key.Sign(AuditReceipt.Statement(options.Origin, link.Sequence, link.Hash)));
    }
}
