namespace Dragon.Contracts.Models;

/// <summary>
/// The numbers of one round of a model, in this order: the records used; the upper triangle of X'WX, row by row; the
/// score X'W(z - eta + offset), the gradient of the log-likelihood (X'(y - mu) for a canonical link);
/// the deviance at the round's coefficients; the intercept-only model's sum of weights, score and deviance at its
/// coefficient (for the null deviance); the summed <see cref="GlmFamily.LikelihoodConstant"/> (for the AIC); how many
/// fitted means are at the boundary; and the records of every <see cref="GlmDesign.Levels">level</see>. Sums of reals
/// are fixed point: multiplied by <see cref="Scale"/> and rounded at each node, which bounds each node's error per
/// number by half of 1 / Scale.
/// </summary>
public sealed record GlmLayout(int Parameters, int LevelCount)
{
    /// <summary>The fixed-point scale of the real sums: 10^7, so a node's sums may reach about 9.2e11 in the 64 bits a number has.</summary>
    public const double Scale = 1e7;

    public const int Records = 0;

    public static GlmLayout For(GlmDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        return new GlmLayout(design.Parameters, design.Levels.Count);
    }

    public const int Information = 1;

    public int Score => Information + (Parameters * (Parameters + 1) / 2);

    public int Deviance => Score + Parameters;

    public int NullWeight => Deviance + 1;

    public int NullScore => NullWeight + 1;

    public int NullDeviance => NullScore + 1;

    public int LikelihoodConstant => NullDeviance + 1;

    public int Boundary => LikelihoodConstant + 1;

    public int Levels => Boundary + 1;

    public int Length => Levels + LevelCount;

    /// <summary>The slot of X'WX[row, column] for row &lt;= column.</summary>
    public int InformationAt(int row, int column) => Information + (row * Parameters) - (row * (row - 1) / 2) + (column - row);

    /// <summary>Whether the slot holds a sum of reals in fixed point (rather than a count).</summary>
    public bool IsScaled(int slot) => slot is > Records && slot < Boundary;
}
