using Xunit;

namespace DP.Runtime.Tests.Training;

/// <summary>
/// Tests that rely on torch's process-wide default generator (seeded runs, dropout, resume equality) run alone:
/// a test in another class drawing from it at the same time would change their random streams.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRngCollection
{
    public const string Name = "torch default generator";
}
