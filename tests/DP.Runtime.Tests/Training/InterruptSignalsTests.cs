using System.Diagnostics;
using DP.Runtime.Training;
using Xunit;

namespace DP.Runtime.Tests.Training;

[Collection(TorchRngCollection.Name)]
public class InterruptSignalsTests
{
    [Fact]
    public void SigintCancelsTheTokenTheTrainerWatches()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        string? said = null;
        using var signals = new InterruptSignals(m => said = m);
        // Sent up to twice: once (1 run in several hundred, 2026-11-25) the token stayed uncancelled for 10 s after a
        // delivered SIGINT; a second delivery tells a lost wake-up from a handler that does not work.
        bool cancelled = false;
        for (int attempt = 0; attempt < 2 && !cancelled; attempt++)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", $"-INT {Environment.ProcessId}") { UseShellExecute = false })!;
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
            cancelled = SpinWait.SpinUntil(() => signals.Token.IsCancellationRequested, TimeSpan.FromSeconds(10));
        }
        Assert.True(cancelled, "SIGINT did not cancel the token");
        Assert.Contains("SIGINT", said);
    }
}
