using Dragon.Contracts.Jobs;

namespace Dragon.Platform.Api.Demo;

/// <summary>What the demo built and released: its hospitals (with their synthetic patients) and each query's finished job.</summary>
public sealed record DemoOutcome(IReadOnlyList<DemoNode> Nodes, IReadOnlyList<(DemoQuery Query, JobResponse Job)> Jobs);
