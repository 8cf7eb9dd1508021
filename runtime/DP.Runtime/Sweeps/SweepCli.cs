using System.Globalization;
using DP.Runtime.Experiments;

namespace DP.Runtime.Sweeps;

/// <summary>
/// The <c>sweep</c> verbs of an experiment program: plan, run, run-trial, report, status, submit, manifest. Exit codes as
/// <see cref="ExperimentCli"/>: 0 done, 1 a trial failed or bad input, 2 bad command line, 130 interrupted.
/// </summary>
public static class SweepCli
{
    public static int Run(ExperimentOptions defaults, string[] args, SpecOverride applyOverride, SweepDefinition? sweep, TrialLauncher? launcher)
    {
        if (args is [] or ["-h" or "--help" or "help", ..])
        {
            Console.WriteLine(SweepArguments.Usage);
            return args.Length == 0 ? ExperimentCli.Usage : ExperimentCli.Ok;
        }
        SweepArguments cli;
        try
        {
            cli = SweepArguments.Parse(args);
            if (cli.Experiment is { } name && name != defaults.Name)
                throw new ArgumentException($"--experiment '{name}' is not this experiment ('{defaults.Name}').");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(SweepArguments.Usage);
            return ExperimentCli.Usage;
        }
        if (sweep is null)
        {
            Console.Error.WriteLine($"error: experiment '{defaults.Name}' declares no sweep; add a 'sweep:' section to its spec (see docs/sweeps.md).");
            return ExperimentCli.Usage;
        }
        var output = TrialConfig.Clone(defaults);
        if (cli.Output is not null) output.Output.Dir = cli.Output;
        var context = new SweepContext(defaults, applyOverride, sweep, SweepFolder.For(output), cli.TrainArgs);
        try
        {
            return cli.Verb switch
            {
                SweepVerb.Plan => Plan(context),
                SweepVerb.RunTrial => TrialRun.Run(context, context.Trial(cli.TrialIndex!.Value), cli.Threads),
                SweepVerb.Run => RunAll(context, cli, launcher ?? TrialLauncher.Current()),
                SweepVerb.Report => Reports.SweepReportCommand.Run(context, cli.Baseline, cli.Metric, cli.Split),
                SweepVerb.Status => SweepStatus.Run(context),
                SweepVerb.Submit => Slurm.SlurmSubmit.Run(context, cli.Cluster, launcher ?? TrialLauncher.Current()),
                SweepVerb.Manifest => Kubernetes.KubernetesManifestCommand.Run(context, cli.Cluster),
                _ => ExperimentCli.Usage,
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExperimentCli.Failed;
        }
    }

    private static int Plan(SweepContext context)
    {
        Console.WriteLine($"{context.Defaults.Name}: {context.Trials.Count} trials in {context.Folder.Root}");
        var rows = context.Trials.Select(context.View).Select(v => new[]
        {
            v.Trial.Index.ToString(CultureInfo.InvariantCulture), v.Trial.OverridesText, v.Trial.FolderName, StateText(v),
        }).ToList();
        Console.Write(TextTable.Format(["trial", "overrides", "folder", "state"], rows));
        return ExperimentCli.Ok;
    }

    private static List<Progress.TrialProgress> LiveRows(IReadOnlyList<TrialView> todo, SweepRunner runner) => todo.Select(v =>
    {
        var state = runner.StateOf(v.Trial.Index);
        var (step, best) = state == Progress.SweepLiveTable.QueuedState ? (null, null)
            : Progress.TrialProgress.FromMetrics(Progress.TrialProgress.ReadLog(v.Folder), v.Options!.Training.BestMetric);
        return new Progress.TrialProgress(v.Trial.Index, v.Trial.FolderName, state, step, v.Options!.Training.MaxSteps, v.Options.Training.BestMetric, best);
    }).ToList();

    internal static string StateText(TrialView v) => v.Status.ToString().ToLowerInvariant()
        + (v.State?.ExitCode is int code && v.Status is TrialStatus.Failed or TrialStatus.Interrupted ? $" (exit {code})" : "")
        + (v.Problem is { } p ? $": {p}" : "");

    private static int RunAll(SweepContext context, SweepArguments cli, TrialLauncher launcher)
    {
        var views = context.Trials.Select(context.View).ToList();
        var todo = views.Where(v => v.CanRun).ToList();
        var (parallel, threads) = cli.Resources(Environment.ProcessorCount, todo.Count, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024));
        Console.WriteLine($"{context.Defaults.Name}: {context.Trials.Count} trials, {views.Count(v => v.Status == TrialStatus.Finished)} finished, " +
                          $"{todo.Count} to run, {parallel} at a time with {threads} thread(s) each; sweep folder {context.Folder.Root}");
        foreach (var v in views.Where(v => v.Status == TrialStatus.Changed || v.Options is null))
            Console.WriteLine($"trial {v.Trial.Index} {v.Trial.FolderName}: not run, {StateText(v)}");
        Progress.SweepLiveDisplay? display = null;
        var runner = new SweepRunner(context, launcher, parallel, threads, line =>
        {
            if (display is null) Console.WriteLine(line);
            else display.Log(line);
        });
        int code;
        using (display = Progress.SweepLiveDisplay.Supported && todo.Count > 0 ? new Progress.SweepLiveDisplay(() => LiveRows(todo, runner), Console.Out) : null)
            code = runner.Run(todo.Select(v => v.Trial).ToList());
        if (code != ExperimentCli.Ok) return code;
        return views.Any(v => v.Status == TrialStatus.Changed || v.Options is null) ? ExperimentCli.Failed : ExperimentCli.Ok;
    }
}
