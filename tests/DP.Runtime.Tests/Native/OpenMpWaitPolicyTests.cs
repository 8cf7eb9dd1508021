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
    public void Free_cores_get_a_bounded_spin(double load, int cpus) =>
        Assert.Equal((Spin, OpenMpWaitPolicy.BoundedSpinCount), OpenMpWaitPolicy.Choose(load, cpus));

    [Theory]
    [InlineData(1.2, 2)]   // one other busy process on two cores
    [InlineData(11.0, 2)]  // the shared build machine these numbers came from
    [InlineData(null, 2)]  // no /proc/loadavg: the safe choice
    public void Busy_or_unknown_cores_get_passive_waiting(double? load, int cpus) =>
        Assert.Equal((Policy, "PASSIVE"), OpenMpWaitPolicy.Choose(load, cpus));

    [Fact]
    public void Loading_the_runtime_sets_one_of_the_two_for_native_code_when_neither_is_set()
    {
        if (!OperatingSystem.IsLinux()) return;
        var result = ProbeProcess.Run("omp-wait-policy", new Dictionary<string, string?> { [Policy] = null, [Spin] = null });
        Assert.True(result.ExitCode == 0, result.ToString());
        bool passive = result.Output.Contains($"native {Policy}=PASSIVE"), spin = result.Output.Contains($"native {Spin}={OpenMpWaitPolicy.BoundedSpinCount}");
        Assert.True(passive ^ spin, result.Output); // visible to libgomp, not only to managed code
        Assert.Contains(passive ? $"managed {Policy}=PASSIVE" : $"managed {Spin}={OpenMpWaitPolicy.BoundedSpinCount}", result.Output);
        Assert.Contains(passive ? $"native {Spin}=<unset>" : $"native {Policy}=<unset>", result.Output);
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
