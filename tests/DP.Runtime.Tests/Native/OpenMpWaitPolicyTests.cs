using DP.Runtime.Native;
using Xunit;

namespace DP.Runtime.Tests.Native;

/// <summary>
/// The policy is an environment variable of the whole process, so each case runs in a probe process of its own
/// (<see cref="ProbeProcess"/>) instead of changing the test host's environment under parallel tests.
/// </summary>
public class OpenMpWaitPolicyTests
{
    [Fact]
    public void Loading_the_runtime_sets_passive_for_native_code_when_unset()
    {
        if (!OperatingSystem.IsLinux()) return;
        var result = ProbeProcess.Run("omp-wait-policy", new Dictionary<string, string?> { [OpenMpWaitPolicy.Variable] = null });
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("native=PASSIVE", result.Output); // visible to libgomp, not only to managed code
        Assert.Contains("managed=PASSIVE", result.Output);
    }

    [Fact]
    public void A_policy_the_user_set_wins()
    {
        if (!OperatingSystem.IsLinux()) return;
        var result = ProbeProcess.Run("omp-wait-policy", new Dictionary<string, string?> { [OpenMpWaitPolicy.Variable] = "ACTIVE" });
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("native=ACTIVE", result.Output);
    }
}
