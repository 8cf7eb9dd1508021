using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DP.Runtime.Backbones;
using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Reporting;
using DP.Runtime.Training;
using DP.Runtime.Training.Progress;
using static TorchSharp.torch;

namespace DP.Benchmarks.Soak;

/// <summary>
/// Memory soak: a long run of the real Trainer (data loader, optimizer, evaluation, best-checkpoint saving) on a
/// small synthetic task, printing resident memory every 100 steps. A leak of a tensor per step shows as steady
/// growth; the target is a peak ≤ 2 GB and no growth after warm-up. Each method runs in its own process.
/// </summary>
public static class SoakBenchmark
{
    public const string Usage = "soak [prompt,dp-ins-pos] [--steps 2000] [--every 100] [--threads N] [--varied-length N] [--out bench-results/soak]";

    public sealed record Sample(long Step, double RssMb, double ManagedMb, double Seconds);
    public sealed record Result(string Method, int Steps, double PeakRssMb, double RssAfterWarmupMb, double RssEndMb,
        double GrowthAfterWarmupMb, double GrowthPer1000StepsMb, double SecondsPerStep, List<Sample> Samples);

    public static int Run(string[] args)
    {
        int steps = BenchArgs.Int(args, "--steps", 2000), every = BenchArgs.Int(args, "--every", 100), threads = BenchArgs.Int(args, "--threads", 0);
        // 0: short texts of one shape; N: texts of 8..N words cut at N tokens, so length-bucketed batches vary in shape as in real data.
        int varied = BenchArgs.Int(args, "--varied-length", 0);
        var outDir = BenchArgs.String(args, "--out") ?? "bench-results/soak";
        if (args.Length >= 2 && args[0] == "--one")
        {
            if (threads > 0) set_num_threads(threads);
            var r = RunOne(args[1], steps, every, varied);
            Console.WriteLine("RESULT " + JsonSerializer.Serialize(r));
            return 0;
        }
        var methods = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0].Split(',') : ["prompt", "dp-ins-pos"];
        foreach (var m in methods) MethodCatalog.Get(m);
        Directory.CreateDirectory(outDir);
        var results = new List<Result>();
        foreach (var m in methods)
        {
            var r = Child(m, args);
            if (r is null) continue;
            results.Add(r);
            File.WriteAllText(Path.Combine(outDir, "soak-results.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        }
        Console.WriteLine();
        Console.WriteLine("| method | steps | s/step | RSS after warm-up (step 200) MB | RSS at end MB | growth after warm-up MB | growth per 1000 steps MB | peak RSS MB |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Method} | {r.Steps} | {r.SecondsPerStep:F3} | {r.RssAfterWarmupMb:F0} | {r.RssEndMb:F0} | {r.GrowthAfterWarmupMb:+0;-0;0} | {r.GrowthPer1000StepsMb:F1} | {r.PeakRssMb:F0} |"));
        return results.Count == methods.Length ? 0 : 1;
    }

    private static Result? Child(string method, string[] args)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(SoakBenchmark).Assembly.Location);
        psi.ArgumentList.Add("soak");
        psi.ArgumentList.Add("--one");
        psi.ArgumentList.Add(method);
        foreach (var a in args.Where(a => a != method && !a.Contains(',', StringComparison.Ordinal))) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        Result? result = null;
        while (p.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("RESULT ", StringComparison.Ordinal)) result = JsonSerializer.Deserialize<Result>(line["RESULT ".Length..]);
            else Console.WriteLine(line);
        }
        p.WaitForExit();
        if (p.ExitCode != 0 || result is null) Console.WriteLine($"{method}: soak failed (exit {p.ExitCode})");
        return result;
    }

    private sealed class RssObserver(string method, int every, Stopwatch clock, List<Sample> samples) : ITrainingObserver
    {
        public void OnStep(StepReport report)
        {
            if (report.Step % every != 0 && report.Step != 1) return;
            var s = new Sample(report.Step, ProcessMemory.RssMb(), GC.GetTotalMemory(false) / 1048576.0, clock.Elapsed.TotalSeconds);
            samples.Add(s);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{method,-12} step {s.Step,5}: RSS {s.RssMb,7:F0} MB  managed {s.ManagedMb,6:F1} MB  loss {report.Loss:F4}  {s.Seconds,6:F0} s"));
        }
    }

    public static Result RunOne(string methodName, int steps, int every, int variedLength = 0)
    {
        var work = Path.Combine(Path.GetTempPath(), $"dp-soak-{methodName}-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            WriteSyntheticTask(work, variedLength);
            var options = new ExperimentOptions
            {
                Name = $"soak-{methodName}",
                Backbone = new BackboneOptions { DType = BackboneDType.BFloat16 },
                Task = new TaskOptions { Kind = DataKind.Custom, DataDir = work, TrainFile = "train.jsonl", ValidationFile = "val.jsonl", Fields = ["text"], MaxLength = variedLength > 0 ? variedLength : 64 },
                Method = MethodCatalog.Get(methodName),
                Training = new TrainingOptions
                {
                    LearningRate = 1e-2, MaxSteps = steps, BatchSize = 16, EvalBatchSize = 32,
                    // Evaluation, best-model saving and checkpoints run periodically, as in a real run.
                    EvalEvery = 250, CheckpointEvery = 500, Seed = 1,
                },
                Output = new OutputOptions { Dir = Path.Combine(work, "runs"), SavePredictions = false, TensorBoard = false, Plots = false },
            };
            var packaged = PackagedModels.Load(PackagedModels.MiniLmL6);
            packaged.Backbone.SetComputeDType(ScalarType.BFloat16);
            var data = TaskDataLoader.Load(options.Task, packaged.Tokenizer, 16, 32, 1);
            using var model = PromptModelFactory.Create(options.Method, options.Head, packaged.Backbone,
                new TaskHeadInfo(data.Info.NumClasses), packaged.Tokenizer.Special, seed: 1);
            var samples = new List<Sample>();
            var clock = Stopwatch.StartNew();
            new Trainer(model, data.Train, data.Validation, options, ExperimentFolder.For(options).CreateRun(), new RssObserver(methodName, every, clock, samples)).Train();
            double seconds = clock.Elapsed.TotalSeconds;
            // Warm-up: allocator pools, the instance cache and JIT settle in the first couple of hundred steps.
            var warm = samples.FirstOrDefault(s => s.Step >= Math.Min(200, steps)) ?? samples.Last();
            var end = samples.Last();
            double growth = end.RssMb - warm.RssMb;
            double perK = end.Step > warm.Step ? growth / (end.Step - warm.Step) * 1000 : 0;
            return new Result(methodName, steps, ProcessMemory.PeakRssMb(), warm.RssMb, end.RssMb, growth, perK, seconds / steps, samples);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// A two-class synthetic sentiment set (made here, no benchmark data): 64 train and 32 validation lines of one
    /// sentence, or with <paramref name="variedLength"/> 640 train and 64 validation lines of 8..N words.
    /// </summary>
    private static void WriteSyntheticTask(string dir, int variedLength)
    {
        string[] good = ["great", "wonderful", "excellent", "lovely", "superb"], bad = ["awful", "terrible", "boring", "poor", "dreadful"];
        string[] nouns = ["film", "meal", "book", "concert", "trip", "game", "show", "hotel"];
        var rng = new Random(7);
        IEnumerable<string> Lines(int n) => Enumerable.Range(0, n).Select(i =>
        {
            bool pos = i % 2 == 0;
            var adj = (pos ? good : bad)[rng.Next(5)];
            var text = $"The {nouns[rng.Next(nouns.Length)]} was {adj}, and I would say it was {adj} again and again for a long while.";
            if (variedLength > 0)
                text = string.Join(' ', Enumerable.Range(0, rng.Next(8, variedLength + 1)).Select(w => w % 7 == 3 ? adj : nouns[rng.Next(nouns.Length)]));
            return JsonSerializer.Serialize(new { text, label = pos ? "positive" : "negative" });
        });
        File.WriteAllLines(Path.Combine(dir, "train.jsonl"), Lines(variedLength > 0 ? 640 : 64));
        File.WriteAllLines(Path.Combine(dir, "val.jsonl"), Lines(variedLength > 0 ? 64 : 32));
    }
}
