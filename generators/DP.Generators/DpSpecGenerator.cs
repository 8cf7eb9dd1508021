using System;
using System.Linq;
using System.Text;
using DP.Generators.Diagnostics;
using DP.Generators.Emit.CSharp;
using DP.Generators.Model;
using DP.Generators.Parsing;
using DP.Generators.Pipeline;
using DP.Generators.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DP.Generators;

/// <summary>
/// *.dp.yaml experiment specs → typed C#. Pipeline: spec files → validated specs (per file) → one model for the
/// compilation (with settings and whether the user wrote Main) → sources and diagnostics.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DpSpecGenerator : IIncrementalGenerator
{
    /// <summary>Names of the pipeline steps (for incrementality tests).</summary>
    public static class Steps
    {
        public const string SpecFiles = "DpSpecFiles";
        public const string ValidatedSpecs = "DpValidatedSpecs";
        public const string Settings = "DpSettings";
        public const string MainMethods = "DpMainMethods";
        public const string HasUserMain = "DpHasUserMain";
        public const string Model = "DpModel";

        public static readonly string[] All = { SpecFiles, ValidatedSpecs, Settings, MainMethods, HasUserMain, Model };
    }

    public const string SpecSuffix = SpecPipeline.SpecSuffix;

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var specFiles = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(SpecSuffix, StringComparison.OrdinalIgnoreCase))
            .Select(static (file, ct) => ReadSpec(file, ct))
            .WithTrackingName(Steps.SpecFiles);

        var validated = specFiles
            .Select(static (file, _) => SpecPipeline.Validate(file))
            .WithTrackingName(Steps.ValidatedSpecs);

        var settings = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => GeneratorSettings.From(provider.GlobalOptions))
            .WithTrackingName(Steps.Settings);

        // A user-written entry point (static Main or top-level statements) turns the generated one off.
        var hasUserMain = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is GlobalStatementSyntax
                    || (node is MethodDeclarationSyntax method && method.Identifier.ValueText == "Main" && method.Modifiers.Any(SyntaxKind.StaticKeyword)),
                static (_, _) => true)
            .WithTrackingName(Steps.MainMethods)
            .Collect()
            .Select(static (mains, _) => !mains.IsEmpty)
            .WithTrackingName(Steps.HasUserMain);

        var model = validated.Collect()
            .Combine(settings)
            .Combine(hasUserMain)
            .Select(static (input, _) => GenerationModel.Build(input.Left.Left, input.Left.Right, input.Right))
            .WithTrackingName(Steps.Model);

        context.RegisterSourceOutput(model, static (spc, m) => Emit(spc, m));
    }

    private static SpecFile ReadSpec(AdditionalText file, System.Threading.CancellationToken cancellationToken)
    {
        var source = file.GetText(cancellationToken);
        var text = source?.ToString() ?? "";
        return new SpecFile(file.Path, text, SpecEncoding.Find(text, source?.Encoding));
    }

    private static void Emit(SourceProductionContext context, GenerationModel model)
    {
        foreach (var info in model.Diagnostics) context.ReportDiagnostic(ToDiagnostic(info));
        try
        {
            foreach (var spec in model.Specs)
            {
                // With several specs the entry point picks one by --experiment NAME: a sweep's trials are started the same way.
                var selectedByName = model.EmitEntryPoint && model.Specs.Count > 1;
                context.AddSource(spec.TypeName + ".g.cs", SourceText.From(ExperimentEmitter.Emit(spec, model.RootNamespace, selectedByName), Encoding.UTF8));
            }
            if (model.EmitEntryPoint)
            {
                context.AddSource(EntryPointEmitter.HintName, SourceText.From(EntryPointEmitter.Emit(model.Specs, model.RootNamespace), Encoding.UTF8));
            }
        }
        catch (Exception ex)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, ex.GetType().Name + ": " + ex.Message));
        }
    }

    internal static Diagnostic ToDiagnostic(DiagnosticInfo info)
    {
        var span = info.Span;
        var location = Location.Create(
            info.FilePath,
            new TextSpan(span.Start, span.Length),
            new LinePositionSpan(new LinePosition(span.StartLine, span.StartColumn), new LinePosition(span.EndLine, span.EndColumn)));
        return Diagnostic.Create(DiagnosticDescriptors.ForId(info.Id), location, info.Args.Cast<object>().ToArray());
    }
}
