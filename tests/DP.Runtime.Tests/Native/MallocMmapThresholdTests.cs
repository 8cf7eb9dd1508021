using DP.Runtime.Native;
using Xunit;

namespace DP.Runtime.Tests.Native;

/// <summary>
/// The check reads glibc's process-wide allocator statistics, which parallel tests change all the time, so it runs in
/// a probe process of its own (<see cref="ProbeProcess"/>).
/// </summary>
public class MallocMmapThresholdTests
{
    [Fact]
    public void Large_blocks_keep_going_to_mmap_after_one_was_freed()
    {
        if (!OperatingSystem.IsLinux()) return;
        var result = ProbeProcess.Run("malloc-mmap", new Dictionary<string, string?> { [MallocMmapThreshold.Variable] = null });
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("fixed-here=True", result.Output);
    }

    [Fact]
    public void A_threshold_the_user_set_is_left_alone()
    {
        if (!OperatingSystem.IsLinux()) return;
        var result = ProbeProcess.Run("malloc-mmap", new Dictionary<string, string?> { [MallocMmapThreshold.Variable] = "65536" });
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("fixed-here=False", result.Output);
    }
}
