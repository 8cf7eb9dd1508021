using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DP.Runtime.Native;

/// <summary>
/// glibc raises its mmap threshold (up to 32 MiB) each time a large block is freed; from then on tensors up to that size
/// come from the heap and stay in it when freed. Batches of changing shapes (length-bucketed evaluation) then fragment
/// the heap and resident memory grows with the number of batches: measured here, scoring 2,267 MultiRC rows at 256
/// tokens peaked at 2.75 GB. A fixed 4 MiB threshold sends larger tensors to mmap, which gives them back when freed:
/// 1.37 GB, with an unchanged step time (thresholds of 1 MiB and less made a step ≈ 50 % slower in page faults).
/// Set when DP.Runtime loads on Linux, unless the user set MALLOC_MMAP_THRESHOLD_ (which glibc itself reads).
/// </summary>
public static class MallocMmapThreshold
{
    public const string Variable = "MALLOC_MMAP_THRESHOLD_";
    public const int Bytes = 4 << 20;
    private const int M_MMAP_THRESHOLD = -3;

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Process-wide allocator setting; see the class comment.")]
    internal static void SetOnLoad() => FixUnlessSet();

    /// <summary>Fixes glibc's mmap threshold at <see cref="Bytes"/> unless the user chose one. True when set here.</summary>
    public static bool FixUnlessSet()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) return false;
        try
        {
            return mallopt(M_MMAP_THRESHOLD, Bytes) == 1; // glibc returns 1 on success; musl's stub returns 0
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
