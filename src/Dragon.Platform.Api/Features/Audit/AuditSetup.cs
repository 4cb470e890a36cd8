using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Audit;
using Dragon.Platform.Policies;
using Hangfire;

namespace Dragon.Platform.Api.Features.Audit;

public static class AuditSetup
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuditOptions.Section).Get<AuditOptions>() ?? new AuditOptions();
        var policies = (builder.Configuration.GetSection(PolicyOptions.Section).Get<PolicyOptions>() ?? new PolicyOptions()).ResolveDirectory();
        if (builder.IsHardened() && string.IsNullOrWhiteSpace(builder.Configuration["Audit:SigningKeyPath"]))
        {
            // The default sits next to the SQLite file: whoever can rewrite the database could then replace the key too.
            throw new InvalidOperationException(
                $"config.audit.signing_key_missing: set Audit:SigningKeyPath to a file outside the database's volume; every environment but Development ({builder.Environment.EnvironmentName} here) needs it.");
        }
        var keyPath = Path.GetFullPath(options.SigningKeyPath, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(options);
        var historyPath = string.IsNullOrWhiteSpace(options.KeyHistoryPath)
            ? Path.ChangeExtension(keyPath, ".history.json")
            : Path.GetFullPath(options.KeyHistoryPath, builder.Environment.ContentRootPath);
        var wrappingPath = string.IsNullOrWhiteSpace(options.PersonKeyWrappingPath)
            ? Path.Combine(Path.GetDirectoryName(keyPath)!, "person-key-wrapping.key")
            : Path.GetFullPath(options.PersonKeyWrappingPath, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(_ => AuditSigningKey.LoadOrCreate(keyPath));
        builder.Services.AddSingleton<AuditReceipts>();
        builder.Services.AddSingleton(_ => PersonKeyWrapping.LoadOrCreate(wrappingPath));
        builder.Services.AddSingleton(services => AuditKeyHistory.Open(
            historyPath, services.GetRequiredService<AuditSigningKey>(), services.GetRequiredService<TimeProvider>().GetUtcNow()));
        builder.Services.AddSingleton(ProcessingRegister.Load(policies));
        builder.Services.AddSingleton(RetentionPolicy.Load(policies));
        builder.Services.AddScoped<PersonalDataVault>();
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddScoped<AuditVerification>();
        builder.Services.AddSingleton<AuditVerifiedPoint>();
        builder.Services.AddScoped<AuditCheckpoints>();
        builder.Services.AddScoped<AuditQueries>();
        builder.Services.AddScoped<RecordsOfProcessing>();
        builder.Services.AddScoped<RetentionJob>();
        builder.Services.AddScoped<PersonErasure>();
        return builder;
    }

    /// <summary>Schedules checkpoint signing and retention; both are idempotent, so several hosts may run them.</summary>
    public static WebApplication ScheduleAuditJobs(this WebApplication app)
    {
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        var options = app.Services.GetRequiredService<AuditOptions>();
        jobs.AddOrUpdate<AuditCheckpoints>(AuditCheckpoints.RecurringJobId, checkpoints => checkpoints.SignLatestAsync(CancellationToken.None), options.CheckpointSchedule);
        jobs.AddOrUpdate<RetentionJob>(RetentionJob.RecurringJobId, retention => retention.ApplyAsync(CancellationToken.None), Cron.Daily(3));
        return app;
    }
}
