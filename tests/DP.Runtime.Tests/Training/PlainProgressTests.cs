using DP.Runtime.Training.Progress;
using Xunit;

namespace DP.Runtime.Tests.Training;

public class PlainProgressTests
{
    [Fact]
    public void PrintsPeriodicLinesEvaluationsAndMessages()
    {
        var text = new StringWriter();
        ITrainingObserver progress = new PlainProgress(text, every: 5);
        progress.OnStart(0, 10);
        for (int s = 1; s <= 10; s++) progress.OnStep(new StepReport(s, 10, 0, 1.0 / s, 0.003, 0.9, 16));
        progress.OnEvaluation(10, new Dictionary<string, double> { ["accuracy"] = 0.75 }, improved: true);
        progress.OnMessage("done");
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("step 5/10 loss 0.2 lr 3e-3 temp 0.9 "));
        Assert.Contains(lines, l => l.StartsWith("step 10/10 loss 0.1 ") && l.Contains("eta 00:00:00"));
        Assert.DoesNotContain(lines, l => l.StartsWith("step 7/10"));
        Assert.Contains("eval step 10: accuracy 0.75 (best so far)", lines);
        Assert.Equal("done", lines[^1].TrimEnd('\r'));
    }
}
