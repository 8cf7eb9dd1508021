using System.Globalization;
using DP.Runtime.Experiments;

namespace DP.Runtime.Sweeps;

/// <summary>
/// <c>sweep run-trial INDEX</c>: one trial as an ordinary <c>train</c> in this process, resuming from its newest
/// checkpoint, with its state file written before (running) and after (finished, failed with the exit code,
/// interrupted). What <c>sweep run</c> starts per trial, and what a cluster array task runs.
/// </summary>
public static class TrialRun
{
    public const string LockFileName = "trial.lock";

    /// <summary>The trial's lock (an exclusive open of trial.lock, released when disposed), or null when another process holds it.</summary>
    public static FileStream? Lock(string trialFolder)
    {
        Directory.CreateDirectory(trialFolder);
        try
        {
            return new FileStream(Path.Combine(trialFolder, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static int Run(SweepContext context, SweepTrial trial, int? threads)
    {
        var view = context.View(trial);
        if (view.Options is null)
        {
            Console.Error.WriteLine($"error: trial {trial.Index} ({trial.OverridesText}): {view.Problem}");
            return ExperimentCli.Usage;
        }
        switch (view.Status)
        {
            case TrialStatus.Finished:
                Console.WriteLine($"trial {trial.Index} ({trial.OverridesText}) already finished: {context.Folder.ResultsPath(trial)}");
                return ExperimentCli.Ok;
            case TrialStatus.Changed:
                Console.Error.WriteLine($"error: trial {trial.Index} ({trial.OverridesText}) {view.Problem}");
                return ExperimentCli.Failed;
        }
        // Two processes on one trial (a resubmission while the first job still runs, 'sweep run' beside a cluster
        // job) would write the same run folder: the second is refused.
        using var trialLock = Lock(view.Folder);
        if (trialLock is null)
        {
            Console.Error.WriteLine($"error: trial {trial.Index} ({trial.OverridesText}) is being run by another process ({Path.Combine(view.Folder, LockFileName)} is held); not run twice.");
            return ExperimentCli.Failed;
        }
        var started = DateTimeOffset.UtcNow;
        var running = new TrialState
        {
            Index = trial.Index,
            Status = TrialStatus.Running,
            Overrides = trial.Overrides.ToDictionary(o => o.Key, o => o.Value),
            ConfigSha256 = view.ConfigSha256!,
            Attempts = (view.State?.Attempts ?? 0) + 1,
            Started = started,
        };
        running.Write(view.Folder);

        var args = new List<string> { "train" };
        args.AddRange(TrialConfig.TrainArguments(trial, context.TrainArgs, view.Folder, context.Defaults.Method.Kind));
        if (threads is int k) args.AddRange(["--set", "training.threads=" + k.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["--resume", "auto"]);
        Console.WriteLine($"trial {trial.Index} ({trial.OverridesText}), attempt {running.Attempts}: train {string.Join(' ', args.Skip(1))}");
        var code = ExperimentCli.Run(TrialConfig.Clone(context.Defaults), [.. args], context.ApplyOverride);

        var results = context.Folder.ResultsPath(trial);
        var status = code switch
        {
            ExperimentCli.Ok when results is not null => TrialStatus.Finished,
            ExperimentCli.Interrupted => TrialStatus.Interrupted,
            _ => TrialStatus.Failed,
        };
        (running with
        {
            Status = status,
            ExitCode = code,
            Ended = DateTimeOffset.UtcNow,
            Results = results is null ? null : Path.GetRelativePath(view.Folder, results),
            Message = status == TrialStatus.Failed ? $"train exited with {code}; see {SweepFolder.LogFileName}" : null,
        }).Write(view.Folder);
        return code;
    }
}
