using Dragon.Contracts.Jobs;

namespace Dragon.Platform.Jobs;

/// <summary>
/// Turns a differentially private aggregate into released cells: the noisy numbers as decrypted (no suppression: the
/// noise protects every cell, and a noisy count may be negative), each with the standard deviation of its noise and
/// the 95% interval of that noise. A mean or variance is a ratio of noisy sums; its noise scale is the delta-method
/// approximation, and it is left out (suppressed) when its noisy count is too small to divide by.
/// </summary>
public static class NoisyRelease
{
    public const double Z95 = 1.959963984540054;

    /// <param name="variances">The variance of the noise in each number of <paramref name="vector"/>, in its fixed-point units.</param>
    public static IReadOnlyList<ResultCell> Release(AggregationSpec spec, AggregationLayout layout, long[] vector, double[] variances)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(variances);
        var scale = Math.Pow(10, layout.DecimalPlaces);
        var empty = new Dictionary<string, string>();
        switch (spec.Kind)
        {
            case "count":
                return [Cell(empty, vector[0], Math.Sqrt(variances[0]))];
            case "sum":
                return [Cell(empty, vector[0] / scale, Math.Sqrt(variances[0]) / scale)];
            case "mean":
            {
                var (sum, n) = (vector[0] / scale, (double)vector[1]);
                if (n < 1)
                {
                    return [new ResultCell(empty, null, true)];
                }
                var mean = sum / n;
                var variance = (variances[0] / (scale * scale) / (n * n)) + (mean * mean * variances[1] / (n * n));
                return [Cell(empty, mean, Math.Sqrt(variance))];
            }
            case "variance":
            {
                var (sum, squares, n) = (vector[0] / scale, vector[1] / (scale * scale), (double)vector[2]);
                if (n < 2)
                {
                    return [new ResultCell(empty, null, true)];
                }
                var value = (squares - (sum * sum / n)) / (n - 1);
                var bySquares = 1 / (n - 1);
                var bySum = -2 * sum / (n * (n - 1));
                var byCount = ((sum * sum / (n * n)) - value) / (n - 1);
                var noise = (bySum * bySum * variances[0] / (scale * scale)) + (bySquares * bySquares * variances[1] / Math.Pow(scale, 4)) + (byCount * byCount * variances[2]);
                return [Cell(empty, value, Math.Sqrt(noise))];
            }
            default:
                return [.. Enumerable.Range(0, layout.Groups.Count).Select(i => Cell(layout.Groups[i], vector[i], Math.Sqrt(variances[i])))];
        }
    }

    /// <summary>The noisy count of clipped values, for a layout that has one.</summary>
    public static ResultCell? Clipped(AggregationLayout layout, long[] vector, double[] variances)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(variances);
        return layout.ClippedSlot is { } slot ? Cell(new Dictionary<string, string>(), vector[slot], Math.Sqrt(variances[slot])) : null;
    }

    private static ResultCell Cell(IReadOnlyDictionary<string, string> group, double value, double noiseScale) =>
        new(group, value, false, noiseScale, new ResultInterval(value - (Z95 * noiseScale), value + (Z95 * noiseScale)));
}
