using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Dragon.Platform.Api.Infrastructure;

public static class PersistenceSetup
{
    public static WebApplicationBuilder AddDragonPersistence(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connection = new DatabaseConnection(options.Provider, ConnectionString(builder, options.Provider));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(connection);
        // Features that watch commands (see JobChangeInterceptor) register an IInterceptor; every context gets them all.
        builder.Services.AddDbContext<DragonDbContext>((services, db) => db
            .UseDragonDatabase(connection.Provider, connection.ConnectionString)
            .AddInterceptors(services.GetServices<IInterceptor>()));
        return builder;
    }

    public static async Task MigrateDragonDatabaseAsync(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<DatabaseOptions>().MigrateOnStartup)
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DragonDbContext>().Database.MigrateAsync();
    }

    private static string ConnectionString(WebApplicationBuilder builder, DatabaseProvider provider)
    {
        var configured = builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (provider == DatabaseProvider.Sqlite)
        {
            return DatabaseSetup.PrepareSqliteConnectionString(
                string.IsNullOrWhiteSpace(configured) ? DatabaseOptions.DefaultSqliteConnectionString : configured,
                builder.Environment.ContentRootPath);
        }
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                $"config.database.connection_string_missing: Database:Provider is {provider}; set ConnectionStrings:{DatabaseOptions.ConnectionStringName}.");
        }
        return configured;
    }
}
