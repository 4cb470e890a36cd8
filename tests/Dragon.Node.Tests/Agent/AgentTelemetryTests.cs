using System.Collections.Concurrent;
using System.Diagnostics;
using Dragon.Node.Agent;
using Dragon.Node.Tests.Jobs;

namespace Dragon.Node.Tests.Agent;

/// <summary>The agent's spans: one per round and one per task, tagged with the job, so a trace shows where a job waited at a node.</summary>
public sealed class AgentTelemetryTests
{
    [Fact]
    public async Task ServingATask_LeavesASpanTaggedWithItsJob_InsideTheRoundsSpan()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AgentTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        var manifest = node.Manifest();

        await node.ServeAsync(node.CommitmentTask(manifest));

        var task = Assert.Single(spans, s => s.OperationName == "task.commitment" && Equals(s.GetTagItem("dragon.job.id"), manifest.JobId.ToString()));
        var round = Assert.Single(spans, s => s.OperationName == "round" && s.SpanId == task.ParentSpanId);
        Assert.Equal(node.KeySetId.ToString(), task.GetTagItem("dragon.keyset.id"));
        Assert.NotNull(round);
    }

    [Fact]
    public void WithoutACollector_NothingIsExported()
    {
        Assert.Null(AgentTelemetry.Start(_ => null, Guid.NewGuid()));
        using var tracer = AgentTelemetry.Start(name => name == AgentTelemetry.EndpointVariable ? "http://127.0.0.1:9" : null, Guid.NewGuid());
        Assert.NotNull(tracer);
    }
}
