using System.Globalization;
using DP.Runtime.Experiments;

namespace DP.Runtime.Tests.Sweeps;

/// <summary>What generated code supplies for the keys the sweep tests use.</summary>
internal static class SweepTestOverrides
{
    public static void Apply(ExperimentOptions o, string key, string value)
    {
        switch (key)
        {
            case "method.kind": o.Method.Kind = Enum.Parse<MethodKind>(value, ignoreCase: true); break;
            case "training.seed": o.Training.Seed = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "method.position": o.Method.Position = Enum.Parse<PositionPolicy>(value, ignoreCase: true); break;
            default: throw new ArgumentException($"unknown key '{key}'.");
        }
    }
}
