using System.Diagnostics;

namespace DP.Benchmarks;

/// <summary>
/// Runs one measurement of this harness in a fresh process, so that each gets its own peak resident memory and
/// nothing one run leaves in the allocator or the GC heap counts against the next. The child prints its result as
/// one line starting with <see cref="Marker"/>.
/// </summary>
public static class BenchChild
{
    public const string Marker = "RESULT ";

    /// <summary>The text after <see cref="Marker"/>, or null with <paramref name="failure"/> saying why.</summary>
    public static string? Run(IEnumerable<string> args, out string failure)
    {
        var self = Environment.ProcessPath!;
        var prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(BenchChild).Assembly.Location] : Array.Empty<string>();
        return Run(self, prefix.Concat(args), out failure);
    }

    /// <summary>The same for another program that prints its result the same way (the PyTorch anchor).</summary>
    public static string? Run(string program, IEnumerable<string> args, out string failure)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderrTask = p.StandardError.ReadToEndAsync(); // both pipes drained at once: neither can fill and block
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = stderrTask.Result;
        p.WaitForExit();
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        // Lines the child wrote besides its result (warnings) go on to the parent's console.
        foreach (var other in stdout.Split('\n').Where(l => l.Length > 0 && !l.StartsWith(Marker, StringComparison.Ordinal)))
            Console.WriteLine("  " + other.TrimEnd());
        if (p.ExitCode == 0 && line is not null)
        {
            failure = "";
            return line[Marker.Length..].TrimEnd();
        }
        failure = $"exit {p.ExitCode}: {stderr.Trim()}";
        return null;
    }
}
