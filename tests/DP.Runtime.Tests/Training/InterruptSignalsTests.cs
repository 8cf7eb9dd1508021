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
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-INT {Environment.ProcessId}") { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
        Assert.True(SpinWait.SpinUntil(() => signals.Token.IsCancellationRequested, TimeSpan.FromSeconds(30)), "SIGINT did not cancel the token within 30 s");
        Assert.Contains("SIGINT", said);
    }
}
