using System.Globalization;
using System.Text;
using Dragon.Contracts.Access;
using Dragon.Contracts.Catalogue;

namespace Dragon.Platform.Api.Demo;

/// <summary>
/// Synthetic COVID-19 CT cohorts for the demo, the end-to-end tests and the benchmarks: plausible, correlated
/// values (CT severity rises with age, ICU admission with severity, death with age and ICU) and no real person.
/// The same seed gives the same cohort, so a test can recompute any statistic in plain text.
/// </summary>
public static class CovidCohort
{
    /// <summary>What the synthetic patients consented to: general research use, which covers health/medical research.</summary>
    public const string ConsentedPurpose = "DUO:0000042";
    public const string ConsentsHeader = "subject_ref,cohort_id,purposes,status";
    public const string DataHeader = "subject_ref,age,sex,ct_severity,icu,outcome,crp";

    public static IReadOnlyList<VariableDefinition> Variables { get; } =
    [
        new("age", "Age at admission", "integer", "years", Min: 0, Max: 120),
        new("sex", "Sex recorded at admission", "categorical", null, ["female", "male"]),
        new("ct_severity", "Chest CT severity score (0 to 25)", "integer", "points", Min: 0, Max: 25),
        new("icu", "Admitted to intensive care", "boolean"),
        new("outcome", "Outcome at discharge", "categorical", null, ["recovered", "deceased"]),
        new("crp", "C-reactive protein at admission", "decimal", "mg/L", Min: 0, Max: 1000),
    ];

    public static CohortRequest Description(string hospital, string country, int size) => new()
    {
        Name = $"{hospital} COVID-19 CT cohort",
        Description = $"Adults admitted to {hospital} with PCR-confirmed COVID-19 and a chest CT at admission (synthetic demo data).",
        Population = "Adults admitted with COVID-19, 2020-2022",
        Countries = [country],
        Size = size,
        DataUse = [ConsentedPurpose],
        Variables = Variables,
    };

    /// <summary>A researcher's request for every variable and aggregation kind of <paramref name="cohortIds"/>, for health/medical research.</summary>
    /// <summary>A researcher's request to fit models of outcome on every variable of <paramref name="cohortIds"/>, for health/medical research.</summary>
    public static AccessRequestBody ModelRequest(IReadOnlyList<Guid> cohortIds) => new(
        "COVID-19 outcome models across hospitals", "DUO:0000006", cohortIds, [.. Variables.Select(v => v.Name!)], ["glm"],
        "Regression of death on CT severity and clinical findings at admission, for the DRAGON consortium's decision support.", 365);

    public static AccessRequestBody AccessRequest(IReadOnlyList<Guid> cohortIds) => new(
        "COVID-19 severity and outcomes across hospitals", "DUO:0000006", cohortIds, [.. Variables.Select(v => v.Name!)],
        ["count", "sum", "mean", "variance", "histogram", "crosstab"],
        "Pooled statistics on CT severity, ICU admission and outcome of COVID-19 admissions, for the DRAGON consortium.", 365);

    /// <summary>
    /// <paramref name="count"/> patients named <c>{prefix}-1</c>, <c>{prefix}-2</c>...; about 90% granted consent,
    /// 5% withdrew and 5% were never asked.
    /// </summary>
    public static IReadOnlyList<CovidPatient> Generate(string prefix, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        // Synthetic values need reproducibility, not secrecy: a seeded generator, never used for keys or noise.
#pragma warning disable CA5394
        var random = new Random(seed);
        var patients = new List<CovidPatient>(count);
        for (var i = 1; i <= count; i++)
        {
            var age = (int)Math.Clamp(Math.Round(Normal(random, 62, 15)), 18, 98);
            var sex = random.NextDouble() < 0.58 ? "male" : "female";
            var severity = (int)Math.Clamp(Math.Round(Normal(random, 6 + (age - 40) * 0.12, 4.5)), 0, 25);
            var icu = random.NextDouble() < Logistic(-4.2 + 0.22 * severity);
            var deceased = random.NextDouble() < Logistic(-7.5 + 0.07 * age + (icu ? 1.6 : 0));
            var crp = Math.Round(Math.Exp(Normal(random, 3.2 + 0.06 * severity, 0.6)), 1);
            var draw = random.NextDouble();
            var consent = draw < 0.90 ? "granted" : draw < 0.95 ? "withdrawn" : null;
            patients.Add(new CovidPatient($"{prefix}-{i}", age, sex, severity, icu, deceased ? "deceased" : "recovered", crp, consent));
        }
#pragma warning restore CA5394
        return patients;

        static double Normal(Random random, double mean, double deviation) =>
            mean + deviation * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
    }

    /// <summary>The node's data file: a header, then one line per patient.</summary>
    public static string DataCsv(IEnumerable<CovidPatient> patients)
    {
        ArgumentNullException.ThrowIfNull(patients);
        var csv = new StringBuilder(DataHeader).Append('\n');
        foreach (var p in patients)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.SubjectRef},{p.Age},{p.Sex},{p.CtSeverity},{(p.Icu ? "true" : "false")},{p.Outcome},{p.Crp:0.0}\n");
        }
        return csv.ToString();
    }

    /// <summary>The node's consents file for <paramref name="cohortId"/>: every patient who was asked.</summary>
    public static string ConsentsCsv(IEnumerable<CovidPatient> patients, Guid cohortId)
    {
        ArgumentNullException.ThrowIfNull(patients);
        var csv = new StringBuilder(ConsentsHeader).Append('\n');
        foreach (var p in patients.Where(p => p.Consent is not null))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.SubjectRef},{cohortId},{ConsentedPurpose},{p.Consent}\n");
        }
        return csv.ToString();
    }
}
