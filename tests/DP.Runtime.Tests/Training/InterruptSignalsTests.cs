using DP.Runtime.Tests.Native;
using Xunit;

namespace DP.Runtime.Tests.Training;

/// <summary>
/// A signal goes to the whole process: sent to the test host it would reach every test's handlers at once (a training
/// run in another test would stop). The probe process sends the signal to itself instead.
/// </summary>
public class InterruptSignalsTests
{
    [Theory]
    [InlineData("SIGINT")]
    [InlineData("SIGTERM")]
    [InlineData("SIGUSR1")] // Slurm's pre-timeout signal (sbatch --signal=USR1@N)
    public void Signal_cancels_the_token_the_trainer_watches_and_is_named(string signal)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var result = ProbeProcess.Run("signal", arguments: signal);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"said={signal} received", result.Output);
    }

    [Theory]
    [InlineData("SIGTERM")]
    [InlineData("SIGUSR1")]
    public void The_same_signal_again_at_once_is_absorbed_not_a_forced_stop(string signal)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var result = ProbeProcess.Run("signal", arguments: [signal, "twice"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("survived the repeat", result.Output);
    }
}
