using System.Security.Claims;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.BackgroundWork;
using Dragon.Platform.Common;
using Dragon.Platform.Identity;
using Dragon.Platform.Jobs;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Dragon.Platform.Api.Features.Jobs;

public static class JobEndpoints
{
    /// <summary>An encrypted vector of the largest preset is a few MiB; 32 MiB of base64 JSON leaves room for long crosstabs.</summary>
    public const long MaxUploadBodyBytes = 32 * 1024 * 1024;

    /// <summary>A commitment is a 64-character digest and a 64-byte signature in base64.</summary>
    public const long MaxCommitmentBodyBytes = 4 * 1024;

    /// <summary>A refusal's reason of at most 1,000 characters, each up to 4 bytes, with room for the rest.</summary>
    public const long MaxRefusalBodyBytes = 8 * 1024;

    public const string DeadlineJobId = "job-deadlines";

    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(builder.Configuration.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions());
        builder.Services.AddScoped<KeySets>();
        builder.Services.AddScoped<JobEngine>();
        builder.Services.AddScoped<ModelRounds>();
        builder.Services.AddScoped<JobUploads>();
        builder.Services.AddScoped<JobNodeTasks>();
        builder.Services.AddScoped<NodeTaskWatch>();
        builder.Services.AddSingleton<JobChangeSignal>();
        builder.Services.AddSingleton<IInterceptor, JobChangeInterceptor>();
        builder.Services.AddSingleton(builder.Configuration.GetSection(NodePushOptions.Section).Get<NodePushOptions>() ?? new NodePushOptions());
        builder.Services.AddScoped<IWorkHandler, JobStartWork>();
        builder.Services.AddScoped<IWorkHandler, JobAggregateWork>();
        builder.Services.AddScoped<IWorkHandler, JobReleaseWork>();
        return builder;
    }

    public static WebApplication ScheduleJobDeadlines(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<JobEngine>(DeadlineJobId, engine => engine.EnforceDeadlinesAsync(CancellationToken.None), app.Services.GetRequiredService<JobOptions>().DeadlineCheck);
        return app;
    }

    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Jobs");
        jobs.MapPost("/", SubmitAsync).WithName("SubmitJob")
            .WithSummary("Submits an aggregation under an active agreement; it runs across the cohorts' nodes.")
            .RequirePermission(Permissions.JobsSubmit);
        jobs.MapGet("/", ListAsync).WithName("ListJobs")
            .WithSummary("The researcher's jobs, the jobs over a steward's cohorts, or all for an auditor.")
            .RequirePermission(Permissions.JobsRead);
        jobs.MapGet("/{id:guid}", GetAsync).WithName("GetJob")
            .WithSummary("A job's status, its nodes' progress and, once released, its result.")
            .RequirePermission(Permissions.JobsRead);
        jobs.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelJob")
            .WithSummary("Cancels an unfinished job (its researcher, its stewards).")
            .RequirePermission(Permissions.JobsCancel);
        jobs.MapPost("/{id:guid}/commitments", CommitAsync).WithName("UploadCommitment")
            .WithSummary("A node of the job uploads its signed commitment to the ciphertext it will contribute (idempotent).")
            .RequirePermission(Permissions.NodesSelf)
            .WithMetadata(new RequestSizeLimitAttribute(MaxCommitmentBodyBytes))
            .RequireRateLimiting(IdentitySetup.NodeUploadLimit);
        jobs.MapPost("/{id:guid}/refusals", RefuseAsync).WithName("RefuseJob")
            .WithSummary("A node of the job refuses its task by one of its own checks: the job fails at once, naming the node and its reason.")
            .RequirePermission(Permissions.NodesSelf)
            .WithMetadata(new RequestSizeLimitAttribute(MaxRefusalBodyBytes));
        jobs.MapGet("/{id:guid}/contributions", ContributionsAsync).WithName("JobContributions")
            .WithSummary("A decrypting job's contributions as binary (each a 4-byte big-endian length, then the ciphertext), for its nodes to check the aggregate.")
            .Produces(StatusCodes.Status200OK, contentType: CiphertextFrames.MediaType)
            .RequirePermission(Permissions.NodesSelf);
        jobs.MapPost("/{id:guid}/contributions", ContributeAsync).WithName("UploadContribution")
            .WithSummary("A node of the job uploads the encrypted local vector it committed to, once every node has committed (idempotent): its bytes as application/octet-stream, or base64 in JSON.")
            .Accepts<ContributionUpload>("application/json", CiphertextFrames.MediaType)
            .RequirePermission(Permissions.NodesSelf)
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadBodyBytes))
            .RequireRateLimiting(IdentitySetup.NodeUploadLimit);
        jobs.MapPost("/{id:guid}/decryption-shares", ShareAsync).WithName("UploadDecryptionShare")
            .WithSummary("A node of the job uploads its decryption share for the aggregate in its task (idempotent).")
            .RequirePermission(Permissions.NodesSelf)
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadBodyBytes))
            .RequireRateLimiting(IdentitySetup.NodeUploadLimit);
        return app;
    }

    public static async Task<Results<Accepted<JobResponse>, ProblemHttpResult>> SubmitAsync(
        JobRequest request, JobEngine engine, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var job = await engine.SubmitAsync(user.Id(), request, cancellationToken);
        return job.Succeeded ? TypedResults.Accepted($"/api/v1/jobs/{job.Value.Id}", job.Value) : DomainProblems.ToProblem(job.Error);
    }

    public static Task<Results<Ok<Paged<JobResponse>>, ProblemHttpResult>> ListAsync(
        JobEngine engine, ClaimsPrincipal user, CancellationToken cancellationToken, int? page = null, int? pageSize = null) =>
        ListQuery.PagedAsync(page, pageSize, paging => engine.ListAsync(user.Id(), user.IsInRole(DragonRoles.Auditor), paging, cancellationToken));

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetAsync(Guid id, JobEngine engine, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await engine.GetAsync(id, user.Id(), user.IsInRole(DragonRoles.Auditor), cancellationToken));

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> CancelAsync(Guid id, JobEngine engine, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await engine.CancelAsync(id, user.Id(), cancellationToken));

    public static async Task<Results<Ok<NodeJobResponse>, ProblemHttpResult>> RefuseAsync(
        Guid id, JobRefusal refusal, JobEngine engine, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await engine.RefuseAsync(id, user.Id(), refusal, cancellationToken));

    public static async Task<Results<Ok<NodeJobResponse>, ProblemHttpResult>> CommitAsync(
        Guid id, CommitmentUpload upload, JobUploads uploads, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await uploads.CommitAsync(id, user.Id(), upload, cancellationToken));

    /// <summary>The ciphertext as the body's bytes (<c>application/octet-stream</c>, as agents send it) or as base64 in JSON.</summary>
    public static async Task<Results<Ok<NodeJobResponse>, ProblemHttpResult>> ContributeAsync(
        Guid id, HttpRequest request, JobUploads uploads, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (request.HasJsonContentType())
        {
            ContributionUpload? upload;
            try
            {
                upload = await request.ReadFromJsonAsync<ContributionUpload>(DragonJson.Options, cancellationToken);
            }
            catch (System.Text.Json.JsonException)
            {
                upload = null;
            }
            return DomainProblems.OkOrProblem(await uploads.ContributeAsync(id, user.Id(), upload ?? new ContributionUpload(null), cancellationToken));
        }
        if (!string.Equals(request.ContentType, CiphertextFrames.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: $"Send the contribution as {CiphertextFrames.MediaType} (its bytes) or as application/json ({{ \"ciphertext\": base64 }}).");
        }
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        return DomainProblems.OkOrProblem(await uploads.ContributeAsync(id, user.Id(), body.ToArray(), cancellationToken));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ContributionsAsync(
        Guid id, JobNodeTasks tasks, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var frames = await tasks.ContributionsAsync(id, user.Id(), cancellationToken);
        return frames.Succeeded ? TypedResults.Bytes(frames.Value, CiphertextFrames.MediaType) : DomainProblems.ToProblem(frames.Error);
    }

    public static async Task<Results<Ok<NodeJobResponse>, ProblemHttpResult>> ShareAsync(
        Guid id, DecryptionShareUpload upload, JobUploads uploads, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await uploads.ShareAsync(id, user.Id(), upload, cancellationToken));
}
