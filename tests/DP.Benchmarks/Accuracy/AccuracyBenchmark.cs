using System.Globalization;
using System.Text.Json;
using DP.Runtime.Backbones;
using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;
using DP.Runtime.Metrics;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Reporting;
using DP.Runtime.Training;
using DP.Runtime.Training.Evaluation;
using static TorchSharp.torch;

namespace DP.Benchmarks.Accuracy;

/// <summary>
/// Accuracy of the compared methods on real SuperGLUE data with the packaged MiniLM. Regime "fewshot": train on
/// FewGLUE's 32 train examples, keep the checkpoint best on dev32, report on the official validation set.
/// Regime "boolq-half": BoolQ's validation set split by idx (lower half trains, upper half evaluates), dev32 selects.
/// Each finished run appends one line to results.jsonl; a rerun skips runs already there; tables are rebuilt from it.
/// </summary>
public static class AccuracyBenchmark
{
    public const string FewShot = "fewshot", BoolQHalf = "boolq-half";

    public static int Run(string[] args)
    {
        AccuracyOptions o;
        try { o = AccuracyOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(AccuracyOptions.Usage);
            return 2;
        }
        if (o.One is not null) return RunChild(o);
        var resultsPath = Path.Combine(o.OutDir, "results.jsonl");
        if (!o.ReportOnly)
        {
            var done = AccuracyRecord.ReadAll(resultsPath).Select(r => r.Key).ToHashSet();
            var plan = Plan(o).Where(p => !done.Contains(AccuracyRecord.RunKey(p.Regime, p.Task.ToString(), p.Method, p.Seed, o.Steps))).ToList();
            Console.WriteLine($"accuracy: {plan.Count} runs to do ({done.Count} already in {resultsPath}), {o.Steps} steps each");
            int i = 0;
            foreach (var p in plan)
            {
                i++;
                // Each run in its own process: its peak memory is its own, and no run inherits another's heap.
                var json = BenchChild.Run(["accuracy", .. o.Args, "--one", $"{p.Regime},{p.Task},{p.Method},{p.Seed}"], out var failure);
                if (json is null)
                {
                    Console.WriteLine($"[{i}/{plan.Count}] {p.Regime} {p.Task} {p.Method} seed {p.Seed}: FAILED {failure}");
                }
                else
                {
                    var r = JsonSerializer.Deserialize<AccuracyRecord>(json, AccuracyRecord.Json)!;
                    r.Append(resultsPath);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[{i}/{plan.Count}] {p.Regime} {p.Task} {p.Method} seed {p.Seed}: score {r.Score:F4} (dev32 {r.SelectionMetric} {r.SelectionValue:F4} @ step {r.BestStep}) {r.Seconds:F0} s"));
                }
                // Rebuild the tables after every run so a partial benchmark always has current ones.
                AccuracyReport.Write(AccuracyRecord.ReadAll(resultsPath), o.OutDir, quiet: true);
            }
        }
        var records = AccuracyRecord.ReadAll(resultsPath);
        if (records.Count == 0)
        {
            Console.Error.WriteLine($"error: no results in {resultsPath}");
            return 1;
        }
        Console.WriteLine(AccuracyReport.Write(records, o.OutDir, quiet: false));
        return 0;
    }

    /// <summary>Child mode: one run, its record printed as one line for the parent to append.</summary>
    private static int RunChild(AccuracyOptions o)
    {
        var parts = o.One!.Split(',');
        if (parts.Length != 4 || !Enum.TryParse<SuperGlueTask>(parts[1], out var task) || !int.TryParse(parts[3], CultureInfo.InvariantCulture, out var seed))
            throw new ArgumentException($"--one: expected regime,task,method,seed, got '{o.One}'");
        if (o.Threads > 0) set_num_threads(o.Threads);
        var record = RunOne(o, parts[0], task, parts[2], seed);
        Console.WriteLine(BenchChild.Marker + JsonSerializer.Serialize(record, AccuracyRecord.Json));
        return 0;
    }

