using System.Buffers;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// Single-key BFV decryption: m = round(t * [c0 + c1*s]_q / q) mod t, and the invariant noise budget. In the
/// multiparty setting nobody holds s; use <see cref="DecryptionShareProtocol"/> instead.
/// </summary>
public sealed class Decryptor
{
    private readonly SecretKey secretKey;

    /// <summary>A decryptor for a secret key.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key belongs to other parameters.</exception>
    public Decryptor(EncryptionParameters parameters, SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(secretKey);
        parameters.EnsureSame(secretKey.Parameters, nameof(secretKey));
        Parameters = parameters;
        this.secretKey = secretKey;
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>Decrypts into the destination plaintext.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters.</exception>
    public void Decrypt(Ciphertext encrypted, Plaintext destination)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        ArgumentNullException.ThrowIfNull(destination);
        Parameters.EnsureSame(encrypted.Parameters, nameof(encrypted));
        Parameters.EnsureSame(destination.Parameters, nameof(destination));
        int size = Parameters.Basis.CoefficientCount;
        ulong[] buffer = ArrayPool<ulong>.Shared.Rent(size);
        try
        {
            Span<ulong> x = buffer.AsSpan(0, size);
            Phase(encrypted, x);
            Parameters.Scaling.Decode(x, destination.Coefficients);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>Decrypts into a new plaintext.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="encrypted"/> is null.</exception>
    /// <exception cref="ArgumentException">The ciphertext belongs to other parameters.</exception>
    public Plaintext Decrypt(Ciphertext encrypted)
    {
        var plain = new Plaintext(Parameters);
        Decrypt(encrypted, plain);
        return plain;
    }

    /// <summary>
    /// The invariant noise budget in bits (as in SEAL): log2(q/2) minus the bit length of max |[t*(c0 + c1*s)]_q|.
    /// Decryption is correct while the budget is positive; 0 means the ciphertext may decrypt wrongly.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="encrypted"/> is null.</exception>
    /// <exception cref="ArgumentException">The ciphertext belongs to other parameters.</exception>
    public int InvariantNoiseBudget(Ciphertext encrypted)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        Parameters.EnsureSame(encrypted.Parameters, nameof(encrypted));
        RnsBasis basis = Parameters.Basis;
        int size = basis.CoefficientCount;
        ulong[] buffer = ArrayPool<ulong>.Shared.Rent(size);
        try
        {
            Span<ulong> x = buffer.AsSpan(0, size);
            Phase(encrypted, x);
            Span<ulong> max = stackalloc ulong[basis.Limbs];
            Parameters.Scaling.MaxScaledNoise(x, max);
            int qBits = (int)(basis.Product.GetBitLength());
            return Math.Max(0, qBits - 1 - MultiWord.BitLength(max));
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(buffer, clearArray: true);
        }
    }

    private void Phase(Ciphertext encrypted, Span<ulong> x)
    {
        RnsBasis basis = Parameters.Basis;
        encrypted.C0.CopyTo(x);
        PolyOps.MultiplyShoupNtt(basis, encrypted.C1, secretKey.NttValue, secretKey.NttShoup, x, accumulate: true);
        basis.InverseNtt(x);
    }
}
