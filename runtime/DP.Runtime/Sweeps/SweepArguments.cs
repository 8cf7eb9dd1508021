using System.Globalization;
using DP.Runtime.Experiments;
using DP.Runtime.Sweeps.Cluster;

namespace DP.Runtime.Sweeps;

/// <summary>What to do with a sweep.</summary>
public enum SweepVerb { Plan, Run, RunTrial, Report, Status, Submit, Manifest }

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
    ClusterOptions Cluster,
    string? Split = null)
{
    public const string Usage =
        "usage: <experiment> sweep plan|run|run-trial INDEX|report|status|submit --slurm|manifest --kubernetes [options]\n" +
        "  plan                  print the trial table: index, overrides, folder, state\n" +
        "  run                   run every trial not finished yet, as child processes of this program\n" +
        "  run-trial INDEX       run one trial in this process (what a cluster array task runs)\n" +
        "  report                aggregate the finished trials: report.md, report.csv, report.json, report.png\n" +
        "  status                each trial's state, and its Slurm task's state when submitted (squeue, sacct)\n" +
        "  submit --slurm        write the trials not finished as a Slurm job array and submit it with sbatch\n" +
        "  manifest --kubernetes write a Kubernetes Indexed Job running every trial (kubernetes/job-NNN.yaml)\n" +
        "options:\n" +
        "  --output DIR          override outputs.dir (the sweep folder is DIR/<experiment>-sweep)\n" +
        "  --parallel N          run: trials at a time (default: one per core, as memory allows: 2 GiB each)\n" +
        "  --threads K           torch threads per trial (default: cores / parallel)\n" +
        "  --baseline VALUE      report: the method.kind the others are compared with (default: the first swept one)\n" +
        "  --metric NAME         report: the metric (default: the SuperGLUE task score, else each run's best_metric)\n" +
        "  --split SET           report: validation (default) or test, the set of results.json scored\n" +
        "  --set key=value, --max-steps N, --data DIR: applied to every trial (part of its configuration)\n" +
        "cluster options (submit, manifest):\n" +
        "  --cpus N  --mem SIZE (16G)  --gpus N|TYPE:N  --max-parallel M   per task; M tasks at a time (%M, parallelism)\n" +
        "  --partition NAME  --account NAME  --time LIMIT  --signal-seconds S (default 120)  --wait   Slurm\n" +
        "  --dry-run             submit: print the batch script, write and submit nothing\n" +
        "  --image REF  --volume-claim NAME  --mount-path DIR (default /sweeps)   Kubernetes";

    public static SweepArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new ArgumentException("sweep needs a command: plan, run, run-trial INDEX or report.");
        var verb = args[0] switch
        {
            "plan" => SweepVerb.Plan,
            "run" => SweepVerb.Run,
            "run-trial" => SweepVerb.RunTrial,
            "report" => SweepVerb.Report,
            "status" => SweepVerb.Status,
            "submit" => SweepVerb.Submit,
            "manifest" => SweepVerb.Manifest,
            _ => throw new ArgumentException($"unknown sweep command '{args[0]}'; use plan, run, run-trial INDEX, report, status, submit --slurm or manifest --kubernetes."),
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
        bool slurm = false, kubernetes = false;
        var cluster = new ClusterOptions();
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
                case "--slurm": slurm = true; break;
                case "--kubernetes": kubernetes = true; break;
                case var c when ClusterOptions.Names.Contains(c):
                    if (verb is not (SweepVerb.Submit or SweepVerb.Manifest)) throw new ArgumentException($"{c} is an option of 'sweep submit' and 'sweep manifest'.");
                    cluster = cluster.With(c, Value);
                    break;
                case "--resume":
                    throw new ArgumentException("--resume: sweep trials always resume from their own newest checkpoint.");
                default:
                    throw new ArgumentException($"unknown sweep argument '{a}'.");
            }
        }
        if (verb == SweepVerb.Submit && !slurm) throw new ArgumentException("sweep submit needs the engine: --slurm (the one supported).");
        if (verb == SweepVerb.Manifest && !kubernetes) throw new ArgumentException("sweep manifest needs the kind: --kubernetes (the one supported).");
        if (slurm && verb != SweepVerb.Submit) throw new ArgumentException("--slurm is an option of 'sweep submit'.");
        if (kubernetes && verb != SweepVerb.Manifest) throw new ArgumentException("--kubernetes is an option of 'sweep manifest'.");
        CheckEngineOptions(verb, cluster);
        CliArguments.Parse(train); // the train options are checked once here, not in every trial
        return new SweepArguments(verb, index, output, parallel, threads, experiment, baseline, metric, train, cluster, split);
    }

    // Options that one engine has and the other lacks are refused rather than ignored.
    private static void CheckEngineOptions(SweepVerb verb, ClusterOptions c)
    {
        if (verb == SweepVerb.Submit) c.CheckSignalBeforeLimit();
        if (verb == SweepVerb.Submit && (c.Image ?? c.VolumeClaim ?? c.MountPath) is not null)
            throw new ArgumentException("--image, --volume-claim and --mount-path are options of 'sweep manifest --kubernetes'.");
        if (verb == SweepVerb.Manifest && ((c.Partition ?? c.Account ?? c.Time) is not null || c.DryRun || c.Wait || c.SignalSeconds != ClusterOptions.DefaultSignalSeconds))
            throw new ArgumentException("--partition, --account, --time, --signal-seconds, --dry-run and --wait are options of 'sweep submit --slurm'.");
        if (verb == SweepVerb.Manifest && c.Image is null)
            throw new ArgumentException("sweep manifest --kubernetes needs --image: the container image whose entrypoint is the experiment program.");
        if (verb == SweepVerb.Manifest && c.VolumeClaim is null)
            throw new ArgumentException("sweep manifest --kubernetes needs --volume-claim: the PersistentVolumeClaim that holds the sweep folder, shared by every pod.");
    }

    /// <summary>Default parallelism and threads from the core count: half the cores in processes, the rest as threads.</summary>
    /// <summary>Memory a trial of a small backbone may peak at (docs/benchmarks.md: 1.2–2.9 GB for MiniLM runs).</summary>
    public const double GiBPerTrial = 2;

    // One single-threaded trial per core, as far as memory allows: on the 2-core EPYC (2026-12-02, idle) 8 CB trials
    // of 30 steps took 198 s at 2 x 1 thread and 246 s at 1 x 2 (a trial's start-up, data loading and small
    // evaluation batches do not scale with threads; two processes keep both cores busy).
    public (int Parallel, int Threads) Resources(int cores, int trials, double memoryGiB)
    {
        var byMemory = (int)Math.Max(1, Math.Floor(memoryGiB / GiBPerTrial));
        var parallel = Parallel ?? Math.Clamp(Math.Min(cores, byMemory), 1, Math.Max(1, trials));
        var threads = Threads ?? Math.Max(1, cores / parallel);
        return (parallel, threads);
    }
}
