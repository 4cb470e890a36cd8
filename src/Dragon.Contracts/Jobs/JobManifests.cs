using System.Security.Cryptography;
using System.Text.Json;
using Dragon.Contracts.Common;

namespace Dragon.Contracts.Jobs;

/// <summary>
/// A job's manifest is its <see cref="JobTaskSpec"/>: the same for every participant (the query, the layout, the key
/// set and the participant set). Its digest is the SHA-256 of its JSON in the API's conventions; every commitment
/// signs it, so nodes that were shown different jobs cannot end up in one aggregate.
/// </summary>
public static class JobManifests
{
    public static byte[] Digest(JobTaskSpec manifest) => SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(manifest, DragonJson.Options));

    /// <summary>The manifest's variables by name (the first of any listed twice); empty when it lists none.</summary>
    public static Dictionary<string, LayoutVariable> VariablesOf(JobTaskSpec manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return (manifest.Variables ?? []).DistinctBy(v => v.Name).ToDictionary(v => v.Name, StringComparer.Ordinal);
    }
}
