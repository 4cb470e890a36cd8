using Dragon.Platform.Api.Demo;
using Dragon.Platform.Api.Features.Access;
using Dragon.Platform.Api.Features.Audit;
using Dragon.Platform.Api.Features.Catalogue;
using Dragon.Platform.Api.Features.Consent;
using Dragon.Platform.Api.Features.Identity;
using Dragon.Platform.Api.Features.Jobs;
using Dragon.Platform.Api.Features.Nodes;
using Dragon.Platform.Api.Features.Portal;
using Dragon.Platform.Api.Infrastructure;

if (args is [AuditVerifyCommand.Name, ..])
{
    return await AuditVerifyCommand.RunAsync(args[1..], Console.Out);
}

(args, var demo) = DemoSetup.Take(args);
var builder = WebApplication.CreateBuilder(args);
if (demo || builder.Configuration.GetValue<bool>("Demo:Enabled"))
{
    builder.AddDemo();
}
builder.AddApiDefaults();
builder.AddDragonPersistence();
builder.AddDragonIdentity();
builder.AddDragonEmail();
builder.AddDragonAuthorization();
builder.AddDragonJobs();
builder.AddDragonTelemetry();
builder.AddDragonHealth();
builder.AddAudit();
builder.AddAccess();
builder.Services.AddCatalogue();
builder.Services.AddConsent();
builder.AddJobs();
builder.AddPortal();

var app = builder.Build();
await app.MigrateDragonDatabaseAsync();
await app.SeedDragonIdentityAsync();
await app.RecoverDragonWorkAsync();
app.UseHostSecurity();
app.WarnAboutDroppedEmail();
app.UseApiDefaults();
app.MapDragonHealth();
app.MapDragonJobs();
app.ScheduleAuditJobs();
app.ScheduleAccessJobs();
app.ScheduleJobDeadlines();
app.MapTokenEndpoint();
app.MapAuthorizeEndpoint();
app.MapLoginPages();
app.MapAccountEndpoints();
app.MapNodeEndpoints();
app.MapCatalogueEndpoints();
app.MapAuditEndpoints();
app.MapConsentEndpoints();
app.MapAccessEndpoints();
app.MapKeySetEndpoints();
app.MapJobEndpoints();
app.MapNodeTaskEvents();
app.MapPortal();
await app.RunAsync();
return 0;

/// <summary>The platform host; public so that integration tests can start it.</summary>
public partial class Program;
