using System.Buffers;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// Homomorphic operations that need no evaluation keys: addition, subtraction, negation, adding a plaintext and
/// multiplying by an integer scalar. Every operation is deterministic, so anyone holding the same inputs computes
/// a byte-identical result (nodes recompute the job's aggregate to check its digest). Destinations may alias inputs.
/// </summary>
public sealed class Evaluator
{
    /// <summary>An evaluator for the parameters.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    public Evaluator(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>destination = a + b.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters.</exception>
    public void Add(Ciphertext a, Ciphertext b, Ciphertext destination)
    {
        EnsureCiphertexts(a, b, destination);
        PolyOps.Add(Parameters.Basis, a.C0, b.C0, destination.C0);
        PolyOps.Add(Parameters.Basis, a.C1, b.C1, destination.C1);
        destination.SetSeed(null);
    }

    /// <summary>a += b.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters.</exception>
    public void AddInPlace(Ciphertext a, Ciphertext b) => Add(a, b, a);

    /// <summary>A new ciphertext a + b.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters.</exception>
    public Ciphertext Add(Ciphertext a, Ciphertext b)
    {
        var result = new Ciphertext(Parameters);
        Add(a, b, result);
        return result;
    }

    /// <summary>A new ciphertext holding the sum of one or more ciphertexts, added in order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="ciphertexts"/> or an element is null.</exception>
    /// <exception cref="ArgumentException">The sequence is empty or an element belongs to other parameters.</exception>
    public Ciphertext AddMany(IEnumerable<Ciphertext> ciphertexts)
    {
        ArgumentNullException.ThrowIfNull(ciphertexts);
        Ciphertext? sum = null;
        foreach (Ciphertext c in ciphertexts)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(ciphertexts));
            if (sum is null)
            {
                Parameters.EnsureSame(c.Parameters, nameof(ciphertexts));
                sum = c.CloneUncompressed();
            }
            else
            {
                Add(sum, c, sum);
            }
        }

        return sum ?? throw new ArgumentException("At least one ciphertext is needed.", nameof(ciphertexts));
    }

    /// <summary>destination = a - b.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters.</exception>
    public void Sub(Ciphertext a, Ciphertext b, Ciphertext destination)
    {
        EnsureCiphertexts(a, b, destination);
        PolyOps.Sub(Parameters.Basis, a.C0, b.C0, destination.C0);
        PolyOps.Sub(Parameters.Basis, a.C1, b.C1, destination.C1);
        destination.SetSeed(null);
    }

    /// <summary>a -= b.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters.</exception>
    public void SubInPlace(Ciphertext a, Ciphertext b) => Sub(a, b, a);

    /// <summary>destination = -a.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters.</exception>
    public void Negate(Ciphertext a, Ciphertext destination)
    {
        EnsureCiphertexts(a, a, destination);
        PolyOps.Negate(Parameters.Basis, a.C0, destination.C0);
        PolyOps.Negate(Parameters.Basis, a.C1, destination.C1);
        destination.SetSeed(null);
    }

    /// <summary>a = -a.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException">The ciphertext belongs to other parameters.</exception>
    public void NegateInPlace(Ciphertext a) => Negate(a, a);

    /// <summary>destination = a + plain (adds round(q*m/t) to c0; no noise growth beyond rounding).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters, or the plaintext is not reduced.</exception>
    public void AddPlain(Ciphertext a, Plaintext plain, Ciphertext destination)
    {
        EnsureCiphertexts(a, a, destination);
        ArgumentNullException.ThrowIfNull(plain);
        Parameters.EnsureSame(plain.Parameters, nameof(plain));
        if (!plain.IsValidFor(Parameters))
        {
            throw new ArgumentException("A plaintext coefficient is not reduced modulo t.", nameof(plain));
        }

        RnsBasis basis = Parameters.Basis;
        int size = basis.CoefficientCount;
        ulong[] buffer = ArrayPool<ulong>.Shared.Rent(size);
        try
        {
            Span<ulong> scaled = buffer.AsSpan(0, size);
            scaled.Clear();
            Parameters.Scaling.AddScaled(plain.Coefficients, scaled);
            basis.ForwardNtt(scaled);
            PolyOps.Add(basis, a.C0, scaled, destination.C0);
            if (!ReferenceEquals(a, destination))
            {
                a.C1.CopyTo(destination.C1, 0);
            }

            destination.SetSeed(null);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(buffer);
        }
    }

    /// <summary>a += plain.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters, or the plaintext is not reduced.</exception>
    public void AddPlainInPlace(Ciphertext a, Plaintext plain) => AddPlain(a, plain, a);

    /// <summary>destination = scalar * a (the noise grows by the factor |scalar|).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters.</exception>
    public void MultiplyPlainScalar(Ciphertext a, long scalar, Ciphertext destination)
    {
        EnsureCiphertexts(a, a, destination);
        PolyOps.MultiplyScalar(Parameters.Basis, a.C0, scalar, destination.C0);
        PolyOps.MultiplyScalar(Parameters.Basis, a.C1, scalar, destination.C1);
        destination.SetSeed(null);
    }

    /// <summary>a *= scalar.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException">The ciphertext belongs to other parameters.</exception>
    public void MultiplyPlainScalarInPlace(Ciphertext a, long scalar) => MultiplyPlainScalar(a, scalar, a);

    private void EnsureCiphertexts(Ciphertext a, Ciphertext b, Ciphertext destination)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(destination);
        Parameters.EnsureSame(a.Parameters, nameof(a));
        Parameters.EnsureSame(b.Parameters, nameof(b));
        Parameters.EnsureSame(destination.Parameters, nameof(destination));
    }
}
