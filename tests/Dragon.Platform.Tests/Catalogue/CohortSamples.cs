using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Catalogue;

public static class CohortSamples
{
    /// <summary>A valid COVID-19 CT cohort; <paramref name="tag"/> makes it findable by text search alone.</summary>
    public static CohortRequest Valid(string tag, string country = "NL", string dataUse = "DUO:0000006") => new()
    {
        Name = $"COVID-19 CT cohort {tag}",
        Description = $"Chest CT scans and outcomes of admitted COVID-19 patients ({tag}).",
        Population = "Adults admitted with confirmed SARS-CoV-2 infection",
        Countries = [country],
        Size = 412,
        DataUse = [dataUse],
        Variables =
        [
            new VariableDefinition("age", "Age at admission", "integer", "years"),
            new VariableDefinition("sex", "Sex", "categorical", null, ["female", "male"]),
            new VariableDefinition("ct_severity", "CT severity score", "integer"),
            new VariableDefinition("icu", "ICU admission", "boolean"),
            new VariableDefinition("crp", "C-reactive protein", "decimal", "mg/L"),
            new VariableDefinition("admitted_on", "Admission date", "date"),
        ],
    };

    public static string UniqueTag() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>A newly enrolled, approved node that published a <see cref="Valid"/> cohort of its own.</summary>
    public static async Task<(TestAccounts.EnrolledNode Node, CohortResponse Cohort)> NodeWithCohortAsync(TestAccounts accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var node = await accounts.EnrollNodeAsync();
        var cohort = await (await node.Client.PostAsJsonAsync("/api/v1/cohorts", Valid(UniqueTag()), DragonJson.Options))
            .ReadAsAsync<CohortResponse>(HttpStatusCode.Created);
        return (node, cohort);
    }
}
