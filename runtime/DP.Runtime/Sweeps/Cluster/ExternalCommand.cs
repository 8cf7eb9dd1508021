using System.Diagnostics;

namespace DP.Runtime.Sweeps.Cluster;

/// <summary>A scheduler command (sbatch, squeue, sacct, scontrol) run to its end or a time limit, its output captured.</summary>
public sealed record ExternalCommand(int ExitCode, string Output, string Error)
{
    /// <summary>Whether <paramref name="program"/> is an executable file in a folder of PATH.</summary>
    public static bool OnPath(string program)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <summary>Runs the command; a null timeout waits for ever (sbatch --wait). <paramref name="onLine"/> sees stdout lines as they come.</summary>
    public static ExternalCommand Run(string program, IEnumerable<string> arguments, TimeSpan? timeout, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = new Process { StartInfo = start };
        var output = new System.Text.StringBuilder();
        var error = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            onLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run {program}: {e.Message}", e);
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout ?? Timeout.InfiniteTimeSpan))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not answer within {timeout!.Value.TotalSeconds:0} s.");
        }
        process.WaitForExit(); // drains the redirected output
        lock (output) lock (error) return new ExternalCommand(process.ExitCode, output.ToString(), error.ToString());
    }
}
