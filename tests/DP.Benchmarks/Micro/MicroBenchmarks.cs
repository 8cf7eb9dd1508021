using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace DP.Benchmarks.Micro;

/// <summary>
/// The per-step pieces of a dynamic-prompting step, measured with BenchmarkDotNet: the hard Gumbel-softmax, the
/// prompt assembler (training and evaluation), the instance-feature cache lookup and WordPiece tokenization.
/// In-process (the natives and the GLIBCXX patch come with this build) and short runs: these are per-call costs to
/// compare with a ≈ 0.4 s training step, not a leaderboard.
/// </summary>
public static class MicroBenchmarks
{
    public const string Usage = "micro [--filter *Assembler*] [--artifacts DIR]";

    public static int Run(string[] args)
    {
        var artifacts = BenchArgs.String(args, "--artifacts") ?? Path.Combine(Path.GetTempPath(), "dp-bench-micro");
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(artifacts);
        var rest = args.Where((a, i) => a != "--artifacts" && (i == 0 || args[i - 1] != "--artifacts")).ToArray();
        if (!rest.Contains("--filter")) rest = [.. rest, "--filter", "*"];
        var summaries = BenchmarkSwitcher.FromTypes([typeof(GumbelBenchmarks), typeof(AssemblerBenchmarks),
            typeof(InstanceCacheBenchmarks), typeof(TokenizerBenchmarks)]).Run(rest, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
