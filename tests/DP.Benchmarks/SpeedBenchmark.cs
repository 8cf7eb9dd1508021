using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DP.Runtime.Backbones;
using DP.Runtime.Experiments;
using DP.Runtime.Models;
using DP.Runtime.Prompts.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Benchmarks;

/// <summary>
/// Training and evaluation speed of each method on the packaged MiniLM at batch × tokens (default 16 × 128):
/// seconds per step, examples/s, analytic GFLOP/s against the GEMM peak of the row's dtype measured in the same process
/// right after its steps (same threads, same OpenMP waiting, same minutes), and peak resident memory.
/// Each (method, dtype) runs in its own process so peak memory is per method.
/// </summary>
public static class SpeedBenchmark
{
    public sealed record Result(string Method, string DType, int Batch, int Tokens, double SecondsPerStep, double TrainExamplesPerSecond,
        double EvalExamplesPerSecond, double StepGFlop, double AchievedGFlops, double PeakRssMb, int Threads = 0, bool Uncached = false, bool Checkpointing = false, double ManagedKbPerStep = 0, bool Dropout = true,
        double PeakGFlops = 0, double CpuSecondsPerStep = 0)
    {
        public double PercentOfPeak => PeakGFlops > 0 ? 100 * AchievedGFlops / PeakGFlops : double.NaN;
    }

