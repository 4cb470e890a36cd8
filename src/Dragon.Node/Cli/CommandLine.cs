namespace Dragon.Node.Cli;

/// <summary>
/// A parsed command line: the command name, the words after it that a command takes in place (such as
/// <c>peers trust FPR</c>), and its <c>--option value</c> pairs (an option may repeat); a few options are flags
/// without a value.
/// </summary>
public sealed class CommandLine
{
    /// <summary>The options that take no value.</summary>
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "trust-platform-roster" };

    private readonly Dictionary<string, List<string>> _options;

    private CommandLine(string command, IReadOnlyList<string> words, Dictionary<string, List<string>> options)
    {
        Command = command;
        Words = words;
        _options = options;
    }

    public string Command { get; }

    /// <summary>The words between the command and its first option.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Reads <c>command [word ...] --name value ...</c>; every option but a flag takes exactly one value.</summary>
    /// <exception cref="UsageException">No command, a value without an option, or an option without a value.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args, int words = 0)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException("Name a command first.");
        }
        var placed = args.Skip(1).Take(words).TakeWhile(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 1 + placed.Count; i < args.Count; i += 2)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
            {
                throw new UsageException($"Expected an option such as --state, found '{name}'.");
            }
            if (Flags.Contains(name[2..]))
            {
                options[name[2..]] = ["true"];
                i--;
                continue;
            }
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"The option {name} needs a value.");
            }
            var key = name[2..];
            if (!options.TryGetValue(key, out var values))
            {
                values = [];
                options[key] = values;
            }
            values.Add(args[i + 1]);
        }
        return new CommandLine(args[0], placed, options);
    }

    /// <summary>Whether a flag was given.</summary>
    public bool Flag(string name) => _options.ContainsKey(name);

    /// <exception cref="UsageException">The option is missing or given more than once.</exception>
    public string Required(string name) =>
        Optional(name) ?? throw new UsageException($"{Command} needs --{name}.");

    /// <exception cref="UsageException">The option is given more than once.</exception>
    public string? Optional(string name)
    {
        if (!_options.TryGetValue(name, out var values))
        {
            return null;
        }
        if (values.Count > 1)
        {
            throw new UsageException($"--{name} may be given only once.");
        }
        return values[0];
    }

    /// <summary>Every value of an option that may repeat, in order; empty when it is not given.</summary>
    public IReadOnlyList<string> All(string name) =>
        _options.TryGetValue(name, out var values) ? values : [];

    /// <summary>Fails on any option the command does not know, so a typo is not silently ignored.</summary>
    /// <exception cref="UsageException">An unknown option.</exception>
    public void AllowOnly(params string[] names)
    {
        foreach (var name in _options.Keys)
        {
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                throw new UsageException($"{Command} does not take --{name}; it takes {string.Join(", ", names.Select(n => "--" + n))}.");
            }
        }
    }
}
