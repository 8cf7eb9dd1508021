using DP.Generators.Tests;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using DP.Generators;
using DP.Runtime.Experiments;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DP.Benchmarks.Generator;

/// <summary>
/// What the *.dp.yaml source generator adds to a build: DpSpecGenerator run in-process by CSharpGeneratorDriver, as
/// the compiler runs it, on a typical spec and a small program. Reports the first (cold, JIT included) run, a full
/// run with a fresh driver (what a clean build pays), an incremental rerun after a spec edit (what an IDE or a
/// warm build server pays), and the compiler's own time for the same compilation without the generator.
/// </summary>
public static class GeneratorBenchmark
{
    public const string Usage = "generator [--runs 200]";

    // A typical spec: dynamic prompting on SuperGLUE RTE with most keys written out.
    private const string Spec = """
        # Dynamic prompting on RTE.
        experiment: rte-dynamic
        backbone: { source: minilm-l6, dtype: bfloat16 }
        task:
          kind: superglue
          superglue: rte
          data_dir: data/RTE
          train_file: train.jsonl
          validation_file: val.jsonl
          max_length: 256
          few_shot: { total: 32, seed: 13 }
        method:
          kind: dynamic
          prompt_length: 20
          init: vocab
          position: instance
          length: fixed
          pool: { size: 4, tanh: false }
          gumbel: { schedule: compound, initial_temperature: 1.0, min_temperature: 0.5, rate: 1e-3 }
          instance_features: encoder
        head: { kind: auto, pooling: mean }
        training:
          optimizer: adamw
          learning_rate: 3e-3
          prompt_learning_rate: 0.03
          max_steps: 200
          batch_size: 16
          eval_batch_size: 32
          eval_every: 50
          checkpoint_every: 50
          best_metric: accuracy
          seed: 42
          device: auto
        outputs: { dir: runs, save_predictions: true, tensorboard: true, plots: true }
        """;

    private const string UserCode = """
        namespace Demo.App
        {
            public static class Helpers
            {
                public static string Describe(int steps) => "steps: " + steps;
            }
        }
        """;

    public static int Run(string[] args)
    {
        int i = Array.IndexOf(args, "--runs");
        int runs = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 200;
        var compilation = Compilation();
        var spec = new InMemoryAdditionalText("/src/rte-dynamic.dp.yaml", Spec);

        // Cold, without a spec: Roslyn's driver and the generator's pipeline set-up JIT once (a compiler pays much of
        // this for any generator); then the first run with a spec adds YAML parsing, validation and emission JIT.
        var sw = Stopwatch.StartNew();
        Driver([]).RunGeneratorsAndUpdateCompilation(compilation, out _, out _);
        double coldNoSpecMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        var first = Driver([spec]).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        double coldMs = sw.Elapsed.TotalMilliseconds;
        var result = first.GetRunResult();
        int sources = result.Results.Sum(r => r.GeneratedSources.Length);
        int chars = result.Results.Sum(r => r.GeneratedSources.Sum(s => s.SourceText.Length));
        var errors = diagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            Console.Error.WriteLine("The typical spec does not generate compilable code:\n" + string.Join("\n", errors));
            return 1;
        }

        // Full: a fresh driver per run, as in a clean build (no cached pipeline state).
        int expectedTrees = output.SyntaxTrees.Count();
        var full = Measure(runs, () =>
        {
            Driver([spec]).RunGeneratorsAndUpdateCompilation(compilation, out var o, out _);
            // Guard against measuring nothing: every run must really produce the generated files.
            if (o.SyntaxTrees.Count() != expectedTrees) throw new InvalidOperationException("a generator run produced no output");
        });

        // Incremental: one driver, the spec edited between runs (max_steps changes), as an IDE or build server sees it.
        var driver = Driver([spec]).RunGenerators(compilation);
        int n = 0;
        AdditionalText currentText = spec;
        var incremental = Measure(runs, () =>
        {
            var edited = new InMemoryAdditionalText(spec.Path, Spec.Replace("max_steps: 200", $"max_steps: {201 + (n++ % 2)}", StringComparison.Ordinal));
            driver = driver.ReplaceAdditionalText(currentText, edited).RunGenerators(compilation);
            currentText = edited;
        });

        // Baseline: the compiler binding and checking the same program without the generator (what a build pays anyway).
        var withGenerated = output;
        var compile = Measure(Math.Max(5, runs / 10), () => Fresh(withGenerated).GetDiagnostics());

        Console.WriteLine($"generator: {sources} generated files, {chars} characters, from one {Spec.Length}-character spec; {runs} runs each");
        Console.WriteLine("| measurement | median ms | p90 ms | min ms |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| first run in the process, no spec (cold: driver and pipeline JIT) | {coldNoSpecMs:F1} | – | – |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| then the first run with the spec (cold: YAML, validation, emission JIT) | {coldMs:F1} | – | – |"));
        Row("full run, fresh driver (clean build)", full);
        Row("incremental run after a spec edit", incremental);
        Row("compiler diagnostics of the same program incl. generated code (no generator; for scale)", compile);
        return 0;
    }

    private static void Row(string name, double[] ms)
    {
        Array.Sort(ms);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {ms[ms.Length / 2]:F2} | {ms[(int)(ms.Length * 0.9)]:F2} | {ms[0]:F2} |"));
    }

    private static double[] Measure(int runs, Action action)
    {
        for (int w = 0; w < 3; w++) action(); // warm-up
        var times = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[r] = sw.Elapsed.TotalMilliseconds;
        }
        return times;
    }

    private static GeneratorDriver Driver(IEnumerable<AdditionalText> specs)
    {
        var globals = new Dictionary<string, string> { ["build_property.RootNamespace"] = "Demo.App" };
        return CSharpGeneratorDriver.Create(
            [new DpSpecGenerator().AsSourceGenerator()],
            specs,
            CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest),
            new TestOptionsProvider(globals));
    }

    private static CSharpCompilation Compilation()
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll");
        var references = tpa.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(ExperimentOptions).Assembly.Location));
        return CSharpCompilation.Create("Demo.App",
            [CSharpSyntaxTree.ParseText(UserCode, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest))],
            references, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
    }

    // A new compilation over the same trees, so no binding work is cached from an earlier run.
    private static Compilation Fresh(Compilation c) => c.RemoveAllSyntaxTrees().AddSyntaxTrees(c.SyntaxTrees);
}
