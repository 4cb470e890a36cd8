using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// BFV encryption. With a public key (p0, p1): c = (p0*u + e0 + round(q*m/t), p1*u + e1) with u ternary.
/// With a secret key (symmetric): c = (-a*s + e + round(q*m/t), a) with a expanded from a fresh 32-byte seed by
/// AES-256-CTR, so the ciphertext serializes as c0 plus the seed. Errors are centred binomial (eta = 21).
/// </summary>
public sealed class Encryptor
{
    /// <summary>Domain separator of the AES-CTR expansion of ciphertext seeds.</summary>
    internal const byte CiphertextSeedDomain = 2;

    /// <summary>An encryptor for a public key (single-key or collective).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key belongs to other parameters.</exception>
    public Encryptor(EncryptionParameters parameters, PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(publicKey);
        parameters.EnsureSame(publicKey.Parameters, nameof(publicKey));
        Parameters = parameters;
        PublicKey = publicKey;
    }

    /// <summary>A symmetric encryptor for a secret key.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key belongs to other parameters.</exception>
    public Encryptor(EncryptionParameters parameters, SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(secretKey);
        parameters.EnsureSame(secretKey.Parameters, nameof(secretKey));
        Parameters = parameters;
        SecretKey = secretKey;
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>The public key, when this encryptor has one.</summary>
    public PublicKey? PublicKey { get; }

    /// <summary>The secret key, when this encryptor has one.</summary>
    public SecretKey? SecretKey { get; }

    /// <summary>Public-key encryption of a plaintext into the destination.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters or the plaintext is not reduced.</exception>
    /// <exception cref="InvalidOperationException">The encryptor has no public key.</exception>
    public void Encrypt(Plaintext plain, Ciphertext destination)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(destination);
        EnsurePlain(plain);
        Parameters.EnsureSame(destination.Parameters, nameof(destination));
        PublicKey key = PublicKey ?? throw new InvalidOperationException("This encryptor was made with a secret key; use EncryptSymmetric.");

        RnsBasis basis = Parameters.Basis;
        int size = basis.CoefficientCount;
        int n = basis.PolyDegree;
        long[] small = ArrayPool<long>.Shared.Rent(n);
        ulong[] u = ArrayPool<ulong>.Shared.Rent(size);
        ulong[] noise = ArrayPool<ulong>.Shared.Rent(size);
        try
        {
            Span<long> smallSpan = small.AsSpan(0, n);
            Span<ulong> uSpan = u.AsSpan(0, size);
            Span<ulong> noiseSpan = noise.AsSpan(0, size);

            Sampler.Ternary(smallSpan);
            PolyOps.LiftSigned(basis, smallSpan, uSpan);
            basis.ForwardNtt(uSpan);

            Sampler.CenteredBinomial(smallSpan);
            PolyOps.LiftSigned(basis, smallSpan, noiseSpan);
            Parameters.Scaling.AddScaled(plain.Coefficients, noiseSpan);
            basis.ForwardNtt(noiseSpan);
            PolyOps.MultiplyShoupNtt(basis, uSpan, key.P0, key.P0Shoup, destination.C0);
            PolyOps.Add(basis, destination.C0, noiseSpan, destination.C0);

            Sampler.CenteredBinomial(smallSpan);
            PolyOps.LiftSigned(basis, smallSpan, noiseSpan);
            basis.ForwardNtt(noiseSpan);
            PolyOps.MultiplyShoupNtt(basis, uSpan, key.P1, key.P1Shoup, destination.C1);
            PolyOps.Add(basis, destination.C1, noiseSpan, destination.C1);
            destination.SetSeed(null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(small.AsSpan(0, n)));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(u.AsSpan(0, size)));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(noise.AsSpan(0, size)));
            ArrayPool<long>.Shared.Return(small);
            ArrayPool<ulong>.Shared.Return(u);
            ArrayPool<ulong>.Shared.Return(noise);
        }
    }

    /// <summary>Public-key encryption into a new ciphertext.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="plain"/> is null.</exception>
    /// <exception cref="ArgumentException">The plaintext belongs to other parameters or is not reduced.</exception>
    /// <exception cref="InvalidOperationException">The encryptor has no public key.</exception>
    public Ciphertext Encrypt(Plaintext plain)
    {
        var result = new Ciphertext(Parameters);
        Encrypt(plain, result);
        return result;
    }

    /// <summary>Symmetric, seed-compressed encryption of a plaintext into the destination.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters or the plaintext is not reduced.</exception>
    /// <exception cref="InvalidOperationException">The encryptor has no secret key.</exception>
    public void EncryptSymmetric(Plaintext plain, Ciphertext destination)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(destination);
        EnsurePlain(plain);
        Parameters.EnsureSame(destination.Parameters, nameof(destination));
        SecretKey key = SecretKey ?? throw new InvalidOperationException("This encryptor was made with a public key; use Encrypt.");

        RnsBasis basis = Parameters.Basis;
        int size = basis.CoefficientCount;
        int n = basis.PolyDegree;
        byte[] seed = RandomNumberGenerator.GetBytes(SeedExpander.SeedLength);
        SeedExpander.Expand(basis, SeedExpansion.Aes256Counter, seed, CiphertextSeedDomain, destination.C1);
        long[] small = ArrayPool<long>.Shared.Rent(n);
        ulong[] noise = ArrayPool<ulong>.Shared.Rent(size);
        try
        {
            Span<long> smallSpan = small.AsSpan(0, n);
            Span<ulong> noiseSpan = noise.AsSpan(0, size);
            Sampler.CenteredBinomial(smallSpan);
            PolyOps.LiftSigned(basis, smallSpan, noiseSpan);
            Parameters.Scaling.AddScaled(plain.Coefficients, noiseSpan);
            basis.ForwardNtt(noiseSpan);
            PolyOps.MultiplyShoupNtt(basis, destination.C1, key.NttValue, key.NttShoup, destination.C0);
            PolyOps.Sub(basis, noiseSpan, destination.C0, destination.C0);
            destination.SetSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(small.AsSpan(0, n)));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(noise.AsSpan(0, size)));
            ArrayPool<long>.Shared.Return(small);
            ArrayPool<ulong>.Shared.Return(noise);
        }
    }

    /// <summary>Symmetric, seed-compressed encryption into a new ciphertext.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="plain"/> is null.</exception>
    /// <exception cref="ArgumentException">The plaintext belongs to other parameters or is not reduced.</exception>
    /// <exception cref="InvalidOperationException">The encryptor has no secret key.</exception>
    public Ciphertext EncryptSymmetric(Plaintext plain)
    {
        var result = new Ciphertext(Parameters);
        EncryptSymmetric(plain, result);
        return result;
    }

    private void EnsurePlain(Plaintext plain)
    {
        Parameters.EnsureSame(plain.Parameters, nameof(plain));
        ulong t = Parameters.PlainModulus;
        foreach (ulong c in plain.Coefficients)
        {
            if (c >= t)
            {
                throw new ArgumentException("A plaintext coefficient is not reduced modulo t.", nameof(plain));
            }
        }
    }
}
