using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Access;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Portal.BrowserTests.Infrastructure;

/// <summary>Access requests and agreements over a cohort, made through the real API with real tokens.</summary>
public static class AccessSeed
{
    public sealed record Parties(TestAccounts.SignedIn Steward, TestAccounts.SignedIn Researcher);

    public static async Task<Parties> StewardAndResearcherAsync(DragonApiFactory factory, params CohortResponse[] cohorts)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var steward = await factory.Accounts.NewUserAsync(DragonRoles.DataSteward);
        var admin = await factory.Accounts.AdminAsync();
        foreach (var cohort in cohorts)
        {
            (await admin.PostAsJsonAsync($"/api/v1/cohorts/{cohort.Id}/stewards", new AddStewardRequest(steward.User.Id), DragonJson.Options)).EnsureSuccessStatusCode();
        }
        return new Parties(steward, await factory.Accounts.NewUserAsync(DragonRoles.Researcher));
    }

    public static async Task<AccessRequestResponse> RequestAsync(Parties parties, string title, params CohortResponse[] cohorts)
    {
        ArgumentNullException.ThrowIfNull(parties);
        return await (await parties.Researcher.Client.PostAsJsonAsync("/api/v1/access-requests", new AccessRequestBody(
                title, "DUO:0000006", [.. cohorts.Select(c => c.Id)], ["age", "sex", "icu"], ["count", "histogram", "crosstab"],
                "We compare ICU admission by age group across hospitals to plan intensive-care capacity for the next COVID-19 wave.", 180), DragonJson.Options))
            .ReadAsAsync<AccessRequestResponse>(HttpStatusCode.Created);
    }

    public static async Task<Guid> AgreementAsync(Parties parties, string title, params CohortResponse[] cohorts)
    {
        ArgumentNullException.ThrowIfNull(parties);
        var request = await RequestAsync(parties, title, cohorts);
        var approved = await (await parties.Steward.Client.PostAsJsonAsync($"/api/v1/access-requests/{request.Id}/decisions", new DecisionRequest("approve", "Fits the consent."), DragonJson.Options))
            .ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK);
        return approved.AgreementId!.Value;
    }
}
