using System.Diagnostics;
using Spectre.Console;

namespace DP.Runtime.Training.Progress;

/// <summary>
/// Runs a piece of work with console progress: a live Spectre.Console display on a terminal (a training bar with
/// step, loss, lr, temperature, examples/s and one ETA; an evaluation bar while a set is scored), plain periodic
/// lines when output is redirected. Notices from other threads (Ctrl-C) wait until the live display has stopped.
/// </summary>
public static class ConsoleProgress
{
    public static T Run<T>(Func<ITrainingObserver, T> work, ConsoleNotices? notices = null, IAnsiConsole? console = null)
    {
        console ??= AnsiConsole.Console;
        bool live = console == AnsiConsole.Console
            ? !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
            : console.Profile.Capabilities.Interactive;
        if (!live) return work(new PlainProgress(Console.Out));
        T result = default!;
        notices?.Hold();
        try
        {
            console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
                .Start(ctx => result = work(new SpectreObserver(ctx, console)));
        }
        finally
        {
            notices?.Release();
        }
        return result;
    }

    private sealed class SpectreObserver(ProgressContext ctx, IAnsiConsole console) : ITrainingObserver
    {
        private readonly ProgressTask training = ctx.AddTask("training", autoStart: true, maxValue: 1);
        private readonly Stopwatch clock = new();
        private ProgressTask? evaluation;
        private long firstStep, examples;

        public void OnStart(long firstStep, long maxSteps)
        {
            this.firstStep = firstStep;
            training.MaxValue = maxSteps;
            training.Value = firstStep;
            clock.Restart();
        }

        public void OnStep(StepReport r)
        {
            examples += r.Examples;
            training.Value = r.Step;
            training.Description = Markup.Escape(ProgressText.Line(r, clock.Elapsed, r.Step - firstStep, examples));
        }

        public void OnEvaluating(string set, int batchesDone, int batches)
        {
            evaluation ??= ctx.AddTask("evaluating", autoStart: true, maxValue: Math.Max(1, batches));
            evaluation.MaxValue = Math.Max(1, batches);
            evaluation.Value = batchesDone;
            evaluation.Description = Markup.Escape(ProgressText.Evaluating(set, batchesDone, batches));
        }

        public void OnEvaluation(long step, IReadOnlyDictionary<string, double> metrics, bool improved) =>
            console.MarkupLine(Markup.Escape($"eval step {step}: {ProgressText.Metrics(metrics)}") + (improved ? " [green](best so far)[/]" : ""));

        public void OnMessage(string message) => console.MarkupLine(Markup.Escape(message));

        public void OnEnd()
        {
            training.StopTask();
            evaluation?.StopTask();
        }
    }
}

/// <summary>
/// Messages from outside the training loop (signal handlers): written at once, or — while a live display owns the
/// terminal — kept until it has stopped, so they are not drawn into it.
/// </summary>
public sealed class ConsoleNotices(TextWriter writer)
{
    private readonly List<string> pending = [];
    private bool held;

    public void Post(string message)
    {
        lock (pending)
        {
            if (held) pending.Add(message);
            else writer.WriteLine(message);
        }
    }

    internal void Hold()
    {
        lock (pending) held = true;
    }

    internal void Release()
    {
        lock (pending)
        {
            held = false;
            foreach (var m in pending) writer.WriteLine(m);
            pending.Clear();
        }
    }
}
