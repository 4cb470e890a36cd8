using Dragon.Platform.Common;

namespace Dragon.Platform.Nodes;

public static class NodeErrors
{
    public static DomainError NotFound(Guid id) => new(ErrorKind.NotFound, "node.not_found", $"Node {id} does not exist.");

    public static DomainError TokenRejected() =>
        new(ErrorKind.Validation, "node.enrollment_token_rejected", "The enrollment token is unknown, used or expired.",
            new Dictionary<string, string[]> { ["token"] = ["The enrollment token is unknown, used or expired; ask the platform administrator for a new one."] });

    public static DomainError NotStewarded(Guid id) =>
        new(ErrorKind.Forbidden, "node.not_stewarded", $"Only an Admin or a steward of one of node {id}'s cohorts (any steward, while it is pending and has none) may approve or suspend it.");

    public static DomainError IllegalTransition(NodeStatus from, NodeStatus to) =>
        new(ErrorKind.Conflict, "node.illegal_transition", $"A node that is {from} cannot become {to}.");
}
