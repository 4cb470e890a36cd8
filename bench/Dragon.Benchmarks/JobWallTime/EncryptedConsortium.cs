using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Dragon.Contracts.Access;
using Dragon.Contracts.Jobs;
using Dragon.Node.Agent;
using Dragon.Node.Data;
using Dragon.Node.State;
using Dragon.Platform.Api.Demo;
using Dragon.Platform.Identity;

namespace Dragon.Benchmarks.JobWallTime;

/// <summary>
/// A platform host (its own process) and <c>N</c> node agents (the real <c>dragon-node</c> commands, in this process,
/// over HTTP), set up the way <see cref="DemoConsortium"/> does it: accounts, enrollment, approval, cohorts, request and
/// approval into an agreement, a <c>bfv-8192</c> key set, agents running; only the consents take a shortcut (see
/// <see cref="SetUpAsync"/>). Setup progress goes to the console (BenchmarkDotNet's log); the agents' messages go to
/// <c>agents.log</c> in the temporary folder.
/// </summary>
public sealed class EncryptedConsortium : IDisposable
{
    /// <summary>How often the researcher asks whether the job is released; small next to any job, so it adds at most this much.</summary>
    public static readonly TimeSpan ResultPollInterval = TimeSpan.FromMilliseconds(10);

    private readonly string _password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dragon-bench-");
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task<int>> _agents = [];
    private readonly List<IDisposable> _users = [];
    private readonly TextWriter _log;
    private PlatformHost? _host;
    private PlatformUser? _admin;
    private PlatformUser? _steward;

    private readonly BenchmarkQuery _query;

    private EncryptedConsortium(BenchmarkQuery query)
    {
        _query = query;
        _log = TextWriter.Synchronized(new StreamWriter(Path.Combine(_folder.FullName, "agents.log")) { AutoFlush = true });
    }

    public List<DemoNode> Nodes { get; } = [];
    public PlatformHost Host => _host!;
    public PlatformUser Researcher { get; private set; } = null!;
    public Guid AgreementId { get; private set; }
    public Guid KeySetId { get; private set; }

    /// <summary>The steps of every job run so far, the setup's first one included.</summary>
    public List<JobTimeline> Timelines { get; } = [];

    /// <param name="query">The job to run; <see cref="WallTimeQuery.Benchmark"/> when absent.</param>
    public static async Task<EncryptedConsortium> StartAsync(int nodes, int recordsPerNode, TimeSpan pollInterval, CancellationToken cancellationToken, BenchmarkQuery? query = null)
    {
        var consortium = new EncryptedConsortium(query ?? WallTimeQuery.Benchmark);
        try
        {
            await consortium.SetUpAsync(nodes, recordsPerNode, pollInterval, cancellationToken);
            return consortium;
        }
        catch
        {
            consortium.Dispose();
            throw;
        }
    }

