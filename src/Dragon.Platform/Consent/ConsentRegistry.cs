using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dragon.Contracts.Consent;
using Dragon.Platform.Audit;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Dragon.Platform.Policies;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Consent;

/// <summary>
/// Consents of the nodes' pseudonymous subjects, versioned; link codes and patient links; the nodes' change feed.
/// Every change appends its audit event in the same transaction.
/// </summary>
public sealed partial class ConsentRegistry(DragonDbContext db, DataUsePolicy dataUse, AuditTrail audit, PersonKeyWrapping wrapping, TimeProvider time)
{
    public const int FeedPageSize = 500;
    public const int BatchLimit = 1000;
    private const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static readonly TimeSpan LinkCodeLifetime = TimeSpan.FromDays(14);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$")]
    private static partial Regex SubjectRefPattern();

    /// <summary>A node records its subject's consent; an unchanged consent adds no version.</summary>
    public async Task<Result<ConsentResponse>> RegisterAsync(Guid nodeId, ConsentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var input = Validate(request, "", errors);
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        if (!await db.Cohorts.AnyAsync(c => c.Id == input.CohortId && c.NodeId == nodeId, cancellationToken))
        {
            return ConsentErrors.CohortNotYours(input.CohortId);
        }
        var consent = await Consents().SingleOrDefaultAsync(c => c.NodeId == nodeId && c.CohortId == input.CohortId && c.SubjectRef == input.SubjectRef, cancellationToken);
        if (OverridesPatientWithdrawal(consent, input))
        {
            return ConsentErrors.WithdrawnByPatient();
        }
        var (record, entry) = Apply(nodeId, input, consent);
        if (entry is not null)
        {
            await audit.SaveChangesAsync(entry, cancellationToken);
        }
        return ToResponse(record);
    }

