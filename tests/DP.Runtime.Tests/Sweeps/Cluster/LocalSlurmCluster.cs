using System.Diagnostics;
using Xunit;

namespace DP.Runtime.Tests.Sweeps.Cluster;

/// <summary>
/// A one-node Slurm cluster on this machine, started once for the tests of the "Slurm" collection and stopped after
/// them (eng/slurm/local-cluster.sh: installs slurm-wlm and munge with apt when missing, then private daemons in a
/// temporary folder). When that cannot be done — no apt, not root, a daemon that does not start — <see cref="Unavailable"/>
/// says why and the tests skip with it.
/// </summary>
public sealed class LocalSlurmCluster : IDisposable
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Slurm", "local-cluster.sh");
    private readonly string dir = Path.Combine(Path.GetTempPath(), "dp-slurm-cluster", Guid.NewGuid().ToString("N")[..8]);

    public string? Unavailable { get; }

    /// <summary>The environment the Slurm commands need (SLURM_CONF).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>();

    public TimeSpan InstallTime { get; }
    public TimeSpan StartTime { get; }

    public LocalSlurmCluster()
    {
        if (!OperatingSystem.IsLinux())
        {
            Unavailable = "the real-Slurm test runs on Linux only";
            return;
        }
        var clock = Stopwatch.StartNew();
        var install = Bash(TimeSpan.FromMinutes(12), "install");
        InstallTime = clock.Elapsed;
        if (install.Code != 0)
        {
            Unavailable = $"Slurm is not available here ({install.Text.Trim()}); .ci/run installs it (slurm-wlm, munge)";
            return;
        }
        clock.Restart();
        var start = Bash(TimeSpan.FromMinutes(2), "start", dir);
        StartTime = clock.Elapsed;
        var conf = start.Text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("SLURM_CONF=", StringComparison.Ordinal));
        if (start.Code != 0 || conf is null)
        {
            Unavailable = $"the Slurm daemons did not start ({start.Text.Trim()})";
            Bash(TimeSpan.FromMinutes(1), "stop", dir);
            return;
        }
        Environment = new Dictionary<string, string> { ["SLURM_CONF"] = conf["SLURM_CONF=".Length..] };
    }

    /// <summary>Runs a command of the cluster (squeue, scancel…) with its environment and a time limit; its stdout and stderr.</summary>
    public (int Code, string Text) Command(string program, TimeSpan limit, params string[] args) => Run(program, limit, args, Environment);

    private (int Code, string Text) Bash(TimeSpan limit, params string[] args) => Run("bash", limit, [Script, .. args], null);

    private static (int Code, string Text) Run(string program, TimeSpan limit, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var p = Process.Start(start)!;
        var error = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return (-1, $"{program} {string.Join(' ', args)} timed out after {limit.TotalSeconds:0} s");
        }
        return (p.ExitCode, output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        if (Environment.Count > 0) Bash(TimeSpan.FromMinutes(1), "stop", dir);
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // a daemon still writing its log: leave the temporary folder
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SlurmCollection : ICollectionFixture<LocalSlurmCluster>
{
    public const string Name = "Slurm";
}
