using System.Globalization;
using DP.Runtime.Experiments;

namespace DP.Runtime.Sweeps;

/// <summary>What to do with a sweep.</summary>
public enum SweepVerb { Plan, Run, RunTrial, Report }

/// <summary>
/// A parsed <c>sweep</c> command line. Options that are not the sweep's own (<c>--set</c>, <c>--max-steps</c>,
/// <c>--data</c>) are train options applied to every trial, before its own overrides.
/// </summary>
public sealed record SweepArguments(
    SweepVerb Verb,
    int? TrialIndex,
    string? Output,
    int? Parallel,
    int? Threads,
    string? Experiment,
    string? Baseline,
    string? Metric,
    IReadOnlyList<string> TrainArgs,
    string? Split = null)
{
    public const string Usage =
        "usage: <experiment> sweep plan|run|run-trial INDEX|report [options]\n" +
        "  plan                  print the trial table: index, overrides, folder, state\n" +
        "  run                   run every trial not finished yet, as child processes of this program\n" +
        "  run-trial INDEX       run one trial in this process (what a cluster array task runs)\n" +
        "  report                aggregate the finished trials: report.md, report.csv, report.json, report.png\n" +
        "options:\n" +
        "  --output DIR          override outputs.dir (the sweep folder is DIR/<experiment>-sweep)\n" +
        "  --parallel N          run: trials at a time (default: half the cores, at least 1)\n" +
        "  --threads K           torch threads per trial (default: cores / parallel)\n" +
        "  --baseline VALUE      report: the method.kind the others are compared with (default: the first swept one)\n" +
        "  --metric NAME         report: the metric (default: the SuperGLUE task score, else each run's best_metric)\n" +
        "  --split SET           report: validation (default) or test, the set of results.json scored\n" +
        "  --set key=value, --max-steps N, --data DIR: applied to every trial (part of its configuration)";

    public static SweepArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new ArgumentException("sweep needs a command: plan, run, run-trial INDEX or report.");
        var verb = args[0] switch
        {
            "plan" => SweepVerb.Plan,
            "run" => SweepVerb.Run,
            "run-trial" => SweepVerb.RunTrial,
            "report" => SweepVerb.Report,
            _ => throw new ArgumentException($"unknown sweep command '{args[0]}'; use plan, run, run-trial INDEX or report."),
        };
        int start = 1;
        int? index = null;
        if (verb == SweepVerb.RunTrial)
        {
            if (args.Count < 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var i))
                throw new ArgumentException("sweep run-trial needs the trial index (a whole number ≥ 0), e.g. sweep run-trial 3.");
            index = i;
            start = 2;
        }
        string? output = null, experiment = null, baseline = null, metric = null, split = null;
        int? parallel = null, threads = null;
        var train = new List<string>();
        for (int k = start; k < args.Count; k++)
        {
            var a = args[k];
            string Value()
            {
                if (k + 1 >= args.Count) throw new ArgumentException($"{a} needs a value.");
                return args[++k];
            }
            int Count(int min)
            {
                var v = Value();
                if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min)
                    throw new ArgumentException($"{a} '{v}': expected a whole number ≥ {min}.");
                return n;
            }
            switch (a)
            {
                case "--output": output = Value(); break;
                case "--parallel": parallel = Count(1); break;
                case "--threads": threads = Count(1); break;
                case "--experiment": experiment = Value(); break;
                case "--baseline": baseline = Value(); break;
                case "--metric": metric = Value(); break;
                case "--split":
                    split = Value();
                    if (!Reports.SweepReport.Splits.Contains(split))
                        throw new ArgumentException($"--split '{split}': use {string.Join(" or ", Reports.SweepReport.Splits)}.");
                    break;
                case "--set" or "--max-steps" or "--data":
                    train.Add(a);
                    train.Add(Value());
                    break;
                case "--resume":
                    throw new ArgumentException("--resume: sweep trials always resume from their own newest checkpoint.");
                default:
                    throw new ArgumentException($"unknown sweep argument '{a}'.");
            }
        }
        CliArguments.Parse(train); // the train options are checked once here, not in every trial
        return new SweepArguments(verb, index, output, parallel, threads, experiment, baseline, metric, train, split);
    }

    /// <summary>Default parallelism and threads from the core count: half the cores in processes, the rest as threads.</summary>
    public (int Parallel, int Threads) Resources(int cores, int trials)
    {
        var parallel = Parallel ?? Math.Clamp(cores / 2, 1, Math.Max(1, trials));
        var threads = Threads ?? Math.Max(1, cores / parallel);
        return (parallel, threads);
    }
}
