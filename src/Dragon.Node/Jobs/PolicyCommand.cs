using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Node.Cli;
using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>
/// <c>policy show</c> prints the policy the agent applies (the file with every default filled in); <c>policy check</c>
/// says whether a policy file is valid, the state folder's or one about to replace it (<c>--file</c>), before the agent
/// reads it at its next task.
/// </summary>
public static class PolicyCommand
{
    public const string Name = "policy";
    public const string Usage = "policy show --state DIR | policy check --state DIR [--file POLICY.json]";

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        var action = line.Words.Count > 0 ? line.Words[0] : throw new UsageException("policy needs an action: show or check.");
        var folder = StateFolder.Open(line.Required("state"));
        switch (action)
        {
            case "show":
                line.AllowOnly("state");
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(NodePolicy.Read(folder), Indented));
                return NodeCli.Succeeded;
            case "check":
                line.AllowOnly("state", "file");
                var file = line.Optional("file");
                var policy = file is null ? NodePolicy.Read(folder) : NodePolicy.Parse(await File.ReadAllTextAsync(file));
                await console.Error.WriteLineAsync($"{file ?? Path.Combine(folder.Path, NodePolicy.FileName)} is a valid policy; the agent applies it from its next task.");
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(policy, Indented));
                return NodeCli.Succeeded;
            default:
                throw new UsageException($"Unknown policy action '{action}': show or check.");
        }
    }

    private static readonly JsonSerializerOptions Indented = new(DragonJson.Options) { WriteIndented = true };
}
