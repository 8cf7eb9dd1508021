namespace DP.Runtime.Sweeps.Cluster;

/// <summary>POSIX shell quoting: every word in single quotes, a single quote as <c>'\''</c>.</summary>
public static class ShellQuote
{
    public static string Word(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string Words(IEnumerable<string> words) => string.Join(' ', words.Select(Word));
}
