namespace DP.Generators;

/// <summary>A *.dp.yaml additional file's path and text: the equatable input of the validation step.</summary>
public sealed record SpecFile(string Path, string Text);
