using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Node.Cli;
using Dragon.Node.State;
using Microsoft.Data.Sqlite;

namespace Dragon.Node.Audit;

/// <summary>
/// The node's own audit log, <see cref="FileName"/> in the state folder (SQLite, owner-only): append-only (triggers
/// refuse updates and deletes), each entry hashed over its content and the hash before it, and that hash signed with the
/// node's identity key. <see cref="Verify"/> walks the whole chain; the agent does so at start and stops on a break, so
/// an edited, reordered or forged entry is found by the hospital without asking the platform.
/// </summary>
public sealed class NodeAuditLog
{
    public const string FileName = "audit.db";
    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private static readonly byte[] Domain = Encoding.UTF8.GetBytes("dragon-node-audit/v1\n");

    private readonly string _connectionString;

    private NodeAuditLog(string path) => _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();

    /// <summary>Opens the log of <paramref name="folder"/>, creating it (empty) on first use.</summary>
    public static NodeAuditLog Open(StateFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var path = Path.Combine(folder.Path, FileName);
        var created = !File.Exists(path);
        var log = new NodeAuditLog(path);
        using var connection = log.Connect();
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS entries (
                sequence INTEGER PRIMARY KEY,
                body TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                signature TEXT NOT NULL);
            CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'the node audit log is append-only'); END;
            CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'the node audit log is append-only'); END;
            """);
        if (created && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return log;
    }

    /// <summary>Appends <paramref name="entry"/>, chained to the last one and signed by <paramref name="sign"/> (the node's identity key).</summary>
    /// <exception cref="StateWriteException">The log could not be written (the disk is full, for one); its entries so far are intact.</exception>
    public NodeAuditRecord Append(NodeAuditEntry entry, Func<byte[], byte[]> sign)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(sign);
        try
        {
            return Insert(entry, sign);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode is SqliteFull or SqliteIoError)
        {
            throw new StateWriteException($"Cannot write the node's audit log {FileName} ({exception.Message}); its entries so far are intact. Free space on that disk, then start the agent again.", exception);
        }
    }

    // SQLite's result codes for a full disk and for a failed read or write.
    private const int SqliteFull = 13;
    private const int SqliteIoError = 10;

    private NodeAuditRecord Insert(NodeAuditEntry entry, Func<byte[], byte[]> sign)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        var (sequence, previous) = Head(connection, transaction);
        var body = JsonSerializer.Serialize(entry, DragonJson.Options);
        var hash = Hash(sequence + 1, body, previous);
        var record = new NodeAuditRecord(sequence + 1, entry, previous, hash, Convert.ToBase64String(sign(Statement(hash))));
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO entries (sequence, body, previous_hash, hash, signature) VALUES ($sequence, $body, $previous, $hash, $signature)";
        insert.Parameters.AddWithValue("$sequence", record.Sequence);
        insert.Parameters.AddWithValue("$body", body);
        insert.Parameters.AddWithValue("$previous", previous);
        insert.Parameters.AddWithValue("$hash", hash);
        insert.Parameters.AddWithValue("$signature", record.Signature);
        insert.ExecuteNonQuery();
        transaction.Commit();
        return record;
    }

    /// <summary>Every entry from <paramref name="from"/> to <paramref name="to"/> (either open), oldest first.</summary>
    public IReadOnlyList<NodeAuditRecord> Read(DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        [.. ReadAll().Where(r => (from is null || r.Entry.At >= from) && (to is null || r.Entry.At < to))];

    /// <summary>Whether the log holds a served <paramref name="task"/> (commitment, contribution, ...) of the job's round, counted by SQLite in the entries' JSON.</summary>
    public bool HasServed(Guid jobId, int round, string task)
    {
        using var connection = Connect();
        using var count = connection.CreateCommand();
        count.CommandText = """
            SELECT COUNT(*) FROM entries
            WHERE json_extract(body, '$.outcome') = $served AND json_extract(body, '$.task') = $task
              AND json_extract(body, '$.jobId') = $job AND json_extract(body, '$.round') = $round
            """;
        count.Parameters.AddWithValue("$served", NodeAuditEntry.Served);
        count.Parameters.AddWithValue("$task", task);
        count.Parameters.AddWithValue("$job", jobId.ToString());
        count.Parameters.AddWithValue("$round", round);
        return Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>
    /// How many jobs this node started serving (its first commitment of the job) on <paramref name="day"/> (UTC),
    /// <paramref name="except"/> not counted: counted by SQLite in the entries' JSON, without reading the log into memory.
    /// Entries are written with <see cref="DateTimeOffset.UtcNow"/>, so the first ten characters of <c>at</c> are the UTC day.
    /// </summary>
    public int JobsStartedOn(DateOnly day, Guid except)
    {
        using var connection = Connect();
        using var count = connection.CreateCommand();
        count.CommandText = """
            SELECT COUNT(DISTINCT json_extract(body, '$.jobId')) FROM entries
            WHERE json_extract(body, '$.outcome') = $served AND json_extract(body, '$.task') = 'commitment'
              AND json_extract(body, '$.round') = 0 AND substr(json_extract(body, '$.at'), 1, 10) = $day
              AND json_extract(body, '$.jobId') <> $except
            """;
        count.Parameters.AddWithValue("$served", NodeAuditEntry.Served);
        count.Parameters.AddWithValue("$day", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        count.Parameters.AddWithValue("$except", except.ToString());
        return Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Checks every entry's link, hash and signature against <paramref name="publicKey"/> (DER SubjectPublicKeyInfo).</summary>
    /// <returns>The first sequence that fails, with why; null when the whole chain holds.</returns>
    public (long Sequence, string Problem)? Verify(byte[] publicKey)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(publicKey, out _);
        var expected = (Sequence: 1L, Previous: Genesis);
        foreach (var (sequence, body, previous, hash, signature) in Rows())
        {
            if (sequence != expected.Sequence)
            {
                return (expected.Sequence, $"entry {expected.Sequence} is missing (the next is {sequence})");
            }
            if (previous != expected.Previous)
            {
                return (sequence, "it does not link to the entry before it");
            }
            if (Hash(sequence, body, previous) != hash)
            {
                return (sequence, "its content does not match its hash");
            }
            if (!key.VerifyData(Statement(hash), Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return (sequence, "its signature is not this node's");
            }
            expected = (sequence + 1, hash);
        }
        return null;
    }

    /// <summary>Verifies the chain or stops: a node whose own log does not hold serves nothing until someone looks.</summary>
    /// <exception cref="NodeException">The chain breaks.</exception>
    public void VerifyOrThrow(byte[] publicKey)
    {
        if (Verify(publicKey) is { } broken)
        {
            throw new NodeException(string.Create(CultureInfo.InvariantCulture,
                $"{FileName} fails verification at entry {broken.Sequence}: {broken.Problem}. Keep the file for investigation; the agent does not run on a broken log."));
        }
    }

    private List<NodeAuditRecord> ReadAll() =>
        [.. Rows().Select(row => new NodeAuditRecord(row.Sequence, JsonSerializer.Deserialize<NodeAuditEntry>(row.Body, DragonJson.Options)!, row.Previous, row.Hash, row.Signature))];

    private List<(long Sequence, string Body, string Previous, string Hash, string Signature)> Rows()
    {
        using var connection = Connect();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT sequence, body, previous_hash, hash, signature FROM entries ORDER BY sequence";
        using var reader = select.ExecuteReader();
        var rows = new List<(long, string, string, string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return rows;
    }

    private static (long Sequence, string Hash) Head(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT sequence, hash FROM entries ORDER BY sequence DESC LIMIT 1";
        using var reader = select.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0, Genesis);
    }

    private static string Hash(long sequence, string body, string previous) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{sequence}\n{previous}\n{body}"))));

    private static byte[] Statement(string hash) => [.. Domain, .. Encoding.UTF8.GetBytes(hash)];

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
