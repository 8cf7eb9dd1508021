using System.Text.RegularExpressions;

namespace DP.Sdk.Tests;

/// <summary>The spec generator inside the packed SDK, seen through `dotnet build` of scaffolded projects.</summary>
[Collection(PackedSdkCollection.Name)]
public sealed class SpecBuildTests(PackedSdkFixture sdk)
{
    [Fact]
    public void Every_spec_the_templates_write_builds_without_diagnostics()
    {
        // One project holding a spec of every method and task choice: one build checks them all.
        var project = sdk.NewExperiment("Variants");
        foreach (var (name, method, task) in new[]
                 {
                     ("v-prompt", "prompt", "sample"), ("v-prefix", "prefix", "sample"), ("v-finetune", "finetune", "sample"),
                     ("v-rte", "dynamic", "rte"), ("v-boolq", "prompt", "boolq"), ("v-cb", "prefix", "cb"),
                 })
        {
            var added = sdk.DotNetNew(project, "dp-spec", "-n", name, "--method", method, "--task", task);
            Assert.True(added.ExitCode == 0, added.ToString());
        }

        var build = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "build", "-nologo");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotMatch(new Regex(@"\b(warning|error) DP\d{4}"), build.Output);
    }

    [Fact]
    public void Unknown_spec_key_fails_the_build_with_a_DP_diagnostic_at_its_line()
    {
        var project = sdk.NewExperiment("Broken");
        var specPath = Path.Combine(project, "broken.dp.yaml");
        var lines = File.ReadAllLines(specPath).ToList();
        var at = lines.IndexOf("training:") + 1;
        lines.Insert(at, "  learning_rte: 0.1");
        File.WriteAllLines(specPath, lines);
        var expectedLine = at + 1;

        var build = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "build", "-nologo");

        Assert.NotEqual(0, build.ExitCode);
        var diagnostic = Regex.Match(build.Output, @"broken\.dp\.yaml\((\d+),(\d+)(?:,\d+,\d+)?\): error (DP\d{4}): ([^\r\n]*)");
        Assert.True(diagnostic.Success, "no DP error located in the spec:\n" + build.Output);
        Assert.Equal(expectedLine, int.Parse(diagnostic.Groups[1].Value));
        Assert.Equal(3, int.Parse(diagnostic.Groups[2].Value));
        Assert.Contains("'learning_rte'", diagnostic.Groups[4].Value);
        Assert.Contains("learning_rate", diagnostic.Groups[4].Value);
    }

    [Theory]
    [InlineData("rte-baseline")]
    [InlineData("2024Rte")]
    public void A_project_named_like_no_csharp_identifier_builds(string name)
    {
        // RootNamespace defaults to the project name; `dotnet new console` copes with these names, so must we.
        var project = sdk.NewExperiment(name);

        var build = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "build", "-nologo");

        Assert.True(build.ExitCode == 0, build.ToString());
    }

    [Fact]
    public void Invalid_utf8_in_a_spec_fails_the_build_with_a_DP_diagnostic_at_its_line()
    {
        var project = sdk.NewExperiment("Bytes");
        var specPath = Path.Combine(project, "bytes.dp.yaml");
        var text = File.ReadAllText(specPath);
        var word = text.IndexOf("great", StringComparison.Ordinal);
        Assert.True(word > 0, "the sample spec maps a label to 'great'");
        var before = System.Text.Encoding.UTF8.GetBytes(text[..(word + 2)]);
        var after = System.Text.Encoding.UTF8.GetBytes(text[(word + 2)..]);
        File.WriteAllBytes(specPath, [.. before, 0xFF, 0xFE, .. after]);
        var lineStart = text.LastIndexOf('\n', word) + 1;
        var expectedLine = text[..word].Count(c => c == '\n') + 1;

        var build = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "build", "-nologo");

        Assert.NotEqual(0, build.ExitCode);
        var diagnostic = Regex.Match(build.Output, @"bytes\.dp\.yaml\((\d+),(\d+)(?:,\d+,\d+)?\): error (DP\d{4}): ([^\r\n]*)");
        Assert.True(diagnostic.Success, "no DP error located in the spec:\n" + build.Output);
        Assert.Equal("DP0024", diagnostic.Groups[3].Value);
        Assert.Equal(expectedLine, int.Parse(diagnostic.Groups[1].Value));
        Assert.Equal(word + 2 - lineStart + 1, int.Parse(diagnostic.Groups[2].Value));
    }
}
