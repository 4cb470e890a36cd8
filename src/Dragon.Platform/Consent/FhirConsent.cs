using Dragon.Platform.Policies;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Dragon.Platform.Consent;

/// <summary>A consent as an HL7 FHIR R4 <c>Consent</c> resource (scope research), built with the Firely SDK.</summary>
public static class FhirConsent
{
    public const string DuoSystem = "http://purl.obolibrary.org/obo/duo.owl";
    public const string SubjectSystemPrefix = "urn:dragon:node:";

    public static Hl7.Fhir.Model.Consent Build(ConsentRecord consent, DataUsePolicy dataUse)
    {
        ArgumentNullException.ThrowIfNull(consent);
        ArgumentNullException.ThrowIfNull(dataUse);
        var current = consent.Current;
        var granted = current.Status == ConsentStatus.Granted;
        var first = consent.Versions.MinBy(v => v.Version)!;
        return new Hl7.Fhir.Model.Consent
        {
            Id = consent.Id.ToString(),
            Meta = new Meta { VersionId = current.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), LastUpdated = current.RecordedAt },
            Status = granted ? Hl7.Fhir.Model.Consent.ConsentState.Active : Hl7.Fhir.Model.Consent.ConsentState.Inactive,
            Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "research", "Research"),
            Category = [new CodeableConcept("http://loinc.org", "59284-0", "Patient Consent")],
            Patient = new ResourceReference
            {
                Identifier = new Identifier($"{SubjectSystemPrefix}{consent.NodeId}:subject", consent.SubjectRef),
                Display = "pseudonymous subject",
            },
            DateTimeElement = new FhirDateTime(current.RecordedAt),
            PolicyRule = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActCode", granted ? "OPTIN" : "OPTOUT"),
            Provision = new Hl7.Fhir.Model.Consent.provisionComponent
            {
                Type = granted ? Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit : Hl7.Fhir.Model.Consent.ConsentProvisionType.Deny,
                Period = new Period(new FhirDateTime(first.RecordedAt), granted ? null : new FhirDateTime(current.RecordedAt)),
                Purpose = [.. current.Purposes.Select(code => new Coding(DuoSystem, code, dataUse.Find(code)?.Label))],
            },
        };
    }

    public static string ToJson(Hl7.Fhir.Model.Consent resource) => new FhirJsonSerializer().SerializeToString(resource);
}
