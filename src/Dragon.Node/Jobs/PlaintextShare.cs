using Dragon.Homomorphic;

namespace Dragon.Node.Jobs;

/// <summary>
/// The part of a key set's plaintext range one node's numbers may use. The platform adds every node's numbers
/// without seeing them, so each keeps to its share of the range: a sum that wrapped around would decrypt to a
/// wrong answer, not to an error.
/// </summary>
public sealed record PlaintextShare(long Lowest, long Highest)
{
    public static PlaintextShare For(IntegerEncoder encoder, int participants)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentOutOfRangeException.ThrowIfLessThan(participants, 1);
        return new PlaintextShare(encoder.MinValue / participants, encoder.MaxValue / participants);
    }

    /// <summary>The position of the first number outside the share, or -1 when all fit.</summary>
    public int FirstOutside(long[] vector) => Array.FindIndex(vector, v => v < Lowest || v > Highest);
}
