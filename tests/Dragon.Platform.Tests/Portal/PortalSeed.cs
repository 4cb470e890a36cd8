using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Consent;
using Dragon.Contracts.Identity;
using Dragon.Platform.Tests.Catalogue;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Portal;

/// <summary>What the portal tests start from, made through the real API: a node with a cohort and a subject's consent, and patients.</summary>
public static class PortalSeed
{
    public const string Hmb = "DUO:0000006";

    public sealed record Consented(TestAccounts.EnrolledNode Node, CohortResponse Cohort, ConsentResponse Consent, string SubjectRef);

    public static async Task<Consented> ConsentAsync(DragonApiFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var node = await factory.Accounts.EnrollNodeAsync();
        var cohort = await (await node.Client.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid(CohortSamples.UniqueTag()), DragonJson.Options))
            .ReadAsAsync<CohortResponse>(HttpStatusCode.Created);
        var subject = $"S-{Guid.NewGuid():N}";
        var consent = await (await node.Client.PostAsJsonAsync("/api/v1/consents", new ConsentRequest(subject, cohort.Id, [Hmb], "granted"), DragonJson.Options))
            .ReadAsAsync<ConsentResponse>(HttpStatusCode.OK);
        return new Consented(node, cohort, consent, subject);
    }

    public static async Task<string> LinkCodeAsync(Consented consented)
    {
        ArgumentNullException.ThrowIfNull(consented);
        var code = await (await consented.Node.Client.PostAsJsonAsync("/api/v1/consents/link-codes", new LinkCodeRequest(consented.SubjectRef, consented.Cohort.Id), DragonJson.Options))
            .ReadAsAsync<LinkCodeResponse>(HttpStatusCode.Created);
        return code.Code;
    }

    /// <summary>A patient who registered themselves; returns their e-mail address (the password is <see cref="TestAccounts.Password"/>).</summary>
    public static async Task<string> RegisterPatientAsync(DragonApiFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var email = $"patient-{Guid.NewGuid():N}@dragon.test";
        (await factory.CreateClient().PostAsJsonAsync("/api/v1/account/register", new RegisterRequest(email, TestAccounts.Password, "Test Patient"), DragonJson.Options))
            .EnsureSuccessStatusCode();
        await TestMailbox.ConfirmAsync(factory, email);
        return email;
    }
}
