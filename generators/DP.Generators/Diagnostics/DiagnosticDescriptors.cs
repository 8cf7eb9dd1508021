using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DP.Generators.Diagnostics;

/// <summary>The catalog of spec diagnostics as Roslyn descriptors (titles and messages: <see cref="DiagnosticCatalog"/>).</summary>
public static class DiagnosticDescriptors
{
    private const string Category = "DP.Spec";
    private const string HelpBase = "docs/diagnostics.md#";

    private static DiagnosticDescriptor Error(string id)
    {
        var text = DiagnosticCatalog.ForId(id);
        return new(id, text.Title, text.Message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
    }

    public static readonly DiagnosticDescriptor YamlSyntax = Error(DiagnosticIds.YamlSyntax);

    public static readonly DiagnosticDescriptor UnknownKey = Error(DiagnosticIds.UnknownKey);

    public static readonly DiagnosticDescriptor DuplicateKey = Error(DiagnosticIds.DuplicateKey);

    public static readonly DiagnosticDescriptor WrongShape = Error(DiagnosticIds.WrongShape);

    public static readonly DiagnosticDescriptor WrongType = Error(DiagnosticIds.WrongType);

    public static readonly DiagnosticDescriptor OutOfRange = Error(DiagnosticIds.OutOfRange);

    public static readonly DiagnosticDescriptor UnknownChoice = Error(DiagnosticIds.UnknownChoice);

    public static readonly DiagnosticDescriptor MissingKey = Error(DiagnosticIds.MissingKey);

    public static readonly DiagnosticDescriptor InvalidName = Error(DiagnosticIds.InvalidName);

    public static readonly DiagnosticDescriptor DuplicateExperiment = Error(DiagnosticIds.DuplicateExperiment);

    public static readonly DiagnosticDescriptor MethodMismatch = Error(DiagnosticIds.MethodMismatch);

    public static readonly DiagnosticDescriptor TaskRule = Error(DiagnosticIds.TaskRule);

    public static readonly DiagnosticDescriptor TemplateField = Error(DiagnosticIds.TemplateField);

    public static readonly DiagnosticDescriptor FewShotChoice = Error(DiagnosticIds.FewShotChoice);

    public static readonly DiagnosticDescriptor BestMetric = Error(DiagnosticIds.BestMetric);

    public static readonly DiagnosticDescriptor Inconsistent = Error(DiagnosticIds.Inconsistent);

    public static readonly DiagnosticDescriptor FieldName = Error(DiagnosticIds.FieldName);

    public static readonly DiagnosticDescriptor InternalError = Error(DiagnosticIds.InternalError);

    public static readonly DiagnosticDescriptor SweepAxis = Error(DiagnosticIds.SweepAxis);

    public static readonly DiagnosticDescriptor SweepExclusion = Error(DiagnosticIds.SweepExclusion);

    public static readonly DiagnosticDescriptor SweepTrials = Error(DiagnosticIds.SweepTrials);

    public static readonly DiagnosticDescriptor YamlTag = Error(DiagnosticIds.YamlTag);

    public static readonly DiagnosticDescriptor SpecLimit = Error(DiagnosticIds.SpecLimit);

    public static readonly DiagnosticDescriptor InvalidEncoding = Error(DiagnosticIds.InvalidEncoding);

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = new[]
    {
        YamlSyntax, UnknownKey, DuplicateKey, WrongShape, WrongType, OutOfRange, UnknownChoice, MissingKey, InvalidName, DuplicateExperiment, MethodMismatch, TaskRule, TemplateField, FewShotChoice, BestMetric, Inconsistent, FieldName, InternalError, SweepAxis, SweepExclusion, SweepTrials, YamlTag, SpecLimit, InvalidEncoding,
    };

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ForId(string id) => ById.TryGetValue(id, out var d) ? d : InternalError;
}
