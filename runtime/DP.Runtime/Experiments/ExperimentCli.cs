namespace DP.Runtime.Experiments;

/// <summary>
/// The command line of a generated experiment program: <c>[train|eval|predict] [--set key=value]...
/// [--max-steps N] [--output DIR] [--resume [checkpoint|auto]] [--data DIR]</c>.
/// </summary>
public static class ExperimentCli
{
    /// <summary>Runs the experiment described by <paramref name="defaults"/> as <paramref name="args"/> ask; returns the exit code.</summary>
    public static int Run(ExperimentOptions defaults, string[] args, SpecOverride applyOverride)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(applyOverride);
        Console.Error.WriteLine("ExperimentCli: the experiment runner is not implemented yet.");
        return 2;
    }
}
