using System.Globalization;
using System.Net;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Node.Cli;
using Dragon.Node.Platform;

namespace Dragon.Node.Agent;

/// <summary>
/// The agent's rounds: heartbeat, consent sync, then the node's tasks. A failing step or task is logged (what
/// and why, never a secret or a record) and the loop goes on; an expired token is renewed with the client
/// credentials and the call retried once.
/// </summary>
public sealed class AgentLoop(NodeSession session, NodeConsole console)
{
    private readonly ConsentStore _consents = ConsentStore.Open(session.Folder);
    private readonly KeyShareSecrets _secrets = new(session.Folder, session.State, console.Environment);

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
        await StepAsync("heartbeat", ct => session.Platform.HeartbeatAsync(ct), cancellationToken);
        await StepAsync("consent sync", SyncConsentsAsync, cancellationToken);
        IReadOnlyList<NodeTask> tasks = [];
        await StepAsync("reading tasks", async ct => tasks = await session.Platform.TasksAsync(ct), cancellationToken);
        foreach (var task in tasks)
        {
            await StepAsync(Describe(task), ct => HandleAsync(task, ct), cancellationToken);
        }
    }

    private async Task SyncConsentsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var feed = await session.Platform.ConsentChangesAsync(_consents.Cursor, cancellationToken);
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
        _ => LogAsync($"{Describe(task)}: skipped, this agent version does not handle {task.Kind} tasks."),
    };

    private async Task ShareKeyAsync(NodeTask task, CancellationToken cancellationToken)
    {
        var parameters = EncryptionParameters.FromPreset(task.Parameters);
        var secretKey = new KeyGenerator(parameters).SecretKey;
        _secrets.Save(task.KeySetId, secretKey);
        var protocol = new PublicKeyGenProtocol(parameters);
        var share = protocol.AllocateShare();
        protocol.GenShare(secretKey, protocol.SampleCrp(Convert.FromBase64String(task.CommonSeed)), share);
        await session.Platform.UploadKeyShareAsync(task.KeySetId, new KeyShareUpload(Convert.ToBase64String(share.ToArray())), cancellationToken);
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
                await session.RenewTokenAsync(console, cancellationToken);
                await step(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is NodeException or HttpRequestException or InvalidFormatException or ArgumentException or IOException)
        {
            await LogAsync($"{what}: failed: {exception.Message}");
        }
    }

    private static string Describe(NodeTask task) => task.JobId is { } job
        ? $"{task.Kind} task for job {job:D}"
        : $"{task.Kind} task for key set {task.KeySetId:D}";

    private Task LogAsync(string message) =>
        console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O} {message}"));
}