    private static IEnumerable<(string Regime, SuperGlueTask Task, string Method, int Seed)> Plan(AccuracyOptions o)
    {
        // Seeds outermost: after the first seed every cell has a value, so a cut-short run still fills the table.
        foreach (var seed in o.Seeds)
        {
            if (o.Regimes.Contains(FewShot))
                foreach (var task in o.Tasks)
                    foreach (var method in o.Methods)
                        yield return (FewShot, task, method, seed);
            if (o.Regimes.Contains(BoolQHalf))
                foreach (var method in o.Methods)
                    yield return (BoolQHalf, SuperGlueTask.BoolQ, method, seed);
        }
    }

    /// <summary>Tokens per example: BoolQ passages and MultiRC paragraphs need 256, the other tasks fit in 128.</summary>
    public static int MaxLength(SuperGlueTask task) => task is SuperGlueTask.BoolQ or SuperGlueTask.MultiRC ? 256 : 128;

    /// <summary>Hyper-parameters per method, stated in docs/benchmarks.md.</summary>
    public static ExperimentOptions Options(AccuracyOptions o, SuperGlueTask task, string method, int seed)
    {
        var m = MethodCatalog.Get(method);
        bool fineTune = m.Kind == MethodKind.FineTune;
        return new ExperimentOptions
        {
            Name = $"{task}-{method}-s{seed}",
            // The frozen backbone computes in bfloat16 for prompt methods (≈4× the float32 GEMM rate here); fine-tuning
            // updates the backbone's weights and keeps float32.
            Backbone = new BackboneOptions { Source = PackagedModels.MiniLmL6, DType = fineTune ? BackboneDType.Float32 : BackboneDType.BFloat16 },
            Task = new TaskOptions { Kind = DataKind.SuperGlue, SuperGlue = task, MaxLength = MaxLength(task), PadToMultipleOf = o.PadMultiple },
            Method = m,
            Training = new TrainingOptions
            {
                Optimizer = OptimizerKind.AdamW,
                LearningRate = fineTune ? 3e-5 : 1e-2,
                BackboneLearningRate = fineTune ? 3e-5 : null,
                PromptLearningRate = fineTune ? null : 3e-2,
                HeadLearningRate = fineTune ? 1e-3 : 1e-2,
                Schedule = LrSchedule.Linear,
                WarmupSteps = Math.Max(1, o.Steps / 10),
                MaxSteps = o.Steps,
                BatchSize = 16,
                EvalBatchSize = o.EvalBatch,
                ClipNorm = 1.0,
                EvalEvery = Math.Max(1, o.Steps / o.Evaluations),
                CheckpointEvery = 0,
                Seed = seed,
                Device = DeviceChoice.Auto,
            },
            Output = new OutputOptions { Dir = o.WorkDir, SavePredictions = false, TensorBoard = false, Plots = false },
        };
    }

