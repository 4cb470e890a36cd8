using System.Globalization;
using System.Text;
using Dragon.Contracts.Jobs;

namespace Dragon.Platform.Api.Demo;

/// <summary>A released result as indented lines of text: one line per cell, its group and its value or <c>suppressed</c>; for a model, its table.</summary>
public static class ResultText
{
    public static string Format(JobResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        if (result.Model is { } model)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {"coefficient",-14} {"estimate",12} {"std. error",12} {model.Statistic,8} {"p",10}\n");
            foreach (var c in model.Coefficients)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {c.Name,-14} {c.Estimate,12:0.######} {c.StandardError,12:0.######} {c.Statistic,8:0.###} {c.PValue,10:0.####e+0}");
                text.Append(c.NoiseScale is { } noise ? string.Create(CultureInfo.InvariantCulture, $"  (noise scale {noise:0.######})\n") : "\n");
            }
            text.Append(CultureInfo.InvariantCulture,
                $"    {model.Records} records, {model.Iterations} iterations; deviance {model.Deviance:0.##} on {model.ResidualDegreesOfFreedom} df (null {model.NullDeviance:0.##} on {model.NullDegreesOfFreedom}); AIC {model.Aic:0.##}\n");
        }
        foreach (var cell in result.Cells)
        {
            var group = cell.Group.Count == 0 ? "all" : string.Join(", ", cell.Group.Select(g => $"{g.Key}={g.Value}"));
            var value = cell.Suppressed || cell.Value is not { } v ? "suppressed (fewer than the minimum records)" : v.ToString("#,0.##", CultureInfo.InvariantCulture);
            if (cell.Interval is { } interval)
            {
                value += string.Create(CultureInfo.InvariantCulture, $"  (95% interval {interval.Low:#,0.##} to {interval.High:#,0.##})");
            }
            text.Append(CultureInfo.InvariantCulture, $"    {group,-32} {value}\n");
        }
        return text.ToString();
    }
}
