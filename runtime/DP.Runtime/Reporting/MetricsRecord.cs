namespace DP.Runtime.Reporting;

/// <summary>One line of the metrics log: the step, the split ("train" or an evaluation set's name) and its values.</summary>
public sealed record MetricsRecord(long Step, string Split, IReadOnlyDictionary<string, double> Values);
