using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Audit;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Audit;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// A node's upload is answered with the platform's signed receipt of the audit event that records it, and the node can
/// read its own events in the trail to hold them against its log.
/// </summary>
public sealed class UploadReceiptTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public async Task Upload_IsReceiptedWithTheEventsSequenceAndHash_SignedByTheAuditKey_AndTheSameUploadAgainIsNot()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        var node = s.Nodes[0];

        var first = await (await s.CommitAsync(node, job.Id, [4])).ReadAsAsync<NodeJobResponse>(HttpStatusCode.OK);
        var task = await JobScenario.WaitForTaskAsync(s.Nodes[1], job.Id, "commitment");
        var again = await (await node.Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/commitments",
            JobScenario.Commitment(node, task, Convert.FromBase64String(s.Contributions[(node.Credentials.NodeId, job.Id)].Ciphertext!)), DragonJson.Options))
            .ReadAsAsync<NodeJobResponse>(HttpStatusCode.OK);
        var events = await (await node.Client.GetAsync("/api/v1/nodes/me/audit-events")).ReadAsAsync<List<AuditEventResponse>>(HttpStatusCode.OK);
        var keys = await (await fixture.Factory.CreateClient().GetAsync("/api/v1/audit/keys")).ReadAsAsync<List<AuditKeyResponse>>(HttpStatusCode.OK);

        var receipt = first.Receipt!;
        Assert.Null(again.Receipt);
        var recorded = Assert.Single(events, e => e.Sequence == receipt.Sequence);
        Assert.Equal(("Job_CommitmentReceived", job.Id.ToString(), receipt.Hash), (recorded.Action, recorded.ObjectId, recorded.Hash));
        Assert.All(events, e => Assert.Equal(("Node", node.Credentials.NodeId.ToString()), (e.ActorType, e.ActorId)));
        var key = Assert.Single(keys, k => k.KeyId == receipt.KeyId);
        Assert.True(AuditSigningKey.Verify(key.PublicKeyPem, AuditReceipt.Statement(receipt.Origin, receipt.Sequence, receipt.Hash), receipt.Signature));
        Assert.False(AuditSigningKey.Verify(key.PublicKeyPem, AuditReceipt.Statement(receipt.Origin, receipt.Sequence + 1, receipt.Hash), receipt.Signature));
    }

    [Fact]
    public async Task OwnAuditEvents_AreAfterTheCursor_AndOnlyForNodes()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var researcher = s.Researcher.Client;

        var past = await (await s.Nodes[0].Client.GetAsync("/api/v1/nodes/me/audit-events?after=999999999")).ReadAsAsync<List<AuditEventResponse>>(HttpStatusCode.OK);

        Assert.Empty(past);
        await (await s.Nodes[0].Client.GetAsync("/api/v1/nodes/me/audit-events?after=-1")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Forbidden, (await researcher.GetAsync("/api/v1/nodes/me/audit-events")).StatusCode);
    }
}
