using System.Runtime.InteropServices;
using DP.Runtime.Native;

namespace DP.Runtime.Probes;

/// <summary>
/// Prints OMP_WAIT_POLICY and GOMP_SPINCOUNT as native code (libgomp) sees them once DP.Runtime has loaded: the test
/// runs this with both unset and with a user's value, and checks that the runtime filled in its choice only in the
/// first case.
/// </summary>
internal static class OpenMpWaitPolicyProbe
{
    public const string Name = "omp-wait-policy";

    [DllImport("libc")] private static extern IntPtr getenv(string name);

    public static int Run()
    {
        // Touching a DP.Runtime type runs its module initializers, as the first use of the runtime does in a program.
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(OpenMpWaitPolicy).Module.ModuleHandle);
        foreach (var variable in new[] { OpenMpWaitPolicy.Variable, OpenMpWaitPolicy.SpinCountVariable })
        {
            Console.WriteLine($"native {variable}={Marshal.PtrToStringAnsi(getenv(variable)) ?? "<unset>"}");
            Console.WriteLine($"managed {variable}={Environment.GetEnvironmentVariable(variable) ?? "<unset>"}");
        }
        return 0;
    }
}
