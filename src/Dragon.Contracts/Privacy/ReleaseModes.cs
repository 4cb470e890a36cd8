namespace Dragon.Contracts.Privacy;

/// <summary>
/// How a job's result is released: <see cref="Dp"/>, the default, with noise the nodes add under encryption so no
/// party sees the exact aggregate; <see cref="Exact"/>, which an agreement has only when every approving steward chose
/// it, under the minimum-cell rule and secondary suppression.
/// </summary>
public static class ReleaseModes
{
    public const string Dp = "dp";
    public const string Exact = "exact";

    public static bool IsKnown(string? mode) => mode is Dp or Exact;
}
