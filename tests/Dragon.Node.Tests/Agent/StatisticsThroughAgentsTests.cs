using System.Net.Http.Json;
using System.Text.Json;
using Dragon.Contracts.Access;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Node.Agent;
using Dragon.Node.Cli;
using Dragon.Node.State;
using Dragon.Node.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dragon.Node.Tests.Agent;

/// <summary>
/// Three hospitals running <c>run</c> against the real platform in-process, two reading CSV files and one a database
/// table: sums, means, variances, crosstabs and a filtered mean are released equal to the plain-text statistic over
/// the consenting subjects of all three.
/// </summary>
public sealed class StatisticsThroughAgentsTests(PlatformHost platform) : IClassFixture<PlatformHost>, IDisposable
{
    private const string Purpose = "DUO:0000006";
    private const string Table = "covid_admissions";
    private const int SubjectsPerNode = 40;
    private const int MinCellCount = 5;

    /// <summary>Sums of squares of CRP (up to 300.00, 4 places) pass 2^31 at one node: bfv-4096's plaintext range is too small.</summary>
    private const string Parameters = "bfv-8192";
    private static readonly string[] Women = ["female"];

    private const string CohortJson = """
        {
          "name": "COVID admissions",
          "description": "COVID-19 admissions",
          "population": "Adults admitted with COVID-19, 2020-2022",
          "countries": ["NL"],
          "size": 40,
          "dataUse": ["DUO:0000042"],
          "variables": [
            { "name": "age", "label": "Age at admission", "type": "integer", "unit": "years" },
            { "name": "crp", "label": "C-reactive protein", "type": "decimal", "unit": "mg/L" },
            { "name": "sex", "label": "Sex", "type": "categorical", "categories": ["female", "male"] },
            { "name": "icu", "label": "Admitted to ICU", "type": "boolean" },
            { "name": "admitted", "label": "Date of admission", "type": "date" }
          ]
        }
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Statistics_OneAgentReadingASqliteTable_ReleaseThePlainStatisticsOverConsentingSubjects()
    {
        var connectionString = $"Data Source={_temp.Combine("hospital.db")}";
        await RunStatisticsAsync((cohortId, state, admissions) =>
        {
            using (var connection = new SqliteConnection(connectionString))
            {
                connection.Open();
                Execute(connection, $"CREATE TABLE {Table} (subject_ref TEXT NOT NULL, age INTEGER, crp REAL, sex TEXT, icu INTEGER, admitted TEXT)");
                Insert(connection, Table, admissions, a => a.Icu is { } icu ? (icu ? 1 : 0) : null, a => a.Admitted?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            }
            StateFolder.Open(state).WriteFile(SqlConnectionStrings.FileNameOf("sqlite"), connectionString);
            return (["--data-table", $"{cohortId}=sqlite:{Table}"], new Dictionary<string, string>());
        }, connectionString);
    }

    [PostgresFact]
    public async Task Statistics_OneAgentReadingAPostgresTable_ReleaseThePlainStatisticsOverConsentingSubjects()
    {
        var connectionString = PostgresFactAttribute.ConnectionString!;
        var schema = $"node_test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        try
        {
            await RunStatisticsAsync((cohortId, state, admissions) =>
            {
                Execute(connection, $"CREATE SCHEMA {schema}; CREATE TABLE {schema}.{Table} (subject_ref text NOT NULL, age integer, crp numeric(6,2), sex text, icu boolean, admitted date)");
                Insert(connection, $"{schema}.{Table}", admissions, a => a.Icu, a => a.Admitted);
                return (["--data-table", $"{cohortId}=postgresql:{schema}.{Table}"],
                    new Dictionary<string, string> { [SqlConnectionStrings.VariableOf("postgresql")] = connectionString });
            }, connectionString);
        }
        finally
        {
            Execute(connection, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    /// <param name="thirdNode">Puts the third node's admissions in its database; answers its <c>run</c> options and environment.</param>
    /// <param name="secret">What no agent may ever write (the connection string).</param>
    private async Task RunStatisticsAsync(
        Func<Guid, string, IReadOnlyList<Admission>, (string[] Options, Dictionary<string, string> Environment)> thirdNode, string secret)
    {
        using var admin = await platform.AdminAsync();
        var (stewardId, steward) = await platform.NewUserAsync("DataSteward");
        var (_, researcher) = await platform.NewUserAsync("Researcher");
        using var stewardClient = steward;
        using var researcherClient = researcher;
        var nodes = new List<(Guid NodeId, Guid CohortId, string[] Run, TestConsole Console, IReadOnlyList<Admission> Admissions)>();
        for (var i = 0; i < 3; i++)
        {
            var state = _temp.Combine($"state-{i}");
            var admissions = Admission.Generate(seed: 17 + i, SubjectsPerNode);
            var (nodeId, cohortId) = await platform.JoinAsync(_temp, state, CohortJson, cohortId => string.Concat(
                admissions.Where(a => a.Status is not null).Select(a => $"{a.Subject},{cohortId},{a.Purposes},{a.Status}\n")));
            (await admin.PostAsJsonAsync($"/api/v1/cohorts/{cohortId}/stewards", new AddStewardRequest(stewardId), DragonJson.Options)).EnsureSuccessStatusCode();
            var (options, environment) = i < 2
                ? (new[] { "--data", $"{cohortId}={_temp.File($"data-{i}.csv", Admission.CsvHeader + "\n" + string.Concat(admissions.Select(a => a.CsvLine + "\n")))}" }, new Dictionary<string, string>())
                : thirdNode(cohortId, state, admissions);
            nodes.Add((nodeId, cohortId, ["run", "--state", state, .. options, "--poll-seconds", "0.2"], new TestConsole(platform.Handler, environment), admissions));
        }
        await platform.PinPeersAsync(nodes.Select(n => n.Run[2]));
        var cohorts = nodes.Select(n => n.CohortId).ToList();
        var (agreementId, keySet) = await PlatformJobs.AgreementAndKeySetAsync(researcher, steward, new AccessRequestBody(
            "Admissions statistics", Purpose, cohorts, ["age", "crp", "sex", "icu", "admitted"], ["sum", "mean", "variance", "crosstab"],
            "Pooled statistics on COVID-19 admissions across hospitals.", 30), nodes.Select(n => n.NodeId), parameters: Parameters);
        var consenting = nodes.SelectMany(n => n.Admissions).Where(a => a.Consents).ToList();

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var runs = nodes.Select(n => NodeCli.RunAsync(n.Run, n.Console.Console, stop.Token)).ToList();
        try
        {
            await PlatformJobs.WaitForReadyAsync(steward, keySet.Id, stop.Token);
            Task<JobResult> Job(AggregationSpec aggregation, params FilterCondition[] filter) =>
                PlatformJobs.RunAsync(researcher, new JobRequest(agreementId, keySet.Id, cohorts, filter, aggregation), stop.Token);

            var crp = consenting.Where(a => a.Crp is not null).Select(a => a.Crp!.Value).ToList();
            Assert.Equal((double)crp.Sum(), Released(await Job(new AggregationSpec("sum", "crp"))), 6);

            var ages = consenting.Where(a => a.Age is not null).Select(a => (decimal)a.Age!.Value).ToList();
            Assert.Equal((double)(ages.Sum() / ages.Count), Released(await Job(new AggregationSpec("mean", "age"))), 9);

            var variance = Released(await Job(new AggregationSpec("variance", "crp")));
            Assert.Equal(SampleVariance(crp), variance, SampleVariance(crp) * 1e-9);

            var crosstab = await Job(new AggregationSpec("crosstab", GroupBy: ["sex", "icu"]));
            Assert.Equal(4, crosstab.Cells.Count);
            foreach (var cell in crosstab.Cells)
            {
                var expected = consenting.Count(a => a.Sex == cell.Group["sex"] && a.Icu is { } icu && (icu ? "true" : "false") == cell.Group["icu"]);
                Assert.True(expected >= MinCellCount, $"The data should be big enough to release every cell; {cell.Group["sex"]}/{cell.Group["icu"]} has {expected}.");
                Assert.Equal(expected, cell.Value!.Value);
            }

            var filtered = consenting.Where(a => a.Age >= 50 && a.Sex is "female" && a.Admitted < new DateOnly(2021, 6, 1) && a.Crp is not null).Select(a => a.Crp!.Value).ToList();
            Assert.True(filtered.Count >= MinCellCount, $"The filter should keep enough records to release the mean; it keeps {filtered.Count}.");
            var filteredMean = Released(await Job(new AggregationSpec("mean", "crp"),
                Condition("age", "ge", 50), Condition("sex", "in", Women), Condition("admitted", "lt", "2021-06-01")));
            Assert.Equal((double)(filtered.Sum() / filtered.Count), filteredMean, 9);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("The agents did not finish: " + string.Join(" | ", nodes.Select(n => n.Console.Error)));
        }
        await stop.CancelAsync();
        Assert.All(await Task.WhenAll(runs), code => Assert.Equal(NodeCli.Succeeded, code));
        Assert.All(nodes, n => Assert.DoesNotContain("failed", n.Console.Error, StringComparison.Ordinal));
        Assert.All(nodes, n => Assert.DoesNotContain("pt-", n.Console.Error, StringComparison.Ordinal));
        Assert.All(nodes, n => Assert.DoesNotContain(secret, n.Console.Error + n.Console.Out, StringComparison.Ordinal));
        Assert.Contains("1 data table(s)", nodes[2].Console.Error, StringComparison.Ordinal);
    }

    private static double Released(JobResult result)
    {
        var cell = Assert.Single(result.Cells);
        Assert.False(cell.Suppressed, "The statistic should be over enough records to be released.");
        return cell.Value!.Value;
    }

    private static double SampleVariance(List<decimal> values)
    {
        var mean = values.Sum() / values.Count;
        return (double)(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static FilterCondition Condition(string variable, string op, object value) =>
        new(variable, op, JsonSerializer.SerializeToElement(value, DragonJson.Options));

    private static void Insert(System.Data.Common.DbConnection connection, string table, IEnumerable<Admission> admissions, Func<Admission, object?> icu, Func<Admission, object?> admitted)
    {
        foreach (var admission in admissions)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO {table} (subject_ref, age, crp, sex, icu, admitted) VALUES (@subject, @age, @crp, @sex, @icu, @admitted)";
            foreach (var (name, value) in new (string, object?)[]
                { ("subject", admission.Subject), ("age", admission.Age), ("crp", admission.Crp), ("sex", admission.Sex), ("icu", icu(admission)), ("admitted", admitted(admission)) })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            command.ExecuteNonQuery();
        }
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

}
