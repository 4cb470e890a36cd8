using System.Globalization;

namespace Dragon.Node.Tests.Agent;

/// <summary>One subject of a generated admissions cohort, with its consent (status;purposes, or none); a null value is missing.</summary>
internal sealed record Admission(string Subject, long? Age, decimal? Crp, string? Sex, bool? Icu, DateOnly? Admitted, string? Status, string? Purposes)
{
    public const string CsvHeader = "subject_ref,age,crp,sex,icu,admitted";

    /// <summary>Whether the subject consented to a job of purpose DUO:0000006: granted, with a purpose that covers it.</summary>
    public bool Consents => Status == "granted" && Purposes is "DUO:0000004" or "DUO:0000042" or "DUO:0000006";

    public string CsvLine => string.Join(',', Subject, Age?.ToString(CultureInfo.InvariantCulture), Crp?.ToString(CultureInfo.InvariantCulture),
        Sex, Icu is { } icu ? (icu ? "true" : "false") : null, Admitted?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>A reproducible cohort: about 8 % of each value missing, most subjects consenting, some withdrawn, some for another purpose, some never asked.</summary>
    public static IReadOnlyList<Admission> Generate(int seed, int count)
    {
        var random = new Random(seed);
        T? Maybe<T>(T value) where T : struct => random.Next(100) < 8 ? null : value;
        string? MaybeText(string value) => random.Next(100) < 8 ? null : value;
        return [.. Enumerable.Range(1, count).Select(i =>
        {
            var consent = random.Next(100);
            var (status, purposes) = consent switch
            {
                < 70 => ("granted", "DUO:0000042"),
                < 78 => ("granted", "DUO:0000004"),
                < 86 => ("withdrawn", "DUO:0000042"),
                < 93 => ("granted", "DUO:0000043"),
                _ => ((string?)null, (string?)null),
            };
            return new Admission(
                $"pt-{i}",
                Maybe((long)random.Next(18, 95)),
                Maybe(random.Next(0, 30000) / 100m),
                MaybeText(random.Next(2) == 0 ? "female" : "male"),
                Maybe(random.Next(3) == 0),
                Maybe(new DateOnly(2020, 3, 1).AddDays(random.Next(0, 900))),
                status,
                purposes);
        })];
    }
}
