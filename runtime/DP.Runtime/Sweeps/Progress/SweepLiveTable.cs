using System.Text;

namespace DP.Runtime.Sweeps.Progress;

/// <summary>
/// <c>sweep run</c>'s live table: on a terminal it is redrawn in place about once a second (the log lines of finished
/// trials scroll above it); with output redirected there is no table, only those lines. Hand-written rather than
/// Spectre.Console's live display because trial lines come from other threads between redraws.
/// </summary>
public static class SweepLiveTable
{
    public const int MaxRows = 20;

    /// <summary>The table's text: a row per trial, the running ones first; past <paramref name="maxRows"/>, a line counting the rest.</summary>
    public static string Render(IReadOnlyList<TrialProgress> rows, int maxRows = MaxRows)
    {
        var metric = rows.Select(r => r.Metric).Distinct().Count() == 1 ? rows[0].Metric : "metric";
        var shown = rows.OrderBy(r => r.State == RunningState ? 0 : 1).ThenBy(r => r.Index).Take(maxRows).ToList();
        var text = TextTable.Format(["trial", "folder", "state", "step", "best " + metric], shown.Select(r => r.Cells()).ToList());
        if (rows.Count <= shown.Count) return text;
        var rest = rows.Except(shown).GroupBy(r => r.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        return text + $"… and {rows.Count - shown.Count} more trials ({string.Join(", ", rest)})\n";
    }

    public const string RunningState = "running", QueuedState = "queued";

    /// <summary>
    /// What to write to replace the <paramref name="previousLines"/> lines last drawn by <paramref name="table"/>, with
    /// <paramref name="above"/> (log lines) printed first: cursor up, clear to the end of the screen, then the text.
    /// </summary>
    public static string Redraw(int previousLines, IEnumerable<string> above, string table)
    {
        var sb = new StringBuilder();
        if (previousLines > 0) sb.Append($"\u001b[{previousLines}F");
        sb.Append("\u001b[J");
        foreach (var line in above) sb.Append(line).Append('\n');
        sb.Append(table);
        return sb.ToString();
    }

    public static int LineCount(string table) => table.Count(c => c == '\n');
}

/// <summary>
/// Draws <see cref="SweepLiveTable"/> on the console while a sweep runs: <see cref="Log"/> takes the runner's lines,
/// a timer redraws the table from the trials' states and metrics logs.
/// </summary>
public sealed class SweepLiveDisplay : IDisposable
{
    private readonly Func<IReadOnlyList<TrialProgress>> rows;
    private readonly TextWriter output;
    private readonly object gate = new();
    private readonly List<string> pending = [];
    private readonly Timer timer;
    private int drawn;
    private bool closed;

    public SweepLiveDisplay(Func<IReadOnlyList<TrialProgress>> rows, TextWriter output)
    {
        this.rows = rows;
        this.output = output;
        timer = new Timer(_ => Draw(), null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    /// <summary>Whether the console can take the live table (a terminal, not redirected).</summary>
    public static bool Supported => !Console.IsOutputRedirected && Spectre.Console.AnsiConsole.Profile.Capabilities.Ansi;

    public void Log(string line)
    {
        lock (gate) pending.Add(line);
        Draw();
    }

    private void Draw()
    {
        lock (gate)
        {
            if (closed) return;
            var table = SweepLiveTable.Render(rows());
            output.Write(SweepLiveTable.Redraw(drawn, pending, table));
            output.Flush();
            pending.Clear();
            drawn = SweepLiveTable.LineCount(table);
        }
    }

    public void Dispose()
    {
        timer.Dispose();
        Draw(); // the final states stay on the screen
        lock (gate) closed = true;
    }
}
