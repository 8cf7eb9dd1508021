using DP.Runtime.Experiments;

namespace DP.Benchmarks;

/// <summary>The methods every benchmark compares, as the method options a spec would give.</summary>
public static class MethodCatalog
{
    public static IReadOnlyList<(string Name, MethodOptions Options)> All { get; } =
    [
        ("finetune", new MethodOptions { Kind = MethodKind.FineTune }),
        ("prompt", new MethodOptions { Kind = MethodKind.Prompt, PromptLength = 20 }),
        ("ptuning-v2", new MethodOptions { Kind = MethodKind.Prefix, PromptLength = 20 }),
        ("dp-task-pos", new MethodOptions { Kind = MethodKind.Dynamic, PromptLength = 20, Position = PositionPolicy.Task }),
        ("dp-ins-pos", new MethodOptions { Kind = MethodKind.Dynamic, PromptLength = 20, Position = PositionPolicy.Instance }),
        ("dp-ins-len", new MethodOptions { Kind = MethodKind.Dynamic, PromptLength = 20, Position = PositionPolicy.Prefix, Length = LengthPolicy.Instance }),
        ("dp-ins-pool", new MethodOptions { Kind = MethodKind.Dynamic, PromptLength = 20, Position = PositionPolicy.Prefix, PoolSize = 4 }),
        ("dp-ins-pool-pos", new MethodOptions { Kind = MethodKind.Dynamic, PromptLength = 20, Position = PositionPolicy.Instance, PoolSize = 4 }),
    ];

    public static MethodOptions Get(string name) =>
        All.FirstOrDefault(m => m.Name == name).Options
        ?? throw new ArgumentException($"Unknown method '{name}'. Known: {string.Join(", ", All.Select(m => m.Name))}.");
}
