namespace Dragon.Platform.Email;

/// <summary>A plain-text e-mail to one address.</summary>
public sealed record EmailMessage(string To, string Subject, string Body);
