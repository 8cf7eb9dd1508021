using System.Diagnostics;
using Spectre.Console;

namespace DP.Runtime.Training.Progress;

/// <summary>
/// Runs a piece of work with console progress: a live Spectre.Console progress bar (step, loss, lr,
/// temperature, examples/s, ETA) on a terminal, plain periodic lines when output is redirected.
/// </summary>
public static class ConsoleProgress
{
    public static T Run<T>(Func<ITrainingObserver, T> work)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return work(new PlainProgress(Console.Out));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", autoStart: true, maxValue: 1);
                result = work(new SpectreObserver(task));
            });
        return result;
    }

    private sealed class SpectreObserver(ProgressTask task) : ITrainingObserver
    {
        private readonly Stopwatch clock = new();
        private long firstStep, examples;

        public void OnStart(long firstStep, long maxSteps)
        {
            this.firstStep = firstStep;
            task.MaxValue = maxSteps;
            task.Value = firstStep;
            clock.Restart();
        }

        public void OnStep(StepReport r)
        {
            examples += r.Examples;
            task.Value = r.Step;
            task.Description = Markup.Escape(ProgressText.Line(r, clock.Elapsed, r.Step - firstStep, examples));
        }

        public void OnEvaluation(long step, IReadOnlyDictionary<string, double> metrics, bool improved) =>
            AnsiConsole.MarkupLine(Markup.Escape($"eval step {step}: {ProgressText.Metrics(metrics)}") + (improved ? " [green](best so far)[/]" : ""));

        public void OnMessage(string message) => AnsiConsole.MarkupLine(Markup.Escape(message));

        public void OnEnd() => task.StopTask();
    }
}
