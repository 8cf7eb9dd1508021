using System.Globalization;

namespace DP.Runtime.Experiments;

/// <summary>What to do with an experiment.</summary>
public enum CliVerb { Train, Eval, Predict, ExportPeft }

/// <summary>A parsed experiment command line.</summary>
public sealed record CliArguments(
    CliVerb Verb,
    IReadOnlyList<(string Key, string Value)> Sets,
    int? MaxSteps,
    string? Output,
    string? Resume,
    string? Data,
    bool Help,
    string? Run = null,
    string? Input = null)
{
    public const string Usage =
        "usage: <experiment> [train|eval|predict|export-peft] [options]\n" +
        "  train                 train, evaluate and write the run folder (default)\n" +
        "  eval                  evaluate the kept (best) weights on the validation set\n" +
        "  predict               label the inputs of --input FILE (default: task.test_file, else the validation file)\n" +
        "                        with the kept weights; needs no training data (COPA and ReCoRD: the data folder)\n" +
        "  export-peft           write the kept weights as a Hugging Face PEFT adapter (<run folder>/peft), where PEFT\n" +
        "                        can rebuild the model (prompt tuning on T5, P-tuning v2 on BERT); otherwise say why not\n" +
        "  sweep ...             plan, run and report the spec's sweep (sweep --help)\n" +
        "options:\n" +
        "  --set key=value       override a spec value, e.g. --set training.learning_rate=0.01 (repeatable)\n" +
        "  --max-steps N         override training.max_steps\n" +
        "  --output DIR          override outputs.dir (runs go to DIR/<experiment name>/run-NNN)\n" +
        "  --resume [PATH|auto]  resume from a checkpoint folder, a run folder, or the newest checkpoint of the\n" +
        "                        latest run (auto); with eval/predict/export-peft: the checkpoint whose weights to use\n" +
        "  --run NAME|DIR        the run to evaluate, predict, export or resume (default: the latest run)\n" +
        "  --data DIR            override task.data_dir\n" +
        "  --input FILE          predict: the file to label, in the task's format (labels optional)\n" +
        "  -h, --help            show this help";

    /// <summary>Parses arguments; throws <see cref="ArgumentException"/> naming the offending argument.</summary>
    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var verb = CliVerb.Train;
        var sets = new List<(string, string)>();
        int? maxSteps = null;
        string? output = null, resume = null, data = null, run = null, input = null;
        bool help = false, verbSeen = false;
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Value(string name)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new ArgumentException($"{name} needs a value.");
                return args[++i];
            }
            // --name=value is accepted for every option.
            string? inline = null;
            if (a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf('=') is > 2 and var eq && !a.StartsWith("--set", StringComparison.Ordinal))
            {
                inline = a[(eq + 1)..];
                a = a[..eq];
            }
            switch (a)
            {
                case "train" or "eval" or "predict" or "export-peft" when !verbSeen && i == 0:
                    verb = a == "export-peft" ? CliVerb.ExportPeft : Enum.Parse<CliVerb>(a, ignoreCase: true);
                    verbSeen = true;
                    break;
                case "-h" or "--help" or "help":
                    help = true;
                    break;
                case "--set":
                {
                    var kv = Value("--set");
                    int eq2 = kv.IndexOf('=');
                    if (eq2 <= 0) throw new ArgumentException($"--set '{kv}': expected key=value, e.g. --set training.learning_rate=0.01.");
                    sets.Add((kv[..eq2].Trim(), kv[(eq2 + 1)..].Trim()));
                    break;
                }
                case "--max-steps":
                {
                    var v = inline ?? Value("--max-steps");
                    if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 1)
                        throw new ArgumentException($"--max-steps '{v}': expected a whole number ≥ 1.");
                    maxSteps = n;
                    break;
                }
                case "--output":
                    output = inline ?? Value("--output");
                    break;
                case "--data":
                    data = inline ?? Value("--data");
                    break;
                case "--run":
                    run = inline ?? Value("--run");
                    break;
                case "--input":
                    input = inline ?? Value("--input");
                    break;
                case "--resume":
                    // The path is optional: a bare --resume means "auto".
                    resume = inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "auto");
                    break;
                default:
                    if (a.StartsWith("--set=", StringComparison.Ordinal))
                    {
                        var kv = a["--set=".Length..];
                        int eq3 = kv.IndexOf('=');
                        if (eq3 <= 0) throw new ArgumentException($"--set '{kv}': expected key=value.");
                        sets.Add((kv[..eq3].Trim(), kv[(eq3 + 1)..].Trim()));
                        break;
                    }
                    throw new ArgumentException(a is "train" or "eval" or "predict" or "export-peft"
                        ? $"'{a}' must come first (the verb)."
                        : $"unknown argument '{a}'.");
            }
        }
        if (input is not null && verb != CliVerb.Predict) throw new ArgumentException("--input is for predict.");
        return new CliArguments(verb, sets, maxSteps, output, resume, data, help, run, input);
    }

    /// <summary>
    /// Applies the overrides to <paramref name="options"/>: a method switch first (so its keys can be set in any
    /// order), then the other --set ones in order, then the dedicated flags.
    /// </summary>
    public void ApplyTo(ExperimentOptions options, SpecOverride applyOverride)
    {
        var method = options.Method.Kind;
        foreach (var (key, value) in Sets.OrderBy(s => s.Key == MethodKindKey ? 0 : 1))
        {
            try
            {
                applyOverride(options, key, value);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidOperationException)
            {
                throw new ArgumentException($"--set {key}={value}: {e.Message}", e);
            }
        }
        CheckMethodKeys(options, method);
        if (MaxSteps is int n) options.Training.MaxSteps = n;
        if (Output is not null) options.Output.Dir = Output;
        if (Data is not null) options.Task.DataDir = Data;
        // The build checked the spec as written; overrides can still combine into something it would have rejected.
        if (Sets.Count > 0 || MaxSteps is not null)
        {
            var problems = CrossFieldRules.Problems(options);
            if (problems.Count > 0)
                throw new ArgumentException("the command-line overrides leave the spec inconsistent:\n  " + string.Join("\n  ", problems));
        }
    }

    private const string MethodKindKey = "method.kind";

    // A key set for another method than the one the run ends with is a usage error; a switched method starts from
    // defaults for the keys only it has, so none of the spec's settings for the old method remain.
    private void CheckMethodKeys(ExperimentOptions options, MethodKind specMethod)
    {
        var wrong = SpecValues.KeysOfAnotherMethod(Sets.Select(s => s.Key), options);
        if (wrong.Count > 0) throw new ArgumentException("--set: " + string.Join("\n  ", wrong));
        if (options.Method.Kind != specMethod) SchemaDefaults.ResetForSwitchedMethod(options);
    }
}
