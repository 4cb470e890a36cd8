using System.Diagnostics;
using System.Text;

namespace Dragon.EndToEnd.Tests.Infrastructure;

/// <summary>A <c>dotnet</c> program run as its own operating-system process, its output kept for failure messages.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();

    private ChildProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>What the process wrote to standard output alone: a command's result.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_output)
            {
                return _standardOutput.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <param name="fileSizeLimitKiB">
    /// When given, no file the process writes may grow past this size: a write beyond it fails (EFBIG) as a write to a
    /// full disk fails (ENOSPC), without needing the privileges to mount a small file system.
    /// </param>
    public static ChildProcess Start(string assembly, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string workingDirectory,
        int? fileSizeLimitKiB = null)
    {
        var info = new ProcessStartInfo(fileSizeLimitKiB is null ? "dotnet" : "/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (fileSizeLimitKiB is { } limit)
        {
            // Ignoring SIGXFSZ (kept across exec) makes the write fail with EFBIG instead of killing the process.
            foreach (var word in new[] { "-c", """trap '' XFSZ; ulimit -f "$1" || exit 97; shift; exec dotnet "$@" """, "bash", limit.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                info.ArgumentList.Add(word);
            }
            // The runtime's W^X double mapping sizes a file for the code it maps, past any small limit: without it the
            // runtime starts, and only the program's own writes meet the limit.
            info.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }
        info.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        var child = new ChildProcess(new Process { StartInfo = info });
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data, standardOutput: true);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data, standardOutput: false);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The process did not end within {timeout.TotalSeconds} s. Its output:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once, as a crash or a pulled plug would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line, bool standardOutput)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            if (standardOutput)
            {
                _standardOutput.AppendLine(line);
            }
        }
    }
}
