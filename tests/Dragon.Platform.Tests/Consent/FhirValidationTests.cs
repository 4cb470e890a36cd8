using Dragon.Platform.Tests.Infrastructure;
using FhirConsent = Hl7.Fhir.Model.Consent;

namespace Dragon.Platform.Tests.Consent;

/// <summary>The validator the consent export is checked with finds what R4 requires: it is not one that passes everything.</summary>
public sealed class FhirValidationTests
{
    [Fact]
    public void ConsentWithoutStatusScopeOrCategory_IsInvalid()
    {
        var errors = FhirValidation.Errors(new FhirConsent { Id = "empty" });

        Assert.Contains(errors, e => e.Contains("status", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(errors, e => e.Contains("scope", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(errors, e => e.Contains("category", StringComparison.OrdinalIgnoreCase));
    }
}
