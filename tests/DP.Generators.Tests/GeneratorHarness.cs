using System.Collections.Immutable;
using System.Reflection;
using DP.Generators;
using DP.Runtime.Experiments;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DP.Generators.Tests;

public sealed record GeneratorRun(GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output)
{
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    public string Source(string hintName)
        => Result.Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>Compiler errors and warnings of the user code plus generated code.</summary>
    public IReadOnlyList<Diagnostic> CompileProblems()
        => Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
}

/// <summary>Runs <see cref="DpSpecGenerator"/> on in-memory specs and C# the way the compiler would.</summary>
public static class GeneratorHarness
{
    public const string Namespace = "Demo.App";

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static CSharpCompilation Compilation(IEnumerable<string> csharp, OutputKind kind = OutputKind.ConsoleApplication)
        => CSharpCompilation.Create(
            "Demo.App",
            csharp.Select((code, i) => CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), path: "File" + i + ".cs")),
            References,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(IEnumerable<(string Path, string Text)> specs, string rootNamespace = Namespace, string? entryPoint = null)
        => CreateDriver(specs.Select(s => (AdditionalText)new InMemoryAdditionalText(s.Path, s.Text)), rootNamespace, entryPoint);

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> specs, string rootNamespace = Namespace, string? entryPoint = null)
    {
        var globals = new Dictionary<string, string> { ["build_property.RootNamespace"] = rootNamespace };
        if (entryPoint is not null) globals["build_property.DpGenerateEntryPoint"] = entryPoint;
        return CSharpGeneratorDriver.Create(
            new[] { new DpSpecGenerator().AsSourceGenerator() },
            specs,
            CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest),
            new TestOptionsProvider(globals),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    public static GeneratorRun Run(IEnumerable<(string Path, string Text)> specs, IEnumerable<string>? csharp = null, string rootNamespace = Namespace,
        string? entryPoint = null, OutputKind kind = OutputKind.ConsoleApplication)
    {
        var compilation = Compilation(csharp ?? Array.Empty<string>(), kind);
        var driver = CreateDriver(specs, rootNamespace, entryPoint).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return new GeneratorRun(driver, driver.GetRunResult(), output);
    }

    public static GeneratorRun Run(string path, string spec) => Run(new[] { (path, spec) });

    public static GeneratorRun Run(IEnumerable<AdditionalText> specs)
    {
        var driver = CreateDriver(specs).RunGeneratorsAndUpdateCompilation(Compilation(Array.Empty<string>()), out var output, out _);
        return new GeneratorRun(driver, driver.GetRunResult(), output);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                        || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Win32.Primitives.dll")
            .ToList();
        var references = paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        var runtime = typeof(ExperimentOptions).Assembly;
        references.Add(MetadataReference.CreateFromFile(runtime.Location));
        if (runtime.GetType("DP.Runtime.Experiments.ExperimentCli") is null)
        {
            references.Add(BuildCliStub(references));
        }
        return references.ToImmutableArray();
    }

    // Until the trainer's ExperimentCli lands in DP.Runtime, compile a stand-in with its agreed signature in memory,
    // so generated code is checked against exactly that contract. It is dropped automatically once the real type exists.
    private static MetadataReference BuildCliStub(IReadOnlyList<MetadataReference> references)
    {
        const string stub = """
            namespace DP.Runtime.Experiments
            {
                public delegate void SpecOverride(ExperimentOptions options, string key, string value);
                public static class ExperimentCli
                {
                    public static int Run(ExperimentOptions options, string[] args, SpecOverride applyOverride) => 0;
                }
            }
            """;
        var compilation = CSharpCompilation.Create("DP.Runtime.CliStub", new[] { CSharpSyntaxTree.ParseText(stub) }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        if (!emit.Success) throw new InvalidOperationException(string.Join("\n", emit.Diagnostics));
        return MetadataReference.CreateFromImage(stream.ToArray());
    }
}
