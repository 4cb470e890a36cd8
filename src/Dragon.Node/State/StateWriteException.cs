using Dragon.Node.Cli;

namespace Dragon.Node.State;

/// <summary>
/// A file could not be written to the state folder (a full disk, a quota, a failing device). The file as it was stays in
/// place, since every write goes beside it first; the agent stops rather than go on with state it could not keep.
/// </summary>
public sealed class StateWriteException(string message, Exception innerException) : NodeException(message, innerException);
