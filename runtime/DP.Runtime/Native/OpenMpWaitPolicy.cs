using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DP.Runtime.Native;

/// <summary>
/// How libtorch's OpenMP threads (libgomp, shipped in libtorch-cpu-linux-x64) wait between parallel regions. Spinning
/// keeps the next region's start cheap on free cores but starves the working threads when the cores are busy with
/// anything else. Measured on a shared 2-core machine (docs/benchmarks.md, "OpenMP waiting"): a training step took
/// 0.5–2.9 s with OMP_WAIT_POLICY=PASSIVE at load averages 2–27, and often 2–15× longer with libgomp's default (a
/// spin of 300,000 rounds, ≈ 3 ms, before sleeping), a 100,000-round spin or ACTIVE spinning; ACTIVE won (0.44–0.53 s)
/// only in minutes when the other load dropped. On an idle Intel machine (issue 16) PASSIVE cost 30–40 %.
/// So when DP.Runtime loads it looks at how many other threads are runnable right now (/proc/stat's procs_running,
/// the least of a few samples, less this one): at most half the cores busy → libgomp's default (nothing is set);
/// otherwise OMP_WAIT_POLICY=PASSIVE. Not the 1-minute load average: it lags by minutes, so a run started just after
/// another one finished (a benchmark round, the next trial of a sweep) waited passively on an idle machine and lost
/// 10–25 % (measured, docs/benchmarks.md). The load average remains the fallback where /proc/stat is unreadable. A user who set OMP_WAIT_POLICY or GOMP_SPINCOUNT (which
/// libgomp reads before and instead of the policy) keeps their choice. libgomp reads them once when libtorch loads,
/// and .NET's Environment.SetEnvironmentVariable does not reach native code on Unix, so the policy is set with libc's
/// setenv.
/// </summary>
public static class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";
    public const string SpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>
    /// The policy the runtime sets: none (libgomp's bounded spin) on free cores, PASSIVE otherwise. <paramref name="busy"/>
    /// is how many cores other work keeps busy (runnable threads besides this one, or a load average); unknown → PASSIVE.
    /// </summary>
    public static string? Choose(double? busy, int cpus) =>
        busy is { } load && load <= cpus / 2.0 ? null : "PASSIVE";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must run before libtorch loads; see the class comment.")]
    internal static void SetDefaultOnLoad() => ChooseUnlessSet();

    /// <summary>Sets <see cref="Choose"/>'s policy for this process unless the user set either variable. True when set here.</summary>
    public static bool ChooseUnlessSet()
    {
        if (UserChose || Choose(OtherRunnableThreads() ?? OneMinuteLoadAverage(), Environment.ProcessorCount) is not { } policy) return false;
        Environment.SetEnvironmentVariable(Variable, policy);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return true;
        try
        {
            return setenv(Variable, policy, 0) == 0;
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

    /// <summary>
    /// Threads runnable now besides the one reading: /proc/stat's procs_running less one, the least of three samples
    /// 5 ms apart (a thread that just woke up for a moment is not load); null where there is no /proc/stat.
    /// </summary>
    public static int? OtherRunnableThreads()
    {
        int? least = null;
        for (var i = 0; i < 3; i++)
        {
            if (i > 0) Thread.Sleep(5);
            if (ProcsRunning() is not { } running) return null;
            least = Math.Min(least ?? int.MaxValue, Math.Max(0, running - 1));
        }
        return least;
    }

    private static int? ProcsRunning()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("procs_running ", StringComparison.Ordinal));
            return line is null ? null : int.Parse(line["procs_running ".Length..].Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

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
