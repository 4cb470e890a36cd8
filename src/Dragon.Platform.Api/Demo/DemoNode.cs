using System.Globalization;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Node.Cli;

namespace Dragon.Platform.Api.Demo;

/// <summary>
/// One hospital of the demo: its synthetic patients, its data and consent files, and the real <c>dragon-node</c>
/// commands, run in this process with their own state folder; they reach the platform over HTTP like a remote
/// node. Their messages are printed with the hospital's name in front. The end-to-end tests run the same
/// commands as separate processes by overriding <see cref="CommandAsync"/>.
/// </summary>
public class DemoNode
{
    private readonly TextWriter _output;

    public DemoNode(DemoHospital hospital, string folder, Uri platform, int patients, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(hospital);
        Hospital = hospital;
        Folder = Directory.CreateDirectory(folder).FullName;
        Platform = platform;
        _output = output;
        Patients = CovidCohort.Generate(hospital.Prefix, patients, hospital.Seed);
        DataFile = Path.Combine(Folder, "records.csv");
        File.WriteAllText(DataFile, CovidCohort.DataCsv(Patients));
    }

    public DemoHospital Hospital { get; }
    public Uri Platform { get; }
    public string NodeName => $"{Hospital.Name} node";
    public string Folder { get; }
    public string StateFolder => Path.Combine(Folder, "state");
    public string DataFile { get; }
    public IReadOnlyList<CovidPatient> Patients { get; private set; }
    public Guid NodeId { get; private set; }
    public Guid CohortId { get; private set; }

    public async Task EnrollAsync(string enrollmentToken, CancellationToken cancellationToken)
    {
        var nodeId = await CommandAsync(cancellationToken, "enroll", "--platform", Platform.ToString(), "--token", enrollmentToken,
            "--name", NodeName, "--organisation", Hospital.Organisation, "--country", Hospital.Country,
            "--contact-email", $"dpo@{Hospital.Prefix}.example", "--state", StateFolder);
        NodeId = Guid.Parse(nodeId, CultureInfo.InvariantCulture);
        // The demo's hospitals opt in to exact releases: its outcome model is released exactly (models have no noise yet).
        await File.WriteAllTextAsync(Path.Combine(StateFolder, Dragon.Node.Jobs.NodePolicy.FileName), """{ "allowExactRelease": true }""", cancellationToken);
    }

    public async Task PublishCohortAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(Folder, "cohort.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(CovidCohort.Description(Hospital.Organisation, Hospital.Country, Patients.Count), DragonJson.Options), cancellationToken);
        CohortId = Guid.Parse(await CommandAsync(cancellationToken, "publish-cohort", "--state", StateFolder, "--file", file), CultureInfo.InvariantCulture);
    }

    public async Task RegisterConsentsAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(Folder, "consents.csv");
        await File.WriteAllTextAsync(file, CovidCohort.ConsentsCsv(Patients, CohortId), cancellationToken);
        await CommandAsync(cancellationToken, "consent", "--state", StateFolder, "--file", file);
    }

    /// <summary>Registers <paramref name="subjectRef"/>'s withdrawal with the <c>consent</c> command.</summary>
    public async Task WithdrawAsync(string subjectRef, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Folder, "withdrawal.csv");
        await File.WriteAllTextAsync(file, $"{CovidCohort.ConsentsHeader}\n{subjectRef},{CohortId},{CovidCohort.ConsentedPurpose},withdrawn\n", cancellationToken);
        await CommandAsync(cancellationToken, "consent", "--state", StateFolder, "--file", file);
        Patients = [.. Patients.Select(p => p.SubjectRef == subjectRef ? p with { Consent = "withdrawn" } : p)];
    }

    public Task<string> LinkCodeAsync(string subjectRef, CancellationToken cancellationToken) =>
        CommandAsync(cancellationToken, "link-code", "--state", StateFolder, "--subject", subjectRef, "--cohort", CohortId.ToString());

    /// <summary>This node's identity fingerprint (<c>dragon-node identity</c>), for the other hospitals to pin.</summary>
    public Task<string> IdentityAsync(CancellationToken cancellationToken) => CommandAsync(cancellationToken, "identity", "--state", StateFolder);

    /// <summary>Pins another hospital's identity fingerprint (<c>dragon-node peers trust</c>).</summary>
    public Task TrustAsync(string fingerprint, string name, CancellationToken cancellationToken) =>
        CommandAsync(cancellationToken, "peers", "trust", fingerprint, "--state", StateFolder, "--name", name);

    /// <summary>The arguments of <c>dragon-node run</c> for this hospital; <paramref name="trustPlatformRoster"/> instead of pinned peers.</summary>
    /// <summary>Writes the node's audit report (CSV and HTML) into <paramref name="output"/>; returns the HTML page's path.</summary>
    public Task<string> ExportAuditAsync(string output, CancellationToken cancellationToken) =>
        CommandAsync(cancellationToken, "audit", "export", "--state", StateFolder, "--out", output);

    /// <summary>Runs <c>audit verify</c>: the exit code, and what it reported (one disagreement with the platform's trail per line).</summary>
    public async Task<(int Code, string Report)> VerifyAuditAsync(CancellationToken cancellationToken)
    {
        using var report = new StringWriter(CultureInfo.InvariantCulture);
        var code = await NodeCli.RunAsync(["audit", "verify", "--state", StateFolder], Console(report), cancellationToken);
        return (code, report.ToString());
    }

    public IReadOnlyList<string> RunArguments(TimeSpan pollInterval, bool trustPlatformRoster = false) =>
        ["run", "--state", StateFolder, "--data", $"{CohortId}={DataFile}", "--poll-seconds", pollInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            .. trustPlatformRoster ? new[] { "--trust-platform-roster" } : []];

    /// <summary>
    /// The agent loop in this process, until <paramref name="cancellationToken"/> is cancelled. The demo's agents trust
    /// the platform's roster: all three run next to the platform they would otherwise distrust.
    /// </summary>
    public Task<int> RunAsync(TimeSpan pollInterval, CancellationToken cancellationToken) =>
        NodeCli.RunAsync(RunArguments(pollInterval, trustPlatformRoster: true), Console(TextWriter.Null), cancellationToken);

    /// <summary>Runs one <c>dragon-node</c> command to its end and returns its result (the last line it printed).</summary>
    protected virtual async Task<string> CommandAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var result = new StringWriter(CultureInfo.InvariantCulture);
        var code = await NodeCli.RunAsync(args, Console(result), cancellationToken);
        return code == NodeCli.Succeeded
            ? result.ToString().Trim()
            : throw new InvalidOperationException($"dragon-node {args[0]} failed at {Hospital.Name} (exit code {code}); its messages are above.");
    }

    // The demo's agents ignore the operator's environment (a DRAGON_NODE_STATE_KEY meant for a real node) and keep their keys in their state folders.
    private NodeConsole Console(TextWriter result) =>
        new(result, new LinePrefixWriter(_output, $"  [{Hospital.Name}] "), _ => null, () => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
}
