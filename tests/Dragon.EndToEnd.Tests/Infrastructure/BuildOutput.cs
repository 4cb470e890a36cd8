namespace Dragon.EndToEnd.Tests.Infrastructure;

/// <summary>Where the platform host's and the node agent's own build outputs are, built in the same configuration as these tests.</summary>
public static class BuildOutput
{
    public static string Root { get; } = FindRoot();

    public static string PlatformHost => Program("src/Dragon.Platform.Api", "Dragon.Platform.Api.dll");

    public static string NodeAgent => Program("src/Dragon.Node", "dragon-node.dll");

    private static string Program(string project, string assembly)
    {
        // The tests run from tests/Dragon.EndToEnd.Tests/bin/<configuration>/<framework>/.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(Root, project, "bin", framework.Parent!.Name, framework.Name, assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the solution first: {path} is missing.", path);
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Dragon.Platform.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("Dragon.Platform.sln is not above the test folder.");
    }
}
