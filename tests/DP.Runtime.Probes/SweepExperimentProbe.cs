using System.Globalization;
using DP.Runtime.Experiments;
using DP.Runtime.Sweeps;

namespace DP.Runtime.Probes;

/// <summary>
/// A tiny experiment program with a sweep, as generated code would be: <c>sweep-experiment DATA_DIR [experiment
/// arguments]</c>. 2 methods × 2 seeds, 4 steps on the custom data in DATA_DIR; its sweep trials start this same probe.
/// </summary>
internal static class SweepExperimentProbe
{
    public const string Name = "sweep-experiment";

    public static readonly SweepDefinition Sweep = new(["method.kind", "training.seed"],
        [["prompt", "1"], ["prompt", "2"], ["prefix", "1"], ["prefix", "2"]]);

    public static int Run(string dataDir, string[] args)
    {
        var options = new ExperimentOptions { Name = "sweep-probe" };
        options.Task.Kind = DataKind.Custom;
        options.Task.DataDir = dataDir;
        options.Task.Fields = ["text"];
        options.Task.MaxLength = 16;
        options.Method = new PromptTuningOptions { PromptLength = 2 };
        options.Training.MaxSteps = 4;
        options.Training.BatchSize = 4;
        options.Training.EvalBatchSize = 8;
        options.Training.EvalEvery = 2;
        options.Training.CheckpointEvery = 1;
        options.Training.Device = DeviceChoice.Cpu;
        options.Output.Plots = false;
        options.Output.TensorBoard = false;
        return ExperimentCli.Run(options, args, Override, Sweep, TrialLauncher.Current(Name, dataDir));
    }

    // What generated code supplies, for the keys this sweep uses.
    private static void Override(ExperimentOptions o, string key, string value)
    {
        switch (key)
        {
            case "method.kind": o.Method = SpecValues.SwitchMethod(o.Method, Enum.Parse<MethodKind>(value, ignoreCase: true)); break;
            case "training.seed": o.Training.Seed = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "training.threads": o.Training.Threads = int.Parse(value, CultureInfo.InvariantCulture); break;
            default: throw new ArgumentException($"unknown key '{key}'.");
        }
    }
}
