namespace Dragon.Node.State;

/// <summary>A secret sealed with AES-256-GCM; byte fields are base64.</summary>
/// <param name="KeySource">Which key sealed it: <c>environment</c> (<see cref="StateKey.Variable"/>) or <c>file</c> (<see cref="StateKey.FileName"/>).</param>
public sealed record SealedSecret(string KeySource, string Nonce, string Ciphertext, string Tag);
