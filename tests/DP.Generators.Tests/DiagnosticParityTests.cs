using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using DP.Generators.Diagnostics;
using DP.Generators.Emit.FSharp;
using DP.Generators.Pipeline;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DP.Generators.Tests;

/// <summary>
/// A spec mistake reads the same in an F# build as in a C# one: for a bad spec of every diagnostic id, the F# build
/// task's path (bytes → SpecFileReader → pipeline → BuildDiagnostic, what it logs) gives the id, message and
/// file(line,col,endLine,endCol) the C# generator's Roslyn diagnostic shows.
/// </summary>
public class DiagnosticParityTests
{
    private const string Task = "task: { kind: superglue, superglue: rte }\n";
    private const string Sweep = "experiment: a\n" + Task + "method: { kind: prompt }\n";

    // The specs of DiagnosticTests, BadSpecInputTests and SweepSpecTests, one or more per id.
    private static readonly (string Id, string[] Specs)[] Corpus =
    {
        ("DP0001", new[] { "experiment: a\ntask:\n  kind: custom\n fields: [x]\n", "experiment: a\n" + Task + "training:\n  max_steps: 10\n  \tlearning_rate: 0.1\n" }),
        ("DP0002", new[] { "experiment: a\n" + Task + "training:\n  learning_rat: 0.1\n" }),
        ("DP0003", new[] { "experiment: a\n" + Task + "training:\n  max_steps: 10\n  max_steps: 20\n" }),
        ("DP0004", new[] { "experiment: a\n" + Task + "training: 5\n" }),
        ("DP0005", new[] { "experiment: a\n" + Task + "training:\n  max_steps: ten\n" }),
        ("DP0006", new[] { "experiment: a\n" + Task + "method:\n  prompt_length: 0\n", "experiment: a\n" + Task + "training: { learning_rate: -1e-3 }\n" }),
        ("DP0007", new[] { "experiment: a\n" + Task + "method:\n  kind: dinamic\n" }),
        ("DP0008", new[] { Task + "training: { max_steps: 10 }\n" }),
        ("DP0009", new[] { "experiment: Sentiment_DP\n" + Task }),
        ("DP0010", new[] { "experiment: same\n" + Task, "\nexperiment:   same\n" + Task }),
        ("DP0011", new[] { "experiment: a\n" + Task + "method:\n  kind: prompt\n  pool:\n    size: 4\n", "experiment: a\n" + Task + "method: { kind: prompt, reparameterize: true }\n" }),
        ("DP0012", new[] { "experiment: a\ntask:\n  kind: superglue\n", "experiment: a\ntask:\n  kind: custom\n  fields: [text]\n" }),
        ("DP0013", new[] { "experiment: a\ntask:\n  kind: custom\n  fields: [text]\n  labels: { a: x, b: y }\n  template: \"It was {txt}\"\n" }),
        ("DP0014", new[] { "experiment: a\ntask:\n  kind: superglue\n  superglue: cb\n  few_shot: { per_label: 4, total: 8 }\n" }),
        ("DP0015", new[] { "experiment: a\n" + Task + "training:\n  best_metric: f1\n" }),
        ("DP0016", new[] { "experiment: a\n" + Task + "training:\n  max_steps: 100\n  warmup_steps: 300\n" }),
        ("DP0017", new[] { "experiment: a\ntask:\n  kind: custom\n  fields: [text, 2nd]\n  labels: { a: x, b: y }\n" }),
        ("DP0019", new[] { Sweep + "sweep:\n  seeds: 2\n  training.seed: [1, 2]\n", Sweep + "sweep:\n  zip:\n    - { method.kind: [prompt, prefix], training.learning_rate: [0.3] }\n" }),
        ("DP0020", new[] { Sweep + "sweep:\n  seeds: 2\n  exclude:\n    - { training.learning_rate: 0.1 }\n" }),
        ("DP0021", new[] { Sweep + "sweep: {}\n", Sweep + "sweep:\n  seeds: 1\n  exclude:\n    - { seeds: 1 }\n" }),
        ("DP0022", new[] { "experiment: !!python/object:os.system a\n" + Task, "experiment: a\n" + Task + "training:\n  max_steps: !!int 10\n" }),
        ("DP0023", new[] { "experiment: " + new string('a', 1100) + "\n" + Task }),
    };

    public static IEnumerable<object[]> Cases => Corpus.SelectMany(c => c.Specs.Select((_, i) => new object[] { c.Id, i }))
        .Where(c => (string)c[0] != "DP0010");

    [Theory]
    [MemberData(nameof(Cases))]
    public void FSharp_build_reports_a_spec_mistake_as_the_CSharp_generator_does(string id, int index)
    {
        var bytes = Encoding.UTF8.GetBytes(Corpus.Single(c => c.Id == id).Specs[index]);
        AssertSame(id, new[] { ("specs/bad.dp.yaml", bytes) });
    }

    [Fact]
    public void DP0010_two_specs_with_one_name_read_the_same()
    {
        var specs = Corpus.Single(c => c.Id == "DP0010").Specs;
        AssertSame("DP0010", new[] { ("specs/a.dp.yaml", Encoding.UTF8.GetBytes(specs[0])), ("specs/b.dp.yaml", Encoding.UTF8.GetBytes(specs[1])) });
    }

    [Fact]
    public void DP0024_bytes_that_are_not_utf8_read_the_same()
    {
        var before = Encoding.UTF8.GetBytes("experiment: a\n# caf\u00e9 is fine\ntask:\n  kind: custom\n  fields: [text]\n  labels: { positive: gr");
        var after = Encoding.UTF8.GetBytes("eat, negative: terrible }\n");
        // csc reads such a file with a single-byte code page once strict UTF-8 fails; the task does the same.
        var codePage = CodePagesEncodingProvider.Instance.GetEncoding(1252);
        AssertSame("DP0024", new[] { ("specs/bad.dp.yaml", before.Concat(new byte[] { 0xFF, 0xFE }).Concat(after).ToArray()) }, codePage);
    }

    [Fact]
    public void The_corpus_has_a_spec_for_every_id_a_spec_can_produce()
    {
        // DP0018 is the internal error: no spec produces it on purpose.
        var ids = DiagnosticCatalog.All.Select(d => d.Id).Where(id => id != DiagnosticIds.InternalError);
        Assert.Equal(ids.OrderBy(i => i), Corpus.Select(c => c.Id).Append("DP0024").OrderBy(i => i));
    }

    private static void AssertSame(string id, (string Path, byte[] Bytes)[] files, Encoding? compilerEncoding = null)
    {
        var csharp = GeneratorHarness.Run(files.Select(f => (AdditionalText)new BytesAdditionalText(f.Path, f.Bytes, compilerEncoding))).Diagnostics
            .Select(d => (d.Id, d.GetMessage(CultureInfo.InvariantCulture), Location: d.Location.GetLineSpan()))
            .Select(d => new BuildDiagnostic(d.Id, d.Item2, d.Location.Path, d.Location.StartLinePosition.Line + 1, d.Location.StartLinePosition.Character + 1,
                d.Location.EndLinePosition.Line + 1, d.Location.EndLinePosition.Character + 1))
            .ToList();
        var results = files.Select(f => SpecPipeline.Validate(SpecFileReader.FromBytes(f.Path, f.Bytes))).ToImmutableArray();
        var fsharp = GenerationModel.Build(results, FSharpSources.Settings(GeneratorHarness.Namespace, null), hasUserMain: false)
            .Diagnostics.Select(BuildDiagnostic.From).ToList();

        Assert.Contains(csharp, d => d.Id == id);
        Assert.Equal(csharp, fsharp);
    }
}