    /// <summary>
    /// Registers up to <see cref="BatchLimit"/> consents in one transaction. Every item is checked first; when any is
    /// refused, nothing is saved and the errors name the item (<c>consents[3].subjectRef</c>), so the node can drop it
    /// and send the rest again.
    /// </summary>
    public async Task<Result<ConsentBatchResponse>> RegisterBatchAsync(Guid nodeId, ConsentBatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var items = request.Consents ?? [];
        if (items.Count is 0 or > BatchLimit)
        {
            errors.Add("consents", $"consents must hold 1 to {BatchLimit} consents.");
            return DomainError.Invalid(errors.ToDictionary());
        }
        var inputs = new List<ConsentInput>(items.Count);
        var seen = new HashSet<(Guid, string)>();
        for (var i = 0; i < items.Count; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"consents[{i}].");
            if (items[i] is not { } item)
            {
                errors.Add(prefix.TrimEnd('.'), "A consent is required.");
                continue;
            }
            var input = Validate(item, prefix, errors);
            if (input.CohortId != Guid.Empty && !seen.Add((input.CohortId, input.SubjectRef)))
            {
                errors.Add(prefix + "subjectRef", $"{input.SubjectRef} appears twice for cohort {input.CohortId}; send one consent per subject and cohort.");
            }
            inputs.Add(input);
        }
        if (inputs.Count == items.Count)
        {
            var cohortIds = inputs.Select(i => i.CohortId).Where(id => id != Guid.Empty).Distinct().ToList();
            var owned = (await db.Cohorts.Where(c => cohortIds.Contains(c.Id) && c.NodeId == nodeId).Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
            for (var i = 0; i < inputs.Count; i++)
            {
                if (inputs[i].CohortId != Guid.Empty && !owned.Contains(inputs[i].CohortId))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"consents[{i}].cohortId"), $"Cohort {inputs[i].CohortId} is not a cohort this node publishes.");
                }
            }
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }

        var existing = await ExistingAsync(nodeId, inputs, cancellationToken);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (OverridesPatientWithdrawal(existing.GetValueOrDefault((inputs[i].CohortId, inputs[i].SubjectRef)), inputs[i]))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"consents[{i}].status"), ConsentErrors.WithdrawnByPatient().Message);
            }
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        var results = new List<ConsentBatchItem>(inputs.Count);
        var entries = new List<AuditEntry>();
        foreach (var input in inputs)
        {
            existing.TryGetValue((input.CohortId, input.SubjectRef), out var consent);
            var (record, entry) = Apply(nodeId, input, consent);
            if (entry is not null)
            {
                entries.Add(entry);
            }
            var outcome = entry is null ? "unchanged" : consent is null ? "created" : "changed";
            results.Add(new ConsentBatchItem(record.Id, record.CohortId, record.SubjectRef, record.Current.Version, Wire(record.Current.Status), outcome));
        }
        if (entries.Count > 0)
        {
            await audit.SaveChangesAsync(entries, cancellationToken);
        }
        return new ConsentBatchResponse(results,
            results.Count(r => r.Outcome == "created"), results.Count(r => r.Outcome == "changed"), results.Count(r => r.Outcome == "unchanged"));
    }

    /// <summary>The node's consents for the subjects of <paramref name="inputs"/>, read a slice of subjects at a time.</summary>
    private async Task<Dictionary<(Guid, string), ConsentRecord>> ExistingAsync(Guid nodeId, List<ConsentInput> inputs, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(Guid, string), ConsentRecord>();
        var cohortIds = inputs.Select(i => i.CohortId).Distinct().ToList();
        foreach (var slice in inputs.Select(i => i.SubjectRef).Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var consents = await Consents()
                .Where(c => c.NodeId == nodeId && cohortIds.Contains(c.CohortId) && slice.Contains(c.SubjectRef))
                .ToListAsync(cancellationToken);
            foreach (var consent in consents)
            {
                found[(consent.CohortId, consent.SubjectRef)] = consent;
            }
        }
        return found;
    }

    /// <summary>
    /// Adds a version to <paramref name="consent"/> (or a new consent) unless it already says the same; returns the
    /// consent and the audit entry to save with it, or no entry when nothing changed.
    /// </summary>
    private (ConsentRecord Consent, AuditEntry? Entry) Apply(Guid nodeId, ConsentInput input, ConsentRecord? consent)
    {
        if (consent is not null && consent.Current.Status == input.Status && consent.Current.Purposes.Order().SequenceEqual(input.Purposes.Order()))
        {
            return (consent, null);
        }
        var created = consent is null;
        consent ??= new ConsentRecord { Id = Guid.NewGuid(), NodeId = nodeId, CohortId = input.CohortId, SubjectRef = input.SubjectRef };
        if (created)
        {
            db.Consents.Add(consent);
        }
        var entry = AddVersion(consent, input.Status, input.Purposes, input.Evidence, AuditActor.Node(nodeId),
            created ? AuditAction.Consent_Registered : AuditAction.Consent_Changed);
        return (consent, entry);
    }

    /// <summary>
    /// A withdrawal the patient made in the portal is undone only by the patient: a node re-importing an older list
    /// must not grant again what the person took back, even after recording a withdrawal of its own on top.
    /// </summary>
    private static bool OverridesPatientWithdrawal(ConsentRecord? consent, ConsentInput input) =>
        input.Status == ConsentStatus.Granted
        && consent?.Versions.Where(v => v.ActorType == AuditActorType.User).MaxBy(v => v.Version) is { Status: ConsentStatus.Withdrawn };

    private ConsentInput Validate(ConsentRequest request, string prefix, FieldErrors errors)
    {
        var subjectRef = SubjectRef(request.SubjectRef, prefix + "subjectRef", errors);
        if (request.CohortId is null)
        {
            errors.Add(prefix + "cohortId", "cohortId is required.");
        }
        var status = Status(request.Status, prefix + "status", errors);
        var purposes = Purposes(request.Purposes, status == ConsentStatus.Granted, prefix + "purposes", errors);
        var evidence = Text.Optional(request.Evidence, prefix + "evidence", 1000, errors);
        return new ConsentInput(subjectRef, request.CohortId ?? Guid.Empty, status, purposes, string.IsNullOrEmpty(evidence) ? null : evidence);
    }

    public async Task<Result<LinkCodeResponse>> IssueLinkCodeAsync(Guid nodeId, LinkCodeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var subjectRef = SubjectRef(request.SubjectRef, "subjectRef", errors);
        if (request.CohortId is null)
        {
            errors.Add("cohortId", "cohortId is required.");
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        if (!await db.Cohorts.AnyAsync(c => c.Id == request.CohortId && c.NodeId == nodeId, cancellationToken))
        {
            return ConsentErrors.CohortNotYours(request.CohortId!.Value);
        }
        var code = NewCode();
        var entry = new LinkCode
        {
            Id = Guid.NewGuid(),
            CodeHash = Hash(code),
            NodeId = nodeId,
            CohortId = request.CohortId!.Value,
            SubjectRef = subjectRef,
            ExpiresAt = Clock.UtcNow(time) + LinkCodeLifetime,
        };
        db.LinkCodes.Add(entry);
        await audit.SaveChangesAsync(new AuditEntry(AuditActor.Node(nodeId), AuditAction.Consent_LinkCodeIssued, "LinkCode", entry.Id.ToString(),
            new Dictionary<string, string?> { ["cohortId"] = entry.CohortId.ToString() },
            PersonRef: wrapping.SubjectPersonRef(nodeId, subjectRef), PersonalData: subjectRef), cancellationToken);
        return new LinkCodeResponse(code, entry.ExpiresAt);
    }

    /// <summary>Spends a link code: the patient's account now sees that subject's consents at that node.</summary>
    public async Task<Result<IReadOnlyList<ConsentResponse>>> LinkAsync(Guid userId, LinkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var code = (request.Code ?? "").Trim().Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        if (code.Length == 0)
        {
            return DomainError.Invalid(new Dictionary<string, string[]> { ["code"] = ["code is required."] });
        }
        var now = Clock.UtcNow(time);
        var hash = Hash(code);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var linkCode = await db.LinkCodes.AsNoTracking().SingleOrDefaultAsync(c => c.CodeHash == hash && c.UsedAt == null && c.ExpiresAt > now, cancellationToken);
        if (linkCode is null)
        {
            return ConsentErrors.CodeRejected();
        }
        var claimed = await db.LinkCodes.Where(c => c.Id == linkCode.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.UsedAt, now).SetProperty(c => c.UsedBy, userId), cancellationToken);
        if (claimed == 0)
        {
            return ConsentErrors.CodeRejected();
        }
        if (!await db.PatientLinks.AnyAsync(l => l.UserId == userId && l.NodeId == linkCode.NodeId && l.SubjectRef == linkCode.SubjectRef, cancellationToken))
        {
            db.PatientLinks.Add(new PatientLink { UserId = userId, NodeId = linkCode.NodeId, SubjectRef = linkCode.SubjectRef, LinkedAt = now });
        }
        // The link between account and pseudonym is kept only sealed under the subject's key: erasing the subject unlinks it for good.
        await audit.SaveChangesAsync(new AuditEntry(AuditActor.User(userId), AuditAction.Consent_PatientLinked, "LinkCode", linkCode.Id.ToString(),
            new Dictionary<string, string?> { ["nodeId"] = linkCode.NodeId.ToString() },
            PersonRef: wrapping.SubjectPersonRef(linkCode.NodeId, linkCode.SubjectRef), PersonalData: linkCode.SubjectRef), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(await ForPatientAsync(userId, cancellationToken));
    }

    public async Task<IReadOnlyList<ConsentResponse>> ForPatientAsync(Guid userId, CancellationToken cancellationToken)
    {
        var links = await db.PatientLinks.AsNoTracking().Where(l => l.UserId == userId).ToListAsync(cancellationToken);
        var consents = new List<ConsentResponse>();
        foreach (var link in links)
        {
            var found = await Consents().AsNoTracking().Where(c => c.NodeId == link.NodeId && c.SubjectRef == link.SubjectRef).ToListAsync(cancellationToken);
            consents.AddRange(found.Select(ToResponse));
        }
        return [.. consents.OrderBy(c => c.CohortId).ThenBy(c => c.Id)];
    }

    public Task<Result<ConsentResponse>> WithdrawAsync(Guid userId, Guid consentId, CancellationToken cancellationToken) =>
        PatientChangeAsync(userId, consentId, ConsentStatus.Withdrawn, purposes: null, cancellationToken);

    public Task<Result<ConsentResponse>> GrantAsync(Guid userId, Guid consentId, GrantRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PatientChangeAsync(userId, consentId, ConsentStatus.Granted, request.Purposes ?? [], cancellationToken);
    }

    /// <summary>The consent if <paramref name="reader"/> may see it: the linked patient, the node, or an auditor.</summary>
    public async Task<Result<ConsentRecord>> ReadableAsync(Guid consentId, ConsentReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var consent = await Consents().AsNoTracking().SingleOrDefaultAsync(c => c.Id == consentId, cancellationToken);
        if (consent is null)
        {
            return ConsentErrors.NotFound(consentId);
        }
        var allowed = reader.IsAuditor
            || (reader.NodeId is { } node && consent.NodeId == node)
            || (reader.UserId is { } user && await IsLinkedAsync(user, consent, cancellationToken));
        return allowed ? consent : ConsentErrors.NotFound(consentId);
    }

    /// <summary>The node's consent versions after <paramref name="after"/>, in feed order, each once.</summary>
    public async Task<ConsentFeed> FeedAsync(Guid nodeId, long after, int limit, CancellationToken cancellationToken)
    {
        var rows = await (from version in db.ConsentVersions.AsNoTracking()
                          join consent in db.Consents.AsNoTracking() on version.ConsentId equals consent.Id
                          where consent.NodeId == nodeId && version.FeedPosition > after
                          orderby version.FeedPosition
                          select new { version, consent.CohortId, consent.SubjectRef })
            .Take(Math.Clamp(limit, 1, FeedPageSize))
            .ToListAsync(cancellationToken);
        var items = rows.Select(r => new ConsentChange(r.version.FeedPosition, r.version.ConsentId, r.CohortId, r.SubjectRef, r.version.Version,
            Wire(r.version.Status), r.version.Purposes, r.version.RecordedAt)).ToList();
        return new ConsentFeed(items, items.Count > 0 ? items[^1].Cursor : after);
    }

    private async Task<Result<ConsentResponse>> PatientChangeAsync(
        Guid userId, Guid consentId, ConsentStatus status, IReadOnlyList<string>? purposes, CancellationToken cancellationToken)
    {
        var consent = await Consents().SingleOrDefaultAsync(c => c.Id == consentId, cancellationToken);
        if (consent is null || !await IsLinkedAsync(userId, consent, cancellationToken))
        {
            return ConsentErrors.NotFound(consentId);
        }
        var current = consent.Current;
        List<string> newPurposes;
        if (status == ConsentStatus.Withdrawn)
        {
            if (current.Status == ConsentStatus.Withdrawn)
            {
                return ConsentErrors.AlreadyWithdrawn();
            }
            newPurposes = current.Purposes;
        }
        else
        {
            var errors = new FieldErrors();
            newPurposes = Purposes(purposes, requirePermission: true, "purposes", errors);
            if (errors.Any)
            {
                return DomainError.Invalid(errors.ToDictionary());
            }
            if (current.Status == ConsentStatus.Granted && current.Purposes.Order().SequenceEqual(newPurposes.Order()))
            {
                return ConsentErrors.AlreadyGranted();
            }
        }
        await audit.SaveChangesAsync(AddVersion(consent, status, newPurposes, evidence: "patient portal", AuditActor.User(userId),
            status == ConsentStatus.Withdrawn ? AuditAction.Consent_WithdrawnByPatient : AuditAction.Consent_GrantedByPatient), cancellationToken);
        return ToResponse(consent);
    }

    /// <summary>Adds the next version to <paramref name="consent"/>; the caller saves it with the returned audit entry.</summary>
    private AuditEntry AddVersion(ConsentRecord consent, ConsentStatus status, List<string> purposes, string? evidence, AuditActor actor, AuditAction action)
    {
        var version = new ConsentVersion
        {
            Id = Guid.NewGuid(),
            ConsentId = consent.Id,
            Version = consent.Versions.Count == 0 ? 1 : consent.Current.Version + 1,
            Status = status,
            Purposes = purposes,
            Evidence = evidence,
            ActorType = actor.Type,
            ActorId = actor.Id,
            RecordedAt = Clock.UtcNow(time),
        };
        consent.Versions.Add(version);
        db.ConsentVersions.Add(version);
        return new AuditEntry(actor, action, "Consent", consent.Id.ToString(),
            new Dictionary<string, string?>
            {
                ["version"] = version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["status"] = Wire(status),
                ["purposes"] = string.Join(",", purposes),
                ["cohortId"] = consent.CohortId.ToString(),
            },
            Purpose: "consent management", LegalBasis: "GDPR art. 7: demonstrating consent",
            OnSequenced: sequence => version.FeedPosition = sequence);
    }

    /// <summary>
    /// Adds a withdrawn version to each of the subject's consents at the node that is not withdrawn yet; the caller saves
    /// with the returned audit entries. The node reads these withdrawals in its feed like any other.
    /// </summary>
    internal async Task<List<AuditEntry>> WithdrawForErasureAsync(Guid nodeId, string subjectRef, AuditActor actor, CancellationToken cancellationToken)
    {
        var found = await Consents().Where(c => c.NodeId == nodeId && c.SubjectRef == subjectRef).ToListAsync(cancellationToken);
        return [.. found.Where(c => c.Current.Status != ConsentStatus.Withdrawn)
            .Select(c => AddVersion(c, ConsentStatus.Withdrawn, c.Current.Purposes, evidence: "erasure request (GDPR art. 17)", actor, AuditAction.Consent_WithdrawnForErasure))];
    }

    private Task<bool> IsLinkedAsync(Guid userId, ConsentRecord consent, CancellationToken cancellationToken) =>
        db.PatientLinks.AnyAsync(l => l.UserId == userId && l.NodeId == consent.NodeId && l.SubjectRef == consent.SubjectRef, cancellationToken);

    private IQueryable<ConsentRecord> Consents() => db.Consents.Include(c => c.Versions);

    internal static string SubjectRef(string? value, string field, FieldErrors errors)
    {
        var subject = value?.Trim() ?? "";
        if (!SubjectRefPattern().IsMatch(subject))
        {
            errors.Add(field, "subjectRef must be 1 to 100 letters, digits or . _ : - (the node's pseudonym, never a real identifier).");
        }
        return subject;
    }

    private static ConsentStatus Status(string? value, string field, FieldErrors errors)
    {
        if (value is "granted")
        {
            return ConsentStatus.Granted;
        }
        if (value is "withdrawn")
        {
            return ConsentStatus.Withdrawn;
        }
        errors.Add(field, "status must be granted or withdrawn.");
        return ConsentStatus.Withdrawn;
    }

    private List<string> Purposes(IReadOnlyList<string>? purposes, bool requirePermission, string field, FieldErrors errors)
    {
        var list = purposes?.Where(p => p is not null).Select(p => dataUse.Normalize(p)!).Distinct(StringComparer.Ordinal).ToList() ?? [];
        foreach (var unknown in list.Where(p => !dataUse.IsKnown(p)))
        {
            errors.Add(field, $"'{unknown}' is not a DUO code this platform accepts.");
        }
        if (requirePermission && !list.Any(p => dataUse.Find(p)?.Kind == DataUseTermKind.Permission))
        {
            errors.Add(field, "a granted consent needs at least one DUO data use permission.");
        }
        return list;
    }

    private static string NewCode()
    {
        Span<char> code = stackalloc char[10];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)];
        }
        return new string(code);
    }

    private static string Hash(string code) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    public static string Wire(ConsentStatus status) => status == ConsentStatus.Granted ? "granted" : "withdrawn";

    public static ConsentResponse ToResponse(ConsentRecord consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        var current = consent.Current;
        return new ConsentResponse(consent.Id, consent.NodeId, consent.CohortId, consent.SubjectRef, Wire(current.Status), current.Purposes,
            current.Version, current.RecordedAt,
            [.. consent.Versions.OrderBy(v => v.Version).Select(v => new ConsentVersionResponse(v.Version, Wire(v.Status), v.Purposes, v.Evidence, v.ActorType.ToString(), v.RecordedAt))]);
    }
}

/// <summary>A node's consent request once checked.</summary>
internal sealed record ConsentInput(string SubjectRef, Guid CohortId, ConsentStatus Status, List<string> Purposes, string? Evidence);

/// <summary>Who asks to read a consent.</summary>
public sealed record ConsentReader(Guid? UserId, Guid? NodeId, bool IsAuditor);
