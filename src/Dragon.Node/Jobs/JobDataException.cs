using Dragon.Node.Cli;

namespace Dragon.Node.Jobs;

/// <summary>
/// This node's data cannot give its part of a job (a variable the cohort no longer has, a value the job cannot take, a
/// sum beyond the job's range): not a passing fault, so the job is failed at once. The message may hold a record's
/// value and stays in the node's log; the platform is told only that the data does not fit.
/// </summary>
public sealed class JobDataException(string message) : NodeException(message)
{
}
