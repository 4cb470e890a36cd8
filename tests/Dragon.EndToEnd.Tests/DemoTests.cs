using Dragon.EndToEnd.Tests.Infrastructure;
using Dragon.Platform.Api.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.EndToEnd.Tests;

/// <summary>The host's <c>--demo</c> on a real port: its in-process agents reach it over HTTP and every job it prints is right.</summary>
public sealed class DemoTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dragon-demo-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    private const int PatientsPerHospital = 400;

    [Fact]
    public async Task Demo_ReleasesOneJobOfEachKind_EqualToThePlainStatistic_AndPrintsTheAccounts()
    {
        using var output = new StringWriter();
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Security:AllowPlainHttpOutsideDevelopment", "true");
            builder.UseUrls("http://127.0.0.1:0");
            builder.UseSetting("Demo:Enabled", "true");
            builder.UseSetting("Demo:Folder", _folder.FullName);
            // Enough patients that the noisy count under the demo's filtered mean (those who died) stays far above 1, where a
            // differentially private mean is released at all (at 80 a hospital, about one run in twenty suppressed it).
            builder.UseSetting("Demo:PatientsPerHospital", PatientsPerHospital.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Demo:NodePollInterval", "00:00:00.2");
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            builder.ConfigureTestServices(services => services.PostConfigure<DemoOptions>(o => o.Output = TextWriter.Synchronized(output)));
        });
        factory.UseKestrel();
        factory.StartServer();

        var outcome = await factory.Services.GetRequiredService<DemoConsortium>().Outcome.WaitAsync(TimeSpan.FromMinutes(4));

        var patients = outcome.Nodes.SelectMany(n => n.Patients).ToList();
        Assert.Equal(3 * PatientsPerHospital, patients.Count);
        Assert.Equal(DemoQuery.OneOfEachKind.Select(q => q.Aggregation.Kind), outcome.Jobs.Select(j => j.Job.Aggregation.Kind));
        foreach (var (query, job) in outcome.Jobs)
        {
            ReleasedResult.AssertEquals(PlainStatistics.Compute(query.Aggregation, query.Filter, patients), job, output.ToString());
        }
        var printed = output.ToString();
        Assert.Contains("steward@demo.dragon.test", printed, StringComparison.Ordinal);
        Assert.Contains($"Demo ready: {DemoQuery.OneOfEachKind.Count} of {DemoQuery.OneOfEachKind.Count} jobs released, and the model released.", printed, StringComparison.Ordinal);
        // The model's fit is compared with the pooled plain-text fit in the node tests; here, that the demo runs it over every consenting record and prints its table.
        var model = outcome.Model!.Result!.Model!;
        Assert.Equal(patients.Count(p => p.Consent == "granted"), model.Records);
        Assert.Equal(["(Intercept)", "age", "ct_severity", "crp", "icu"], model.Coefficients.Select(c => c.Name));
        Assert.True(model.Coefficients.Single(c => c.Name == "age").Estimate > 0, "Death rises with age in the synthetic cohort.");
        Assert.All(model.Coefficients, c => Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"    {c.Name,-14} {c.Estimate,12:0.######}"), printed, StringComparison.Ordinal));
    }
}
