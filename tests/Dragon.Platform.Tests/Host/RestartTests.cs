using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Platform.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Catalogue;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Host;

public sealed class RestartTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task CohortPosted_IsThereAfterTheHostRestarts(DatabaseProvider provider)
    {
        var first = DragonApiFactory.Create(provider);
        CohortResponse created;
        using (first)
        {
            var steward = (await first.Accounts.AsAsync(DragonRoles.DataSteward)).Client;
            created = await (await steward.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid("restart"), DragonJson.Options))
                .ReadAsAsync<CohortResponse>(HttpStatusCode.Created);
        }

        using var second = first.Restart();
        try
        {
            var reader = (await second.Accounts.AsAsync(DragonRoles.Researcher)).Client;
            var read = await (await reader.GetAsync($"/api/v1/cohorts/{created.Id}"))
                .ReadAsAsync<CohortResponse>(HttpStatusCode.OK);
            Assert.Equal(created.Name, read.Name);
            Assert.Equal(created.Variables.Count, read.Variables.Count);
        }
        finally
        {
            second.Dispose();
            second.DropDatabase();
        }
    }
}
