using Dragon.Contracts.Jobs;

namespace Dragon.Platform.Api.Demo;

/// <summary>What the demo built and released: its hospitals (with their synthetic patients), each query's finished job, and the model's.</summary>
public sealed record DemoOutcome(IReadOnlyList<DemoNode> Nodes, IReadOnlyList<(DemoQuery Query, JobResponse Job)> Jobs, JobResponse? Model = null);
