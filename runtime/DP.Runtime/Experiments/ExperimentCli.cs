using System.Globalization;
using System.Text.Json;
using DP.Runtime.Backbones;
using DP.Runtime.Data;
using DP.Runtime.Data.Loading;
using DP.Runtime.Models;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Reporting;
using DP.Runtime.Sweeps;
using DP.Runtime.Tokenization;
using DP.Runtime.Training;
using DP.Runtime.Training.Checkpoints;
using DP.Runtime.Training.Devices;
using DP.Runtime.Training.Evaluation;
using DP.Runtime.Training.Progress;
using DP.Runtime.Weights.HuggingFace;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Experiments;

/// <summary>
/// The command line of a generated experiment program: <c>[train|eval|predict|export-peft] [--set key=value]...
/// [--max-steps N] [--output DIR] [--resume [checkpoint|auto]] [--data DIR]</c>. It composes backbone, tokenizer,
/// data, prompt model and trainer from the options and prints a results table.
/// Exit codes: 0 done, 1 failed (bad data, checkpoint, configuration), 2 bad command line, 130 interrupted.
/// </summary>
public static class ExperimentCli
{
    public const int Ok = 0, Failed = 1, Usage = 2, Interrupted = 130;

    /// <summary>Runs the experiment described by <paramref name="defaults"/> as <paramref name="args"/> ask; returns the exit code.</summary>
    /// <param name="sweep">The spec's sweep (generated), for the <c>sweep</c> verbs.</param>
    /// <param name="launcher">How <c>sweep run</c> starts trials; default: this program again.</param>
    public static int Run(ExperimentOptions defaults, string[] args, SpecOverride applyOverride, SweepDefinition? sweep = null, TrialLauncher? launcher = null)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(applyOverride);
        if (args.Length > 0 && args[0] == "sweep") return SweepCli.Run(defaults, args[1..], applyOverride, sweep, launcher);
        CliArguments cli;
        try
        {
            cli = CliArguments.Parse(args);
            if (cli.Help)
            {
                Console.WriteLine(CliArguments.Usage);
                return Ok;
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(CliArguments.Usage);
            return Usage;
        }
        try
        {
            // The spec's own paths, before the command line replaces any of them.
            SpecPaths.Check(defaults, Directory.GetCurrentDirectory());
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Failed;
        }
        try
        {
            cli.ApplyTo(defaults, applyOverride);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(CliArguments.Usage);
            return Usage;
        }

        try
        {
            return cli.Verb switch
            {
                CliVerb.Train => Train(defaults, cli),
                CliVerb.Eval => Evaluate(defaults, cli, predict: false),
                CliVerb.Predict => Predict(defaults, cli),
                CliVerb.ExportPeft => ExportPeft(defaults, cli),
                _ => Usage,
            };
        }
        catch (Exception e)
        {
            // Nothing may escape: an unhandled exception aborts the process (exit 134) with a stack trace.
            Console.Error.WriteLine($"error: {e.Message}");
            if (!IsInputError(e))
            {
                Console.Error.WriteLine($"(an unexpected {e.GetType().Name}; please report it with the spec and command line" +
                                        $"{(ShowStackTrace ? "" : $"; set {StackTraceVariable}=1 to print where it was thrown")})");
            }
            if (ShowStackTrace) Console.Error.WriteLine(e);
            return Failed;
        }
    }

    /// <summary>Set to 1 to print the stack trace of a failure (for bug reports).</summary>
    public const string StackTraceVariable = "DP_STACK_TRACE";

    private static bool ShowStackTrace => Environment.GetEnvironmentVariable(StackTraceVariable) == "1";

    /// <summary>Failures caused by the spec, data, model folder, checkpoint or machine: the message says it all.</summary>
    private static bool IsInputError(Exception e)
        => e is ArgumentException or InvalidOperationException or IOException or InvalidDataException or NotSupportedException
            or CheckpointException or NonFiniteLossException or UnauthorizedAccessException or DataFormatException
            or DP.Runtime.Weights.WeightLoadException;

