using DP.Generators.Parsing;

namespace DP.Generators;

/// <summary>
/// A *.dp.yaml additional file's path and text, and where its bytes were not UTF-8 (null when they were): the
/// equatable input of the validation step.
/// </summary>
public sealed record SpecFile(string Path, string Text, EncodingProblem? Encoding = null);
