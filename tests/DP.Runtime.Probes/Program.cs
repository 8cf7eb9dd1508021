using DP.Runtime.Probes;

// One probe per process: `DP.Runtime.Probes <probe>` (sweep-experiment: a small experiment program, see there). Prints what it saw on stdout; exit 0 when the checked
// behaviour held, 1 (with the reason on stderr) when it did not, 2 for an unknown probe.
return args switch
{
    [MallocMmapProbe.Name] => MallocMmapProbe.Run(),
    [OpenMpWaitPolicyProbe.Name] => OpenMpWaitPolicyProbe.Run(),
    [InterruptSignalProbe.Name, var signal] => InterruptSignalProbe.Run(signal),
    [InterruptSignalProbe.Name, var signal, "twice"] => InterruptSignalProbe.Run(signal, twice: true),
    [SweepExperimentProbe.Name, var data, .. var rest] => SweepExperimentProbe.Run(data, rest),
    _ => Probe.Usage(args),
};
