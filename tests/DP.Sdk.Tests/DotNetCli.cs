using System.Diagnostics;
using System.Text;

namespace DP.Sdk.Tests;

/// <summary>The result of one dotnet CLI call: exit code and the interleaved stdout/stderr text.</summary>
public sealed record CliResult(string Command, int ExitCode, string Output)
{
    public override string ToString() => $"`{Command}` exited with {ExitCode}:\n{Output}";
}

/// <summary>Runs the dotnet CLI the way a user would, isolated from the test host's own MSBuild state.</summary>
public static class DotNetCli
{
    public static CliResult Run(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        // `dotnet test` leaves MSBuild variables in the environment that would point child builds at the test
        // host's MSBuild; drop them. Build servers and reused nodes would outlive the test and keep our output
        // pipes open, so turn them off.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(key);
        }
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["TERM"] = "dumb";
        // libtorch's OpenMP threads busy-wait by default: on shared CI cores that slows the training run many times.
        if (string.IsNullOrEmpty(start.Environment.TryGetValue("OMP_WAIT_POLICY", out var wait) ? wait : null))
            start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var command = "dotnet " + string.Join(' ', arguments);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output)
                return new CliResult(command, -1, $"timed out after {timeout}\n{output}");
        }
        process.WaitForExit();
        lock (output)
            return new CliResult(command, process.ExitCode, output.ToString());
    }
}
