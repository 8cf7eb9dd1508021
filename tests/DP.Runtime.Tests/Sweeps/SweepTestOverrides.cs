using System.Globalization;
using DP.Runtime.Experiments;

namespace DP.Runtime.Tests.Sweeps;

/// <summary>What generated code supplies for the keys the sweep tests use, and the options of their hand-written sweeps.</summary>
internal static class SweepTestOverrides
{
    /// <summary>A dynamic-prompting experiment (prefix position) on custom data whose runs go to <paramref name="dir"/>.</summary>
    public static ExperimentOptions Defaults(string name, string dir)
    {
        var defaults = new ExperimentOptions { Name = name, Method = new DynamicPromptingOptions { Position = PositionPolicy.Prefix } };
        defaults.Task.Kind = DataKind.Custom;
        defaults.Output.Dir = dir;
        return defaults;
    }

    public static void Apply(ExperimentOptions o, string key, string value)
    {
        switch (key)
        {
            case "method.kind": o.Method = SpecValues.SwitchMethod(o.Method, Enum.Parse<MethodKind>(value, ignoreCase: true)); break;
            case "training.seed": o.Training.Seed = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "method.position": SpecValues.MethodOf<DynamicPromptingOptions>(o, key).Position = Enum.Parse<PositionPolicy>(value, ignoreCase: true); break;
            case "task.superglue": o.Task.SuperGlue = Enum.Parse<SuperGlueTask>(value, ignoreCase: true); break;
            case "method.pool.size": SpecValues.MethodOf<DynamicPromptingOptions>(o, key).Pool.Size = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "task.max_length": o.Task.MaxLength = int.Parse(value, CultureInfo.InvariantCulture); break;
            default: throw new ArgumentException($"unknown key '{key}'.");
        }
    }
}
