using DP.Runtime.Native;
using Xunit;

namespace DP.Runtime.Tests.Native;

/// <summary>
/// The waiting is an environment variable of the whole process, so each loading case runs in a probe process of its
/// own (<see cref="ProbeProcess"/>) instead of changing the test host's environment under parallel tests; the rule
/// itself is a function of the load, checked directly.
/// </summary>
public class OpenMpWaitPolicyTests
{
    private const string Policy = OpenMpWaitPolicy.Variable, Spin = OpenMpWaitPolicy.SpinCountVariable;

    [Theory]
    [InlineData(0.0, 2)]
    [InlineData(1.0, 2)]
    [InlineData(7.9, 16)]
    public void Free_cores_keep_libgomps_bounded_spin(double load, int cpus) => Assert.Null(OpenMpWaitPolicy.Choose(load, cpus));

    [Theory]
    [InlineData(1.2, 2)]   // one other busy process on two cores
    [InlineData(11.0, 2)]  // the shared build machine these numbers came from
    [InlineData(null, 2)]  // no /proc/loadavg: the safe choice
    public void Busy_or_unknown_cores_get_passive_waiting(double? load, int cpus) =>
        Assert.Equal("PASSIVE", OpenMpWaitPolicy.Choose(load, cpus));

    [Fact]
    public void Busy_threads_count_as_other_runnable_threads_however_the_load_average_lags()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.NotNull(OpenMpWaitPolicy.OtherRunnableThreads());
        // Four threads spinning are runnable whether or not a core is free for them, so at least three others are seen.
        using var stop = new CancellationTokenSource();
        var spinners = Enumerable.Range(0, 4).Select(_ => new Thread(() => { while (!stop.IsCancellationRequested) { } }) { IsBackground = true }).ToList();
        spinners.ForEach(t => t.Start());
        try
        {
            Thread.Sleep(20);
            Assert.True(OpenMpWaitPolicy.OtherRunnableThreads() >= 3, $"saw {OpenMpWaitPolicy.OtherRunnableThreads()} other runnable threads beside 4 spinning ones");
        }
        finally
        {
            stop.Cancel();
            spinners.ForEach(t => t.Join());
        }
    }

    [Fact]
    public void Loading_the_runtime_sets_passive_for_native_code_or_nothing_when_neither_is_set()
    {
        if (!OperatingSystem.IsLinux()) return;
        var result = ProbeProcess.Run("omp-wait-policy", new Dictionary<string, string?> { [Policy] = null, [Spin] = null });
        Assert.True(result.ExitCode == 0, result.ToString());
        // Which of the two depends on the load when the probe started; either way native code sees what managed code does.
        bool passive = result.Output.Contains($"native {Policy}=PASSIVE");
        Assert.Contains(passive ? $"managed {Policy}=PASSIVE" : $"managed {Policy}=<unset>", result.Output);
        Assert.True(passive || result.Output.Contains($"native {Policy}=<unset>"), result.Output);
        Assert.Contains($"native {Spin}=<unset>", result.Output);
    }

    [Theory]
    [InlineData(Policy, "ACTIVE", Spin)]
    [InlineData(Spin, "5000", Policy)]
    public void A_choice_the_user_made_wins(string variable, string value, string other)
    {
        if (!OperatingSystem.IsLinux()) return;
        var result = ProbeProcess.Run("omp-wait-policy", new Dictionary<string, string?> { [variable] = value, [other] = null });
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"native {variable}={value}", result.Output);
        Assert.Contains($"native {other}=<unset>", result.Output);
    }
}
