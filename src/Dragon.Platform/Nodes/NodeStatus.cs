namespace Dragon.Platform.Nodes;

public enum NodeStatus
{
    Pending,
    Active,
    Suspended,
}
