using System.Collections.Generic;
using DP.Generators.Model;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DP.Generators.Diagnostics;

/// <summary>The catalog of spec diagnostics. Ids are stable; messages say what to write instead.</summary>
public static class DiagnosticDescriptors
{
    private const string Category = "DP.Spec";
    private const string HelpBase = "docs/diagnostics.md#";

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());

    public static readonly DiagnosticDescriptor YamlSyntax = Error(DiagnosticIds.YamlSyntax, "YAML syntax error",
        "The spec is not valid YAML: {0}; fix the indentation or quoting at this point");

    public static readonly DiagnosticDescriptor UnknownKey = Error(DiagnosticIds.UnknownKey, "Unknown key",
        "Unknown key '{0}' {1}{2}; allowed keys: {3}");

    public static readonly DiagnosticDescriptor DuplicateKey = Error(DiagnosticIds.DuplicateKey, "Duplicate key",
        "Key '{0}' appears twice; keep one of them (the first is at line {1})");

    public static readonly DiagnosticDescriptor WrongShape = Error(DiagnosticIds.WrongShape, "Wrong YAML node shape",
        "'{0}' must be {1}, not {2}; write e.g. {3}");

    public static readonly DiagnosticDescriptor WrongType = Error(DiagnosticIds.WrongType, "Value has the wrong type",
        SpecMessages.WrongType);

    public static readonly DiagnosticDescriptor OutOfRange = Error(DiagnosticIds.OutOfRange, "Value out of range",
        SpecMessages.OutOfRange);

    public static readonly DiagnosticDescriptor UnknownChoice = Error(DiagnosticIds.UnknownChoice, "Unknown choice word",
        SpecMessages.UnknownChoice);

    public static readonly DiagnosticDescriptor MissingKey = Error(DiagnosticIds.MissingKey, "Required key missing",
        "The spec needs '{0}'; add e.g. {1}");

    public static readonly DiagnosticDescriptor InvalidName = Error(DiagnosticIds.InvalidName, "Invalid experiment name",
        SpecMessages.InvalidName);

    public static readonly DiagnosticDescriptor DuplicateExperiment = Error(DiagnosticIds.DuplicateExperiment, "Duplicate experiment name",
        "Experiment '{0}' is also declared in '{1}'; give each spec its own 'experiment' name");

    public static readonly DiagnosticDescriptor MethodMismatch = Error(DiagnosticIds.MethodMismatch, "Option not used by this method",
        "'{0}' is not used with method kind '{1}'; {2}");

    public static readonly DiagnosticDescriptor TaskRule = Error(DiagnosticIds.TaskRule, "Task data rule",
        "{0}");

    public static readonly DiagnosticDescriptor TemplateField = Error(DiagnosticIds.TemplateField, "Template names an unknown field",
        "Template field '{{{0}}}' is not a field of this task; use one of: {1}");

    public static readonly DiagnosticDescriptor FewShotChoice = Error(DiagnosticIds.FewShotChoice, "few_shot needs exactly one size",
        "few_shot needs exactly one of 'per_label' or 'total'{0}");

    public static readonly DiagnosticDescriptor BestMetric = Error(DiagnosticIds.BestMetric, "best_metric does not fit the task",
        "best_metric '{0}' is not reported by {1}; use one of: {2}");

    public static readonly DiagnosticDescriptor Inconsistent = Error(DiagnosticIds.Inconsistent, "Inconsistent values",
        "{0}");

    public static readonly DiagnosticDescriptor FieldName = Error(DiagnosticIds.FieldName, "Invalid field name",
        "{0}");

    public static readonly DiagnosticDescriptor InternalError = Error(DiagnosticIds.InternalError, "Internal generator error",
        "The DP spec generator failed on this file ({0}); please report it with the spec");

    public static readonly DiagnosticDescriptor SweepAxis = Error(DiagnosticIds.SweepAxis, "Sweep axis problem",
        "{0}");

    public static readonly DiagnosticDescriptor SweepExclusion = Error(DiagnosticIds.SweepExclusion, "Sweep exclusion matches nothing",
        "{0}");

    public static readonly DiagnosticDescriptor SweepTrials = Error(DiagnosticIds.SweepTrials, "Sweep has no trials or too many",
        "{0}");

    public static readonly DiagnosticDescriptor YamlTag = Error(DiagnosticIds.YamlTag, "YAML tag in a spec",
        "YAML tags such as '{0}' are not allowed in a spec (they would ask a loader to build objects); remove the tag and write the plain value");

    public static readonly DiagnosticDescriptor SpecLimit = Error(DiagnosticIds.SpecLimit, "Spec exceeds a size limit",
        "{0} exceeds the limit of {1}; {2}");

    public static readonly DiagnosticDescriptor InvalidEncoding = Error(DiagnosticIds.InvalidEncoding, "Spec is not valid UTF-8",
        "The spec is not valid UTF-8 here ({0}); save the file as UTF-8 and retype the text at this point");

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = new[]
    {
        YamlSyntax, UnknownKey, DuplicateKey, WrongShape, WrongType, OutOfRange, UnknownChoice, MissingKey, InvalidName,
        DuplicateExperiment, MethodMismatch, TaskRule, TemplateField, FewShotChoice, BestMetric, Inconsistent, FieldName,
        InternalError, SweepAxis, SweepExclusion, SweepTrials, YamlTag, SpecLimit, InvalidEncoding,
    };

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ForId(string id) => ById.TryGetValue(id, out var d) ? d : InternalError;
}
