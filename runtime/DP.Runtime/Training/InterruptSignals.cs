using System.Runtime.InteropServices;

namespace DP.Runtime.Training;

/// <summary>
/// Turns Ctrl-C (SIGINT), SIGTERM and SIGUSR1 (Slurm's pre-timeout signal, <c>sbatch --signal=USR1@N</c>) into a
/// cancellation the trainer sees at the next step boundary, where it writes a checkpoint and returns. A second
/// signal is left to the default handler (the process ends at once) — unless it comes within
/// <see cref="RepeatWindow"/> of the first: that is the same stop sent twice (Slurm's scancel signals every process
/// of the job while the batch shell passes its own signal on; a kill of a process group reaches the trials both
/// directly and through <c>sweep run</c>), and is absorbed.
/// </summary>
public sealed class InterruptSignals : IDisposable
{
    /// <summary>SIGUSR1's number: .NET's <see cref="PosixSignal"/> has no name for it, but takes the raw number.</summary>
    public static int SigUsr1 => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 30 : 10;

    public static readonly TimeSpan RepeatWindow = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource cts = new();
    private long firstSignal;
    private readonly PosixSignalRegistration[] registrations;

    public InterruptSignals(Action<string>? onSignal = null)
    {
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Handle(c, "SIGINT", onSignal)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Handle(c, "SIGTERM", onSignal)),
            .. OperatingSystem.IsWindows() ? Array.Empty<PosixSignalRegistration>()
                : [PosixSignalRegistration.Create((PosixSignal)SigUsr1, c => Handle(c, "SIGUSR1", onSignal))],
        ];
    }

    public CancellationToken Token => cts.Token;

    private void Handle(PosixSignalContext context, string name, Action<string>? onSignal)
    {
        if (cts.IsCancellationRequested)
        {
            // a repeat soon after the first is the same stop; a later one ends the process (default behaviour)
            context.Cancel = System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref firstSignal)) < RepeatWindow;
            return;
        }
        Interlocked.Exchange(ref firstSignal, System.Diagnostics.Stopwatch.GetTimestamp());
        context.Cancel = true;
        onSignal?.Invoke($"{name} received: writing a checkpoint after the current step, then stopping.");
        cts.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
        cts.Dispose();
    }
}
