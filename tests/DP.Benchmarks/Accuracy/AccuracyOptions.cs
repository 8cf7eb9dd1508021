using System.Globalization;
using DP.Runtime.Experiments;

namespace DP.Benchmarks.Accuracy;

/// <summary>The command line of the accuracy benchmark.</summary>
public sealed class AccuracyOptions
{
    public const string Usage =
        "accuracy [--tasks RTE,CB,BoolQ,WiC,MultiRC] [--methods m1,m2|all] [--seeds 1,2,3] [--steps 150] [--evals 5]\n" +
        "         [--regimes fewshot,boolq-half] [--data ../shared/data/fewglue] [--out bench-results/accuracy] [--work TMP/dp-bench-accuracy]\n" +
        "         [--eval-limit N] [--eval-batch 64] [--pad-multiple 8] [--threads N] [--report]";

    public List<SuperGlueTask> Tasks { get; private set; } =
        [SuperGlueTask.RTE, SuperGlueTask.CB, SuperGlueTask.BoolQ, SuperGlueTask.WiC, SuperGlueTask.MultiRC];
    public List<string> Methods { get; private set; } = MethodCatalog.All.Select(m => m.Name).ToList();
    public List<int> Seeds { get; private set; } = [1, 2, 3];
    public int Steps { get; private set; } = 150;
    /// <summary>Evaluations on dev32 per run (every Steps / Evaluations steps).</summary>
    public int Evaluations { get; private set; } = 5;
    public List<string> Regimes { get; private set; } = [AccuracyBenchmark.FewShot, AccuracyBenchmark.BoolQHalf];
    public string DataDir { get; private set; } = "../shared/data/fewglue";
    public string OutDir { get; private set; } = "bench-results/accuracy";
    /// <summary>
    /// Where run folders and derived data files (BoolQ halves, evaluation subsets) go while running: the temp folder,
    /// so that no data derived from the benchmark sets can end up in the repository.
    /// </summary>
    public string WorkDir { get; private set; } = Path.Combine(Path.GetTempPath(), "dp-bench-accuracy");
    /// <summary>Evaluate on the first N lines of the evaluation file only (null = all).</summary>
    public int? EvalLimit { get; private set; }
    /// <summary>Examples per evaluation batch (memory grows with it at long max lengths).</summary>
    public int EvalBatch { get; private set; } = 64;
    /// <summary>task.pad_to_multiple_of of every run (the spec's default unless given).</summary>
    public int PadMultiple { get; private set; } = new TaskOptions().PadToMultipleOf;
    public int Threads { get; private set; }
    public bool ReportOnly { get; private set; }
    /// <summary>Child mode (internal): run only this "regime,task,method,seed" and print its record.</summary>
    public string? One { get; private set; }
    /// <summary>The command line as given, passed on to each run's child process.</summary>
    public IReadOnlyList<string> Args { get; private set; } = [];

    public static AccuracyOptions Parse(string[] args)
    {
        var o = new AccuracyOptions { Args = args };
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--tasks": o.Tasks = List(Value()).Select(ParseTask).ToList(); break;
                case "--methods":
                    var m = Value();
                    o.Methods = m == "all" ? MethodCatalog.All.Select(x => x.Name).ToList() : List(m).ToList();
                    foreach (var name in o.Methods) MethodCatalog.Get(name); // unknown names fail here, listing the known ones
                    break;
                case "--seeds": o.Seeds = List(Value()).Select(s => Int(s, "--seeds")).ToList(); break;
                case "--steps": o.Steps = Positive(Value(), "--steps"); break;
                case "--evals": o.Evaluations = Positive(Value(), "--evals"); break;
                case "--regimes":
                    o.Regimes = List(Value()).ToList();
                    foreach (var r in o.Regimes)
                        if (r is not (AccuracyBenchmark.FewShot or AccuracyBenchmark.BoolQHalf))
                            throw new ArgumentException($"--regimes: unknown regime '{r}' (known: {AccuracyBenchmark.FewShot}, {AccuracyBenchmark.BoolQHalf})");
                    break;
                case "--data": o.DataDir = Value(); break;
                case "--out": o.OutDir = Value(); break;
                case "--work": o.WorkDir = Value(); break;
                case "--eval-limit": o.EvalLimit = Positive(Value(), "--eval-limit"); break;
                case "--eval-batch": o.EvalBatch = Positive(Value(), "--eval-batch"); break;
                case "--pad-multiple": o.PadMultiple = Positive(Value(), "--pad-multiple"); break;
                case "--threads": o.Threads = Positive(Value(), "--threads"); break;
                case "--report": o.ReportOnly = true; break;
                case "--one": o.One = Value(); break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        if (!o.ReportOnly && !Directory.Exists(o.DataDir))
            throw new ArgumentException($"--data: folder not found: {Path.GetFullPath(o.DataDir)}");
        return o;
    }

    private static IEnumerable<string> List(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static SuperGlueTask ParseTask(string s) =>
        Enum.TryParse<SuperGlueTask>(s, ignoreCase: true, out var t) && Enum.IsDefined(t) && t != SuperGlueTask.ReCoRD
            ? t
            : throw new ArgumentException($"--tasks: unknown or unsupported task '{s}' (known: BoolQ, CB, COPA, MultiRC, RTE, WiC, WSC)");

    private static int Int(string s, string flag) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"{flag}: '{s}' is not an integer");

    private static int Positive(string s, string flag)
    {
        int v = Int(s, flag);
        return v > 0 ? v : throw new ArgumentException($"{flag} must be positive, got {v}");
    }
}
