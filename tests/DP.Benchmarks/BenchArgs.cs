using System.Globalization;

namespace DP.Benchmarks;

/// <summary>The benchmarks' `--name value` options.</summary>
public static class BenchArgs
{
    public static int Int(string[] args, string name, int fallback) =>
        String(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static string? String(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