    public static int Run(string[] args)
    {
        // Child mode: one measurement, one JSON line on stdout.
        if (args.Length >= 3 && args[0] == "--one")
        {
            var r = MeasureOne(args[1], args[2], Steps(args), Threads(args), args.Contains("--uncached"), tokens: Tokens(args),
                checkpointing: args.Contains("--checkpointing"), dropout: !args.Contains("--no-dropout"));
            Console.WriteLine(BenchChild.Marker + JsonSerializer.Serialize(r));
            return 0;
        }
        var methods = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal)
            ? args[0].Split(',') : MethodCatalog.All.Select(m => m.Name).ToArray();
        var results = new List<Result>();
        foreach (var dtype in new[] { "bfloat16", "float32" })
            foreach (var method in methods)
            {
                var r = RunChild(method, dtype, Steps(args), Threads(args), args.Contains("--uncached"), Tokens(args),
                    args.Contains("--checkpointing"), !args.Contains("--no-dropout"));
                if (r is null) continue;
                results.Add(r);
                Console.WriteLine($"{r.Method,-16} {r.DType,-8} {r.SecondsPerStep,7:F3} s/step ({r.CpuSecondsPerStep:F3} CPU s) {r.TrainExamplesPerSecond,7:F1} ex/s train " +
                                  $"{r.EvalExamplesPerSecond,7:F1} ex/s eval {r.AchievedGFlops,7:F1} GFLOP/s ({r.PercentOfPeak:F0}% of {r.PeakGFlops:F0}) {r.PeakRssMb,7:F0} MB peak {r.ManagedKbPerStep,6:F0} KB/step managed");
            }
        Console.WriteLine();
        Console.WriteLine($"{Machine.Cpu}; load average {Machine.LoadAverage}; GEMM peak: 1024³ matmuls of the row's dtype in the row's own process after its steps" +
                          (args.Contains("--uncached") ? "; every timed step on unseen examples (instance features computed each step)" : "") +
                          (args.Contains("--checkpointing") ? "; gradient checkpointing on (GFLOP/s counts the step without its re-run forward)" : "") +
                          (args.Contains("--no-dropout") ? "; dropout off (training.dropout: false)" : "; dropout on at the backbone config's rates"));
        Console.WriteLine("| method | dtype | s/step | CPU s/step | train ex/s | eval ex/s | GFLOP/step | GFLOP/s | GEMM peak GFLOP/s | % of GEMM peak | peak RSS MB | managed KB/step |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Method} | {r.DType} | {r.SecondsPerStep:F3} | {r.CpuSecondsPerStep:F3} | {r.TrainExamplesPerSecond:F1} | {r.EvalExamplesPerSecond:F1} | {r.StepGFlop:F1} | {r.AchievedGFlops:F1} | {r.PeakGFlops:F1} | {r.PercentOfPeak:F0}% | {r.PeakRssMb:F0} | {r.ManagedKbPerStep:F0} |"));
        foreach (var dtype in new[] { "bfloat16", "float32" })
        {
            var pt = results.FirstOrDefault(r => r.Method == "prompt" && r.DType == dtype);
            var dp = results.FirstOrDefault(r => r.Method == "dp-ins-pos" && r.DType == dtype);
            if (pt is not null && dp is not null)
                Console.WriteLine($"DP instance-position step / prompt-tuning step ({dtype}): {dp.SecondsPerStep / pt.SecondsPerStep:F2}");
        }
        File.WriteAllText("speed-results.json", JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static int Steps(string[] args) => BenchArgs.Int(args, "--steps", 20);

    /// <summary>--threads N: torch intra-op threads (0 = libtorch's default, one per core).</summary>
    private static int Threads(string[] args) => BenchArgs.Int(args, "--threads", 0);

    /// <summary>--tokens N: real tokens per example before prompts (default 128).</summary>
    private static int Tokens(string[] args) => BenchArgs.Int(args, "--tokens", 128);

    public static Result? RunChild(string method, string dtype, int steps, int threads, bool uncached, int tokens, bool checkpointing, bool dropout)
    {
        var args = new List<string> { "speed", "--one", method, dtype, "--steps", steps.ToString(CultureInfo.InvariantCulture),
            "--threads", threads.ToString(CultureInfo.InvariantCulture), "--tokens", tokens.ToString(CultureInfo.InvariantCulture) };
        if (uncached) args.Add("--uncached");
        if (checkpointing) args.Add("--checkpointing");
        if (!dropout) args.Add("--no-dropout");
        var json = BenchChild.Run(args, out var failure);
        if (json is null) Console.WriteLine($"{method} {dtype}: failed ({failure})");
        return json is null ? null : JsonSerializer.Deserialize<Result>(json);
    }

    /// <param name="uncached">Every timed step gets examples never seen before, so a DP instance method computes its
    /// instance features each step (as in the first epoch, or as the authors' design always does).</param>
    /// <param name="checkpointing">training.gradient_checkpointing: the backbone re-runs each layer in backward.</param>
    /// <param name="dropout">training.dropout: dropout in the timed training steps at the backbone config's rates.</param>
    public static Result MeasureOne(string methodName, string dtypeName, int steps, int threads = 0, bool uncached = false,
        int batch = 16, int tokens = 128, bool checkpointing = false, bool dropout = true)
    {
        if (threads > 0) torch.set_num_threads(threads);
        var method = MethodCatalog.Get(methodName);
        var dtype = dtypeName == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32;
        var packaged = PackagedModels.Load(PackagedModels.MiniLmL6);
        var backbone = packaged.Backbone;
        if (dtype == ScalarType.BFloat16) backbone.SetComputeDType(dtype);
        backbone.GradientCheckpointing = checkpointing;
        backbone.Dropout.Enabled = dropout;
        var special = packaged.Tokenizer.Special;
        using var model = PromptModelFactory.Create(method, new HeadOptions(), backbone, new TaskHeadInfo(2), special, seed: 1);
        var trainable = model.ParameterGroups.SelectMany(g => g.Parameters).ToList();
        using var optimizer = torch.optim.AdamW(trainable, lr: 1e-3);

        // The batch is 16 × 128 real tokens before prompts ([CLS] … [SEP]); a pool of 4 batches is rotated so
        // instance features are cached after the first pass, as they are after the first epoch of real training.
        var batches = Enumerable.Range(0, 4).Select(i => SyntheticBatch(batch, tokens, special.Cls ?? 101, special.Sep, i)).ToList();
        void Step(ModelBatch b)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.Loss(b);
            loss.backward();
            optimizer.step();
            model.OnOptimizerStep(1);
        }
        model.Module.train();
        foreach (var b in batches) Step(b); // warm-up + fill the instance cache
        var timed = uncached
            ? Enumerable.Range(0, steps).Select(s => SyntheticBatch(batch, tokens, special.Cls ?? 101, special.Sep, batches.Count + s)).ToList()
            : Enumerable.Range(0, steps).Select(s => batches[s % batches.Count]).ToList();
        long managedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        foreach (var b in timed) Step(b);
        double secondsPerStep = sw.Elapsed.TotalSeconds / steps;
        // CPU time of all the process's threads: on a shared machine wall time measures the share of the cores this
        // process got as much as its own work; with passive waiting, CPU time is the work.
        double cpuSecondsPerStep = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / steps;
        double managedKbPerStep = (GC.GetTotalAllocatedBytes(precise: true) - managedBefore) / 1024.0 / steps;

        model.Module.eval();
        var evalSw = Stopwatch.StartNew();
        int evalSteps = Math.Max(4, steps / 2);
        using (torch.no_grad())
            for (int s = 0; s < evalSteps; s++)
            {
                using var scope = NewDisposeScope();
                model.Scores(batches[s % batches.Count]);
            }
        double evalPerSecond = evalSteps * batch / evalSw.Elapsed.TotalSeconds;

        var c = backbone.Config;
        bool prefix = method.Kind == MethodKind.Prefix;
        int promptLength = method is SoftPromptOptions soft ? soft.PromptLength : 0;
        int promptRows = method is PromptTuningOptions ? promptLength : 0;
        double forward = StepFlops.EncoderForward(batch, tokens + promptRows, c.HiddenSize, c.NumHiddenLayers, c.IntermediateSize,
            prefix ? promptLength : 0);
        double stepFlop = StepFlops.TrainStep(forward, method.Kind == MethodKind.FineTune);
        double peakRss = ProcessMemory.PeakRssMb(); // before the GEMM peak's own tensors
        return new Result(methodName, dtypeName, batch, tokens, secondsPerStep, batch / secondsPerStep, evalPerSecond,
            stepFlop / 1e9, stepFlop / 1e9 / secondsPerStep, peakRss,
            torch.get_num_threads(), uncached, checkpointing, managedKbPerStep, dropout, GemmPeak.Measure(dtype), cpuSecondsPerStep);
    }

    private static ModelBatch SyntheticBatch(int batch, int tokens, int cls, int sep, int index)
    {
        var gen = new Random(1000 + index);
        var ids = new long[batch * tokens];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < tokens; t++)
                ids[b * tokens + t] = t == 0 ? cls : t == tokens - 1 ? sep : gen.Next(2000, 28000);
        var labels = Enumerable.Range(0, batch).Select(i => (long)(gen.Next(2))).ToArray();
        return new ModelBatch(
            torch.tensor(ids, [batch, tokens], ScalarType.Int64),
            torch.ones(batch, tokens, dtype: ScalarType.Int64),
            torch.zeros(batch, tokens, dtype: ScalarType.Int64),
            torch.tensor(labels, ScalarType.Int64),
            Enumerable.Range(0, batch).Select(i => (long)(index * batch + i)).ToArray());
    }
}
