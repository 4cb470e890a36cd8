using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace Dragon.Platform.Tests.Infrastructure;

/// <summary>
/// Firely's validator over the FHIR R4 specification (its base profiles and the value sets it carries), built once for
/// the test run: it takes seconds to load.
/// </summary>
public static class FhirValidation
{
    private static readonly Lazy<Validator> Shared = new(() =>
    {
        var specification = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(specification.AsAsync(), new LocalTerminologyService(specification.AsAsync()));
    });

    /// <summary>The issues of error or fatal severity the validator finds in <paramref name="resource"/> against its base profile.</summary>
    public static IReadOnlyList<string> Errors(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        OperationOutcome outcome;
        lock (Shared)
        {
            outcome = Shared.Value.Validate(resource);
        }
        return [.. outcome.Issue
            .Where(issue => issue.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(issue => $"{string.Join(",", issue.Expression ?? [])}: {issue.Details?.Text ?? issue.Diagnostics}")];
    }
}
