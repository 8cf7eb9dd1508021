using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using DP.Runtime.Experiments;

namespace DP.Runtime.Sweeps;

/// <summary>
/// Runs trials as child processes (<c>sweep run-trial INDEX</c> of the same program), <c>parallel</c> at a time,
/// each child's output appended to its trial.log. A failed trial is recorded and the others go on. Ctrl-C / SIGINT:
/// no new trial starts and the running ones (which the terminal signalled too) checkpoint and stop; SIGTERM is passed
/// on to the children, which do the same. A lock file keeps two runs off one sweep folder.
/// </summary>
public sealed class SweepRunner(SweepContext context, TrialLauncher launcher, int parallel, int threads, Action<string> log)
{
    public const string LockFileName = "sweep.lock";

    private readonly object gate = new();
    private readonly List<Process> running = [];
    private readonly Dictionary<int, string> states = [];

    /// <summary>Where a trial of this run stands: queued, running, then what <see cref="Describe"/> says (for the live table).</summary>
    public string StateOf(int index)
    {
        lock (gate) return states.GetValueOrDefault(index, Progress.SweepLiveTable.QueuedState);
    }

    public int Run(IReadOnlyList<SweepTrial> trials)
    {
        Directory.CreateDirectory(context.Folder.Root);
        using var lockFile = Lock();
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, stop, forward: false));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, stop, forward: true));

        var tasks = new List<Task<int>>();
        int done = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        foreach (var trial in trials)
        {
            while (tasks.Count(t => !t.IsCompleted) >= parallel) Task.WaitAny([.. tasks.Where(t => !t.IsCompleted)]);
            if (stop.IsCancellationRequested) break;
            tasks.Add(Task.Run(() =>
            {
                var code = RunTrial(trial, stop.Token);
                lock (gate)
                {
                    done++;
                    if (code is not (ExperimentCli.Ok or ExperimentCli.Interrupted)) failed++;
                    states[trial.Index] = ShortState(code);
                    log($"[{done}/{trials.Count}] trial {trial.Index} {trial.FolderName}: {Describe(code)}");
                }
                return code;
            }));
        }
        Task.WaitAll([.. tasks]);
        var interrupted = stop.IsCancellationRequested || tasks.Any(t => t.Result == ExperimentCli.Interrupted);
        log($"{done} of {trials.Count} trials ran in {clock.Elapsed.TotalSeconds:0} s, {failed} failed" +
            (interrupted ? "; interrupted: run 'sweep run' again to resume" : ""));
        return interrupted ? ExperimentCli.Interrupted : failed > 0 ? ExperimentCli.Failed : ExperimentCli.Ok;
    }

    private static string ShortState(int code) => code switch
    {
        ExperimentCli.Ok => "finished",
        ExperimentCli.Interrupted => "interrupted",
        _ => $"failed (exit {code})",
    };

    private static string Describe(int code) => code switch
    {
        ExperimentCli.Ok => "finished",
        ExperimentCli.Interrupted => "interrupted (resumes on the next run)",
        _ => $"failed (exit {code}; see its {SweepFolder.LogFileName})",
    };

    private FileStream Lock()
    {
        var path = Path.Combine(context.Folder.Root, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"{context.Folder.Root} is in use by another 'sweep run' ({e.Message}).", e);
        }
    }

    private void OnSignal(PosixSignalContext signal, CancellationTokenSource stop, bool forward)
    {
        signal.Cancel = true;
        if (!stop.IsCancellationRequested) log($"{signal.Signal} received: starting no more trials; the running ones checkpoint and stop.");
        stop.Cancel();
        if (!forward) return;
        lock (gate)
            foreach (var p in running) Terminate(p);
    }

    private int RunTrial(SweepTrial trial, CancellationToken stop)
    {
        var folder = context.Folder.TrialFolder(trial);
        Directory.CreateDirectory(folder);
        var args = new List<string> { "sweep", "run-trial", trial.Index.ToString(CultureInfo.InvariantCulture), "--experiment", context.Defaults.Name,
            "--output", Path.GetDirectoryName(context.Folder.Root)!, "--threads", threads.ToString(CultureInfo.InvariantCulture) };
        args.AddRange(context.TrainArgs);
        using var logFile = new StreamWriter(context.Folder.LogPath(trial), append: true) { AutoFlush = true };
        using var process = new Process { StartInfo = launcher.StartInfo(args) };
        void Write(string? line)
        {
            if (line is null) return;
            lock (logFile) logFile.WriteLine(line);
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        lock (gate)
        {
            if (stop.IsCancellationRequested) return ExperimentCli.Interrupted;
            process.Start();
            running.Add(process);
            states[trial.Index] = Progress.SweepLiveTable.RunningState;
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        lock (gate) running.Remove(process);
        var code = process.ExitCode;
        RecordCrash(trial, folder, code);
        return code;
    }

    // A child that died before writing its final state (killed, crashed, bad arguments) leaves "running" or nothing.
    private static void RecordCrash(SweepTrial trial, string folder, int code)
    {
        using var trialLock = TrialRun.Lock(folder);
        if (trialLock is null) return; // another process runs the trial (and this child was refused): its state stands
        var state = TrialState.Read(folder);
        if (state is not null && state.Status != TrialStatus.Running) return;
        var crashed = (state ?? new TrialState { Index = trial.Index, Overrides = trial.Overrides.ToDictionary(o => o.Key, o => o.Value) }) with
        {
            Status = code == ExperimentCli.Interrupted ? TrialStatus.Interrupted : TrialStatus.Failed,
            ExitCode = code,
            Ended = DateTimeOffset.UtcNow,
            Message = $"the trial process ended with {code} before recording its state; see {SweepFolder.LogFileName}",
        };
        crashed.Write(folder);
    }

    private static void Terminate(Process p)
    {
        try
        {
            if (OperatingSystem.IsWindows()) p.Kill(entireProcessTree: true);
            else _ = kill(p.Id, SigTerm);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
