using System.Globalization;
using DP.Runtime.Experiments;
using DP.Runtime.Training.Checkpoints;

namespace DP.Runtime.Reporting;

/// <summary>
/// The folder of one experiment, <c>OutputOptions.Dir/&lt;experiment name&gt;/</c>: one run folder per training run
/// (<c>run-001/</c>, <c>run-002/</c>, …, so a new run never touches an earlier one and TensorBoard sees one run per
/// folder) and a <c>latest</c> file naming the newest run.
/// </summary>
public sealed class ExperimentFolder
{
    public const string LatestFile = "latest";
    private const string RunPrefix = "run-";
    // Created with CreateNew inside a fresh run folder: whoever creates it owns the folder (atomic on every OS).
    private const string ClaimFile = ".claimed";

    public ExperimentFolder(string root) => Root = Path.GetFullPath(root);

    public static ExperimentFolder For(ExperimentOptions options) => new(Path.Combine(options.Output.Dir, RunFolder.SafeName(options.Name)));

    public string Root { get; }
    public string LatestPath => Path.Combine(Root, LatestFile);

    /// <summary>Claims the next free <c>run-NNN</c> folder (two processes never get the same one) and points <c>latest</c> at it.</summary>
    public RunFolder CreateRun()
    {
        Directory.CreateDirectory(Root);
        foreach (var run in Runs()) CheckpointStore.RemoveAbandonedTemporaries(run.CheckpointsDir);
        for (int n = Runs().Select(Number).DefaultIfEmpty(0).Max() + 1; ; n++)
        {
            var dir = Path.Combine(Root, RunPrefix + n.ToString("D3", CultureInfo.InvariantCulture));
            if (Directory.Exists(dir)) continue;
            Directory.CreateDirectory(dir);
            try
            {
                using var claim = new FileStream(Path.Combine(dir, ClaimFile), FileMode.CreateNew);
            }
            catch (IOException) when (File.Exists(Path.Combine(dir, ClaimFile)))
            {
                continue; // another process claimed it first
            }
            var latestTemp = LatestPath + $".tmp-{Guid.NewGuid():N}";
            File.WriteAllText(latestTemp, Path.GetFileName(dir) + "\n");
            File.Move(latestTemp, LatestPath, overwrite: true);
            return new RunFolder(dir);
        }
    }

    /// <summary>The run <c>latest</c> names, else the highest-numbered one, else null.</summary>
    public RunFolder? LatestRun()
    {
        if (File.Exists(LatestPath) && File.ReadAllText(LatestPath).Trim() is { Length: > 0 } name
            && RunFolder.SafeName(name) == name && Directory.Exists(Path.Combine(Root, name)))
            return new RunFolder(Path.Combine(Root, name));
        return Runs().OrderBy(Number).LastOrDefault();
    }

    /// <summary>A run named on the command line: a run folder's name in this experiment (<c>run-002</c>) or a path to one.</summary>
    public RunFolder Run(string nameOrPath)
    {
        var inside = Path.Combine(Root, nameOrPath);
        if (Directory.Exists(inside)) return new RunFolder(inside);
        if (Directory.Exists(nameOrPath)) return new RunFolder(nameOrPath);
        var known = Runs().Select(r => Path.GetFileName(r.Root)).ToList();
        throw new ArgumentException($"--run '{nameOrPath}': no such run folder in {Root} " +
                                    $"({(known.Count == 0 ? "it has no runs yet" : "runs: " + string.Join(", ", known))}).");
    }

    /// <summary>
    /// Where a <c>train</c> writes and what it resumes: a fresh run (<paramref name="resume"/> null) gets a new run
    /// folder; <c>auto</c> continues <paramref name="runName"/> (default the latest run) from its newest checkpoint, or
    /// starts a new run when it has none; a checkpoint path continues the run folder holding it (a new one when the
    /// checkpoint sits outside any run folder).
    /// </summary>
    public (RunFolder Run, string? Resume) ForTraining(string? resume, string? runName)
    {
        if (resume is null)
        {
            if (runName is not null)
                throw new ArgumentException($"--run '{runName}' with train needs --resume: a fresh run always gets a new run folder.");
            return (CreateRun(), null);
        }
        if (resume == "auto")
        {
            var run = runName is null ? LatestRun() : Run(runName);
            return run is not null && new CheckpointStore(run.CheckpointsDir).Latest() is not null ? (run, resume) : (CreateRun(), resume);
        }
        var checkpoint = CheckpointStore.Resolve(resume);
        return (OwnerOf(checkpoint) ?? CreateRun(), checkpoint);
    }

    /// <summary>The run folder a checkpoint folder belongs to (<c>&lt;run&gt;/checkpoints/step-N</c>), or null.</summary>
    public static RunFolder? OwnerOf(string checkpoint)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(checkpoint));
        var owner = Path.GetDirectoryName(parent);
        return owner is not null && Path.GetFileName(parent) == RunFolder.CheckpointsFolder ? new RunFolder(owner) : null;
    }

    private IEnumerable<RunFolder> Runs() => !Directory.Exists(Root)
        ? []
        : Directory.GetDirectories(Root, RunPrefix + "*").Where(d => Number(d) > 0).Select(d => new RunFolder(d));

    private static int Number(RunFolder run) => Number(run.Root);

    private static int Number(string dir) =>
        int.TryParse(Path.GetFileName(dir).AsSpan(RunPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
