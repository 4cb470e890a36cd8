using Dragon.Platform.Api.Features.Catalogue;
using Dragon.Platform.Api.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddApiDefaults();
builder.AddDragonPersistence();
builder.AddDragonJobs();
builder.AddDragonHealth();
builder.Services.AddCatalogue();

var app = builder.Build();
await app.MigrateDragonDatabaseAsync();
await app.RecoverDragonWorkAsync();
app.UseApiDefaults();
app.MapDragonHealth();
app.MapDragonJobs();
app.MapCatalogueEndpoints();
await app.RunAsync();

/// <summary>The platform host; public so that integration tests can start it.</summary>
public partial class Program;
