using DP.Runtime.Experiments;

namespace DP.Runtime.Sweeps;

/// <summary>A trial as it stands now: its resolved configuration (or why it has none), its state file, its status.</summary>
public sealed record TrialView(SweepTrial Trial, string Folder, ExperimentOptions? Options, string? ConfigSha256, TrialState? State, TrialStatus Status, string? Problem)
{
    /// <summary>Whether a run (local or cluster) should run it: not finished, not changed, with a valid configuration.</summary>
    public bool CanRun => Options is not null && Status is TrialStatus.Pending or TrialStatus.Running or TrialStatus.Interrupted or TrialStatus.Failed;
}

/// <summary>Everything a sweep command needs: the experiment, its sweep, the sweep folder and the sweep-wide train options.</summary>
public sealed class SweepContext(ExperimentOptions defaults, SpecOverride applyOverride, SweepDefinition sweep, SweepFolder folder, IReadOnlyList<string> trainArgs)
{
    public ExperimentOptions Defaults { get; } = defaults;
    public SpecOverride ApplyOverride { get; } = applyOverride;
    public SweepFolder Folder { get; } = folder;
    public IReadOnlyList<string> TrainArgs { get; } = trainArgs;
    public IReadOnlyList<SweepTrial> Trials { get; } = SweepPlan.Trials(sweep);
    public IReadOnlyList<string> Keys { get; } = sweep.Keys;

    public SweepTrial Trial(int index) => index >= 0 && index < Trials.Count ? Trials[index]
        : throw new ArgumentException($"trial {index} does not exist: the sweep has trials 0..{Trials.Count - 1}.");

    /// <summary>
    /// Where <paramref name="trial"/> stands: invalid overrides make it Failed with the problem; a state file of another
    /// configuration makes it Changed; a finished state without results makes it Interrupted (it reruns, resuming).
    /// </summary>
    public TrialView View(SweepTrial trial)
    {
        var folder = Folder.TrialFolder(trial);
        ExperimentOptions options;
        try
        {
            options = TrialConfig.Resolve(Defaults, trial, TrainArgs, folder, ApplyOverride);
        }
        catch (ArgumentException e)
        {
            return new TrialView(trial, folder, null, null, null, TrialStatus.Failed, e.Message);
        }
        var hash = TrialConfig.Hash(options);
        var state = TrialState.Read(folder);
        var status = state switch
        {
            null => TrialStatus.Pending,
            { ConfigSha256: var h } when h.Length > 0 && h != hash => TrialStatus.Changed,
            { Status: TrialStatus.Finished } when Folder.ResultsPath(trial) is null => TrialStatus.Interrupted,
            _ => state.Status,
        };
        var problem = status == TrialStatus.Changed
            ? $"ran with another configuration; move or delete {folder} to run it again"
            : state?.Message;
        return new TrialView(trial, folder, options, hash, state, status, problem);
    }
}
