namespace Dragon.Contracts.Models;

/// <summary>
/// A generalized linear model's family and link (McCullagh and Nelder, Generalized Linear Models, 2nd ed., ch. 2):
/// the link g with mean mu = g^-1(eta), the variance function V(mu) and the unit deviance d(y, mu). Every family
/// takes its canonical link by default (binomial logit, poisson log, gaussian identity); the means are kept inside
/// the family's range the way R's <c>family</c> objects keep them, so a diverging fit shows as fitted values at the
/// boundary (<see cref="AtBoundary"/>) instead of as infinities.
/// </summary>
public sealed class GlmFamily
{
    public const string Binomial = "binomial";
    public const string Poisson = "poisson";
    public const string Gaussian = "gaussian";

    /// <summary>
    /// Fitted means closer than this to a boundary of their range mean the fit diverges (R warns at 10 machine epsilons;
    /// here a record's weight is then below what the fixed-point sums resolve, so X'WX degenerates well before that).
    /// </summary>
    public const double BoundaryEpsilon = 1e-8;

    private const double MachineEpsilon = 2.220446049250313e-16;

    private static readonly Dictionary<string, string[]> LinksByFamily = new(StringComparer.Ordinal)
    {
        [Binomial] = ["logit", "probit", "log"],
        [Poisson] = ["log", "identity", "sqrt"],
        [Gaussian] = ["identity", "log"],
    };

    private GlmFamily(string name, string link) => (Name, Link) = (name, link);

    public string Name { get; }

    public string Link { get; }

    /// <summary>Whether the dispersion is estimated (gaussian: t statistics) rather than fixed at 1 (z statistics).</summary>
    public bool EstimatesDispersion => Name == Gaussian;

    public static IReadOnlyCollection<string> Names => LinksByFamily.Keys;

    /// <summary>The links a family takes, its canonical link first.</summary>
    public static IReadOnlyList<string> LinksOf(string family) => LinksByFamily.GetValueOrDefault(family) ?? [];

    /// <summary>The family with its link (the canonical one when <paramref name="link"/> is null); null when either is unknown.</summary>
    public static GlmFamily? Find(string? family, string? link)
    {
        if (family is null || !LinksByFamily.TryGetValue(family, out var links))
        {
            return null;
        }
        var chosen = link ?? links[0];
        return links.Contains(chosen) ? new GlmFamily(family, chosen) : null;
    }

    /// <summary>mu = g^-1(eta), kept inside the family's range.</summary>
    public double Mean(double eta) => Link switch
    {
        "logit" => 1 / (1 + Math.Exp(-Math.Clamp(eta, -LogitBound, LogitBound))),
        "probit" => Distributions.NormalCdf(Math.Clamp(eta, -ProbitBound, ProbitBound)),
        "log" => Math.Max(Math.Exp(Math.Min(eta, MaxLogEta)), MachineEpsilon),
        "sqrt" => eta * eta,
        _ => eta,
    };

    /// <summary>d mu / d eta at eta.</summary>
    public double MeanDerivative(double eta) => Link switch
    {
        "logit" => Math.Max(LogisticDensity(Math.Clamp(eta, -LogitBound, LogitBound)), MachineEpsilon),
        "probit" => Math.Max(Distributions.NormalDensity(eta), MachineEpsilon),
        "log" => Math.Max(Math.Exp(Math.Min(eta, MaxLogEta)), MachineEpsilon),
        "sqrt" => 2 * eta,
        _ => 1,
    };

    public double Variance(double mu) => Name switch
    {
        Binomial => mu * (1 - mu),
        Poisson => mu,
        _ => 1,
    };

    /// <summary>The record's contribution to the deviance, with 0 log 0 = 0.</summary>
    public double UnitDeviance(double y, double mu) => Name switch
    {
        Binomial => 2 * (XLogXOverY(y, mu) + XLogXOverY(1 - y, 1 - mu)),
        Poisson => 2 * (XLogXOverY(y, mu) - (y - mu)),
        _ => (y - mu) * (y - mu),
    };

    /// <summary>
    /// The record's part of the log-likelihood the deviance leaves out, for the AIC: for a poisson count
    /// log y! - y log y + y, so that -2 log L = deviance + 2 * (sum of these); 0 for a binary outcome and for the gaussian (whose AIC uses the deviance alone).
    /// </summary>
    public double LikelihoodConstant(double y) => Name == Poisson ? Distributions.LogGamma(y + 1) - XLogXOverY(y, 1) + y : 0;

    /// <summary>Whether a fitted mean is numerically 0 or 1 (binomial) or 0 (poisson): the fit is diverging towards it.</summary>
    public bool AtBoundary(double mu) => Name switch
    {
        Binomial => mu < BoundaryEpsilon || mu > 1 - BoundaryEpsilon,
        Poisson => mu < BoundaryEpsilon,
        _ => false,
    };

    /// <summary>Whether the outcome is one the family models: 0 or 1 (binomial), a count (poisson), any finite number (gaussian).</summary>
    public bool TakesOutcome(double y) => Name switch
    {
        Binomial => y is 0 or 1,
        Poisson => y >= 0 && Math.Floor(y) == y,
        _ => double.IsFinite(y),
    };

    /// <summary>The AIC from the deviance, the summed <see cref="LikelihoodConstant"/>, the records and the parameters (R's <c>family$aic</c> plus 2 p).</summary>
    public double Aic(double deviance, double likelihoodConstant, long records, int parameters) => Name switch
    {
        Gaussian => (records * (Math.Log(2 * Math.PI * deviance / records) + 1)) + 2 + (2.0 * parameters),
        _ => deviance + (2 * likelihoodConstant) + (2.0 * parameters),
    };

    private const double LogitBound = 36.04365338911715;
    private const double ProbitBound = 8.125890664701906;
    private const double MaxLogEta = 700;

    private static double LogisticDensity(double eta)
    {
        var e = Math.Exp(-Math.Abs(eta));
        return e / ((1 + e) * (1 + e));
    }

    private static double XLogXOverY(double x, double y) => x <= 0 ? 0 : x * Math.Log(x / y);
}
