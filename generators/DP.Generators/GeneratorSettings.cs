namespace DP.Generators;

/// <summary>
/// The MSBuild properties code generation reads: RootNamespace (already made a safe namespace for the output
/// language) and DpGenerateEntryPoint. Roslyn-free; the C# generator reads them in GeneratorSettings.Roslyn.cs.
/// </summary>
public sealed partial record GeneratorSettings(string RootNamespace, bool GenerateEntryPoint)
{
    /// <summary>DpGenerateEntryPoint is on unless it says false.</summary>
    public static bool EntryPointOn(string? property) => !string.Equals(property?.Trim(), "false", System.StringComparison.OrdinalIgnoreCase);
}
