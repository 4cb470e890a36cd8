using System.Text.Json.Nodes;
using Dragon.Platform.Identity;
using Dragon.Platform.Nodes;
using Dragon.Platform.Persistence;
using Dragon.Platform.Policies;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Audit;

/// <summary>The GDPR art. 30 register: <c>policies/processing.json</c> plus live figures from the database.</summary>
public sealed class RecordsOfProcessing(DragonDbContext db, ProcessingRegister register, TimeProvider time)
{
    public async Task<JsonObject> BuildAsync(CancellationToken cancellationToken)
    {
        var roles = await (from userRole in db.UserRoles
                           join role in db.Roles on userRole.RoleId equals role.Id
                           group userRole by role.Name into byRole
                           select new { Role = byRole.Key, Count = byRole.Count() }).ToListAsync(cancellationToken);
        var figures = new JsonObject
        {
            ["accountsByRole"] = new JsonObject(DragonRoles.UserRoles.Select(role =>
                KeyValuePair.Create(role, (JsonNode?)JsonValue.Create(roles.SingleOrDefault(r => r.Role == role)?.Count ?? 0)))),
            ["activeNodes"] = await db.Nodes.CountAsync(n => n.Status == NodeStatus.Active, cancellationToken),
            ["cohorts"] = await db.Cohorts.CountAsync(cancellationToken),
            ["auditEvents"] = await db.AuditEvents.LongCountAsync(cancellationToken),
            ["personsErased"] = await db.PersonKeys.CountAsync(k => k.ErasedAt != null, cancellationToken),
        };
        var document = register.Copy();
        document["generatedAt"] = time.GetUtcNow().ToString("O");
        document["figures"] = figures;
        return document;
    }
}

/// <summary><c>policies/processing.json</c>, loaded at start-up.</summary>
public sealed class ProcessingRegister
{
    public const string FileName = "processing.json";

    private readonly string _json;

    private ProcessingRegister(string json) => _json = json;

    public JsonObject Copy() => JsonNode.Parse(_json)!.AsObject();

    public static ProcessingRegister Load(string policyDirectory) =>
        PolicyFile.Load(policyDirectory, FileName, "processing", root =>
        {
            if (!root.TryGetProperty("controller", out _) || !root.TryGetProperty("activities", out var activities) || activities.GetArrayLength() == 0)
            {
                throw new PolicyException($"policy.processing.incomplete: {FileName} needs a controller and at least one activity.");
            }
            return new ProcessingRegister(root.GetRawText());
        });
}