    private static int Train(ExperimentOptions options, CliArguments cli)
    {
        using var experiment = Experiment.Compose(options);
        var (run, resume) = ExperimentFolder.For(options).ForTraining(cli.Resume, cli.Run);
        Console.WriteLine($"{options.Name}: {experiment.Model.GetType().Name} ({options.Method.Kind}) on {experiment.Data.Info.Name}, " +
                          $"{experiment.Data.Info.TrainExamples} training examples, device {experiment.Device.type}; run folder {run.Root}");
        // A Ctrl-C notice is printed once the live progress display has stopped, not drawn into it.
        var notices = new ConsoleNotices(Console.Error);
        using var signals = new InterruptSignals(notices.Post);
        var result = ConsoleProgress.Run(observer =>
            new Trainer(experiment.Model, experiment.Data.Train, experiment.Data.Validation, options, run, observer)
                { AuxiliaryValidation = experiment.Data.AuxiliaryValidation, Test = experiment.Data.Test }
                .Train(resume, signals.Token), notices);
        if (!result.Interrupted && experiment.Data.Test is { } test && options.Output.SavePredictions)
            Console.WriteLine($"Test predictions: {run.PredictionsPath(test.Name)}");
        string? adapter = !result.Interrupted && experiment.Model.PeftRefusal() is null ? WritePeft(experiment.Model, run, options) : null;
        // Multitask: the other tasks' scores on the same weights, one row per metric.
        var auxiliaryRows = (result.AuxiliaryValidation ?? new Dictionary<string, IReadOnlyDictionary<string, double>>())
            .SelectMany(set => set.Value.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => ($"{set.Key} {kv.Key}", kv.Value.ToString("0.####", CultureInfo.InvariantCulture))))
            .Concat((result.Test ?? new Dictionary<string, double>()).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => ($"test {kv.Key}", kv.Value.ToString("0.####", CultureInfo.InvariantCulture))));
        PrintResults(result.Experiment, result.Validation, auxiliaryRows.Concat(new (string, string)[]
        {
            ("steps", result.Steps.ToString(CultureInfo.InvariantCulture)),
            ("best " + result.BestMetric, result.BestValue is double b ? $"{b:0.####} (step {result.BestStep})" : "-"),
            ("stopped", result.Interrupted ? "interrupted (resume with --resume auto)" : result.StoppedEarly ? "early stopping" : "max steps"),
            ("time", TimeSpan.FromSeconds(result.Seconds).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)),
            ("run folder", run.Root),
            ("PEFT adapter", adapter ?? "-"),
        }));
        return result.Interrupted ? Interrupted : Ok;
    }

    private static int ExportPeft(ExperimentOptions options, CliArguments cli)
    {
        using var experiment = Experiment.Compose(options);
        if (experiment.Model.PeftRefusal() is { } why)
        {
            Console.Error.WriteLine($"error: cannot export {options.Name} for PEFT: {why}");
            return Failed;
        }
        var (run, source) = LoadWeights(experiment.Model, ExperimentFolder.For(options), cli);
        PrintResults($"{options.Name} · PEFT", null, [("weights", source), ("PEFT adapter", WritePeft(experiment.Model, run, options))]);
        return Ok;
    }

    private static string WritePeft(PromptModel model, RunFolder run, ExperimentOptions options)
    {
        model.ExportPeft(run.PeftDir, baseModel: options.Backbone.Source);
        return run.PeftDir;
    }

    // Labels an input file through the same Predictor a user's code uses; multiple-choice tasks (whose inputs carry
    // candidates the predictor does not take) still score their test file through the full experiment.
    private static int Predict(ExperimentOptions options, CliArguments cli)
    {
        if (options.Task.Kind == DataKind.SuperGlue && options.Task.SuperGlue is SuperGlueTask.COPA or SuperGlueTask.ReCoRD)
            return Evaluate(options, cli, predict: true);
        using var predictor = Prediction.Predictor.Load(options, cli.Run, cli.Resume);
        var task = options.Task;
        var path = cli.Input ?? Path.Combine(task.DataDir, task.TestFile ?? task.ValidationFile);
        var examples = predictor.ReadInputs(path);
        var predictions = predictor.Predict(examples);
        var output = Prediction.PredictionFile.Write(predictor.Run, options.Name, path, examples, predictions);
        PrintResults($"{options.Name} · {Path.GetFileName(path)}", null,
            [("weights", predictor.Weights), ("inputs", $"{examples.Count} ({path})"), ("predictions", output)]);
        return Ok;
    }

    private static int Evaluate(ExperimentOptions options, CliArguments cli, bool predict)
    {
        using var experiment = Experiment.Compose(options);
        var (run, source) = LoadWeights(experiment.Model, ExperimentFolder.For(options), cli);
        IEvaluationSet set = predict ? experiment.Data.Test ?? experiment.Data.Validation : experiment.Data.Validation;
        var result = Evaluator.Evaluate(experiment.Model, set, experiment.Device, collectChoices: !predict);
        run.WritePredictions(result, set);
        var rows = new List<(string, string)> { ("weights", source), ("predictions", run.PredictionsPath(result.SetName)) };
        if (!predict)
        {
            var path = Path.Combine(run.Root, $"eval-{RunFolder.SafeName(set.Name)}.json");
            File.WriteAllText(path, JsonSerializer.Serialize(new { set = set.Name, weights = source, metrics = result.Metrics }, ReportJson.Indented));
            rows.Add(("results", path));
        }
        // Unlabelled test sets give meaningless metrics; show them only when gold labels exist.
        bool labelled = result.Predictions.Any(p => p.Gold >= 0);
        PrintResults($"{options.Name} · {set.Name}", labelled ? result.Metrics : null, rows);
        return Ok;
    }

    /// <summary>
    /// Loads the weights to evaluate: a checkpoint given by --resume, else the best model of the run (--run, default the
    /// latest), else its newest checkpoint. Returns the run folder the results go to and where the weights came from.
    /// </summary>
    private static (RunFolder Run, string Source) LoadWeights(ITrainableModel model, ExperimentFolder experiment, CliArguments cli)
        => LoadWeights(model, experiment, cli.Run, cli.Resume);

    /// <summary>
    /// The weights of a run (<paramref name="runName"/>, default the latest): a checkpoint folder given by
    /// <paramref name="checkpoint"/>, else its best model, else its newest checkpoint (<c>auto</c> = newest checkpoint).
    /// </summary>
    internal static (RunFolder Run, string Source) LoadWeights(ITrainableModel model, ExperimentFolder experiment, string? runName, string? checkpoint)
    {
        RunFolder Named() => runName is not null ? experiment.Run(runName)
            : experiment.LatestRun() ?? throw new CheckpointException($"No runs in {experiment.Root}: run 'train' first (or pass --resume CHECKPOINT).");
        if (checkpoint is { } resume && resume != "auto")
        {
            var folder = CheckpointStore.Resolve(resume);
            CheckpointStore.LoadWeights(folder, model);
            return (runName is null ? ExperimentFolder.OwnerOf(folder) ?? Named() : Named(), folder);
        }
        var run = Named();
        if (checkpoint is null && Directory.Exists(run.BestDir))
        {
            BestWeights.Load(run, model);
            return (run, BestWeights.WeightsPath(run));
        }
        var latest = new CheckpointStore(run.CheckpointsDir).Latest()
            ?? throw new CheckpointException($"No trained weights in {run.Root}: run 'train' first (or pass --resume CHECKPOINT).");
        CheckpointStore.LoadWeights(latest, model);
        return (run, latest);
    }

    private static void PrintResults(string title, IReadOnlyDictionary<string, double>? metrics, IEnumerable<(string Key, string Value)> rows)
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumn("").AddColumn("");
        table.HideHeaders();
        if (metrics is not null)
            foreach (var (k, v) in metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                table.AddRow(Markup.Escape(k), v.ToString("0.####", CultureInfo.InvariantCulture));
        foreach (var (k, v) in rows) table.AddRow(Markup.Escape(k), Markup.Escape(v));
        AnsiConsole.Write(table);
    }

    /// <summary>The composed parts of an experiment: backbone, tokenizer, data and model on one device.</summary>
    internal sealed class Experiment(Device device, ITextTokenizer tokenizer, TaskData data, PromptModel model) : IDisposable
    {
        public Device Device { get; } = device;
        public ITextTokenizer Tokenizer { get; } = tokenizer;
        public TaskData Data { get; } = data;
        public PromptModel Model { get; } = model;

        public static Experiment Compose(ExperimentOptions options)
        {
            var (device, backbone, tokenizer) = Prepare(options);
            var t = options.Training;
            var data = TaskDataLoader.Load(options.Task, tokenizer, t.BatchSize, t.EvalBatchSize, t.Seed, options.Name);
            foreach (var warning in data.Tasks.SelectMany(task => task.Warnings)) Console.Error.WriteLine($"warning: {warning}");
            var model = CreateModel(options, backbone, tokenizer, data.Info, data.Tasks.Skip(1));
            return new Experiment(device, tokenizer, data, model);
        }

        /// <summary>Threads, device, seed, and the backbone with its tokenizer, as the options ask.</summary>
        internal static (Device Device, IPromptableBackbone Backbone, ITextTokenizer Tokenizer) Prepare(ExperimentOptions options)
        {
            var t = options.Training;
            if (t.Threads > 0) set_num_threads(t.Threads);
            var device = DeviceResolver.Resolve(t.Device);
            Training.Determinism.Seed(t.Seed);
            var (backbone, tokenizer) = LoadBackbone(options.Backbone, device);
            backbone.GradientCheckpointing = t.GradientCheckpointing;
            backbone.Dropout.Enabled = t.Dropout;
            return (device, backbone, tokenizer);
        }

        /// <summary>The method's model over the backbone, with a head for the main task and one for each other task.</summary>
        internal static PromptModel CreateModel(ExperimentOptions options, IPromptableBackbone backbone, ITextTokenizer tokenizer,
            TaskInfo main, IEnumerable<TaskInfo> others)
        {
            IReadOnlyList<int>? initText = options.Method is PromptTuningOptions { InitText: { Length: > 0 } text } ? tokenizer.EncodeWords(text) : null;
            return PromptModelFactory.Create(options.Method, options.Head, backbone, TaskHeadInfo.Of(main, tokenizer), tokenizer.Special,
                options.Training.Seed, initText,
                otherTasks: others.Select(task => TaskHeadInfo.Of(task, tokenizer)).ToList(),
                vocabIds: tokenizer.OrdinaryTokenIds());
        }

        private static (IPromptableBackbone, ITextTokenizer) LoadBackbone(BackboneOptions options, Device device)
        {
            IPromptableBackbone backbone;
            ITextTokenizer tokenizer;
            if (PackagedModels.Names.Contains(options.Source, StringComparer.OrdinalIgnoreCase))
            {
                var packaged = PackagedModels.Load(options.Source, device);
                (backbone, tokenizer) = (packaged.Backbone, packaged.Tokenizer);
            }
            else if (Directory.Exists(options.Source))
            {
                // The tokenizer first: it is cheap, and an unsupported one should fail before gigabytes of weights load.
                tokenizer = HuggingFaceFolder.LoadTokenizer(options.Source);
                backbone = HuggingFaceFolder.LoadBackbone(options.Source);
                backbone.Module.to(device);
            }
            else
            {
                throw new ArgumentException(
                    $"backbone.source: '{options.Source}' is neither a packaged model ({string.Join(", ", PackagedModels.Names)}) nor an existing Hugging Face model folder.");
            }
            if (options.DType == BackboneDType.BFloat16) backbone.SetComputeDType(ScalarType.BFloat16);
            return (backbone, tokenizer);
        }

        public void Dispose()
        {
            Model.Dispose();
            foreach (var b in new object?[] { Data.Train, Data.Validation, Data.Test }.OfType<IDisposable>()) b.Dispose();
        }
    }
}
