using System.Diagnostics;
using System.Reflection;

namespace DP.Runtime.Sweeps;

/// <summary>
/// How to start this same program as a child process: its executable (the apphost, or <c>dotnet</c> with the entry
/// assembly) and any arguments that must come first (a test program's own selector).
/// </summary>
public sealed record TrialLauncher(string FileName, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>The running program.</summary>
    public static TrialLauncher Current(params string[] prefix)
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of the running program is unknown; cannot start trials.");
        var entry = Assembly.GetEntryAssembly()?.Location;
        var viaHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (viaHost && string.IsNullOrEmpty(entry)) throw new InvalidOperationException("The entry assembly is unknown; cannot start trials.");
        return new TrialLauncher(process, viaHost ? [entry!, .. prefix] : prefix);
    }

    public ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in PrefixArguments.Concat(arguments)) start.ArgumentList.Add(a);
        return start;
    }
}
