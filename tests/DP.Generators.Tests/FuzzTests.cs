using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace DP.Generators.Tests;

/// <summary>
/// Seeded mutations of the valid sample specs (deleted/duplicated lines, swapped values, wrong indentation, random
/// keys, scalars and YAML punctuation, tags, deep nesting, overlong names). The generator must never throw; an
/// invalid spec must get a located diagnostic; a spec without diagnostics must produce code that compiles cleanly.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 1200;

    private static readonly string[] Keys =
    {
        "experiment", "task", "kind", "superglue", "fields", "labels", "template", "few_shot", "per_label", "total", "seed",
        "method", "prompt_length", "position", "length", "pool", "size", "gumbel", "rate", "training", "learning_rate",
        "max_steps", "warmup_steps", "best_metric", "outputs", "dir", "multitask", "mixing", "reparameterize", "init",
        "init_text", "bogus", "learning_rat", "Kind", "x",
    };

    private static readonly string[] Scalars =
    {
        "0", "1", "-1", "513", "1e-3", "3e-1", "0.5", "NaN", ".inf", "true", "false", "yes", "abc", "", "~", "null", "[1, 2]",
        "{a: 1}", "\"quoted\"", "'single'", "99999999999", "dynamic", "prompt", "prefix", "finetune", "superglue", "custom",
        "instance", "task", "fixed", "rte", "cb", "multirc", "f1", "macro_f1", "{text} was", "\"{premise} {nope}\"", "[text]",
        "[text, text]", "{ a: b }", "{ per_label: 2, total: 3 }", "Bad_Name", "x-y", "0,5", "1_000",
    };

    private static readonly string[] Junk = { ":", "[", "]", "{", "}", "\"", "'", "#", "- ", "&a ", "*a", "\t", "!!int ", "|", ">", "---\n", "%" };

    private static readonly string[] Tags = { "!!python/object:os.system", "!tag", "!!str", "!<tag:yaml.org,2002:str>", "!", "!!map", "!!seq" };

    [Fact]
    public void Mutated_specs_never_crash_and_are_either_located_errors_or_compiling_code()
    {
        var random = new Random(20261125);
        var compiled = new HashSet<string>();
        int invalid = 0, valid = 0;
        var baseCompilation = GeneratorHarness.Compilation(Array.Empty<string>());
        for (var i = 0; i < Mutations; i++)
        {
            var (name, spec) = SampleSpecs.All[random.Next(SampleSpecs.All.Count)];
            var mutated = spec;
            var steps = 1 + random.Next(3);
            for (var s = 0; s < steps; s++) mutated = Mutate(mutated, random);

            var driver = GeneratorHarness.CreateDriver(new[] { ("specs/" + name + ".dp.yaml", mutated) })
                .RunGeneratorsAndUpdateCompilation(baseCompilation, out var outputCompilation, out _);
            var result = driver.GetRunResult();
            var generator = result.Results.Single();
            Assert.True(generator.Exception is null, "generator threw on mutation " + i + ":\n" + mutated + "\n" + generator.Exception);
            if (!result.Diagnostics.IsEmpty)
            {
                invalid++;
                foreach (var d in result.Diagnostics)
                {
                    Assert.True(d.Id != "DP0018", "internal error on mutation " + i + ":\n" + mutated + "\n" + d);
                    Assert.StartsWith("DP", d.Id, StringComparison.Ordinal);
                    Assert.Equal(DiagnosticSeverity.Error, d.Severity);
                    var span = d.Location.GetLineSpan();
                    Assert.True(span.IsValid && span.Path.EndsWith(".dp.yaml", StringComparison.Ordinal), "unlocated diagnostic " + d);
                    Assert.True(d.Location.SourceSpan.End <= mutated.Length && span.EndLinePosition.Line <= mutated.Count(c => c == '\n'),
                        "diagnostic outside the file on mutation " + i + ":\n" + mutated + "\n" + d);
                }
                Assert.DoesNotContain(generator.GeneratedSources, s => s.HintName.EndsWith("Experiment.g.cs", StringComparison.Ordinal));
            }
            else
            {
                valid++;
                var key = Hash(string.Concat(generator.GeneratedSources.Select(s => s.SourceText.ToString())));
                if (compiled.Add(key))
                {
                    var problems = outputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
                    Assert.True(problems.Count == 0, "valid mutation " + i + " does not compile:\n" + mutated + "\n" + string.Join("\n", problems));
                }
            }
        }
        output.WriteLine($"{Mutations} mutations: {invalid} invalid (all located), {valid} valid ({compiled.Count} distinct outputs compiled)");
        Assert.True(invalid > Mutations / 4, "the mutations should mostly break specs");
        Assert.True(valid > 20, "some mutations should stay valid (e.g. swapped compatible values)");
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Mutate(string spec, Random random)
    {
        var lines = spec.Split('\n').ToList();
        var at = random.Next(lines.Count);
        switch (random.Next(11))
        {
            case 0: // delete a line
                lines.RemoveAt(at);
                break;
            case 1: // duplicate a line
                lines.Insert(at, lines[at]);
                break;
            case 2: // swap the values of two "key: value" lines
            {
                var other = random.Next(lines.Count);
                var a = lines[at].IndexOf(": ", StringComparison.Ordinal);
                var b = lines[other].IndexOf(": ", StringComparison.Ordinal);
                if (a > 0 && b > 0)
                {
                    var va = lines[at][(a + 2)..];
                    var vb = lines[other][(b + 2)..];
                    lines[at] = lines[at][..(a + 2)] + vb;
                    lines[other] = lines[other][..(b + 2)] + va;
                }
                break;
            }
            case 3: // wrong indentation
            {
                var line = lines[at];
                lines[at] = random.Next(2) == 0 ? new string(' ', 1 + random.Next(3)) + line : line.TrimStart();
                break;
            }
            case 4: // a random key at a random depth
                lines.Insert(at, new string(' ', 2 * random.Next(3)) + Keys[random.Next(Keys.Length)] + ": " + Scalars[random.Next(Scalars.Length)]);
                break;
            case 5: // a random scalar in place of a value
            {
                var colon = lines[at].IndexOf(": ", StringComparison.Ordinal);
                if (colon > 0) lines[at] = lines[at][..(colon + 2)] + Scalars[random.Next(Scalars.Length)];
                break;
            }
            case 6: // YAML punctuation somewhere in a line
            {
                var line = lines[at];
                var pos = random.Next(line.Length + 1);
                lines[at] = line[..pos] + Junk[random.Next(Junk.Length)] + line[pos..];
                break;
            }
            case 8: // a YAML tag before a value
            {
                var colon = lines[at].IndexOf(": ", StringComparison.Ordinal);
                if (colon > 0) lines[at] = lines[at][..(colon + 2)] + Tags[random.Next(Tags.Length)] + " " + lines[at][(colon + 2)..];
                break;
            }
            case 9: // a value nested far deeper than any spec needs (14,000 levels once overflowed the stack)
            {
                var colon = lines[at].IndexOf(": ", StringComparison.Ordinal);
                var depth = 1 + random.Next(20_000);
                if (colon > 0) lines[at] = lines[at][..(colon + 2)] + new string('[', depth) + new string(']', random.Next(2) == 0 ? depth : random.Next(depth));
                break;
            }
            case 10: // a name far past the compiler's identifier limit
            {
                var colon = lines[at].IndexOf(": ", StringComparison.Ordinal);
                if (colon > 0) lines[at] = lines[at][..(colon + 2)] + new string('a', 100 + random.Next(2_000));
                break;
            }
            default: // a value changed inside a flow mapping
            {
                var line = lines[at];
                var comma = line.IndexOf(", ", StringComparison.Ordinal);
                if (comma > 0) lines[at] = line[..(comma + 2)] + Keys[random.Next(Keys.Length)] + ": " + Scalars[random.Next(Scalars.Length)] + ", " + line[(comma + 2)..];
                break;
            }
        }
        return string.Join('\n', lines);
    }
}
