namespace Dragon.Homomorphic;

/// <summary>The object kinds of the binary format (byte 5 of every header). Values are never renumbered.</summary>
public enum WireKind : byte
{
    /// <summary><see cref="EncryptionParameters"/>.</summary>
    Parameters = 1,

    /// <summary><see cref="PublicKey"/>.</summary>
    PublicKey = 2,

    /// <summary><see cref="PublicKeyGenShare"/>.</summary>
    PublicKeyGenShare = 3,

    /// <summary><see cref="Ciphertext"/>, possibly seed-compressed.</summary>
    Ciphertext = 4,

    /// <summary><see cref="DecryptionShare"/>.</summary>
    DecryptionShare = 5,

    /// <summary><see cref="CiphertextVector"/>.</summary>
    CiphertextVector = 6,

    /// <summary><see cref="SecretKey"/>, only through <see cref="SecretKeyFile"/>.</summary>
    SecretKey = 7,

    /// <summary><see cref="ThresholdShare"/>: a Shamir share of a secret, to travel only encrypted to its recipient.</summary>
    ThresholdShare = 8,
}
