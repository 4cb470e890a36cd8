using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Platform.Api.Demo;
using Dragon.Platform.Identity;

namespace Dragon.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Hospitals' agents (the three of the demo unless told otherwise) and the platform, each its own process on loopback,
/// set up as their people would through the API and the command line: enrollment, approval, cohorts, consents, request
/// and agreement, and a key ceremony (t of N when a threshold is given). Every agent runs until <see cref="Dispose"/>.
/// Scaled out, two platform hosts share the database behind a <see cref="LoadBalancer"/> that everyone talks to.
/// </summary>
public sealed class Consortium : IDisposable
{
    public const int MinCellCount = 5;
    private const string Password = "correct horse battery staple";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dragon-e2e-");
    private readonly EndToEndDatabase _database;
    private readonly List<IDisposable> _users = [];

    private Consortium(string provider, IReadOnlyDictionary<string, string>? settings, string? postgresServer)
    {
        _database = EndToEndDatabase.Create(provider, _folder.FullName, postgresServer);
        Platform = new PlatformProcess(_database, _folder.FullName, settings);
    }

    /// <summary>The first platform host; scaled out, <see cref="SecondHost"/> runs beside it.</summary>
    public PlatformProcess Platform { get; }
    public PlatformProcess? SecondHost { get; private set; }
    public LoadBalancer? Balancer { get; private set; }
    /// <summary>Where nodes and people reach the platform: the balancer when scaled out.</summary>
    public Uri Address => Balancer?.Address ?? Platform.Address;
    public List<HospitalNode> Nodes { get; } = [];
    public PlatformUser Steward { get; private set; } = null!;
    public PlatformUser Researcher { get; private set; } = null!;
    public Guid AgreementId { get; private set; }
    public Guid KeySetId { get; private set; }
    public IReadOnlyList<Guid> CohortIds => [.. Nodes.Select(n => n.CohortId)];
    public IEnumerable<CovidPatient> Patients => Nodes.SelectMany(n => n.Patients);

    /// <param name="policy">Each hospital's <c>policy.json</c>: by default it opts in to the exact releases these tests compare with the plain statistics.</param>
    /// <param name="postgresServer">With PostgreSQL, the server to put the database on instead of the shared one.</param>
    public static async Task<Consortium> StartAsync(
        string provider, int patientsPerNode, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? settings = null,
        IReadOnlyList<DemoHospital>? hospitals = null, int? threshold = null, string policy = """{ "allowExactRelease": true }""",
        bool scaledOut = false, string? postgresServer = null)
    {
        var consortium = new Consortium(provider, settings, postgresServer);
        try
        {
            await consortium.StartPlatformAsync(scaledOut);
            await consortium.SetUpAsync(patientsPerNode, hospitals ?? DemoHospital.Consortium, threshold, policy, cancellationToken);
            return consortium;
        }
        catch
        {
            consortium.Dispose();
            throw;
        }
    }

    public async Task<JobResponse> RunJobAsync(AggregationSpec aggregation, CancellationToken cancellationToken, IReadOnlyList<FilterCondition>? filter = null)
    {
        var job = await SubmitJobAsync(aggregation, cancellationToken, filter);
        return await Researcher.WaitUntilFinishedAsync(job.Id, cancellationToken);
    }

    public Task<JobResponse> SubmitJobAsync(AggregationSpec aggregation, CancellationToken cancellationToken, IReadOnlyList<FilterCondition>? filter = null) =>
        Researcher.SubmitJobAsync(new JobRequest(AgreementId, KeySetId, CohortIds, filter, aggregation), cancellationToken);

    /// <summary>Another researcher, signed in, with an agreement of their own over every cohort (exact release, as the first's).</summary>
    public async Task<(PlatformUser Researcher, Guid ResearcherId, Guid AgreementId)> AddResearcherAsync(string email, CancellationToken cancellationToken)
    {
        using var admin = await PlatformUser.SignInAsync(Address, PlatformProcess.AdminEmail, Platform.AdminPassword, cancellationToken);
        var account = await admin.CreateUserAsync(email, Password, email, DragonRoles.Researcher, cancellationToken);
        var researcher = await SignInAsync(email, cancellationToken);
        var request = await researcher.RequestAccessAsync(CovidCohort.AccessRequest(CohortIds), cancellationToken);
        var agreement = (await Steward.DecideAsync(request.Id, "approve", "Approved.", cancellationToken, ReleaseModes.Exact)).AgreementId!.Value;
        return (researcher, account.Id, agreement);
    }

    /// <summary>Runs SQL on the platform's database behind the platform's back, as an operator with database access could.</summary>
    public void ExecuteSql(string sql) => _database.Execute(sql);

