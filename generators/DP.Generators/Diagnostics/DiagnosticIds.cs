namespace DP.Generators.Diagnostics;

/// <summary>
/// The stable DP diagnostic ids, free of Roslyn types so parsing and validation (and any emitter) can use them;
/// DiagnosticDescriptors gives each its title and message.
/// </summary>
internal static class DiagnosticIds
{
    public const string YamlSyntax = "DP0001";
    public const string UnknownKey = "DP0002";
    public const string DuplicateKey = "DP0003";
    public const string WrongShape = "DP0004";
    public const string WrongType = "DP0005";
    public const string OutOfRange = "DP0006";
    public const string UnknownChoice = "DP0007";
    public const string MissingKey = "DP0008";
    public const string InvalidName = "DP0009";
    public const string DuplicateExperiment = "DP0010";
    public const string MethodMismatch = "DP0011";
    public const string TaskRule = "DP0012";
    public const string TemplateField = "DP0013";
    public const string FewShotChoice = "DP0014";
    public const string BestMetric = "DP0015";
    public const string Inconsistent = "DP0016";
    public const string FieldName = "DP0017";
    public const string InternalError = "DP0018";
    public const string SweepAxis = "DP0019";
    public const string SweepExclusion = "DP0020";
    public const string SweepTrials = "DP0021";
    public const string YamlTag = "DP0022";
    public const string SpecLimit = "DP0023";
    public const string InvalidEncoding = "DP0024";
}
