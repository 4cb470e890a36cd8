using System.Diagnostics;
using System.Security.Cryptography;
using CsCheck;

namespace Dragon.Homomorphic.Tests.Serialization;

/// <summary>
/// Runs a parser over generated hostile inputs: each must be rejected with the one exception its format documents, or
/// parse into an object that writes back exactly the input (a flipped coefficient bit can make another valid object; a
/// parse that does not reproduce its input would be a parser accepting something it cannot mean). Any other exception
/// fails the run, and so do an allocation over <see cref="AllocationCap"/> and an input taking longer than
/// <see cref="HangLimit"/> (a hang, not a timing goal). A failure's smallest input is written under
/// <c>fuzz-failures/</c> beside the test assembly, to be added to the corpus once understood.
/// </summary>
public static class FuzzRun
{
    /// <summary>Inputs per format: <c>DRAGON_FUZZ_ITERATIONS</c>, or 10,000 (CI runs this; nightly-sized runs set more).</summary>
    public static long Iterations { get; } =
        long.TryParse(Environment.GetEnvironmentVariable("DRAGON_FUZZ_ITERATIONS"), out var count) && count > 0 ? count : 10_000;

    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    /// <summary>What one parse may allocate: 16 bytes per input byte and 1 MiB, whatever its length fields claim.</summary>
    public static long AllocationCap(int inputLength) => (16L * inputLength) + (1 << 20);

    /// <param name="format">The format's name, for messages and the failure's folder.</param>
    /// <param name="reading">How the input is read (from bytes, from a stream), for messages.</param>
    /// <param name="parse">Parses the bytes; returns the bytes the parsed object writes, or null when the format has no writer to compare with.</param>
    /// <param name="rejection">The one exception type the format rejects input with.</param>
    public static FuzzOutcome Run(string format, string reading, Gen<Fuzzed> inputs, Func<byte[], byte[]?> parse, Type rejection, long? iterations = null)
    {
        long accepted = 0;
        long rejected = 0;
        Fuzzed? smallestFailure = null;
        var gate = new Lock();
        try
        {
            inputs.Sample(input =>
            {
                try
                {
                    if (Check(input.Bytes, parse, rejection))
                    {
                        Interlocked.Increment(ref accepted);
                    }
                    else
                    {
                        Interlocked.Increment(ref rejected);
                    }
                }
                catch (Exception)
                {
                    lock (gate)
                    {
                        if (smallestFailure is null || input.Bytes.Length < smallestFailure.Bytes.Length)
                        {
                            smallestFailure = input;
                        }
                    }
                    throw;
                }
            }, iter: iterations ?? Iterations);
        }
        catch (Exception exception) when (smallestFailure is not null)
        {
            var path = SaveFailure(format, smallestFailure.Bytes);
            throw new InvalidOperationException($"{format}, {reading}: a hostile input was mishandled; the smallest such input is in {path}.", exception);
        }
        return new FuzzOutcome($"{format}, {reading}", accepted, rejected);
    }

    /// <summary>Whether the input was accepted (and wrote back exactly); false when rejected as the format documents.</summary>
    public static bool Check(byte[] input, Func<byte[], byte[]?> parse, Type rejection)
    {
        var clock = Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        bool accepted;
        try
        {
            var written = parse(input);
            Assert.True(written is null || written.AsSpan().SequenceEqual(input), "accepted, but the parsed object writes other bytes than its input");
            accepted = true;
        }
        catch (Exception exception) when (exception.GetType() == rejection)
        {
            accepted = false;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= AllocationCap(input.Length), $"{allocated:N0} bytes allocated for {input.Length:N0} input bytes (cap {AllocationCap(input.Length):N0})");
        Assert.True(clock.Elapsed < HangLimit, $"{clock.Elapsed.TotalSeconds:F1} s on one input");
        return accepted;
    }

    /// <summary>The corpus keeps a format's inputs in a folder named after it, spaces as underscores.</summary>
    public static string CorpusFolderName(string format) => format.Replace(' ', '_');

    public static string FormatOfCorpusFolder(string folder) => folder.Replace('_', ' ');

    private static string SaveFailure(string format, byte[] bytes)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "fuzz-failures", CorpusFolderName(format));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Convert.ToHexString(SHA256.HashData(bytes))[..12].ToLowerInvariant()}.bin");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

/// <summary>How many inputs of a format were tried and how many of them parsed (faithfully) or were rejected.</summary>
public sealed record FuzzOutcome(string Format, long Accepted, long Rejected)
{
    public long Tried => Accepted + Rejected;
}
