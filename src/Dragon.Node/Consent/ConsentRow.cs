using Dragon.Contracts.Consent;

namespace Dragon.Node.Consent;

/// <summary>One line of a consents file: the request to send, or why it cannot be sent.</summary>
public sealed record ConsentRow(int Line, string SubjectRef, ConsentRequest? Request, string? Problem);
