namespace Dragon.Platform.Audit;

public enum AuditActorType
{
    User,
    Node,
    System,
    Anonymous,
}
