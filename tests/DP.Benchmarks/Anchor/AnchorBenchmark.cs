using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DP.Runtime.Native;

namespace DP.Benchmarks.Anchor;

/// <summary>
/// This project's training steps side by side with the same steps in eager PyTorch (pytorch_prompt_step.py), in one
/// run: each round runs eager prompt tuning, this project's prompt tuning, the authors' DP design in eager PyTorch
/// (a second frozen forward per step) and this project's DP instance position, each in a process of its own, the
/// order reversed every other round so that a drifting machine load does not favour either side. Prints each
/// round's seconds per step (wall and CPU: on a shared machine the wall time also measures the share of the cores a
/// process got), % of the GEMM peak measured in the same process, the ratios of both and the load average.
/// </summary>
public static class AnchorBenchmark
{
    public const string Usage = "anchor [--rounds 3] [--steps 10] [--threads 2] [--python /usr/bin/python3]";

    private sealed record Eager(double SecondsPerStep, double CpuSecondsPerStep, double PeakGFlops, string Torch);

    private sealed record Round(Eager Prompt, SpeedBenchmark.Result Ours, Eager AuthorsDp, SpeedBenchmark.Result OursDp);

    public static int Run(string[] args)
    {
        int rounds = BenchArgs.Int(args, "--rounds", 3), steps = BenchArgs.Int(args, "--steps", 10), threads = BenchArgs.Int(args, "--threads", 2);
        var python = BenchArgs.String(args, "--python") ?? "/usr/bin/python3";
        var script = Path.Combine(AppContext.BaseDirectory, "Anchor", "pytorch_prompt_step.py");
        if (!File.Exists(python))
        {
            Console.Error.WriteLine($"anchor: {python} not found (Debian: apt-get install -y python3-torch; or --python PATH)");
            return 1;
        }
        // The PyTorch children inherit this process's environment: load the runtime first so that they wait for
        // OpenMP work the way this project's steps do.
        RuntimeHelpers.RunModuleConstructor(typeof(OpenMpWaitPolicy).Module.ModuleHandle);
        Console.WriteLine($"# {Machine.Cpu}; {threads} threads; bf16 frozen MiniLM-L6 shape, 16 × 128 + 20 prompt rows, no dropout; " +
                          $"{steps} timed steps; OpenMP: {OpenMpWaitPolicy.Describe()}");
        var done = new List<Round>();
        for (int r = 1; r <= rounds; r++)
        {
            var runs = new List<Func<object?>>
            {
                () => RunEager(python, script, steps, threads, secondForward: false),
                () => SpeedBenchmark.RunChild("prompt", "bfloat16", steps, threads, false, 128, false, dropout: false),
                () => RunEager(python, script, steps, threads, secondForward: true),
                () => SpeedBenchmark.RunChild("dp-ins-pos", "bfloat16", steps, threads, false, 128, false, dropout: false),
            };
            var order = r % 2 == 1 ? [0, 1, 2, 3] : new[] { 3, 2, 1, 0 };
            var results = new object?[4];
            foreach (var i in order) results[i] = runs[i]();
            if (results.Any(x => x is null)) return 1;
            var round = new Round((Eager)results[0]!, (SpeedBenchmark.Result)results[1]!, (Eager)results[2]!, (SpeedBenchmark.Result)results[3]!);
            done.Add(round);
            Print(r, round);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median over {rounds} rounds, wall (CPU): prompt tuning {Median(done, PromptRatio):F2}× ({Median(done, PromptCpuRatio):F2}×) eager PyTorch (target ≥ 1.5); " +
            $"DP instance position {Median(done, DpRatio):F2}× ({Median(done, DpCpuRatio):F2}×) the authors' design (target ≥ 2.5); " +
            $"DP / prompt-tuning step {Median(done, x => x.OursDp.SecondsPerStep / x.Ours.SecondsPerStep):F2} ({Median(done, x => x.OursDp.CpuSecondsPerStep / x.Ours.CpuSecondsPerStep):F2}) (target ≤ 1.05); " +
            $"% of GEMM peak: prompt {Median(done, x => x.Ours.PercentOfPeak):F0}%, DP {Median(done, x => x.OursDp.PercentOfPeak):F0}% (target ≥ 50%)"));
        return 0;
    }

    private static double PromptRatio(Round r) => r.Prompt.SecondsPerStep / r.Ours.SecondsPerStep;

    private static double DpRatio(Round r) => r.AuthorsDp.SecondsPerStep / r.OursDp.SecondsPerStep;

    private static double PromptCpuRatio(Round r) => r.Prompt.CpuSecondsPerStep / r.Ours.CpuSecondsPerStep;

    private static double DpCpuRatio(Round r) => r.AuthorsDp.CpuSecondsPerStep / r.OursDp.CpuSecondsPerStep;

    private static void Print(int index, Round r)
    {
        double EagerPercent(Eager e) => 100 * r.Ours.StepGFlop / e.SecondsPerStep / e.PeakGFlops; // the same useful work
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round {index}: eager prompt {r.Prompt.SecondsPerStep:F3} s/{r.Prompt.CpuSecondsPerStep:F3} CPU s ({EagerPercent(r.Prompt):F0}% of {r.Prompt.PeakGFlops:F0}) | " +
            $"ours prompt {r.Ours.SecondsPerStep:F3}/{r.Ours.CpuSecondsPerStep:F3} ({r.Ours.PercentOfPeak:F0}% of {r.Ours.PeakGFlops:F0}) | " +
            $"authors' DP {r.AuthorsDp.SecondsPerStep:F3}/{r.AuthorsDp.CpuSecondsPerStep:F3} | ours DP ins-pos {r.OursDp.SecondsPerStep:F3}/{r.OursDp.CpuSecondsPerStep:F3} ({r.OursDp.PercentOfPeak:F0}% of {r.OursDp.PeakGFlops:F0}) | " +
            $"wall: prompt {PromptRatio(r):F2}×, DP {DpRatio(r):F2}×, DP/prompt {r.OursDp.SecondsPerStep / r.Ours.SecondsPerStep:F2}; " +
            $"CPU: prompt {PromptCpuRatio(r):F2}×, DP {DpCpuRatio(r):F2}×, DP/prompt {r.OursDp.CpuSecondsPerStep / r.Ours.CpuSecondsPerStep:F2} | load {Machine.LoadAverage}"));
    }

    private static double Median(List<Round> rounds, Func<Round, double> value)
    {
        var sorted = rounds.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Eager? RunEager(string python, string script, int steps, int threads, bool secondForward)
    {
        var args = new List<string> { script, "--json", "--steps", steps.ToString(CultureInfo.InvariantCulture),
            "--threads", threads.ToString(CultureInfo.InvariantCulture) };
        if (secondForward) args.Add("--second-forward");
        var json = BenchChild.Run(python, args, out var failure);
        if (json is null) Console.Error.WriteLine($"anchor: eager PyTorch failed ({failure})");
        return json is null ? null : JsonSerializer.Deserialize<Eager>(json);
    }
}
