using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DP.Runtime.Native;

/// <summary>
/// How libtorch's OpenMP threads (libgomp, shipped in libtorch-cpu-linux-x64) wait between parallel regions. Spinning
/// keeps the next region's start cheap on free cores but starves the working threads when the cores are busy with
/// anything else: measured here, a loop of small matmuls on 2 busy cores took 64.7 s spinning and 0.44 s with
/// OMP_WAIT_POLICY=PASSIVE; a training step on a 2-core machine loaded by other builds took 1.3–4.3 s with libgomp's
/// default or ACTIVE waiting and 0.6–1.0 s with PASSIVE (docs/benchmarks.md). So when DP.Runtime loads it looks at the
/// load: cores free (1-minute load average at most half the cores) → a short bounded spin (GOMP_SPINCOUNT, which
/// libgomp reads before and instead of the policy); otherwise OMP_WAIT_POLICY=PASSIVE. A user who set either
/// variable keeps their choice. libgomp reads them once when libtorch loads, and .NET's
/// Environment.SetEnvironmentVariable does not reach native code on Unix, so they are set with libc's setenv.
/// </summary>
public static class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";
    public const string SpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>Spins before sleeping on free cores; libgomp estimates 100,000 a millisecond, its own default is 300,000.</summary>
    public const string BoundedSpinCount = "100000";

    /// <summary>The variable and value the runtime sets: spinning on free cores, passive waiting otherwise.</summary>
    public static (string Variable, string Value) Choose(double? loadAverage, int cpus) =>
        loadAverage is { } load && load <= cpus / 2.0 ? (SpinCountVariable, BoundedSpinCount) : (Variable, "PASSIVE");

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must run before libtorch loads; see the class comment.")]
    internal static void SetDefaultOnLoad() => ChooseUnlessSet();

    /// <summary>Sets <see cref="Choose"/>'s variable for this process unless the user set either. True when set here.</summary>
    public static bool ChooseUnlessSet()
    {
        if (UserChose) return false;
        var (variable, value) = Choose(OneMinuteLoadAverage(), Environment.ProcessorCount);
        Environment.SetEnvironmentVariable(variable, value);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return true;
        try
        {
            return setenv(variable, value, 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The waiting this process runs with, as text for benchmark output.</summary>
    public static string Describe() =>
        $"{Variable}={Environment.GetEnvironmentVariable(Variable) ?? "unset"}, {SpinCountVariable}={Environment.GetEnvironmentVariable(SpinCountVariable) ?? "unset"}";

    private static bool UserChose =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SpinCountVariable));

    /// <summary>The first field of /proc/loadavg; null where there is none (then waiting is passive).</summary>
    public static double? OneMinuteLoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);
}
