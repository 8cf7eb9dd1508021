using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DP.Runtime.Native;

/// <summary>
/// libtorch's OpenMP threads busy-wait between parallel regions by default. On a small CPU shared with anything else
/// (the data loader, the .NET runtime, another process) the spinning threads starve the working ones: measured here,
/// a loop of small matmuls on 2 busy cores took 64.7 s with spinning and 0.44 s with OMP_WAIT_POLICY=PASSIVE.
/// libgomp reads the variable once when libtorch loads, and .NET's Environment.SetEnvironmentVariable does not reach
/// native code on Unix, so this sets it with libc's setenv when DP.Runtime loads, unless the user already set it.
/// </summary>
public static class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must run before libtorch loads; see the class comment.")]
    internal static void SetDefaultOnLoad() => EnsurePassiveUnlessSet();

    /// <summary>Sets OMP_WAIT_POLICY=PASSIVE for this process unless it is already set. True when it was set here.</summary>
    public static bool EnsurePassiveUnlessSet()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) return false;
        Environment.SetEnvironmentVariable(Variable, "PASSIVE");
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return true;
        try
        {
            return setenv(Variable, "PASSIVE", 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);
}
