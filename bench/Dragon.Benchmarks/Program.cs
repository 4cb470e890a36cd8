using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Dragon.Homomorphic;

if (args.Contains("--load"))
{
    return await Dragon.Benchmarks.Load.LoadTest.RunAsync(Dragon.Benchmarks.Load.LoadTestOptions.Parse(args));
}
if (args.Contains("--trace"))
{
    return await Dragon.Benchmarks.Load.AgentTrace.RunAsync(args);
}

// Sizes are not timings: print them once, then hand over to BenchmarkDotNet (ShortRun unless --job is given).
foreach (string preset in new[] { ParameterPresets.Bfv4096, ParameterPresets.Bfv8192 })
{
    var parameters = EncryptionParameters.FromPreset(preset);
    var keys = new KeyGenerator(parameters);
    Plaintext plain = new IntegerEncoder(parameters).Encode([1, 2, 3]);
    int full = new Encryptor(parameters, keys.CreatePublicKey()).Encrypt(plain).BinarySize;
    int compressed = new Encryptor(parameters, keys.SecretKey).EncryptSymmetric(plain).BinarySize;
    Console.WriteLine($"{preset}: ciphertext {full / 1000.0:F1} KB, seed-compressed {compressed / 1000.0:F1} KB ({100.0 * compressed / full:F1} %)");
}

IConfig config = DefaultConfig.Instance
    .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value))
    .HideColumns(Column.Error, Column.StdDev, Column.Median, Column.RatioSD);
if (!args.Any(a => a.StartsWith("--job", StringComparison.Ordinal) || a == "-j"))
{
    config = config.AddJob(Job.ShortRun);
}

BenchmarkSwitcher.FromAssembly(typeof(Dragon.Benchmarks.BfvBenchmarks).Assembly).Run(args, config);
return 0;
