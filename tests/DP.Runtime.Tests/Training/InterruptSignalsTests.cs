using DP.Runtime.Tests.Native;
using Xunit;

namespace DP.Runtime.Tests.Training;

/// <summary>
/// A signal goes to the whole process: sent to the test host it would reach every test's handlers at once (a training
/// run in another test would stop). The probe process sends SIGINT to itself instead.
/// </summary>
public class InterruptSignalsTests
{
    [Fact]
    public void SigintCancelsTheTokenTheTrainerWatches()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var result = ProbeProcess.Run("sigint");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("said=SIGINT received", result.Output);
    }
}
