using System.Globalization;
using Dragon.Contracts.Privacy;
using Dragon.Platform.Common;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Dragon.Platform.Api.Demo;

/// <summary>
/// <c>--demo</c>: once the host listens, builds a consortium through the public API, the way its people and
/// nodes would: accounts, three hospitals' node agents (in this process, over HTTP), their cohorts and
/// consents, an approved agreement, a key ceremony, then one job of each kind, printing every released result.
/// The agents keep running until the host stops, so the portal and the API can be explored afterwards.
/// </summary>
public sealed class DemoConsortium(IOptions<DemoOptions> options, IServer server, IHostApplicationLifetime lifetime, IWebHostEnvironment environment) : BackgroundService
{
    private readonly DemoOptions _options = options.Value;
    private TextWriter Output => _options.Output;

    private readonly TaskCompletionSource<DemoOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when every demo job has finished, or fails with the reason the demo stopped.</summary>
    public Task<DemoOutcome> Outcome => _outcome.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(started.SetResult);
        await started.Task.WaitAsync(stoppingToken);
        var agents = new List<Task<int>>();
        try
        {
            _outcome.SetResult(await BuildAsync(PlatformAddress(), agents, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _outcome.TrySetCanceled(stoppingToken);
        }
        catch (Exception exception) when (exception is PlatformCallException or InvalidOperationException or HttpRequestException or IOException
            or System.Text.Json.JsonException or OperationCanceledException)
        {
            await Output.WriteLineAsync($"The demo stopped: {exception.Message}");
            _outcome.SetException(exception);
        }
        catch (Exception exception)
        {
            _outcome.TrySetException(exception);
            throw;
        }
        await Task.WhenAll(agents);
    }

    private async Task<DemoOutcome> BuildAsync(Uri platform, List<Task<int>> agents, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(_options.Folder, environment.ContentRootPath);
        using var admin = await PlatformUser.SignInAsync(platform, _options.AdminEmail, _options.AdminPassword, cancellationToken);
        var accounts = new List<(string Role, string Email, string Password)> { (DragonRoles.Admin, _options.AdminEmail, _options.AdminPassword) };
        // The clients of the accounts signed in so far are released at the end, also when a later step fails.
        var signedIn = new List<PlatformUser>();
        async Task<(Guid Id, PlatformUser User)> AccountAsync(string role, string name)
        {
            var email = $"{name.ToLowerInvariant()}@demo.dragon.test";
            var password = Secrets.NewToken()[..20];
            var created = await admin.CreateUserAsync(email, password, $"Demo {name}", role, cancellationToken);
            accounts.Add((role, email, password));
            var user = await PlatformUser.SignInAsync(platform, email, password, cancellationToken);
            signedIn.Add(user);
            return (created.Id, user);
        }
        try
        {
            var (stewardId, steward) = await AccountAsync(DragonRoles.DataSteward, "Steward");
            var (_, researcher) = await AccountAsync(DragonRoles.Researcher, "Researcher");
            var (_, patient) = await AccountAsync(DragonRoles.Patient, "Patient");
            await AccountAsync(DragonRoles.Auditor, "Auditor");
            await PrintAccountsAsync(platform, accounts);

            await Output.WriteLineAsync("Enrolling three hospitals' node agents, publishing their cohorts and consents...");
            var nodes = new List<DemoNode>();
            foreach (var hospital in DemoHospital.Consortium)
            {
                var node = new DemoNode(hospital, Path.Combine(folder, "nodes", hospital.Prefix), platform, _options.PatientsPerHospital, Output);
                await node.EnrollAsync(await admin.EnrollmentTokenAsync(hospital.Organisation, cancellationToken), cancellationToken);
                await steward.ApproveNodeAsync(node.NodeId, cancellationToken);
                await node.PublishCohortAsync(cancellationToken);
                await admin.AddStewardAsync(node.CohortId, stewardId, cancellationToken);
                await node.RegisterConsentsAsync(cancellationToken);
                nodes.Add(node);
            }
            var linked = nodes[0].Patients.First(p => p.Consent == "granted");
            await patient.LinkAsync(await nodes[0].LinkCodeAsync(linked.SubjectRef, cancellationToken), cancellationToken);
            await Output.WriteLineAsync($"The demo patient is linked to {linked.SubjectRef} at {nodes[0].Hospital.Name}.");

            var cohortIds = nodes.Select(n => n.CohortId).ToList();
            var request = await researcher.RequestAccessAsync(CovidCohort.AccessRequest(cohortIds), cancellationToken);
            var approved = await steward.DecideAsync(request.Id, "approve", "Approved for the demo consortium.", cancellationToken);
            await Output.WriteLineAsync($"Access request approved; agreement {approved.AgreementId}.");

            var keySet = await steward.CreateKeySetAsync([.. nodes.Select(n => n.NodeId)], _options.Parameters, cancellationToken);
            agents.AddRange(nodes.Select(n => n.RunAsync(_options.NodePollInterval, cancellationToken)));
            await steward.WaitUntilReadyAsync(keySet.Id, cancellationToken);
            await Output.WriteLineAsync($"Key ceremony done: key set {keySet.Id} ({_options.Parameters}) holds the collective public key.");

            var jobs = new List<(DemoQuery, Contracts.Jobs.JobResponse)>();
            foreach (var query in DemoQuery.OneOfEachKind)
            {
                var submitted = await researcher.SubmitJobAsync(query.ToRequest(approved.AgreementId!.Value, keySet.Id, cohortIds), cancellationToken);
                var job = await researcher.WaitUntilFinishedAsync(submitted.Id, cancellationToken);
                jobs.Add((query, job));
                await Output.WriteLineAsync(job.Result is { } result
                    ? $"{query.Title} ({query.Aggregation.Kind}, job {job.Id}):\n{ResultText.Format(result)}"
                    : $"{query.Title} (job {job.Id}) ended {job.Status}: {job.Failure}");
            }
            var modelRequest = await researcher.RequestAccessAsync(CovidCohort.ModelRequest(cohortIds), cancellationToken);
            var modelAgreement = await steward.DecideAsync(modelRequest.Id, "approve", "Approved for the demo's outcome model, released exactly.", cancellationToken, ReleaseModes.Exact);
            var model = await researcher.WaitUntilFinishedAsync((await researcher.SubmitJobAsync(
                DemoQuery.DeathModel.ToRequest(modelAgreement.AgreementId!.Value, keySet.Id, cohortIds), cancellationToken)).Id, cancellationToken);
            await Output.WriteLineAsync(model.Result is { } table
                ? $"{DemoQuery.DeathModel.Title} (glm, job {model.Id}):\n{ResultText.Format(table)}"
                : $"{DemoQuery.DeathModel.Title} (job {model.Id}) ended {model.Status}: {model.Failure}");
            await Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Demo ready: {jobs.Count(j => j.Item2.Status == "released")} of {jobs.Count} jobs released, and the model {model.Status}. The agents keep running; stop the host with Ctrl+C."));
            return new DemoOutcome(nodes, jobs, model);
        }
        finally
        {
            signedIn.ForEach(user => user.Dispose());
        }
    }

    private async Task PrintAccountsAsync(Uri platform, List<(string Role, string Email, string Password)> accounts)
    {
        await Output.WriteLineAsync($"Dragon demo consortium at {platform} (API explorer: /swagger, portal: /portal, jobs dashboard: /hangfire)");
        await Output.WriteLineAsync("Demo accounts (new passwords at every start):");
        foreach (var (role, email, password) in accounts)
        {
            await Output.WriteLineAsync($"    {role,-12} {email,-32} {password}");
        }
    }

    private Uri PlatformAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The host listens on no address the demo nodes could reach.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }
        return uri.Uri;
    }
}
