using System.Globalization;
using System.Text.RegularExpressions;

namespace DP.Runtime.Sweeps.Cluster;

/// <summary>
/// The resources and placement of a sweep's cluster tasks (<c>sweep submit --slurm</c>, <c>sweep manifest
/// --kubernetes</c>): one task per trial, each with these resources. Values are checked here, so that a script or
/// manifest is never written with a value its scheduler would refuse or a shell would misread.
/// </summary>
public sealed partial record ClusterOptions
{
    public string? Partition { get; init; }
    public string? Account { get; init; }
    /// <summary>Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS.</summary>
    public string? Time { get; init; }
    public int? Cpus { get; init; }
    /// <summary>GPUs per task: a count, or TYPE:COUNT (Slurm's --gpus).</summary>
    public string? Gpus { get; init; }
    /// <summary>Memory per task: a number with an optional K, M, G or T suffix (Slurm); converted to Ki/Mi/Gi/Ti for Kubernetes.</summary>
    public string? Mem { get; init; }
    /// <summary>Tasks at a time (Slurm's %M, Kubernetes' parallelism); null: no limit.</summary>
    public int? MaxParallel { get; init; }
    /// <summary>Seconds before the time limit at which Slurm sends USR1 (the trial checkpoints, then requeues).</summary>
    public int SignalSeconds { get; init; } = DefaultSignalSeconds;
    public bool DryRun { get; init; }
    public bool Wait { get; init; }
    public string? Image { get; init; }
    public string? VolumeClaim { get; init; }
    public string? MountPath { get; init; }

    public const int DefaultSignalSeconds = 120;

    /// <summary>The option names this record takes (for the "only with submit/manifest" check).</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "--partition", "--account", "--time", "--cpus", "--gpus", "--mem", "--max-parallel", "--signal-seconds",
        "--dry-run", "--wait", "--image", "--volume-claim", "--mount-path",
    };

    /// <summary>Applies option <paramref name="name"/>; <paramref name="value"/> reads its value (flags take none).</summary>
    public ClusterOptions With(string name, Func<string> value) => name switch
    {
        "--partition" => this with { Partition = Checked(name, value(), SlurmName(), "letters, digits, '_', '.', '-'") },
        "--account" => this with { Account = Checked(name, value(), SlurmName(), "letters, digits, '_', '.', '-'") },
        "--time" => this with { Time = Checked(name, value(), SlurmTime(), "minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS") },
        "--cpus" => this with { Cpus = Count(name, value(), 1) },
        "--gpus" => this with { Gpus = Checked(name, value(), GpuSpec(), "a count ≥ 1 or TYPE:COUNT, e.g. 1 or a100:2") },
        "--mem" => this with { Mem = Checked(name, value(), Memory(), "a whole number with an optional K, M, G or T suffix, e.g. 16G") },
        "--max-parallel" => this with { MaxParallel = Count(name, value(), 1) },
        "--signal-seconds" => this with { SignalSeconds = Count(name, value(), 1) },
        "--dry-run" => this with { DryRun = true },
        "--wait" => this with { Wait = true },
        "--image" => this with { Image = Checked(name, value(), ImageName(), "an image reference without spaces, e.g. registry.example/dp-experiment:1.0") },
        "--volume-claim" => this with { VolumeClaim = Checked(name, value(), KubernetesName(), "a lower-case DNS name: letters, digits, '-', '.'") },
        "--mount-path" => this with { MountPath = Checked(name, value(), MountPathPattern(), "an absolute path without spaces") },
        _ => throw new ArgumentException($"unknown cluster option '{name}'."),
    };

    /// <summary>The time limit in seconds (null when none is given).</summary>
    public int? TimeLimitSeconds
    {
        get
        {
            if (Time is null) return null;
            var (days, rest) = Time.Contains('-', StringComparison.Ordinal) ? (int.Parse(Time.Split('-')[0], CultureInfo.InvariantCulture), Time.Split('-')[1]) : (0, Time);
            var parts = rest.Split(':').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            // minutes | MM:SS | HH:MM:SS; after "D-": HH | HH:MM | HH:MM:SS
            var seconds = (Time.Contains('-', StringComparison.Ordinal), parts.Length) switch
            {
                (false, 1) => parts[0] * 60,
                (false, 2) => parts[0] * 60 + parts[1],
                (_, 3) => parts[0] * 3600 + parts[1] * 60 + parts[2],
                (true, 1) => parts[0] * 3600,
                (true, 2) => parts[0] * 3600 + parts[1] * 60,
                _ => 0,
            };
            return days * 86400 + seconds;
        }
    }

    /// <summary>The pre-timeout signal must come before the limit, or every start of a trial would be stopped at once.</summary>
    public void CheckSignalBeforeLimit()
    {
        if (TimeLimitSeconds is int limit && SignalSeconds >= limit)
            throw new ArgumentException($"--signal-seconds {SignalSeconds} is not less than the --time limit ({limit} s): the trial would be stopped as soon as it starts; choose a longer --time or fewer --signal-seconds.");
    }

    /// <summary>Whether <paramref name="name"/> is a flag (takes no value).</summary>
    public static bool IsFlag(string name) => name is "--dry-run" or "--wait";

    private static string Checked(string name, string value, Regex pattern, string expected)
        => pattern.IsMatch(value) ? value : throw new ArgumentException($"{name} '{value}': expected {expected}.");

    private static int Count(string name, string value, int min)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n : throw new ArgumentException($"{name} '{value}': expected a whole number ≥ {min}.");

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")] private static partial Regex SlurmName();
    [GeneratedRegex(@"^(\d+|\d+:\d{2}|\d+:\d{2}:\d{2}|\d+-\d+|\d+-\d+:\d{2}|\d+-\d+:\d{2}:\d{2})$")] private static partial Regex SlurmTime();
    [GeneratedRegex(@"^([A-Za-z0-9_\-]+:)?[1-9]\d*$")] private static partial Regex GpuSpec();
    [GeneratedRegex(@"^[1-9]\d*[KMGT]?$")] private static partial Regex Memory();
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$")] private static partial Regex ImageName();
    [GeneratedRegex(@"^[a-z0-9]([a-z0-9\-.]*[a-z0-9])?$")] private static partial Regex KubernetesName();
    [GeneratedRegex(@"^/[A-Za-z0-9._\-/]*$")] private static partial Regex MountPathPattern();
}
