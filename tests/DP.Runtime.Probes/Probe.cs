namespace DP.Runtime.Probes;

internal static class Probe
{
    public static int Usage(string[] args)
    {
        Console.Error.WriteLine($"unknown probe '{string.Join(' ', args)}'; probes: {MallocMmapProbe.Name}, " +
                                $"{OpenMpWaitPolicyProbe.Name}, {InterruptSignalProbe.Name} SIGINT|SIGTERM, {SweepExperimentProbe.Name} DATA_DIR ...");
        return 2;
    }

    public static int Fail(string reason)
    {
        Console.Error.WriteLine(reason);
        return 1;
    }
}
