using System.Diagnostics;
using System.Globalization;

namespace DP.Runtime.Training.Progress;

/// <summary>
/// Progress as plain lines (CI logs, redirected output): one line every <c>every</c> steps or 10 seconds,
/// plus evaluations and messages.
/// </summary>
public sealed class PlainProgress(TextWriter writer, long every = 0) : ITrainingObserver
{
    private readonly Stopwatch clock = new();
    private long firstStep, lastPrintedStep, examples;
    private TimeSpan lastPrint;
    private long interval = every;

    public void OnStart(long firstStep, long maxSteps)
    {
        this.firstStep = lastPrintedStep = firstStep;
        if (interval <= 0) interval = Math.Max(1, maxSteps / 20);
        clock.Restart();
        writer.WriteLine($"Training from step {firstStep} to {maxSteps}.");
    }

    public void OnStep(StepReport r)
    {
        examples += r.Examples;
        var now = clock.Elapsed;
        if (r.Step % interval != 0 && r.Step != r.MaxSteps && now - lastPrint < TimeSpan.FromSeconds(10)) return;
        lastPrint = now;
        lastPrintedStep = r.Step;
        writer.WriteLine(ProgressText.Line(r, now, r.Step - firstStep, examples));
    }

    // One line when an evaluation starts: a large set takes minutes.
    public void OnEvaluating(string set, int batchesDone, int batches)
    {
        if (batchesDone == 0) writer.WriteLine(ProgressText.Evaluating(set, batchesDone, batches));
    }

    public void OnEvaluation(long step, IReadOnlyDictionary<string, double> metrics, bool improved) =>
        writer.WriteLine($"eval step {step}: {ProgressText.Metrics(metrics)}{(improved ? " (best so far)" : "")}");

    public void OnMessage(string message) => writer.WriteLine(message);

    public void OnEnd() => writer.Flush();
}

/// <summary>Shared wording of progress lines.</summary>
public static class ProgressText
{
    public static string Line(StepReport r, TimeSpan elapsed, long stepsDone, long examples)
    {
        var inv = CultureInfo.InvariantCulture;
        double secs = Math.Max(elapsed.TotalSeconds, 1e-9);
        double perStep = secs / Math.Max(1, stepsDone);
        var eta = TimeSpan.FromSeconds(perStep * Math.Max(0, r.MaxSteps - r.Step));
        var temp = r.Temperature is double t ? string.Format(inv, " temp {0:0.###}", t) : "";
        return string.Format(inv, "step {0}/{1} loss {2:0.####} lr {3:0.###e+0}{4} {5:0.#} ex/s eta {6:hh\\:mm\\:ss}",
            r.Step, r.MaxSteps, r.Loss, r.LearningRate, temp, examples / secs, eta);
    }

    public static string Evaluating(string set, int batchesDone, int batches) =>
        string.Format(CultureInfo.InvariantCulture, "evaluating {0}: batch {1}/{2}", set, batchesDone, batches);

    public static string Metrics(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(" ", metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Format(CultureInfo.InvariantCulture, "{0} {1:0.####}", kv.Key, kv.Value)));
}
