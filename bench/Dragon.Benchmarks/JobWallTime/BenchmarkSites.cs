using Dragon.Contracts.Consent;
using Dragon.Node.Agent;
using Dragon.Node.Data;
using Dragon.Node.State;
using Dragon.Platform.Api.Demo;

namespace Dragon.Benchmarks.JobWallTime;

/// <summary>The benchmark's hospitals: <c>s01</c>, <c>s02</c>... each with its own seed, so both cases of a size hold the same records.</summary>
public static class BenchmarkSites
{
    public static IReadOnlyList<DemoHospital> Hospitals(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new DemoHospital($"Site {i:00}", $"Benchmark hospital {i:00}", "NL", $"s{i:00}", 1000 + i))];

    /// <summary>
    /// The plain case's sites without a platform: each hospital's data file written as <see cref="DemoNode"/> writes it
    /// (same seed, same bytes), and a node consent store filled with its patients' consents as the agent's sync fills it.
    /// </summary>
    public static IReadOnlyList<PlainSite> WritePlain(string folder, int count, int recordsPerSite)
    {
        var sites = new List<PlainSite>();
        foreach (var hospital in Hospitals(count))
        {
            var site = Directory.CreateDirectory(Path.Combine(folder, hospital.Prefix)).FullName;
            var patients = CovidCohort.Generate(hospital.Prefix, recordsPerSite, hospital.Seed);
            var dataFile = Path.Combine(site, "records.csv");
            File.WriteAllText(dataFile, CovidCohort.DataCsv(patients));
            var cohortId = Guid.NewGuid();
            var consents = SeedConsents(StateFolder.Create(Path.Combine(site, "state")), cohortId, patients);
            sites.Add(new PlainSite(cohortId, new CsvDataSource(dataFile), consents));
        }
        return sites;
    }

    /// <summary>
    /// Fills a node's consent store with what the agent's sync would bring for <paramref name="patients"/> (each asked
    /// patient's consent, version 1, in file order), as one page of the feed applied the agent's way.
    /// </summary>
    public static ConsentStore SeedConsents(StateFolder folder, Guid cohortId, IEnumerable<CovidPatient> patients)
    {
        var changes = patients.Where(p => p.Consent is not null)
            .Select((p, i) => new ConsentChange(i + 1, Guid.NewGuid(), cohortId, p.SubjectRef, 1, p.Consent!, [CovidCohort.ConsentedPurpose], DateTimeOffset.UtcNow))
            .ToList();
        var consents = ConsentStore.Open(folder);
        consents.Apply(new ConsentFeed(changes, changes.Count));
        return consents;
    }
}