    /// <summary>Submits the benchmark's query as the researcher and returns it once released.</summary>
    /// <exception cref="InvalidOperationException">The job failed or was cancelled.</exception>
    public async Task<JobResponse> RunJobAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var timeline = new JobTimeline();
        var submitted = await Researcher.SubmitJobAsync(Job(AgreementId), cancellationToken);
        timeline.See(0, clock.Elapsed.TotalMilliseconds);
        while (true)
        {
            var job = await Researcher.GetAsync<JobResponse>($"/api/v1/jobs/{submitted.Id}", cancellationToken);
            var now = clock.Elapsed.TotalMilliseconds;
            if (job.Nodes.All(n => !n.State.Equals("pending", StringComparison.OrdinalIgnoreCase)))
            {
                timeline.See(1, now);
            }
            if (job.Nodes.All(n => n.State is "contributed" or "sharesubmitted"))
            {
                timeline.See(2, now);
            }
            if (job.Status is "decrypting" or "released")
            {
                timeline.See(3, now);
            }
            if (job.Nodes.All(n => n.State.Equals("shareSubmitted", StringComparison.OrdinalIgnoreCase)))
            {
                timeline.See(4, now);
            }
            if (job.Status == "released")
            {
                timeline.See(5, now);
                Timelines.Add(timeline);
                return job;
            }
            if (job.Status is "failed" or "cancelled")
            {
                throw new InvalidOperationException($"Job {job.Id} ended {job.Status}: {job.Failure}. Agents' messages: {_folder.FullName}/agents.log. Platform:\n{_host!.Output}");
            }
            await Task.Delay(ResultPollInterval, cancellationToken);
        }
    }

    /// <summary>Another researcher with an agreement of their own over every cohort, for the benchmark's query.</summary>
    public async Task<(PlatformUser Researcher, Guid AgreementId)> AddResearcherAsync(string email, CancellationToken cancellationToken)
    {
        await _admin!.CreateUserAsync(email, _password, email, DragonRoles.Researcher, cancellationToken);
        var researcher = await SignInAsync(email, cancellationToken);
        var request = await researcher.RequestAccessAsync(AccessRequest(), cancellationToken);
        var agreement = (await _steward!.DecideAsync(request.Id, "approve", "Approved for the benchmark.", cancellationToken, _query.ReleaseMode)).AgreementId!.Value;
        return (researcher, agreement);
    }

    /// <summary>The benchmark's query as a job under <paramref name="agreementId"/>.</summary>
    public JobRequest Job(Guid agreementId) => new(agreementId, KeySetId, [.. Nodes.Select(n => n.CohortId)], _query.Filter, _query.Aggregation);

    /// <summary>The same nodes for the plain computation: their own data files and the consent stores their agents synced.</summary>
    public IReadOnlyList<PlainSite> PlainSites() =>
        [.. Nodes.Select(n => new PlainSite(n.CohortId, new CsvDataSource(n.DataFile), ConsentStore.Open(StateFolder.Open(n.StateFolder))))];

    public void Dispose()
    {
        if (Timelines.Count > 1)
        {
            Console.WriteLine(JobTimeline.Summary(Timelines[1..]));
        }
        _stop.Cancel();
        Task.WhenAll(_agents).Wait(TimeSpan.FromSeconds(30));
        foreach (var user in _users)
        {
            user.Dispose();
        }
        _host?.Dispose();
        _log.Dispose();
        _stop.Dispose();
        _folder.Delete(recursive: true);
    }

    private async Task SetUpAsync(int nodes, int recordsPerNode, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _host = await PlatformHost.StartAsync(_folder.FullName, cancellationToken);
        Progress(clock, $"platform host ready at {_host.Address} (database in {_folder.FullName})");
        var admin = _admin = await PlatformUser.SignInAsync(_host.Address, PlatformHost.AdminEmail, _host.AdminPassword, cancellationToken);
        _users.Add(admin);
        var steward = await admin.CreateUserAsync("steward@bench.dragon.test", _password, "Bench steward", DragonRoles.DataSteward, cancellationToken);
        await admin.CreateUserAsync("researcher@bench.dragon.test", _password, "Bench researcher", DragonRoles.Researcher, cancellationToken);
        var stewardUser = _steward = await SignInAsync("steward@bench.dragon.test", cancellationToken);
        Researcher = await SignInAsync("researcher@bench.dragon.test", cancellationToken);

        foreach (var hospital in BenchmarkSites.Hospitals(nodes))
        {
            var node = new DemoNode(hospital, Path.Combine(_folder.FullName, "nodes", hospital.Prefix), _host.Address, recordsPerNode, _log);
            await node.EnrollAsync(await admin.EnrollmentTokenAsync(hospital.Organisation, cancellationToken), cancellationToken);
            await stewardUser.ApproveNodeAsync(node.NodeId, cancellationToken);
            await node.PublishCohortAsync(cancellationToken);
            await admin.AddStewardAsync(node.CohortId, steward.Id, cancellationToken);
            Nodes.Add(node);
        }
        // Consents go straight into each node's own store, as its agent's sync would leave it, not through the
        // platform: registering is one POST per subject (about 90 a second here, hours for 10 x 100,000), and a job
        // never reads the platform's copy; the node filters by its local one.
        foreach (var node in Nodes)
        {
            BenchmarkSites.SeedConsents(StateFolder.Open(node.StateFolder), node.CohortId, node.Patients);
        }
        Progress(clock, $"{nodes} nodes enrolled, approved, their cohorts published, {Nodes.Sum(n => n.Patients.Count(p => p.Consent is not null)):N0} consents in their stores");

        var request = await Researcher.RequestAccessAsync(AccessRequest(), cancellationToken);
        AgreementId = (await stewardUser.DecideAsync(request.Id, "approve", "Approved for the benchmark.", cancellationToken, _query.ReleaseMode)).AgreementId!.Value;
        KeySetId = (await stewardUser.CreateKeySetAsync([.. Nodes.Select(n => n.NodeId)], "bfv-8192", cancellationToken)).Id;
        _agents.AddRange(Nodes.Select(n => n.RunAsync(pollInterval, _stop.Token)));
        await stewardUser.WaitUntilReadyAsync(KeySetId, cancellationToken);
        Progress(clock, "agreement approved, key set bfv-8192 ready, agents running");

        // One job outside the measurement, whose release must be the plain one, or the two cases would not be computing
        // the same thing.
        var job = await RunJobAsync(cancellationToken);
        Progress(clock, await _query.Verify(job, PlainSites()));
    }

    private AccessRequestBody AccessRequest() => new(
        "Benchmark: COVID-19 admissions", WallTimeQuery.Purpose, [.. Nodes.Select(n => n.CohortId)],
        _query.Variables, [_query.Aggregation.Kind!], "Wall time of an encrypted job against the same job in plain text.", 30);

    private async Task<PlatformUser> SignInAsync(string email, CancellationToken cancellationToken)
    {
        var user = await PlatformUser.SignInAsync(_host!.Address, email, _password, cancellationToken);
        _users.Add(user);
        return user;
    }

    private static void Progress(Stopwatch clock, string message) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// setup {clock.Elapsed.TotalSeconds,6:F1} s: {message}"));
}
