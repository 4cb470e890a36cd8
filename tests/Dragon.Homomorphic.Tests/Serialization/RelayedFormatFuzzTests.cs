using System.Security.Cryptography;
using Dragon.Contracts.Jobs;
using Xunit.Abstractions;

namespace Dragon.Homomorphic.Tests.Serialization;

/// <summary>
/// The formats the platform relays between nodes, fuzzed like the wire objects: the framed contributions a node
/// downloads before its decryption share (each a ciphertext vector, so a frame that passes is parsed as one too), and
/// a threshold share sealed by its dealer, which a mutated byte must make unopenable rather than open into another share.
/// </summary>
public sealed class RelayedFormatFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void ContributionFrames_EndInInvalidDataOrFramesOfValidVectors()
    {
        List<WireSample> vectors = [WireSamples.Get("ciphertext vector"), WireSamples.Get("compressed ciphertext vector")];
        var valid = CiphertextFrames.Write([.. vectors.Select(v => v.Bytes)]);
        var maxBytes = vectors.Max(v => v.Bytes.Length);
        var inputs = WireMutations.Of(valid, [.. vectors.Select(v => v.Bytes)], WireSamples.Parameters.CoeffModulus[0]);

        var outcome = FuzzRun.Run("contribution frames", "from a stream", inputs, bytes =>
        {
            IReadOnlyList<byte[]> frames;
            try
            {
                using var stream = new MemoryStream(bytes, writable: false);
                frames = CiphertextFrames.ReadAsync(stream, vectors.Count, maxBytes, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (InvalidDataException)
            {
                throw new InvalidFormatException("frames");
            }
            // What the node does next with each frame: parse it as the job's ciphertext vector.
            foreach (var frame in frames)
            {
                CiphertextVector.ReadFrom(frame, WireSamples.Parameters);
            }
            Assert.Equal(bytes, CiphertextFrames.Write(frames));
            return null;
        }, typeof(InvalidFormatException));

        output.WriteLine($"{outcome.Format}: {outcome.Tried:N0} inputs, {outcome.Rejected:N0} rejected, {outcome.Accepted:N0} parsed faithfully");
        Assert.True(outcome.Rejected > outcome.Tried / 2);
    }

    [Fact]
    public void SealedThresholdShares_OpenOnlyUnaltered()
    {
        using var dealer = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var recipient = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var (keySetId, dealerId, recipientId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var share = WireSamples.Get("threshold share").Bytes;
        var valid = ThresholdShareSeal.Seal(dealer, recipient.ExportSubjectPublicKeyInfo(), keySetId, dealerId, recipientId, share);
        var dealerKey = dealer.ExportSubjectPublicKeyInfo();
        var inputs = WireMutations.Of(valid, [ThresholdShareSeal.Seal(dealer, recipient.ExportSubjectPublicKeyInfo(), keySetId, dealerId, Guid.NewGuid(), share)], WireSamples.Parameters.CoeffModulus[0]);

        var outcome = FuzzRun.Run("sealed threshold share", "opened", inputs, bytes =>
        {
            var opened = ThresholdShareSeal.Open(recipient, dealerKey, keySetId, dealerId, recipientId, bytes)
                ?? throw new InvalidFormatException("does not open");
            Assert.Equal(valid, bytes);
            Assert.Equal(share, opened);
            return null;
        }, typeof(InvalidFormatException));

        output.WriteLine($"{outcome.Format}: {outcome.Tried:N0} inputs, {outcome.Rejected:N0} rejected, {outcome.Accepted:N0} opened (each the unaltered share)");
        Assert.True(outcome.Rejected > outcome.Tried * 99 / 100);
    }
}
