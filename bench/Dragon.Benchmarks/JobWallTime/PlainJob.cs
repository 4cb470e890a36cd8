using Dragon.Contracts.Catalogue;
using Dragon.Node.Agent;
using Dragon.Node.Data;
using Dragon.Node.Jobs;
using Dragon.Platform.Api.Demo;

namespace Dragon.Benchmarks.JobWallTime;

/// <summary>One node's part of the plain-text job: where its records are and the consents it holds.</summary>
public sealed record PlainSite(Guid CohortId, ILocalDataSource Data, ConsentStore Consents);

/// <summary>
/// <see cref="WallTimeQuery"/> computed in plain text by the nodes' own code, as <c>JobTasks.ContributeAsync</c> does it up
/// to the encryption: every site reads its records through its <see cref="ILocalDataSource"/>, drops each subject whose
/// consent does not cover the purpose, applies <see cref="RecordFilter"/> and computes its <see cref="LocalVector"/>;
/// the sites work concurrently, as the agents do, and their vectors are summed. No encryption, no platform.
/// </summary>
public static class PlainJob
{
    private static readonly Dictionary<string, VariableDefinition> Variables =
        CovidCohort.Variables.ToDictionary(v => v.Name!, StringComparer.Ordinal);

    public static async Task<long[]> ComputeAsync(IReadOnlyList<PlainSite> sites, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var vectors = await Task.WhenAll(sites.Select(site => Task.Run(() => LocalAsync(site, cancellationToken), cancellationToken)));
        var sum = new long[vectors[0].Length];
        foreach (var vector in vectors)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] = checked(sum[i] + vector[i]);
            }
        }
        return sum;
    }

    /// <summary>The released statistic of a summed vector: the mean, in the variable's unit.</summary>
    public static double Mean(long[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        return vector[0] / Math.Pow(10, WallTimeQuery.DecimalPlaces) / vector[1];
    }

    private static async Task<long[]> LocalAsync(PlainSite site, CancellationToken cancellationToken)
    {
        var data = await site.Data.ReadAsync(CovidCohort.Variables, cancellationToken);
        var records = data.Records
            .Where(r => Consents(site, r.SubjectRef))
            .Where(RecordFilter.Compile(WallTimeQuery.Filter, Variables))
            .ToList();
        return LocalVector.Compute(WallTimeQuery.Aggregation, WallTimeQuery.DecimalPlaces, records, Variables);
    }

    /// <summary>The agent's consent check (JobTasks.Consents, private there): a granted consent whose purposes cover the job's.</summary>
    public static bool Consents(PlainSite site, string subjectRef) =>
        site.Consents.Find(site.CohortId, subjectRef) is { Status: ConsentStore.Granted } consent && DuoCoverage.Covers(consent.Purposes, WallTimeQuery.Purpose);
}
