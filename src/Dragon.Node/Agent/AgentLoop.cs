using System.Globalization;
using System.Net;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.Jobs;
using Dragon.Node.Platform;

namespace Dragon.Node.Agent;

/// <summary>
/// The agent's rounds: heartbeat, consent sync, then the node's tasks. A failing step or task is logged (what
/// and why, never a secret or a record) and the loop goes on; an expired token is renewed with the client
/// credentials and the call retried once.
/// </summary>
public sealed class AgentLoop
{
    private readonly NodeSession _session;
    private readonly NodeConsole _console;
    private readonly ConsentStore _consents;
    private readonly KeyShareSecrets _secrets;
    private readonly JobTasks _jobs;

    private const int RowsShown = 20;

    public AgentLoop(NodeSession session, NodeConsole console, IReadOnlyDictionary<Guid, ILocalDataSource> sources)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(console);
        _session = session;
        _console = console;
        _consents = ConsentStore.Open(_session.Folder);
        _secrets = new KeyShareSecrets(_session.Folder, session.State, console.Environment);
        _jobs = new JobTasks(session.Folder, session.Platform, sources, _consents, _secrets);
    }

    public ConsentStore Consents => _consents;

    /// <summary>Runs rounds <paramref name="interval"/> apart until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(cancellationToken);
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task RoundAsync(CancellationToken cancellationToken)
    {
        await StepAsync("heartbeat", ct => _session.Platform.HeartbeatAsync(ct), cancellationToken);
        await StepAsync("consent sync", SyncConsentsAsync, cancellationToken);
        IReadOnlyList<NodeTask> tasks = [];
        await StepAsync("reading tasks", async ct => tasks = await _session.Platform.TasksAsync(ct), cancellationToken);
        foreach (var task in tasks)
        {
            await StepAsync(Describe(task), ct => HandleAsync(task, ct), cancellationToken);
        }
    }

    private async Task SyncConsentsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var feed = await _session.Platform.ConsentChangesAsync(_consents.Cursor, cancellationToken);
            var before = _consents.Cursor;
            var applied = _consents.Apply(feed);
            if (applied > 0)
            {
                await LogAsync(string.Create(CultureInfo.InvariantCulture, $"consent sync: applied {applied} change(s), cursor {_consents.Cursor}."));
            }
            if (feed.Items.Count == 0 || _consents.Cursor == before)
            {
                return;
            }
        }
    }

    private Task HandleAsync(NodeTask task, CancellationToken cancellationToken) => task.Kind switch
    {
        "keyShare" => ShareKeyAsync(task, cancellationToken),
        "contribution" => ContributeAsync(task, cancellationToken),
        "decryptionShare" => ShareAsync(task, cancellationToken),
        _ => LogAsync($"{Describe(task)}: skipped, unknown task kind."),
    };

    private async Task ContributeAsync(NodeTask task, CancellationToken cancellationToken)
    {
        var summary = await _jobs.ContributeAsync(task, cancellationToken);
        foreach (var rows in summary.LeftOut)
        {
            var shown = string.Join(", ", rows.Rows.Take(RowsShown)) + (rows.Rows.Count > RowsShown ? ", ..." : string.Empty);
            await LogAsync(string.Create(CultureInfo.InvariantCulture, $"{Describe(task)}: {rows.Source}: left out {rows.Rows.Count} row(s) that do not fit the cohort's variables (rows {shown})."));
        }
        await LogAsync(string.Create(CultureInfo.InvariantCulture, $"{Describe(task)}: contribution uploaded ({summary.Included} consenting record(s) matched)."));
    }

    private async Task ShareAsync(NodeTask task, CancellationToken cancellationToken)
    {
        await _jobs.ShareAsync(task, cancellationToken);
        await LogAsync($"{Describe(task)}: decryption share uploaded.");
    }

    private async Task ShareKeyAsync(NodeTask task, CancellationToken cancellationToken)
    {
        var parameters = EncryptionParameters.FromPreset(task.Parameters);
        var secretKey = new KeyGenerator(parameters).SecretKey;
        _secrets.Save(task.KeySetId, secretKey);
        var protocol = new PublicKeyGenProtocol(parameters);
        var share = protocol.AllocateShare();
        protocol.GenShare(secretKey, protocol.SampleCrp(Convert.FromBase64String(task.CommonSeed)), share);
        await _session.Platform.UploadKeyShareAsync(task.KeySetId, new KeyShareUpload(Convert.ToBase64String(share.ToArray())), cancellationToken);
        await LogAsync($"{Describe(task)}: share uploaded.");
    }

    private async Task StepAsync(string what, Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await step(cancellationToken);
            }
            catch (PlatformException exception) when (exception.Status == HttpStatusCode.Unauthorized)
            {
                await _session.RenewTokenAsync(_console, cancellationToken);
                await step(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is NodeException or HttpRequestException or InvalidFormatException or ArgumentException or IOException or OverflowException or FormatException or NoiseBudgetExceededException)
        {
            await LogAsync($"{what}: failed: {exception.Message}");
        }
    }

    private static string Describe(NodeTask task) => task.JobId is { } job
        ? $"{task.Kind} task for job {job:D}"
        : $"{task.Kind} task for key set {task.KeySetId:D}";

    private Task LogAsync(string message) =>
        _console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O} {message}"));
}
