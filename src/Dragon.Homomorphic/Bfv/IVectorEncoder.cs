namespace Dragon.Homomorphic;

/// <summary>An encoder between signed 64-bit vectors and plaintexts (coefficient or batching layout).</summary>
public interface IVectorEncoder
{
    /// <summary>The parameters the encoder works with.</summary>
    EncryptionParameters Parameters { get; }

    /// <summary>How many values one plaintext holds.</summary>
    int SlotCount { get; }

    /// <summary>Encodes up to <see cref="SlotCount"/> values into the destination; the remaining slots are zero.</summary>
    void Encode(ReadOnlySpan<long> values, Plaintext destination);

    /// <summary>Decodes the first destination.Length values, each centred modulo t.</summary>
    void Decode(Plaintext plain, Span<long> destination);
}
