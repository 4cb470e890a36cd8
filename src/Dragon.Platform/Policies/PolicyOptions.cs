namespace Dragon.Platform.Policies;

/// <summary>Where the declarative policy files are read from (<c>Policies:Directory</c>).</summary>
public sealed class PolicyOptions
{
    public const string Section = "Policies";

    /// <summary>Absolute, or relative to the application's base directory; defaults to the copy shipped with the host.</summary>
    public string Directory { get; set; } = "policies";

    public string ResolveDirectory() => Path.GetFullPath(Directory, AppContext.BaseDirectory);
}
