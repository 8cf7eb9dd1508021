using System.Runtime.InteropServices;
using DP.Runtime.Native;
using Xunit;

namespace DP.Runtime.Tests.Native;

public class MallocMmapThresholdTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    [DllImport("libc")] private static extern MallInfo2 mallinfo2();

    [Fact]
    public void Large_blocks_keep_going_to_mmap_after_one_was_freed()
    {
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(MallocMmapThreshold.Variable))) return;
        Assert.True(MallocMmapThreshold.FixUnlessSet());

        // glibc's default would raise the threshold to 24 MiB after the first free, and serve the second block from
        // the heap, where it stays resident after free. With the fixed threshold both are mmapped (and unmapped).
        const int size = 24 << 20; // under glibc's 32 MiB cap for the dynamic threshold
        for (int round = 0; round < 2; round++)
        {
            long before = (long)mallinfo2().HBlkHd;
            var block = Marshal.AllocHGlobal(size); // malloc on Unix
            try
            {
                Assert.True((long)mallinfo2().HBlkHd - before >= size, $"round {round}: the 24 MiB block did not come from mmap");
            }
            finally
            {
                Marshal.FreeHGlobal(block);
            }
        }
    }
}
