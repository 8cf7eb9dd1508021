using DP.Generators.Diagnostics;
using DP.Generators.Model;

namespace DP.Generators.Validation;

/// <summary>One spec file after validation: the model when it is valid, and every diagnostic found.</summary>
public sealed record SpecValidationResult(string SpecPath, ExperimentSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
