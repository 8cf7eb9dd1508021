using DP.Runtime.Reporting;
using DP.Runtime.Sweeps.Progress;
using Xunit;

namespace DP.Runtime.Tests.Sweeps;

/// <summary>sweep run's live table as text: its rows, its redraw in place, the step and best value read from a metrics log.</summary>
public class SweepLiveTableTests
{
    private static TrialProgress Row(int i, string state, long? step = null, double? best = null)
        => new(i, $"kind-prompt_seed-{i}", state, step, 40, "accuracy", best);

    [Fact]
    public void Table_has_state_step_and_best_metric_per_trial_running_first()
    {
        var text = SweepLiveTable.Render([Row(0, "finished", 40, 0.75), Row(1, "running", 12, 0.5), Row(2, "queued")]);
        Assert.Equal(
            "trial  folder              state     step   best accuracy\n" +
            "1      kind-prompt_seed-1  running   12/40  0.5\n" +
            "0      kind-prompt_seed-0  finished  40/40  0.75\n" +
            "2      kind-prompt_seed-2  queued    -      -\n", text);
        Assert.Equal(4, SweepLiveTable.LineCount(text));
    }

    [Fact]
    public void A_long_sweep_shows_the_running_trials_and_counts_the_rest()
    {
        var rows = Enumerable.Range(0, 30).Select(i => Row(i, i == 25 ? "running" : i < 10 ? "finished" : "queued")).ToList();
        var lines = SweepLiveTable.Render(rows, maxRows: 5).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length); // header, 5 rows, the count
        Assert.StartsWith("25 ", lines[1], StringComparison.Ordinal);
        Assert.Equal("… and 25 more trials (6 finished, 19 queued)", lines[^1]);
    }

    [Fact]
    public void Redraw_moves_up_over_the_old_table_clears_and_prints_log_lines_above_the_new_one()
    {
        Assert.Equal("\u001b[Jtable\n", SweepLiveTable.Redraw(0, [], "table\n"));
        Assert.Equal("\u001b[3F\u001b[J[1/4] trial 0 finished\nnew\n", SweepLiveTable.Redraw(3, ["[1/4] trial 0 finished"], "new\n"));
    }

    [Fact]
    public void Step_is_the_newest_and_best_the_best_evaluation_in_the_metric_direction()
    {
        MetricsRecord R(long step, string split, string key, double v) => new(step, split, new Dictionary<string, double> { [key] = v });
        IReadOnlyList<MetricsRecord> log = [R(1, "train", "accuracy", 0.99), R(2, "validation", "accuracy", 0.6), R(3, "train", "loss", 0.4),
            R(4, "validation", "accuracy", 0.55), R(4, "validation", "loss", 0.7), R(6, "validation", "loss", 0.9), R(7, "train", "loss", 0.3)];
        Assert.Equal((7L, 0.6), TrialProgress.FromMetrics(log, "accuracy")); // the train split is not an evaluation
        Assert.Equal((7L, 0.7), TrialProgress.FromMetrics(log, "loss"));     // lower is better
        Assert.Equal((null, null), TrialProgress.FromMetrics([], "accuracy"));
    }

    [Fact]
    public void A_log_being_written_is_read_without_its_cut_short_last_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dp-live-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllText(path, "{\"step\":2,\"split\":\"validation\",\"accuracy\":0.5}\n{\"step\":3,\"spl");
            using var writer = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read); // the trainer still has it open
            Assert.Equal(2, Assert.Single(MetricsLog.ReadWhileWritten(path)).Step);
            Assert.Empty(MetricsLog.ReadWhileWritten(path + ".absent"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
