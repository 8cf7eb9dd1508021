namespace DP.Generators.Model;

/// <summary>One trial of a sweep: a value (canonical text as <c>--set</c> takes it) for each swept key, in key order.</summary>
public sealed record SweepTrialSpec(EquatableArray<string> Values);

/// <summary>
/// A validated <c>sweep:</c> section, expanded at build time: the swept override keys (written order; a zipped group
/// keeps its keys together) and every trial (the last axis varies fastest; excluded combinations left out).
/// </summary>
public sealed record SweepSpec(EquatableArray<string> Keys, EquatableArray<SweepTrialSpec> Trials);
