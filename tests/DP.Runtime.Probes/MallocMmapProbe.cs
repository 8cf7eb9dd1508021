using System.Runtime.InteropServices;
using DP.Runtime.Native;

namespace DP.Runtime.Probes;

/// <summary>
/// With DP.Runtime loaded, 24 MiB blocks keep coming from mmap after one was freed (glibc's dynamic threshold
/// would have risen to 24 MiB and served the second from the heap). Reads mallinfo2, a process-wide counter: only
/// a process that allocates nothing else in between can read it reliably.
/// </summary>
internal static class MallocMmapProbe
{
    public const string Name = "malloc-mmap";

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    [DllImport("libc")] private static extern MallInfo2 mallinfo2();

    public static int Run()
    {
        bool userSet = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(MallocMmapThreshold.Variable));
        bool fixedHere = MallocMmapThreshold.FixUnlessSet();
        Console.WriteLine($"fixed-here={fixedHere}");
        if (userSet) return fixedHere ? Probe.Fail("the user's MALLOC_MMAP_THRESHOLD_ was overridden") : 0;
        if (!fixedHere) return Probe.Fail("mallopt did not take the threshold");

        const int size = 24 << 20; // under glibc's 32 MiB cap for the dynamic threshold
        for (int round = 0; round < 2; round++)
        {
            long before = (long)mallinfo2().HBlkHd;
            var block = Marshal.AllocHGlobal(size); // malloc on Unix
            long grown = (long)mallinfo2().HBlkHd - before;
            Marshal.FreeHGlobal(block);
            if (grown < size) return Probe.Fail($"round {round}: the 24 MiB block did not come from mmap (mmapped bytes grew by {grown})");
        }
        return 0;
    }
}
