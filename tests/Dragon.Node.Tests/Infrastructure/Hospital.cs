using Dragon.Node.Cli;
using Dragon.Node.Jobs;

namespace Dragon.Node.Tests.Infrastructure;

/// <summary>What a hospital does before its agent runs, through the real <c>dragon-node</c> commands against the in-process platform.</summary>
public static class Hospital
{
    /// <summary>Runs one command to its end and fails the test, with the command's errors, unless it succeeded.</summary>
    public static async Task<TestConsole> CliAsync(this PlatformHost platform, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var console = new TestConsole(platform.Handler);
        var code = await NodeCli.RunAsync(args, console.Console);
        Assert.True(code == NodeCli.Succeeded, $"{args[0]}: {console.Error}");
        return console;
    }

    /// <summary>
    /// Has every node pin every other node's identity fingerprint with <c>identity</c> and <c>peers trust</c>, as the
    /// hospitals of a consortium do out of band before their first key set.
    /// </summary>
    public static async Task PinPeersAsync(this PlatformHost platform, IEnumerable<string> states)
    {
        var all = states.ToList();
        var fingerprints = new List<string>();
        foreach (var state in all)
        {
            fingerprints.Add((await platform.CliAsync("identity", "--state", state)).Result);
        }
        foreach (var (state, i) in all.Select((s, i) => (s, i)))
        {
            foreach (var fingerprint in fingerprints.Where((_, j) => j != i))
            {
                await platform.CliAsync("peers", "trust", fingerprint, "--state", state);
            }
        }
    }

    /// <summary>
    /// Enrolls a node with its state in <paramref name="state"/>, has it approved, publishes <paramref name="cohortJson"/>
    /// and registers the consents file <paramref name="consentRows"/> writes for the new cohort (rows after the header).
    /// </summary>
    public static async Task<(Guid NodeId, Guid CohortId)> JoinAsync(
        this PlatformHost platform, TempFolder temp, string state, string cohortJson, Func<Guid, string> consentRows)
    {
        ArgumentNullException.ThrowIfNull(temp);
        ArgumentNullException.ThrowIfNull(consentRows);
        var nodeId = Guid.Parse((await platform.CliAsync("enroll", "--platform", platform.Address.ToString(), "--token", await platform.EnrollmentTokenAsync(),
            "--name", $"node {Guid.NewGuid():N}", "--organisation", PlatformHost.Organisation, "--country", "NL", "--state", state,
            "--contact-email", "it@radboud.test")).Result);
        await platform.ApproveAsync(nodeId);
        // These hospitals take part in the tests' exact releases, which check sums against the plain data.
        await File.WriteAllTextAsync(Path.Combine(state, NodePolicy.FileName), """{ "allowExactRelease": true }""");
        var cohortId = Guid.Parse((await platform.CliAsync("publish-cohort", "--state", state, "--file", temp.File($"cohort-{Guid.NewGuid():N}.json", cohortJson))).Result);
        await platform.CliAsync("consent", "--state", state, "--file",
            temp.File($"consents-{Guid.NewGuid():N}.csv", "subject_ref,cohort_id,purposes,status\n" + consentRows(cohortId)));
        return (nodeId, cohortId);
    }
}
