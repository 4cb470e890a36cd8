namespace Dragon.Platform.Consent;

public enum ConsentStatus
{
    Granted,
    Withdrawn,
}
