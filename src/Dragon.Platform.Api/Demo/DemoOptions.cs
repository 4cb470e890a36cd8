namespace Dragon.Platform.Api.Demo;

/// <summary>What <c>--demo</c> builds: where it keeps its files, how many patients each hospital has, and its accounts.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Recreated at every demo start: the demo database, the hospitals' state folders and data files.</summary>
    public string Folder { get; set; } = "data/demo";

    public int PatientsPerHospital { get; set; } = 600;

    public string Parameters { get; set; } = "bfv-8192";

    public TimeSpan NodePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public string AdminEmail { get; set; } = "admin@demo.dragon.test";

    /// <summary>Where the demo prints its accounts and results: the console, or a test's writer.</summary>
    public TextWriter Output { get; set; } = Console.Out;

    /// <summary>Random for every start, printed with the other demo accounts; never configured.</summary>
    internal string AdminPassword { get; set; } = "";
}
