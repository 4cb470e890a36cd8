namespace Dragon.Contracts.Models;

/// <summary>One round's pooled sums of a model, read from its decrypted numbers (<see cref="GlmLayout"/>).</summary>
public sealed record GlmSums(
    long Records, double[,] Information, double[] Score, double Deviance, double NullWeight, double NullScore, double NullDeviance,
    double LikelihoodConstant, long Boundary, IReadOnlyList<long> LevelCounts)
{
    /// <exception cref="ArgumentException">The numbers are not the layout's.</exception>
    public static GlmSums Read(GlmLayout layout, ReadOnlySpan<long> numbers)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (numbers.Length < layout.Length)
        {
            throw new ArgumentException($"A round of this model has {layout.Length} numbers, not {numbers.Length}.", nameof(numbers));
        }
        var p = layout.Parameters;
        var information = new double[p, p];
        for (var row = 0; row < p; row++)
        {
            for (var column = row; column < p; column++)
            {
                information[row, column] = information[column, row] = numbers[layout.InformationAt(row, column)] / GlmLayout.Scale;
            }
        }
        var score = new double[p];
        for (var j = 0; j < p; j++)
        {
            score[j] = numbers[layout.Score + j] / GlmLayout.Scale;
        }
        return new GlmSums(numbers[GlmLayout.Records], information, score, numbers[layout.Deviance] / GlmLayout.Scale, numbers[layout.NullWeight] / GlmLayout.Scale,
            numbers[layout.NullScore] / GlmLayout.Scale, numbers[layout.NullDeviance] / GlmLayout.Scale, numbers[layout.LikelihoodConstant] / GlmLayout.Scale,
            numbers[layout.Boundary], numbers.Slice(layout.Levels, layout.LevelCount).ToArray());
    }

    /// <summary>
    /// The next round's coefficients from those the round was at: the Fisher scoring step beta + (X'WX)^-1 U, which is
    /// the weighted least-squares solution (X'WX)^-1 X'Wz of IRLS, and the intercept-only model's; null when X'WX is
    /// singular (collinear covariates, or an empty level).
    /// </summary>
    public (double[] Coefficients, double NullCoefficient)? Next(GlmProgress current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (Cholesky.Factor(Information) is not { } factor || !(NullWeight > 0))
        {
            return null;
        }
        var step = Cholesky.Solve(factor, Score);
        return ([.. step.Select((s, j) => current.Coefficients[j] + s)], current.NullCoefficient + (NullScore / NullWeight));
    }
}
