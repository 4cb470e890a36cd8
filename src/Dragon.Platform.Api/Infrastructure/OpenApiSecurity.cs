using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>
/// What a generated client needs from the OpenAPI document beyond the routes: how to sign in (OAuth 2.0 authorization
/// code with PKCE for people, client credentials for nodes, both at the platform's own token server), which operations
/// need it, the problem+json answers every protected operation can give, and examples of each kind of job request.
/// </summary>
public static class OpenApiSecurity
{
    public const string SchemeName = "oauth2";
    private const string ProblemSchema = "ProblemDetails";
    private const string ProblemMediaType = "application/problem+json";

    /// <summary>The scopes the token server registers, as the document lists them.</summary>
    private static readonly Dictionary<string, string> Scopes = new(StringComparer.Ordinal)
    {
        ["openid"] = "Sign in (OpenID Connect).",
        ["profile"] = "Your name.",
        ["email"] = "Your e-mail address.",
        ["roles"] = "Your roles (Researcher, DataSteward, Admin, Auditor, Patient, PartnerNode): what the API lets you do.",
        ["offline_access"] = "Refresh tokens, to stay signed in.",
    };

    public static OpenApiOptions AddSecurityAndProblems(this OpenApiOptions options) =>
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OAuth2,
                Description = "People sign in with the authorization code flow and PKCE; partner nodes with client credentials (their enrollment's client id and secret).",
                Flows = new OpenApiOAuthFlows
                {
                    AuthorizationCode = new OpenApiOAuthFlow
                    {
                        AuthorizationUrl = new Uri("/connect/authorize", UriKind.Relative),
                        TokenUrl = new Uri("/connect/token", UriKind.Relative),
                        RefreshUrl = new Uri("/connect/token", UriKind.Relative),
                        Scopes = Scopes,
                    },
                    ClientCredentials = new OpenApiOAuthFlow
                    {
                        TokenUrl = new Uri("/connect/token", UriKind.Relative),
                        Scopes = new Dictionary<string, string>(StringComparer.Ordinal) { ["roles"] = Scopes["roles"] },
                    },
                },
            };
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[ProblemSchema] = Problem();
            foreach (var (path, item) in document.Paths)
            {
                foreach (var (method, operation) in item.Operations ?? [])
                {
                    Describe(document, path, method, operation);
                }
            }
            return Task.CompletedTask;
        });

    private static void Describe(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation)
    {
        operation.Responses ??= new OpenApiResponses();
        if (method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch || operation.Parameters is { Count: > 0 })
        {
            AddProblem(document, operation, "400", "The request is invalid: `errors` names each field and what is wrong with it.");
        }
        if (path.Contains('{', StringComparison.Ordinal))
        {
            AddProblem(document, operation, "404", "No such object, or one the caller may not see.");
        }
        if (path == "/api/v1/jobs" && method == HttpMethod.Post)
        {
            AddJobExamples(operation);
        }
        if (operation.Extensions?.ContainsKey(PermissionEndpoints.OpenApiPublic) ?? false)
        {
            return;
        }
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = ["roles"] }];
        AddProblem(document, operation, "401", "No valid access token.");
        AddProblem(document, operation, "403", "The caller's role does not allow this operation.");
    }

    private static void AddProblem(OpenApiDocument document, OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                [ProblemMediaType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }

    /// <summary>RFC 9457 problem details as this API writes them: a stable <c>code</c>, and <c>errors</c> by field for invalid requests.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An error (RFC 9457). `code` is stable for clients to branch on; `errors` lists each invalid field's messages.",
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };

    /// <summary>One example request per kind of job a researcher submits.</summary>
    private static void AddJobExamples(OpenApiOperation operation)
    {
        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var json) != true || json is null)
        {
            return;
        }
        const string Ids = "\"agreementId\": \"3f1c2a9e-8a7b-4c1d-9e2f-1a2b3c4d5e6f\", \"keySetId\": \"9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\", \"cohortIds\": [\"0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a\", \"5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d\", \"e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b\"]";
        json.Examples = new Dictionary<string, IOpenApiExample>(StringComparer.Ordinal)
        {
            ["count"] = Example("How many consenting patients died", $$"""{ {{Ids}}, "filter": [{ "variable": "outcome", "op": "eq", "value": "deceased" }], "aggregation": { "kind": "count" } }"""),
            ["mean"] = Example("Mean CRP at admission", $$"""{ {{Ids}}, "aggregation": { "kind": "mean", "variable": "crp" } }"""),
            ["variance"] = Example("Variance of age", $$"""{ {{Ids}}, "aggregation": { "kind": "variance", "variable": "age" } }"""),
            ["histogram"] = Example("Admissions by CT severity score", $$"""{ {{Ids}}, "aggregation": { "kind": "histogram", "variable": "ct_severity", "bins": [0, 5, 10, 15, 20, 26] } }"""),
            ["sum"] = Example("Sum of CT severity scores of ICU patients", $$"""{ {{Ids}}, "filter": [{ "variable": "icu", "op": "eq", "value": true }], "aggregation": { "kind": "sum", "variable": "ct_severity" } }"""),
            ["crosstab"] = Example("Outcome by ICU admission", $$"""{ {{Ids}}, "aggregation": { "kind": "crosstab", "groupBy": ["icu", "outcome"] } }"""),
            ["glm"] = Example("Logistic regression of the outcome on age, CT severity, CRP and ICU admission", $$"""{ {{Ids}}, "aggregation": { "kind": "glm", "family": "binomial", "outcome": "outcome", "covariates": ["age", "ct_severity", "crp", "icu"] } }"""),
        };
    }

    private static OpenApiExample Example(string summary, string json) => new() { Summary = summary, Value = JsonNode.Parse(json) };
}
