using System.Runtime.InteropServices;
using DP.Runtime.Native;

namespace DP.Runtime.Probes;

/// <summary>
/// Prints OMP_WAIT_POLICY as native code (libgomp) sees it once DP.Runtime has loaded: the test runs this with the
/// variable unset and with a user's value, and checks that the runtime filled in its default only in the first case.
/// </summary>
internal static class OpenMpWaitPolicyProbe
{
    public const string Name = "omp-wait-policy";

    [DllImport("libc")] private static extern IntPtr getenv(string name);

    public static int Run()
    {
        // Touching a DP.Runtime type runs its module initializers, as the first use of the runtime does in a program.
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(OpenMpWaitPolicy).Module.ModuleHandle);
        Console.WriteLine($"native={Marshal.PtrToStringAnsi(getenv(OpenMpWaitPolicy.Variable)) ?? "<unset>"}");
        Console.WriteLine($"managed={Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable) ?? "<unset>"}");
        return 0;
    }
}
