using System.Runtime.InteropServices;
using DP.Runtime.Training;

namespace DP.Runtime.Probes;

/// <summary>
/// Sends SIGINT to its own process and checks that <see cref="InterruptSignals"/> cancels its token and says so.
/// A signal goes to a whole process, so this runs in one of its own, never in the test host.
/// </summary>
internal static class InterruptSignalProbe
{
    public const string Name = "sigint";
    private const int SIGINT = 2;

    [DllImport("libc")] private static extern int kill(int pid, int signal);

    public static int Run()
    {
        string? said = null;
        using var signals = new InterruptSignals(m => said = m);
        if (kill(Environment.ProcessId, SIGINT) != 0) return Probe.Fail("kill(2) failed");
        if (!signals.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(60)))
            return Probe.Fail("SIGINT did not cancel the token within 60 s");
        Console.WriteLine($"said={said}");
        return said is not null && said.Contains("SIGINT") ? 0 : Probe.Fail($"the notice does not name SIGINT: '{said}'");
    }
}
