using System.Text.RegularExpressions;
using DP.Runtime.Training.Progress;
using Spectre.Console;
using Xunit;

namespace DP.Runtime.Tests.Training;

/// <summary>The live terminal display, rendered into a string by a Spectre console of the test's own.</summary>
public class ConsoleProgressTests
{
    private static (IAnsiConsole Console, StringWriter Output) Terminal()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 220;
        return (console, output);
    }

    [Fact]
    public void OneEtaAnEvaluationBarAndTheInterruptNoticeAfterTheDisplay()
    {
        var (console, output) = Terminal();
        var notices = new ConsoleNotices(output);

        ConsoleProgress.Run(o =>
        {
            o.OnStart(0, 10);
            for (int step = 1; step <= 10; step++)
            {
                o.OnStep(new StepReport(step, 10, 0, 0.5, 1e-3, null, 4));
                if (step == 5) notices.Post("SIGINT received: writing a checkpoint after the current step, then stopping.");
            }
            for (int b = 0; b <= 3; b++) o.OnEvaluating("validation", b, 3);
            o.OnEnd();
            return 0;
        }, notices, console);

        var text = output.ToString();
        int lastFrame = text.LastIndexOf("step 10/10", StringComparison.Ordinal);
        Assert.True(lastFrame >= 0, text);
        // The notice waited for the display to stop instead of being drawn into it.
        Assert.True(text.IndexOf("SIGINT received", StringComparison.Ordinal) > lastFrame, text);
        Assert.Single(Regex.Matches(text, "SIGINT received"));
        // One remaining-time figure on the training line (ours), not a second column that disagrees.
        var line = Regex.Split(text[lastFrame..], "[\n\u001b]")[0];
        Assert.Single(Regex.Matches(line, @"\d+:\d\d:\d\d"));
        Assert.Contains("evaluating validation: batch 3/3", text);
    }

    [Fact]
    public void NoticesOutsideALiveDisplayAreWrittenAtOnce()
    {
        var output = new StringWriter();
        new ConsoleNotices(output).Post("hello");
        Assert.Equal("hello" + Environment.NewLine, output.ToString());
    }
}
