using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Dragon.Contracts.Common;
using Dragon.Contracts.Nodes;
using Dragon.Platform.Audit;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dragon.Platform.Nodes;

/// <summary>Enrollment tokens, enrollment, and the life cycle of partner nodes (pending, active, suspended).</summary>
public sealed class NodeRegistry(
    DragonDbContext db,
    IOpenIddictApplicationManager applications,
    IOpenIddictTokenManager tokens,
    AuditTrail audit,
    TimeProvider time)
{
    /// <summary>The organisations of the nodes among <paramref name="ids"/> that exist, in one query.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> OrganisationsAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        return await db.Nodes.Where(n => wanted.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.Organisation, cancellationToken);
    }

    public const int MaxTokenLifetimeHours = 24 * 30;

    public async Task<Result<EnrollmentTokenResponse>> IssueEnrollmentTokenAsync(
        EnrollmentTokenRequest request, Guid issuedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var organisation = Text.Required(request.Organisation, "organisation", 2, 200, errors);
        if (request.ExpiresInHours is not (>= 1 and <= MaxTokenLifetimeHours))
        {
            errors.Add("expiresInHours", $"expiresInHours must be between 1 and {MaxTokenLifetimeHours}.");
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        var token = Secrets.NewToken();
        var now = Clock.UtcNow(time);
        var entry = new EnrollmentToken
        {
            Id = Guid.NewGuid(),
            TokenHash = Hash(token),
            Organisation = organisation,
            ExpiresAt = now.AddHours(request.ExpiresInHours!.Value),
            IssuedBy = issuedBy,
            IssuedAt = now,
        };
        db.EnrollmentTokens.Add(entry);
        await audit.SaveChangesAsync(new AuditEntry(AuditActor.User(issuedBy), AuditAction.Node_EnrollmentTokenIssued, "EnrollmentToken", entry.Id.ToString(),
            new Dictionary<string, string?> { ["organisation"] = organisation, ["expiresAt"] = entry.ExpiresAt.ToString("O") }), cancellationToken);
        return new EnrollmentTokenResponse(token, entry.ExpiresAt);
    }

    /// <summary>
    /// Spends the token and creates the node (pending) with its confidential client, all in one transaction:
    /// a token is used at most once, even by concurrent requests.
    /// </summary>
    public async Task<Result<EnrollResponse>> EnrollAsync(EnrollRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.Token))
        {
            errors.Add("token", "token is required.");
        }
        var name = Text.Required(request.Name, "name", 3, 200, errors);
        var organisation = Text.Required(request.Organisation, "organisation", 2, 200, errors);
        var country = request.Country?.Trim() ?? "";
        if (!Countries.IsCode(country))
        {
            errors.Add("country", "country must be an ISO 3166-1 alpha-2 code such as NL.");
        }
        var email = request.ContactEmail?.Trim() ?? "";
        if (email.Length > 254 || !MailAddress.TryCreate(email, out _))
        {
            errors.Add("contactEmail", "contactEmail must be an e-mail address.");
        }
        var identityKey = IdentityKey(request.IdentityKey);
        if (identityKey is null)
        {
            errors.Add("identityKey", "identityKey must be base64 of the node's ECDSA P-256 public key (DER SubjectPublicKeyInfo); dragon-node enroll makes one.");
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }

        var now = Clock.UtcNow(time);
        var hash = Hash(request.Token!.Trim());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invitation = await db.EnrollmentTokens.AsNoTracking()
            .SingleOrDefaultAsync(t => t.TokenHash == hash && t.UsedAt == null && t.ExpiresAt > now, cancellationToken);
        if (invitation is null)
        {
            return NodeErrors.TokenRejected();
        }
        if (!string.Equals(invitation.Organisation, organisation, StringComparison.OrdinalIgnoreCase))
        {
            return DomainError.Invalid(new Dictionary<string, string[]>
            {
                ["organisation"] = ["organisation must be the organisation the enrollment token was issued for."],
            });
        }
        var nodeId = Guid.NewGuid();
        var claimed = await db.EnrollmentTokens
            .Where(t => t.Id == invitation.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now).SetProperty(t => t.NodeId, nodeId), cancellationToken);
        if (claimed == 0)
        {
            return NodeErrors.TokenRejected();
        }

        var node = new PartnerNode
        {
            Id = nodeId,
            Name = name,
            Organisation = invitation.Organisation,
            Country = country,
            ContactEmail = email,
            ClientId = NodeClients.ClientIdFor(nodeId),
            IdentityKey = identityKey!,
            Status = NodeStatus.Pending,
            CreatedAt = now,
        };
        db.Nodes.Add(node);
        var secret = Secrets.NewToken();
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = node.ClientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = $"Partner node {name} ({invitation.Organisation})",
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        }, cancellationToken);
        await audit.SaveChangesAsync(new AuditEntry(AuditActor.Anonymous, AuditAction.Node_Enrolled, "Node", node.Id.ToString(),
            new Dictionary<string, string?> { ["enrollmentTokenId"] = invitation.Id.ToString(), ["organisation"] = node.Organisation, ["country"] = country,
                ["identityFingerprint"] = IdentityKeys.Fingerprint(identityKey!) },
            Purpose: "partner node enrollment", LegalBasis: "GDPR art. 6(1)(f): contact for operating the consortium",
            PersonRef: node.Id, PersonalData: email), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new EnrollResponse(node.Id, node.ClientId, secret);
    }

    public async Task<Result<NodeResponse>> GetAsync(Guid id, NodeViewer viewer, CancellationToken cancellationToken)
    {
        var node = await db.Nodes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        return node is null ? NodeErrors.NotFound(id) : ToResponse(node, (await ContactsShownAsync(viewer, [node.Id], cancellationToken)).Contains(node.Id));
    }

    public async Task<Paged<NodeResponse>> ListAsync(NodeStatus? status, PageRequest page, NodeViewer viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var query = db.Nodes.AsNoTracking();
        if (status is not null)
        {
            query = query.Where(n => n.Status == status);
        }
        var total = await query.CountAsync(cancellationToken);
        var nodes = await query.OrderBy(n => n.Name).ThenBy(n => n.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        var shown = await ContactsShownAsync(viewer, [.. nodes.Select(n => n.Id)], cancellationToken);
        return new Paged<NodeResponse>([.. nodes.Select(n => ToResponse(n, shown.Contains(n.Id)))], page.Page, page.PageSize, total);
    }

    /// <summary>
    /// The nodes among <paramref name="nodeIds"/> whose contact e-mail (a person's address, often) the viewer may read:
    /// all for an Admin, its own for a node, those of the cohorts they steward for a steward.
    /// </summary>
    private async Task<HashSet<Guid>> ContactsShownAsync(NodeViewer viewer, IReadOnlyList<Guid> nodeIds, CancellationToken cancellationToken)
    {
        if (viewer.IsAdmin)
        {
            return [.. nodeIds];
        }
        var stewarded = db.CohortStewards.Where(s => s.UserId == viewer.UserId).Select(s => s.CohortId);
        var shown = await db.Cohorts.Where(c => c.NodeId != null && nodeIds.Contains(c.NodeId.Value) && stewarded.Contains(c.Id))
            .Select(c => c.NodeId!.Value).Distinct().ToListAsync(cancellationToken);
        return [.. shown, .. viewer.NodeId is { } self && nodeIds.Contains(self) ? [self] : Array.Empty<Guid>()];
    }

    /// <param name="byAdmin">Whether the caller is an Admin; otherwise they must steward one of the node's cohorts (<see cref="StewardsAsync"/>).</param>
    public Task<Result<NodeResponse>> ApproveAsync(Guid id, Guid decidedBy, bool byAdmin, CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, NodeStatus.Pending, NodeStatus.Active, decidedBy, byAdmin, cancellationToken);

    /// <summary>Suspends an active node and revokes every token it holds, so they stop working at once.</summary>
    public Task<Result<NodeResponse>> SuspendAsync(Guid id, Guid decidedBy, bool byAdmin, CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, NodeStatus.Active, NodeStatus.Suspended, decidedBy, byAdmin, cancellationToken);

    /// <summary>
    /// An Admin restores a suspended node to Active with a new client secret, shown once: whoever held the old one (the
    /// reason for a suspension, often) cannot sign in with it again, and the hospital installs the new one
    /// (<c>dragon-node credentials</c>).
    /// </summary>
    public async Task<Result<EnrollResponse>> ReinstateAsync(Guid id, Guid decidedBy, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var node = await db.Nodes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (node is null)
        {
            return NodeErrors.NotFound(id);
        }
        var now = Clock.UtcNow(time);
        var changed = await db.Nodes.Where(n => n.Id == id && n.Status == NodeStatus.Suspended).ExecuteUpdateAsync(set => set
            .SetProperty(n => n.Status, NodeStatus.Active)
            .SetProperty(n => n.StatusChangedAt, now)
            .SetProperty(n => n.StatusChangedBy, decidedBy), cancellationToken);
        if (changed == 0)
        {
            return NodeErrors.IllegalTransition(node.Status, NodeStatus.Active);
        }
        var secret = Secrets.NewToken();
        var application = await applications.FindByClientIdAsync(node.ClientId, cancellationToken)
            ?? throw new InvalidOperationException($"nodes.client_missing: node {id} has no OpenIddict application {node.ClientId}.");
        await applications.UpdateAsync(application, secret, cancellationToken);
        await tokens.RevokeByApplicationIdAsync(await applications.GetIdAsync(application, cancellationToken) ?? "", cancellationToken);
        await audit.SaveChangesAsync(new AuditEntry(AuditActor.User(decidedBy), AuditAction.Node_Reinstated, "Node", id.ToString(),
            new Dictionary<string, string?> { ["from"] = nameof(NodeStatus.Suspended), ["to"] = nameof(NodeStatus.Active), ["newClientSecret"] = "issued" }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new EnrollResponse(node.Id, node.ClientId, secret);
    }

    public async Task<Result<NodeResponse>> HeartbeatAsync(Guid nodeId, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = request.AgentVersion?.Trim();
        if (string.IsNullOrEmpty(version) || version.Length > 50 || version.Any(char.IsControl))
        {
            return DomainError.Invalid(new Dictionary<string, string[]> { ["agentVersion"] = ["agentVersion must be 1 to 50 printable characters."] });
        }
        var node = await db.Nodes.SingleOrDefaultAsync(n => n.Id == nodeId, cancellationToken);
        if (node is null)
        {
            return NodeErrors.NotFound(nodeId);
        }
        node.AgentVersion = version;
        node.LastHeartbeatAt = Clock.UtcNow(time);
        await db.SaveChangesAsync(cancellationToken);
        return ToResponse(node, showContact: true);
    }

    /// <summary>Whether the node may act now; asked on every node request, so a suspension takes effect at once.</summary>
    public Task<bool> IsActiveAsync(Guid nodeId, CancellationToken cancellationToken) =>
        db.Nodes.AnyAsync(n => n.Id == nodeId && n.Status == NodeStatus.Active, cancellationToken);

    /// <summary>
    /// Whether the user stewards one of the node's cohorts. A steward decides on a node only then, or when it is pending
    /// and has published none yet (a new hospital is approved before it has data): a steward of one hospital cannot switch
    /// another's node off.
    /// </summary>
    private Task<bool> StewardsAsync(Guid nodeId, Guid userId, CancellationToken cancellationToken) =>
        db.CohortStewards.AnyAsync(s => s.UserId == userId && db.Cohorts.Any(c => c.Id == s.CohortId && c.NodeId == nodeId), cancellationToken);

    private async Task<Result<NodeResponse>> ChangeStatusAsync(
        Guid id, NodeStatus from, NodeStatus to, Guid decidedBy, bool byAdmin, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var node = await db.Nodes.SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (node is null)
        {
            return NodeErrors.NotFound(id);
        }
        if (node.Status != from)
        {
            return NodeErrors.IllegalTransition(node.Status, to);
        }
        var stewards = !byAdmin && await StewardsAsync(id, decidedBy, cancellationToken);
        if (!byAdmin && !stewards && !(node.Status == NodeStatus.Pending && !await db.Cohorts.AnyAsync(c => c.NodeId == id, cancellationToken)))
        {
            return NodeErrors.NotStewarded(id);
        }
        var now = Clock.UtcNow(time);
        var changed = await db.Nodes
            .Where(n => n.Id == id && n.Status == from)
            .ExecuteUpdateAsync(set => set
                .SetProperty(n => n.Status, to)
                .SetProperty(n => n.StatusChangedAt, now)
                .SetProperty(n => n.StatusChangedBy, decidedBy), cancellationToken);
        if (changed == 0)
        {
            return NodeErrors.IllegalTransition(node.Status, to);
        }
        if (to == NodeStatus.Suspended)
        {
            var application = await applications.FindByClientIdAsync(node.ClientId, cancellationToken);
            if (application is not null)
            {
                await tokens.RevokeByApplicationIdAsync(await applications.GetIdAsync(application, cancellationToken) ?? "", cancellationToken);
            }
        }
        await audit.SaveChangesAsync(new AuditEntry(AuditActor.User(decidedBy),
            to == NodeStatus.Active ? AuditAction.Node_Approved : AuditAction.Node_Suspended, "Node", id.ToString(),
            new Dictionary<string, string?> { ["from"] = from.ToString(), ["to"] = to.ToString() }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await db.Entry(node).ReloadAsync(cancellationToken);
        return ToResponse(node, showContact: byAdmin || stewards);
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static byte[]? IdentityKey(string? base64) =>
        BoundedBase64.Decode(base64, IdentityKeys.MaxPublicKeyBytes) is { } bytes && IdentityKeys.IsValid(bytes) ? bytes : null;

    private static NodeResponse ToResponse(PartnerNode node, bool showContact) => new(
        node.Id, node.Name, node.Organisation, node.Country, showContact ? node.ContactEmail : null, node.Status.ToString(),
        node.AgentVersion, node.LastHeartbeatAt, node.CreatedAt,
        node.IdentityKey is null ? null : Convert.ToBase64String(node.IdentityKey),
        node.IdentityKey is null ? null : IdentityKeys.Fingerprint(node.IdentityKey));
}
