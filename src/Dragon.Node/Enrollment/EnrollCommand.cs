using Dragon.Contracts.Nodes;
using Dragon.Node.Cli;
using Dragon.Node.Platform;
using Dragon.Node.State;

namespace Dragon.Node.Enrollment;

/// <summary>
/// <c>enroll</c>: makes the node's identity key, spends an enrollment token registering its public key, then keeps
/// the platform address, the sealed client credentials and the sealed identity key in the state folder.
/// </summary>
public static class EnrollCommand
{
    public const string Name = "enroll";
    public const string Usage = "enroll --platform URL --token T --name N --organisation O --country CC --contact-email E --state DIR";

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        line.AllowOnly("platform", "token", "name", "organisation", "country", "state", "contact-email");
        var address = PlatformClient.ParseAddress(line.Required("platform"));
        using var identity = NodeIdentity.Create();
        var request = new EnrollRequest(
            line.Required("token"), line.Required("name"), line.Required("organisation"), line.Required("country"), line.Required("contact-email"),
            Convert.ToBase64String(identity.PublicKey));
        var folder = StateFolder.Create(line.Required("state"));
        var key = StateKey.CreateFor(folder, console.Environment);

        using var platform = new PlatformClient(address, console.Handler());
        var enrolled = await platform.EnrollAsync(request, cancellationToken);
        folder.WriteState(new NodeState(
            address,
            enrolled.NodeId,
            enrolled.ClientId,
            SecretSeal.Seal(enrolled.ClientSecret, enrolled.ClientId, key),
            new Dictionary<string, Guid>(StringComparer.Ordinal)));
        identity.Save(folder, enrolled.ClientId, key);

        await console.Error.WriteLineAsync(
            $"Enrolled node {enrolled.NodeId} (client {enrolled.ClientId}); its credentials and identity key are sealed in {folder.Path}. " +
            $"Its identity fingerprint is {identity.Fingerprint}: give it to the other hospitals of the consortium out of band, so they can 'peers trust' it. " +
            "The node is Pending: a data steward or an administrator of the platform must approve it before it can publish cohorts or consents.");
        await console.Out.WriteLineAsync(enrolled.NodeId.ToString());
        return 0;
    }
}
