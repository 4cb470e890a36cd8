using System.Globalization;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Platform.Api.Demo;

namespace Dragon.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A hospital: its synthetic patients, its data and consent files, and the <c>dragon-node</c> agent run as separate
/// processes (one per command, and a long-running <c>run</c> that can be stopped like a crashed server).
/// </summary>
public sealed class HospitalNode : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly Uri _platform;
    private ChildProcess? _agent;

    public HospitalNode(string name, string prefix, int seed, int patients, Uri platform, string folder)
    {
        Name = name;
        _platform = platform;
        Folder = Directory.CreateDirectory(folder).FullName;
        Patients = CovidCohort.Generate(prefix, patients, seed);
        DataFile = Path.Combine(Folder, "records.csv");
        File.WriteAllText(DataFile, CovidCohort.DataCsv(Patients));
    }

    public string Name { get; }
    public string Folder { get; }
    public string StateFolder => Path.Combine(Folder, "state");
    public string DataFile { get; }
    public IReadOnlyList<CovidPatient> Patients { get; private set; }
    public Guid NodeId { get; private set; }
    public Guid CohortId { get; private set; }
    public string AgentOutput => _agent?.Output ?? "";

    public async Task EnrollAsync(string token) =>
        NodeId = Guid.Parse(await CommandAsync("enroll", "--platform", _platform.ToString(), "--token", token, "--name", Name,
            "--organisation", $"{Name} hospital", "--country", "NL", "--contact-email", "it@hospital.example", "--state", StateFolder), CultureInfo.InvariantCulture);

    public async Task PublishCohortAsync()
    {
        var file = Path.Combine(Folder, "cohort.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(CovidCohort.Description(Name, "NL", Patients.Count), DragonJson.Options));
        CohortId = Guid.Parse(await CommandAsync("publish-cohort", "--state", StateFolder, "--file", file), CultureInfo.InvariantCulture);
    }

    public async Task RegisterConsentsAsync()
    {
        var file = Path.Combine(Folder, "consents.csv");
        await File.WriteAllTextAsync(file, CovidCohort.ConsentsCsv(Patients, CohortId));
        await CommandAsync("consent", "--state", StateFolder, "--file", file);
    }

    /// <summary>Registers a withdrawal for <paramref name="subjectRef"/> with the <c>consent</c> command.</summary>
    public async Task WithdrawAsync(string subjectRef)
    {
        var file = Path.Combine(Folder, "withdrawal.csv");
        await File.WriteAllTextAsync(file, $"{CovidCohort.ConsentsHeader}\n{subjectRef},{CohortId},{CovidCohort.ConsentedPurpose},withdrawn\n");
        await CommandAsync("consent", "--state", StateFolder, "--file", file);
        Patients = [.. Patients.Select(p => p.SubjectRef == subjectRef ? p with { Consent = "withdrawn" } : p)];
    }

    public void StartAgent()
    {
        _agent?.Dispose();
        _agent = ChildProcess.Start(BuildOutput.NodeAgent,
            ["run", "--state", StateFolder, "--data", $"{CohortId}={DataFile}", "--poll-seconds", "0.3"], NoStateKey, Folder);
    }

    /// <summary>Kills the agent process, as a crashed or switched-off server would stop.</summary>
    public void StopAgent() => _agent?.Kill();

    public void Dispose() => _agent?.Dispose();

    private async Task<string> CommandAsync(params string[] args)
    {
        using var command = ChildProcess.Start(BuildOutput.NodeAgent, args, NoStateKey, Folder);
        var code = await command.WaitForExitAsync(CommandTimeout);
        Assert.True(code == 0, $"dragon-node {args[0]} at {Name} exited with {code}:\n{command.Output}");
        return command.StandardOutput.Trim().Split('\n')[^1].Trim();
    }

    // Each node keeps the key that seals its client secret in its own state folder.
    private static readonly Dictionary<string, string> NoStateKey = new() { ["DRAGON_NODE_STATE_KEY"] = "" };
}
