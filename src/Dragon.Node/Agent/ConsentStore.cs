using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Consent;
using Dragon.Node.Cli;
using Dragon.Node.State;

namespace Dragon.Node.Agent;

/// <summary>
/// The node's copy of its subjects' consent, kept as <see cref="FileName"/> (owner-only) in the state folder: the
/// latest status and purposes per (cohort, subject) and the cursor of the platform's change feed. A change is
/// applied once, in feed order; an older version than the one held is ignored.
/// </summary>
public sealed class ConsentStore
{
    public const string FileName = "consents.json";
    public const string Granted = "granted";

    private readonly StateFolder _folder;
    private readonly Dictionary<(Guid CohortId, string SubjectRef), LocalConsent> _subjects = [];

    private ConsentStore(StateFolder folder, ConsentSnapshot snapshot)
    {
        _folder = folder;
        Cursor = snapshot.Cursor;
        foreach (var consent in snapshot.Subjects)
        {
            _subjects[(consent.CohortId, consent.SubjectRef)] = consent;
        }
    }

    public long Cursor { get; private set; }

    public int Count => _subjects.Count;

    /// <exception cref="NodeException">The file is not valid.</exception>
    public static ConsentStore Open(StateFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var text = folder.ReadFile(FileName);
        if (text is null)
        {
            return new ConsentStore(folder, new ConsentSnapshot(0, []));
        }
        try
        {
            var snapshot = JsonSerializer.Deserialize<ConsentSnapshot>(text, DragonJson.Options)
                ?? throw new NodeException($"{FileName} in {folder.Path} is empty.");
            return new ConsentStore(folder, snapshot);
        }
        catch (JsonException exception)
        {
            throw new NodeException($"{FileName} in {folder.Path} is not valid: {exception.Message}", exception);
        }
    }

    /// <summary>The subject's latest consent in the cohort, or null when the node has none.</summary>
    public LocalConsent? Find(Guid cohortId, string subjectRef) =>
        _subjects.GetValueOrDefault((cohortId, subjectRef));

    /// <summary>
    /// Applies one page of the feed in order, then saves the subjects and the page's next cursor together. A page that
    /// moves nothing (every round of the agent ends with an empty one) leaves the file alone, so an idle agent does not
    /// rewrite and flush its whole store, of however many subjects, at every poll.
    /// </summary>
    /// <returns>How many changes were applied.</returns>
    public int Apply(ConsentFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var before = Cursor;
        var applied = 0;
        foreach (var change in feed.Items.OrderBy(c => c.Cursor))
        {
            if (change.Cursor <= Cursor)
            {
                continue;
            }
            var key = (change.CohortId, change.SubjectRef);
            if (!_subjects.TryGetValue(key, out var held) || held.Version < change.Version)
            {
                _subjects[key] = new LocalConsent(change.CohortId, change.SubjectRef, change.Version, change.Status, [.. change.Purposes]);
                applied++;
            }
            Cursor = change.Cursor;
        }
        Cursor = Math.Max(Cursor, feed.NextCursor);
        if (applied == 0 && Cursor == before)
        {
            return 0;
        }
        _folder.WriteFile(FileName, JsonSerializer.Serialize(new ConsentSnapshot(Cursor, [.. _subjects.Values]), DragonJson.Options));
        return applied;
    }
}
