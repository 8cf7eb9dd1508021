using System.Text.Json;
using DP.Runtime.Reporting;

namespace DP.Runtime.Sweeps.Slurm;

/// <summary>One submission of a sweep to Slurm: the job id sbatch gave, its script and array.</summary>
public sealed record SlurmSubmission(string JobId, string Script, string Array, DateTimeOffset Submitted);

/// <summary>
/// The sweep's Slurm submissions, newest last, in <c>slurm/jobs.json</c> (rewritten atomically): what
/// <c>sweep status</c> asks squeue/sacct about.
/// </summary>
public static class SlurmJobRecord
{
    public const string FileName = "jobs.json";

    public static string PathIn(string sweepRoot) => Path.Combine(sweepRoot, SlurmScript.FolderName, FileName);

    public static IReadOnlyList<SlurmSubmission> Read(string sweepRoot)
    {
        var path = PathIn(sweepRoot);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<SlurmSubmission>>(File.ReadAllText(path), ReportJson.Indented) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a Slurm job record ({e.Message}).", e);
        }
    }

    public static void Append(string sweepRoot, SlurmSubmission submission)
        => AtomicFile.WriteAllText(PathIn(sweepRoot), JsonSerializer.Serialize(Read(sweepRoot).Append(submission).ToList(), ReportJson.Indented));
}
