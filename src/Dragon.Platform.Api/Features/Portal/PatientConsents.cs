using Dragon.Contracts.Consent;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Consent;
using Dragon.Platform.Nodes;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>A patient's consent as the portal shows it: with the cohort's name and the hospital that holds it.</summary>
public sealed record ConsentView(ConsentResponse Consent, string CohortName, string Hospital);

/// <summary>Reads the signed-in patient's consents through the consent registry, the same reads as <c>GET /api/v1/me/consents</c>.</summary>
public sealed class PatientConsents(ConsentRegistry registry, CohortCatalogue catalogue, NodeRegistry nodes)
{
    public async Task<IReadOnlyList<ConsentView>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        var consents = await registry.ForPatientAsync(userId, cancellationToken);
        var cohorts = await catalogue.NamesAsync(consents.Select(c => c.CohortId), cancellationToken);
        var hospitals = await nodes.OrganisationsAsync(consents.Select(c => c.NodeId), cancellationToken);
        return [.. consents.Select(c => new ConsentView(c, cohorts.Of(c.CohortId), hospitals.GetValueOrDefault(c.NodeId, "your hospital")))];
    }

    /// <summary>One of the patient's consents, or null when it does not exist or is not theirs.</summary>
    public async Task<ConsentView?> FindAsync(Guid userId, Guid consentId, CancellationToken cancellationToken) =>
        (await ListAsync(userId, cancellationToken)).SingleOrDefault(c => c.Consent.Id == consentId);
}