    /// <summary>How many audit events of <paramref name="action"/> the trail holds about <paramref name="objectId"/>, by <paramref name="actorId"/> when given.</summary>
    public long AuditEventCount(Dragon.Platform.Audit.AuditAction action, Guid objectId, Guid? actorId = null) =>
        _database.Count($"""SELECT COUNT(*) FROM "AuditEvents" WHERE "Action" = {(int)action} AND "ObjectId" = '{objectId}'""" + (actorId is { } actor ? $""" AND "ActorId" = '{actor}'""" : ""));

    /// <summary>What every process wrote, for a failure message.</summary>
    public string Logs() =>
        $"--- platform ---\n{Platform.Output}\n" + (SecondHost is null ? "" : $"--- second host ---\n{SecondHost.Output}\n") + string.Concat(Nodes.Select(n => $"--- {n.NodeName} ---\n{n.AgentOutput}\n"));

    public void Dispose()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }
        foreach (var user in _users)
        {
            user.Dispose();
        }
        Balancer?.Dispose();
        SecondHost?.Dispose();
        Platform.Dispose();
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    /// <summary>The second host starts once the first has migrated the database and created the keys they share.</summary>
    private async Task StartPlatformAsync(bool scaledOut)
    {
        await Platform.StartAsync();
        if (scaledOut)
        {
            SecondHost = Platform.Twin();
            await SecondHost.StartAsync();
            Balancer = new LoadBalancer([Platform.Address, SecondHost.Address]);
        }
    }

    private async Task SetUpAsync(int patientsPerNode, IReadOnlyList<DemoHospital> hospitals, int? threshold, string policy, CancellationToken cancellationToken)
    {
        using var admin = await PlatformUser.SignInAsync(Address, PlatformProcess.AdminEmail, Platform.AdminPassword, cancellationToken);
        var steward = await admin.CreateUserAsync("steward@e2e.dragon.test", Password, "Steward", DragonRoles.DataSteward, cancellationToken);
        await admin.CreateUserAsync("researcher@e2e.dragon.test", Password, "Researcher", DragonRoles.Researcher, cancellationToken);
        Steward = await SignInAsync("steward@e2e.dragon.test", cancellationToken);
        Researcher = await SignInAsync("researcher@e2e.dragon.test", cancellationToken);
        foreach (var hospital in hospitals)
        {
            var node = new HospitalNode(hospital, patientsPerNode, Address, Path.Combine(_folder.FullName, hospital.Prefix));
            Nodes.Add(node);
            await node.EnrollAsync(await admin.EnrollmentTokenAsync(hospital.Organisation, cancellationToken), cancellationToken);
            await Steward.ApproveNodeAsync(node.NodeId, cancellationToken);
            await node.PublishCohortAsync(cancellationToken);
            await admin.AddStewardAsync(node.CohortId, steward.Id, cancellationToken);
            await node.RegisterConsentsAsync(cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(node.StateFolder, "policy.json"), policy, cancellationToken);
        }
        await PinPeersAsync(cancellationToken);
        var request = await Researcher.RequestAccessAsync(CovidCohort.AccessRequest(CohortIds), cancellationToken);
        AgreementId = (await Steward.DecideAsync(request.Id, "approve", "Approved.", cancellationToken, ReleaseModes.Exact)).AgreementId!.Value;
        KeySetId = (await Steward.CreateKeySetAsync([.. Nodes.Select(n => n.NodeId)], "bfv-8192", cancellationToken, threshold)).Id;
        foreach (var node in Nodes)
        {
            node.StartAgent();
        }
        await Steward.WaitUntilReadyAsync(KeySetId, cancellationToken);
    }

    /// <summary>Every hospital pins the others' identity fingerprints, as they would compare them out of band.</summary>
    private async Task PinPeersAsync(CancellationToken cancellationToken)
    {
        var fingerprints = new List<(HospitalNode Node, string Fingerprint)>();
        foreach (var node in Nodes)
        {
            fingerprints.Add((node, await node.IdentityAsync(cancellationToken)));
        }
        foreach (var node in Nodes)
        {
            foreach (var (other, fingerprint) in fingerprints.Where(f => f.Node != node))
            {
                await node.TrustAsync(fingerprint, other.Hospital.Name, cancellationToken);
            }
        }
    }

    private async Task<PlatformUser> SignInAsync(string email, CancellationToken cancellationToken)
    {
        var user = await PlatformUser.SignInAsync(Address, email, Password, cancellationToken);
        _users.Add(user);
        return user;
    }
}
