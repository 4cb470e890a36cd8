using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Common;
using Dragon.Platform.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Catalogue;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Dragon.Platform.Tests.Host;

public sealed class ErrorHandlingTests
{
    [Fact]
    public async Task DatabaseFailure_Answers500ProblemWithoutInternals()
    {
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite);
        try
        {
            var client = (await factory.Accounts.AsAsync(DragonRoles.DataSteward)).Client;
            using (var connection = new SqliteConnection(factory.ConnectionString))
            {
                connection.Open();
                using var drop = connection.CreateCommand();
                drop.CommandText = "DROP TABLE CohortVariables; DROP TABLE CohortStewards; DROP TABLE Cohorts;";
                drop.ExecuteNonQuery();
            }

            var response = await client.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid("broken"), DragonJson.Options);

            var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
            var body = problem.GetRawText();
            Assert.DoesNotContain("Cohorts", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Sqlite", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            Assert.True(problem.TryGetProperty("traceId", out _));
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }
}
