using System.Runtime.InteropServices;
using DP.Runtime.Training;

namespace DP.Runtime.Probes;

/// <summary>
/// Sends SIGINT, SIGTERM or SIGUSR1 to its own process and checks that <see cref="InterruptSignals"/> cancels its token and
/// names the signal. A signal goes to a whole process, so this runs in one of its own, never in the test host.
/// </summary>
internal static class InterruptSignalProbe
{
    public const string Name = "signal";

    [DllImport("libc")] private static extern int kill(int pid, int signal);

    /// <param name="twice">Send it again at once: the repeat must be absorbed (the process lives on to say so).</param>
    public static int Run(string signalName, bool twice = false)
    {
        int? number = signalName switch { "SIGINT" => 2, "SIGTERM" => 15, "SIGUSR1" => InterruptSignals.SigUsr1, _ => null };
        if (number is null) return Probe.Fail($"unknown signal '{signalName}'; expected SIGINT, SIGTERM or SIGUSR1");
        string? said = null;
        using var signals = new InterruptSignals(m => said = m);
        if (kill(Environment.ProcessId, number.Value) != 0) return Probe.Fail("kill(2) failed");
        if (!signals.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(60)))
            return Probe.Fail($"{signalName} did not cancel the token within 60 s");
        if (twice)
        {
            if (kill(Environment.ProcessId, number.Value) != 0) return Probe.Fail("kill(2) failed");
            Thread.Sleep(300); // a repeat that were not absorbed would end the process here
            Console.WriteLine("survived the repeat");
        }
        Console.WriteLine($"said={said}");
        return said is not null && said.StartsWith(signalName + " received", StringComparison.Ordinal)
            ? 0 : Probe.Fail($"the notice does not name {signalName}: '{said}'");
    }
}
