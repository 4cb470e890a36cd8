using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Node.Audit;
using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.Jobs;
using Dragon.Node.Platform;
using Dragon.Node.State;

namespace Dragon.Node.Agent;

/// <summary>
/// The agent's rounds: heartbeat, consent sync, then the node's tasks; a round the push channel woke reads the tasks
/// first, syncs consents only before a commitment (the one task that reads them) and sends a heartbeat only when
/// one is due. A failing step or task is logged (what
/// and why, never a secret or a record) and the loop goes on; a task the node refuses is logged as refused, with the
/// reason <see cref="TaskVerifier"/> gave; an expired token is renewed with the client credentials and the call
/// retried once.
/// </summary>
public sealed class AgentLoop : IDisposable
{
    private readonly NodeSession _session;
    private readonly NodeConsole _console;
    private readonly ConsentStore _consents;
    private readonly NodeIdentity _identity;
    private readonly KeyCeremony _ceremony;
    private readonly JobTasks _jobs;
    private readonly NodeAuditLog _audit;

    private const int RowsShown = 20;

    /// <summary>How often rounds woken by the push channel also tell the platform the agent is alive (rounds the poll starts always do).</summary>
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);

    private long? _lastHeartbeat;

    /// <param name="trustPlatformRoster">Accept every identity key the platform lists for a key set's members, instead of only the pinned peers.</param>
    public AgentLoop(NodeSession session, NodeConsole console, IReadOnlyDictionary<Guid, ILocalDataSource> sources, bool trustPlatformRoster = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(console);
        _session = session;
        _console = console;
        _consents = ConsentStore.Open(_session.Folder);
        var folder = session.Folder;
        var nodeId = session.State.NodeId;
        var secrets = new KeyShareSecrets(folder, session.State, console.Environment);
        _identity = NodeIdentity.Open(folder, session.State, console.Environment);
        _audit = NodeAuditLog.Open(folder);
        _audit.VerifyOrThrow(_identity.PublicKey);
        var verifier = new TaskVerifier(folder, nodeId, _identity.PublicKey, trustPlatformRoster);
        _ceremony = new KeyCeremony(folder, session.Platform, secrets, _identity, verifier, nodeId);
        _jobs = new JobTasks(folder, session.Platform, sources, _consents, secrets, _identity, verifier, _ceremony, nodeId);
    }

    public ConsentStore Consents => _consents;

    public void Dispose() => _identity.Dispose();

    /// <summary>
    /// Runs rounds until <paramref name="cancellationToken"/> is cancelled: the next as soon as the platform's push channel
    /// says the node's work changed, and at the latest <paramref name="interval"/> after the last.
    /// </summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var push = new TaskPush(_session, _console);
        using var stopListening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listening = push.ListenAsync(stopListening.Token);
        try
        {
            var woken = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                await RoundAsync(woken, cancellationToken);
                woken = await push.WaitAsync(interval, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await stopListening.CancelAsync();
            await listening;
        }
    }

    /// <summary>A whole round: heartbeat, consent sync, tasks.</summary>
    public Task RoundAsync(CancellationToken cancellationToken) => RoundAsync(woken: false, cancellationToken);

    /// <param name="woken">
    /// The push channel started the round: the platform said the node's tasks changed, and a job moves on only as fast as
    /// its slowest node takes each step, so the round skips the calls its tasks do not need.
    /// </param>
    private async Task RoundAsync(bool woken, CancellationToken cancellationToken)
    {
        using var activity = AgentTelemetry.Source.StartActivity("round");
        activity?.SetTag("dragon.round.woken", woken);
        if (!woken || _lastHeartbeat is not { } last || Stopwatch.GetElapsedTime(last) >= HeartbeatInterval)
        {
            await StepAsync("heartbeat", async ct =>
            {
                await _session.Platform.HeartbeatAsync(ct);
                _lastHeartbeat = Stopwatch.GetTimestamp();
            }, cancellationToken);
        }
        if (!woken)
        {
            await StepAsync("consent sync", SyncConsentsAsync, cancellationToken);
        }
        IReadOnlyList<NodeTask> tasks = [];
        await StepAsync("reading tasks", async ct => tasks = await _session.Platform.TasksAsync(ct), cancellationToken);
        if (woken && tasks.Any(t => t.Kind == "commitment"))
        {
            await StepAsync("consent sync", SyncConsentsAsync, cancellationToken);
        }
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

    private async Task HandleAsync(NodeTask task, CancellationToken cancellationToken)
    {
        using var activity = AgentTelemetry.Source.StartActivity($"task.{task.Kind}");
        activity?.SetTag("dragon.job.id", task.JobId?.ToString());
        activity?.SetTag("dragon.keyset.id", task.KeySetId.ToString());
        activity?.SetTag("dragon.round", task.Round);
        if (NullFree.FirstNull(task) is { } missing)
        {
            // Nothing below may read a task with a hole in it; the log and the audit entry keep only its ids.
            var reason = $"Refused: the task has no {missing}.";
            activity?.SetTag("dragon.outcome", "refused");
            await LogAsync($"{Describe(task)}: {reason}");
            Audit(new NodeTask(task.Kind ?? "unknown", task.KeySetId, task.Parameters ?? "", task.CommonSeed ?? "", task.JobId, Round: task.Round), NodeAuditEntry.Refused, rule: reason);
            await ReportAsync(task, reason, cancellationToken);
            return;
        }
        try
        {
            await (task.Kind switch
            {
                "keyShare" => ShareKeyAsync(task, cancellationToken),
                "thresholdShares" => DealAsync(task, cancellationToken),
                "commitment" => CommitAsync(task, cancellationToken),
                "contribution" => RevealAsync(task, cancellationToken),
                "decryptionShare" => ShareAsync(task, cancellationToken),
                _ => LogAsync($"{Describe(task)}: skipped, unknown task kind."),
            });
        }
        catch (TaskRefusedException refusal)
        {
            activity?.SetTag("dragon.outcome", "refused");
            await LogAsync($"{Describe(task)}: {refusal.Message}");
            Audit(task, NodeAuditEntry.Refused, rule: refusal.Message);
            await ReportAsync(task, refusal.Message, cancellationToken);
        }
        catch (JobDataException problem)
        {
            // This node's data does not fit the job (a value out of range, a variable missing): the reason may hold a
            // record's value, so the platform is told only that, and the log says the rest.
            const string NoFit = "its data does not fit the job (a variable the cohort no longer has, or a value or sum the job cannot take); the node's log says which.";
            await LogAsync($"{Describe(task)}: failed: {problem.Message}");
            Audit(task, NodeAuditEntry.Refused, rule: NoFit);
            await ReportAsync(task, NoFit, cancellationToken);
        }
    }

    /// <summary>
    /// Tells the platform this node will not serve the job's task, so the job fails at once naming the node and the rule
    /// (or, under a t-of-N key set, goes on without it) instead of waiting for its deadline; a refusal that cannot be
    /// reported is logged and the job runs to its deadline.
    /// </summary>
    private async Task ReportAsync(NodeTask task, string reason, CancellationToken cancellationToken)
    {
        if (task.JobId is not { } jobId)
        {
            return;
        }
        var text = reason.StartsWith(RefusedPrefix, StringComparison.Ordinal) ? reason[RefusedPrefix.Length..] : reason;
        try
        {
            var status = await _session.Platform.RefuseJobAsync(jobId, new JobRefusal(task.Round, text.Length > JobRefusal.MaxReason ? text[..JobRefusal.MaxReason] : text, NodePolicy.RuleIn(text)), cancellationToken);
            await LogAsync($"{Describe(task)}: refusal reported; {(status is null or "failed" ? "the job fails." : "the job goes on without this node.")}");
        }
        catch (Exception exception) when (exception is PlatformException or HttpRequestException)
        {
            await LogAsync($"{Describe(task)}: the refusal could not be reported ({exception.Message}); the job waits for its deadline.");
        }
    }

    private const string RefusedPrefix = "Refused: ";

    private async Task CommitAsync(NodeTask task, CancellationToken cancellationToken)
    {
        if (await _jobs.CommitAsync(task, cancellationToken) is not { } summary)
        {
            await LogAsync($"{Describe(task)}: sent the commitment made before again.");
            return;
        }
        foreach (var rows in summary.LeftOut)
        {
            var shown = string.Join(", ", rows.Rows.Take(RowsShown)) + (rows.Rows.Count > RowsShown ? ", ..." : string.Empty);
            await LogAsync(string.Create(CultureInfo.InvariantCulture, $"{Describe(task)}: {rows.Source}: left out {rows.Rows.Count} row(s) that do not fit the cohort's variables (rows {shown})."));
        }
        await LogAsync(string.Create(CultureInfo.InvariantCulture, $"{Describe(task)}: commitment uploaded ({summary.Included} consenting record(s) matched)."));
        Audit(task, NodeAuditEntry.Served, records: summary.Included, consentCursor: _consents.Cursor, upload: summary.Commitment);
    }

    private async Task RevealAsync(NodeTask task, CancellationToken cancellationToken)
    {
        var upload = await _jobs.RevealAsync(task, cancellationToken);
        await LogTakenUploadAsync(task, "commitment", upload.Digest);
        await LogAsync($"{Describe(task)}: contribution uploaded (the ciphertext committed to).");
        Audit(task, NodeAuditEntry.Served, upload: upload);
    }

    private async Task ShareAsync(NodeTask task, CancellationToken cancellationToken)
    {
        var (made, upload, contribution) = await _jobs.ShareAsync(task, cancellationToken);
        await LogTakenUploadAsync(task, "contribution", contribution);
        await LogAsync($"{Describe(task)}: {(made ? "decryption share uploaded." : "sent the decryption share made before again; no new one.")}");
        if (made)
        {
            Audit(task, NodeAuditEntry.Served, upload: upload);
        }
    }

    /// <summary>
    /// Logs the earlier step's upload when the node's log lacks it although the platform took it (the task at hand holds
    /// it, checked as this node's own: the reveal task lists the commitment, the decryption task's aggregate sums the
    /// contribution): the agent stopped, or the answer was lost, between the upload and its log entry. Logged without the
    /// receipt it never received; the digest is what the platform's trail records, so <c>audit verify</c> matches them.
    /// </summary>
    private async Task LogTakenUploadAsync(NodeTask task, string step, string digest)
    {
        if (!_audit.HasServed(task.JobId!.Value, task.Round, step))
        {
            await LogAsync($"{Describe(task)}: the platform holds this node's {step}, which its log did not have; logged now.");
            Audit(task with { Kind = step }, NodeAuditEntry.Served, upload: new UploadOutcome(digest, null));
        }
    }

    private async Task ShareKeyAsync(NodeTask task, CancellationToken cancellationToken)
    {
        await LogAsync($"{Describe(task)}: {await _ceremony.ShareAsync(task, cancellationToken)}");
        Audit(task, NodeAuditEntry.Served);
    }

    private async Task DealAsync(NodeTask task, CancellationToken cancellationToken)
    {
        await LogAsync($"{Describe(task)}: {await _ceremony.DealAsync(task, cancellationToken)}");
        Audit(task, NodeAuditEntry.Served);
    }

    /// <summary>Appends the task to the node's own audit log, signed with its identity key: what it served or refused, for whom, over what.</summary>
    private void Audit(NodeTask task, string outcome, int? records = null, long? consentCursor = null, UploadOutcome? upload = null, string? rule = null)
    {
        var manifest = task.Job;
        var query = manifest is null ? null : JsonSerializer.Serialize(new { kind = manifest.Aggregation.Kind, variables = manifest.ReadVariables(), filter = manifest.Filter }, DragonJson.Options);
        _audit.Append(new NodeAuditEntry(DateTimeOffset.UtcNow, outcome, task.Kind, task.JobId, task.KeySetId, task.Round,
            manifest?.Requester?.AgreementId, manifest?.Requester?.ResearcherId, manifest?.Requester?.ResearcherName, manifest?.Requester?.Organisation,
            query, manifest is null ? null : string.Join(",", manifest.CohortIds), consentCursor, records, upload?.Digest, rule, upload?.Receipt), _identity.Sign);
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
        catch (StateWriteException exception)
        {
            await LogAsync($"{what}: stopping: {exception.Message}");
            throw;
        }
        catch (Exception exception) when (exception is NodeException or HttpRequestException or InvalidFormatException or ArgumentException or IOException or OverflowException or FormatException or NoiseBudgetExceededException or System.Security.Cryptography.CryptographicException)
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
