namespace Dragon.Homomorphic;

/// <summary>A plaintext polynomial: n coefficients modulo the plain modulus t.</summary>
public sealed class Plaintext
{
    private readonly ulong[] coefficients;

    /// <summary>Allocates a zero plaintext for the parameters.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    public Plaintext(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        coefficients = new ulong[parameters.PolyModulusDegree];
    }

    /// <summary>The parameters the plaintext belongs to.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>The coefficients, each in [0, t).</summary>
    public Span<ulong> Coefficients => coefficients;

    /// <summary>True when the parameters match and every coefficient lies below t.</summary>
    public bool IsValidFor(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ulong t = parameters.PlainModulus;
        return Parameters.Equals(parameters) && Array.TrueForAll(coefficients, c => c < t);
    }

    /// <summary>Sets every coefficient to zero.</summary>
    public void Clear() => Array.Clear(coefficients);
}
