using System.Diagnostics;
using System.Text.Json;

namespace DP.Runtime.Tests.Sweeps;

/// <summary>
/// The sweep-experiment program of DP.Runtime.Probes (2 methods × 2 seeds, 4 steps, MiniLM on a small custom task),
/// started as a process of its own, and the data it trains on.
/// </summary>
internal static class SweepProbeProgram
{
    public static readonly string[] Trials = ["kind-prompt_seed-1", "kind-prompt_seed-2", "kind-prefix_seed-1", "kind-prefix_seed-2"];

    /// <summary>The sweep folder under <c>--output OUTPUT</c>.</summary>
    public static string SweepFolder(string output) => Path.Combine(output, "sweep-probe-sweep");

    public sealed record Result(int ExitCode, string Output);

    /// <summary>Writes a tiny sentiment task (16 training, 8 validation lines) into <paramref name="data"/>.</summary>
    public static void WriteData(string data)
    {
        Directory.CreateDirectory(data);
        string[] good = ["a wonderful film", "great acting", "i loved it", "superb and moving"];
        string[] bad = ["a terrible film", "boring and long", "i hated it", "awful acting"];
        string Lines(int n) => string.Join("\n", Enumerable.Range(0, n).Select(i =>
            JsonSerializer.Serialize(new { text = i % 2 == 0 ? good[i / 2 % 4] : bad[i / 2 % 4], label = i % 2 == 0 ? "positive" : "negative" })));
        File.WriteAllText(Path.Combine(data, "train.jsonl"), Lines(16));
        File.WriteAllText(Path.Combine(data, "val.jsonl"), Lines(8));
    }

    public static Process Start(string data, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "DP.Runtime.Probes.dll"), "sweep-experiment", data }.Concat(args)) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        return Process.Start(start)!;
    }

    public static Process Start(string data, params string[] args) => Start(data, null, args);

    /// <summary>Waits for the process (killing it after <paramref name="limit"/>, default 10 minutes); exit code -1 when it timed out.</summary>
    public static Result Wait(Process p, TimeSpan? limit = null)
    {
        var error = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(limit ?? TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return new Result(-1, output.GetAwaiter().GetResult() + "\n(timed out)");
        }
        return new Result(p.ExitCode, output.GetAwaiter().GetResult() + "\nstderr: " + error.GetAwaiter().GetResult());
    }
}
