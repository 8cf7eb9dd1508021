using System.Diagnostics;

namespace DP.Runtime.Tests.Native;

/// <summary>
/// Runs one probe of DP.Runtime.Probes (copied beside the tests) in a process of its own, with the environment
/// given: checks of process-wide state (allocator counters, environment variables, signals) run there, where no
/// parallel test can disturb them and they disturb no test. On Linux the child starts with every signal at its default
/// disposition (coreutils' env --default-signal): a test runner started from a script in the background ignores SIGINT,
/// children inherit that, and .NET rightly leaves an ignored signal ignored, so a signal test would depend on how the
/// suite was started.
/// </summary>
internal static class ProbeProcess
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
    }

    /// <param name="environment">Variables to set; a null value removes the variable from the child's environment.</param>
    public static Result Run(string probe, IReadOnlyDictionary<string, string?>? environment = null, params string[] arguments)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsLinux() ? "env" : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (OperatingSystem.IsLinux())
        {
            start.ArgumentList.Add("--default-signal");
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DP.Runtime.Probes.dll"));
        start.ArgumentList.Add(probe);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(); // both pipes drained at once: neither can fill and block
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, output, "timed out after 2 minutes");
        }
        return new Result(process.ExitCode, output, error.Result);
    }
}
