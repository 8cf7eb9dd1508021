using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DP.Generators.Model;

namespace DP.Generators.Diagnostics;

/// <summary>One catalog entry: a stable id, a title and the message format its arguments fill in.</summary>
internal sealed record DiagnosticText(string Id, string Title, string Message);

/// <summary>
/// The catalog of spec diagnostics, free of Roslyn types: the C# generator turns each entry into a
/// DiagnosticDescriptor, the F# build task formats the same message. Ids are stable; messages say what to write instead.
/// </summary>
internal static class DiagnosticCatalog
{
    public static readonly IReadOnlyList<DiagnosticText> All = new DiagnosticText[]
    {
        new(DiagnosticIds.YamlSyntax, "YAML syntax error",
            "The spec is not valid YAML: {0}; fix the indentation or quoting at this point"),
        new(DiagnosticIds.UnknownKey, "Unknown key",
            "Unknown key '{0}' {1}{2}; allowed keys: {3}"),
        new(DiagnosticIds.DuplicateKey, "Duplicate key",
            "Key '{0}' appears twice; keep one of them (the first is at line {1})"),
        new(DiagnosticIds.WrongShape, "Wrong YAML node shape",
            "'{0}' must be {1}, not {2}; write e.g. {3}"),
        new(DiagnosticIds.WrongType, "Value has the wrong type",
            SpecMessages.WrongType),
        new(DiagnosticIds.OutOfRange, "Value out of range",
            SpecMessages.OutOfRange),
        new(DiagnosticIds.UnknownChoice, "Unknown choice word",
            SpecMessages.UnknownChoice),
        new(DiagnosticIds.MissingKey, "Required key missing",
            "The spec needs '{0}'; add e.g. {1}"),
        new(DiagnosticIds.InvalidName, "Invalid experiment name",
            SpecMessages.InvalidName),
        new(DiagnosticIds.DuplicateExperiment, "Duplicate experiment name",
            "Experiment '{0}' is also declared in '{1}'; give each spec its own 'experiment' name"),
        new(DiagnosticIds.MethodMismatch, "Option not used by this method",
            "'{0}' is not used with method kind '{1}'; {2}"),
        new(DiagnosticIds.TaskRule, "Task data rule",
            "{0}"),
        new(DiagnosticIds.TemplateField, "Template names an unknown field",
            "Template field '{{{0}}}' is not a field of this task; use one of: {1}"),
        new(DiagnosticIds.FewShotChoice, "few_shot needs exactly one size",
            "few_shot needs exactly one of 'per_label' or 'total'{0}"),
        new(DiagnosticIds.BestMetric, "best_metric does not fit the task",
            "best_metric '{0}' is not reported by {1}; use one of: {2}"),
        new(DiagnosticIds.Inconsistent, "Inconsistent values",
            "{0}"),
        new(DiagnosticIds.FieldName, "Invalid field name",
            "{0}"),
        new(DiagnosticIds.InternalError, "Internal generator error",
            "The DP spec generator failed on this file ({0}); please report it with the spec"),
        new(DiagnosticIds.SweepAxis, "Sweep axis problem",
            "{0}"),
        new(DiagnosticIds.SweepExclusion, "Sweep exclusion matches nothing",
            "{0}"),
        new(DiagnosticIds.SweepTrials, "Sweep has no trials or too many",
            "{0}"),
        new(DiagnosticIds.YamlTag, "YAML tag in a spec",
            "YAML tags such as '{0}' are not allowed in a spec (they would ask a loader to build objects); remove the tag and write the plain value"),
        new(DiagnosticIds.SpecLimit, "Spec exceeds a size limit",
            "{0} exceeds the limit of {1}; {2}"),
        new(DiagnosticIds.InvalidEncoding, "Spec is not valid UTF-8",
            "The spec is not valid UTF-8 here ({0}); save the file as UTF-8 and retype the text at this point"),
    };

    private static readonly Dictionary<string, DiagnosticText> ById = All.ToDictionary(d => d.Id);

    public static DiagnosticText ForId(string id) => ById.TryGetValue(id, out var d) ? d : ById[DiagnosticIds.InternalError];

    /// <summary>The message as Roslyn formats the descriptor's message with these (text) arguments.</summary>
    public static string Format(DiagnosticInfo info) => string.Format(CultureInfo.InvariantCulture, ForId(info.Id).Message, info.Args.Cast<object>().ToArray());
}