    public static AccuracyRecord RunOne(AccuracyOptions o, string regime, SuperGlueTask task, string method, int seed)
    {
        var options = Options(o, task, method, seed);
        var taskDir = Path.Combine(o.DataDir, task.ToString());
        options.Task.DataDir = taskDir;
        options.Task.ValidationFile = "dev32.jsonl"; // selection set
        options.Task.TestFile = EvaluationFile(o, regime, taskDir);
        if (regime == BoolQHalf) options.Task.TrainFile = BoolQHalves(o.DataDir, o.WorkDir).Train;
        options.Name = $"{regime}-{options.Name}";

        var t = options.Training;
        Determinism.Seed(seed);
        var packaged = PackagedModels.Load(options.Backbone.Source);
        var backbone = packaged.Backbone;
        if (options.Backbone.DType == BackboneDType.BFloat16) backbone.SetComputeDType(ScalarType.BFloat16);
        var data = TaskDataLoader.Load(options.Task, packaged.Tokenizer, t.BatchSize, t.EvalBatchSize, seed);
        var test = data.Test ?? throw new InvalidOperationException("the evaluation set did not load");
        foreach (var warning in data.Info.Warnings) Console.WriteLine($"warning: {warning}");
        t.BestMetric = data.Info.PrimaryMetric;
        var info = data.Info;
        var head = TaskHeadInfo.Of(info, packaged.Tokenizer);
        using var model = PromptModelFactory.Create(options.Method, options.Head, backbone, head, packaged.Tokenizer.Special, seed,
            vocabIds: packaged.Tokenizer.OrdinaryTokenIds());
        var run = ExperimentFolder.For(options).CreateRun();
        var trainer = new Trainer(model, data.Train, data.Validation, options, run) { KeepCheckpoints = 1 };
        var result = trainer.Train();
        // The trainer has restored the weights best on dev32; score them on the evaluation set.
        var eval = Evaluator.Evaluate(model, test, trainer.Device);
        foreach (var d in new object?[] { data.Train, data.Validation, data.Test }.OfType<IDisposable>()) d.Dispose();
        try { Directory.Delete(run.Root, recursive: true); } catch (IOException) { }

        return new AccuracyRecord
        {
            Regime = regime,
            Task = task.ToString(),
            Method = method,
            Seed = seed,
            Steps = o.Steps,
            BackboneDType = options.Backbone.DType.ToString().ToLowerInvariant(),
            Score = SuperGlueScore.TaskScore(task.ToString(), eval.Metrics),
            EvalMetrics = new Dictionary<string, double>(eval.Metrics),
            SelectionMetric = t.BestMetric,
            SelectionValue = result.BestValue,
            BestStep = result.BestStep,
            TrainExamples = info.TrainExamples,
            EvalExamples = eval.Predictions.Count,
            Seconds = result.Seconds,
            PeakRssMb = ProcessMemory.PeakRssMb(), // the run has this (child) process to itself
            PadMultiple = options.Task.PadToMultipleOf,
            FinishedUtc = DateTime.UtcNow,
        };
    }

    private static string EvaluationFile(AccuracyOptions o, string regime, string taskDir)
    {
        var file = regime == BoolQHalf ? BoolQHalves(o.DataDir, o.WorkDir).Eval : Path.GetFullPath(Path.Combine(taskDir, "val.jsonl"));
        if (o.EvalLimit is not int limit) return file;
        // A fixed prefix of the evaluation file (same examples for every method and seed); stated in the tables.
        var limited = Path.Combine(Path.GetFullPath(o.WorkDir), "eval-subsets", $"{regime}-{Path.GetFileName(taskDir)}-first{limit}.jsonl");
        if (!File.Exists(limited))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(limited)!);
            File.WriteAllLines(limited, File.ReadLines(file).Where(l => l.Trim().Length > 0).Take(limit));
        }
        return limited;
    }

    /// <summary>
    /// BoolQ val.jsonl split by idx into a lower half (training) and an upper half (evaluation), written under the
    /// work folder (outside the repository) at run time.
    /// </summary>
    public static (string Train, string Eval) BoolQHalves(string dataDir, string workDir)
    {
        var source = Path.Combine(dataDir, "BoolQ", "val.jsonl");
        var dir = Path.Combine(Path.GetFullPath(workDir), "boolq-halves");
        var train = Path.Combine(dir, "train-lower-half.jsonl");
        var eval = Path.Combine(dir, "eval-upper-half.jsonl");
        if (File.Exists(train) && File.Exists(eval)) return (train, eval);
        if (!File.Exists(source)) throw new FileNotFoundException($"BoolQ validation file not found: {Path.GetFullPath(source)}", source);
        var rows = new List<(long Idx, string Line)>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(source))
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            if (!doc.RootElement.TryGetProperty("idx", out var idx) || idx.ValueKind != JsonValueKind.Number)
                throw new InvalidDataException($"{source}({lineNo}): field 'idx' is missing or not a number");
            rows.Add((idx.GetInt64(), line));
        }
        rows.Sort((a, b) => a.Idx.CompareTo(b.Idx));
        int half = rows.Count / 2;
        Directory.CreateDirectory(dir);
        File.WriteAllLines(train, rows.Take(half).Select(r => r.Line));
        File.WriteAllLines(eval, rows.Skip(half).Select(r => r.Line));
        return (train, eval);
    }
}
