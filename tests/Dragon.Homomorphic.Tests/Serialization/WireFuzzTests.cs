using Xunit.Abstractions;

namespace Dragon.Homomorphic.Tests.Serialization;

/// <summary>
/// Every wire format, read from bytes and from a stream, over <see cref="FuzzRun.Iterations"/> generated mutations of a
/// valid object (<see cref="WireMutations"/>): each ends in <see cref="InvalidFormatException"/> or in a faithful parse,
/// within the allocation cap; and every input kept in the corpus (<c>Serialization/FuzzCorpus/</c>) still does.
/// </summary>
public sealed class WireFuzzTests(ITestOutputHelper output)
{
    private static readonly string CorpusFolder = Path.Combine(AppContext.BaseDirectory, "Serialization", "FuzzCorpus");

    [Theory]
    [MemberData(nameof(WireSamples.Names), MemberType = typeof(WireSamples))]
    public void GeneratedMutations_EndInInvalidFormatOrAFaithfulParse(string name)
    {
        var sample = WireSamples.Get(name);
        var inputs = WireMutations.Of(sample.Bytes, WireSamples.Foreign(name), WireSamples.Parameters.CoeffModulus[0]);

        var fromBytes = FuzzRun.Run(name, "from bytes", inputs, bytes => sample.Serialize(sample.Parse(bytes)), typeof(InvalidFormatException));
        var fromStream = FuzzRun.Run(name, "from a stream", inputs, bytes =>
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return ReadFirstObject(sample, stream);
        }, typeof(InvalidFormatException));

        foreach (var outcome in new[] { fromBytes, fromStream })
        {
            output.WriteLine($"{outcome.Format}: {outcome.Tried:N0} inputs, {outcome.Rejected:N0} rejected, {outcome.Accepted:N0} parsed faithfully");
            Assert.Equal(FuzzRun.Iterations, outcome.Tried);
            Assert.True(outcome.Rejected > outcome.Tried / 2, $"{outcome.Format}: only {outcome.Rejected} of {outcome.Tried} mutations rejected; the generator barely reaches the checks");
        }
    }

    [Fact]
    public void CorpusInputs_EndInInvalidFormatOrAFaithfulParse()
    {
        var files = Directory.GetFiles(CorpusFolder, "*.bin", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            // The corpus is kept by format: a file's folder names the sample whose parser it was found with.
            var sample = WireSamples.Get(FuzzRun.FormatOfCorpusFolder(Path.GetFileName(Path.GetDirectoryName(file))!));
            var bytes = File.ReadAllBytes(file);
            FuzzRun.Check(bytes, b => sample.Serialize(sample.Parse(b)), typeof(InvalidFormatException));
            using var stream = new MemoryStream(bytes, writable: false);
            FuzzRun.Check(bytes, _ => ReadFirstObject(sample, stream), typeof(InvalidFormatException));
        }
    }

    /// <summary>
    /// A stream reader takes one object and leaves what follows it: the object must write back exactly the bytes it
    /// consumed (then nothing is left to compare with the whole input).
    /// </summary>
    private static byte[]? ReadFirstObject(WireSample sample, MemoryStream stream)
    {
        var written = sample.Serialize(sample.ParseStream(stream));
        Assert.Equal(stream.ToArray()[..(int)stream.Position], written);
        return null;
    }
}
