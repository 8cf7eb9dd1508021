using DP.Runtime.Experiments;
using DP.Runtime.Reporting;

namespace DP.Runtime.Sweeps;

/// <summary>
/// The folder of a sweep, <c>outputs.dir/&lt;experiment&gt;-sweep/</c>: one folder per trial (named from its
/// overrides) holding the trial's state file, its log and the ordinary run of <c>train --output &lt;trial folder&gt;</c>;
/// the report files at the top. A cluster task needs only this folder (on a shared filesystem) and the trial index.
/// </summary>
public sealed class SweepFolder(string root)
{
    public const string LogFileName = "trial.log";

    public static SweepFolder For(ExperimentOptions options) => new(Path.Combine(options.Output.Dir, RunFolder.SafeName(options.Name) + "-sweep"));

    public string Root { get; } = Path.GetFullPath(root);

    public string TrialFolder(SweepTrial trial) => Path.Combine(Root, trial.FolderName);

    public string LogPath(SweepTrial trial) => Path.Combine(TrialFolder(trial), LogFileName);

    public string ReportPath(string extension) => Path.Combine(Root, "report." + extension);

    /// <summary>The newest results.json of the trial's run (the run folder layout below the trial folder is train's).</summary>
    public string? ResultsPath(SweepTrial trial)
    {
        var folder = TrialFolder(trial);
        if (!Directory.Exists(folder)) return null;
        return Directory.EnumerateFiles(folder, "results.json", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
    }
}
