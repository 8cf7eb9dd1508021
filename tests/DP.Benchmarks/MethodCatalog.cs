using DP.Runtime.Experiments;

namespace DP.Benchmarks;

/// <summary>The methods every benchmark compares, as the method options a spec would give.</summary>
public static class MethodCatalog
{
    public static IReadOnlyList<(string Name, MethodOptions Options)> All { get; } =
    [
        ("finetune", new FineTuningOptions()),
        ("prompt", new PromptTuningOptions { PromptLength = 20 }),
        ("ptuning-v2", new PrefixTuningOptions { PromptLength = 20 }),
        ("dp-task-pos", new DynamicPromptingOptions { PromptLength = 20, Position = PositionPolicy.Task }),
        ("dp-ins-pos", new DynamicPromptingOptions { PromptLength = 20, Position = PositionPolicy.Instance }),
        ("dp-ins-len", new DynamicPromptingOptions { PromptLength = 20, Position = PositionPolicy.Prefix, Length = LengthPolicy.Instance }),
        ("dp-ins-pool", new DynamicPromptingOptions { PromptLength = 20, Position = PositionPolicy.Prefix, Pool = { Size = 4 } }),
        ("dp-ins-pool-pos", new DynamicPromptingOptions { PromptLength = 20, Position = PositionPolicy.Instance, Pool = { Size = 4 } }),
    ];

    public static MethodOptions Get(string name) =>
        All.FirstOrDefault(m => m.Name == name).Options
        ?? throw new ArgumentException($"Unknown method '{name}'. Known: {string.Join(", ", All.Select(m => m.Name))}.");
}
