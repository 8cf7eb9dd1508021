using Xunit;

namespace DP.Runtime.Tests.Training;

/// <summary>
/// The serial collection: tests that rely on torch's process-wide default generator (the trainer seeds it, dropout
/// and resume equality draw from it, and a few tests seed it on purpose to show the runtime does not depend on it).
/// xunit runs collections that disable parallelization alone, after the parallel ones, so no other test's draws can
/// interleave with theirs. Every other test uses a <c>torch.Generator</c> of its own; checks of other process-wide state
/// (environment variables, signals, allocator counters) run in a probe process instead (Native/ProbeProcess.cs).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRngCollection
{
    public const string Name = "torch default generator";
}
