namespace DP.Runtime.Weights;

/// <summary>
/// What a strict load did: every model parameter was filled (else it throws); <see cref="Unused"/> lists
/// checkpoint tensors no parameter took (e.g. a pooler the backbone does not have).
/// </summary>
public sealed record WeightLoadReport(string Source, IReadOnlyList<string> Loaded, IReadOnlyList<string> Unused);
