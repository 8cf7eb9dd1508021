using System.Xml.Linq;

namespace DP.Sdk.Tests;

/// <summary>`dotnet new dp-experiment` / `dp-spec` from the packed template package.</summary>
[Collection(PackedSdkCollection.Name)]
public sealed class TemplateTests(PackedSdkFixture sdk)
{
    [Theory]
    [InlineData("dynamic", "position: instance")]
    [InlineData("prompt", "prompt_length: 8")]
    [InlineData("prefix", "reparameterize: false")]
    [InlineData("finetune", "learning_rate: 5e-5")]
    public void Experiment_template_writes_a_project_on_the_packed_sdk_with_a_spec_for_the_method(string method, string methodLine)
    {
        var workspace = sdk.NewWorkspace($"new-{method}");

        var result = sdk.DotNetNew(workspace, "dp-experiment", "-n", $"My.Probe_{method}", "--method", method, "--no-restore");

        Assert.True(result.ExitCode == 0, result.ToString());
        var project = Path.Combine(workspace, $"My.Probe_{method}");
        var projectFile = Path.Combine(project, $"My.Probe_{method}.csproj");
        Assert.Equal($"DP.Sdk/{sdk.Version}", (string?)XDocument.Load(projectFile).Root!.Attribute("Sdk"));
        // The experiment name is the project name made fit for the spec: lower case, words joined by '-'.
        var spec = File.ReadAllText(Path.Combine(project, $"my-probe-{method}.dp.yaml"));
        Assert.Contains($"experiment: my-probe-{method}\n", spec);
        Assert.Contains($"  kind: {method}\n", spec);
        Assert.Contains(methodLine, spec);
        Assert.Contains("source: minilm-l6\n", spec);
        Assert.Contains("  kind: custom\n", spec);
        Assert.DoesNotContain("#if", spec);
        Assert.True(File.Exists(Path.Combine(project, "SampleData.cs")), "the sample task writes its own data");
        Assert.True(File.Exists(Path.Combine(project, "README.md")));
    }

    [Theory]
    [InlineData("rte", "data/RTE", "accuracy")]
    [InlineData("boolq", "data/BoolQ", "accuracy")]
    [InlineData("cb", "data/CB", "macro_f1")]
    [InlineData("wic", "data/WiC", "accuracy")]
    [InlineData("wsc", "data/WSC", "accuracy")]
    [InlineData("copa", "data/COPA", "accuracy")]
    [InlineData("multirc", "data/MultiRC", "f1a")]
    [InlineData("record", "data/ReCoRD", "f1")]
    public void SuperGlue_tasks_point_at_their_data_folder_and_carry_no_sample_data(string task, string dataDir, string bestMetric)
    {
        var workspace = sdk.NewWorkspace($"new-{task}");

        var result = sdk.DotNetNew(workspace, "dp-experiment", "-n", "Glue", "--task", task, "--backbone", "/models/bert-base", "--no-restore");

        Assert.True(result.ExitCode == 0, result.ToString());
        var project = Path.Combine(workspace, "Glue");
        var spec = File.ReadAllText(Path.Combine(project, "glue.dp.yaml"));
        Assert.Contains("  kind: superglue\n", spec);
        Assert.Contains($"  superglue: {task}\n", spec);
        Assert.Contains($"  data_dir: {dataDir}\n", spec);
        Assert.Contains("source: /models/bert-base\n", spec);
        // The task's primary metric (docs/data.md) picks the kept weights.
        Assert.Contains($"  best_metric: {bestMetric}\n", spec);
        Assert.DoesNotContain("#if", spec);
        Assert.False(File.Exists(Path.Combine(project, "SampleData.cs")));
    }

    /// <summary>Issue 13 item 4: a preset writes the authors' variant for a SuperGLUE task on a T5 folder.</summary>
    [Fact]
    public void Preset_writes_the_authors_variant_for_a_SuperGlue_task_on_a_T5_folder()
    {
        var workspace = sdk.NewWorkspace("new-preset");

        var result = sdk.DotNetNew(workspace, "dp-experiment", "-n", "Authors", "--preset", "authors-adap-ins-pos", "--task", "cb",
            "--backbone", "/models/t5-large-lm-adapt", "--no-restore");

        Assert.True(result.ExitCode == 0, result.ToString());
        var spec = File.ReadAllText(Path.Combine(workspace, "Authors", "authors.dp.yaml"));
        Assert.Contains("\npreset: authors-adap-ins-pos\n", spec);
        Assert.Contains("  superglue: cb\n", spec);
        Assert.Contains("source: /models/t5-large-lm-adapt\n", spec);
        Assert.Contains("  best_metric: macro_f1\n", spec);
        // The preset's keys are left to the preset: a written key would win over it.
        foreach (var key in new[] { "\nmethod:", "max_length:", "optimizer:", "learning_rate:", "max_steps:", "batch_size:", "eval_every:" })
            Assert.DoesNotContain(key, spec);
        Assert.DoesNotContain("#if", spec);
    }

    [Fact]
    public void Help_writes_no_sample_data_and_works_with_two_specs()
    {
        var project = sdk.NewExperiment("Helpful");
        var build = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "build", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());

        var help = DotNetCli.Run(project, TimeSpan.FromMinutes(2), "run", "--no-build", "--", "--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("usage:", help.Output);
        Assert.False(Directory.Exists(Path.Combine(project, "data")), "--help wrote the sample data:\n" + help.Output);

        Assert.True(sdk.DotNetNew(project, "dp-spec", "-n", "Second", "--method", "prompt").ExitCode == 0);
        build = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "build", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        help = DotNetCli.Run(project, TimeSpan.FromMinutes(2), "run", "--no-build", "--", "--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("usage:", help.Output);
        Assert.Contains("helpful", help.Output);
        Assert.Contains("second", help.Output);
        Assert.False(Directory.Exists(Path.Combine(project, "data")), "--help wrote the sample data:\n" + help.Output);
    }

    [Fact]
    public void A_project_name_starting_with_a_digit_still_gives_a_valid_experiment_name()
    {
        var workspace = sdk.NewWorkspace("new-digit");

        var result = sdk.DotNetNew(workspace, "dp-experiment", "-n", "2024Run", "--no-restore");

        Assert.True(result.ExitCode == 0, result.ToString());
        // Experiment names must start with a letter (the generator's DP0009).
        var spec = File.ReadAllText(Path.Combine(workspace, "2024Run", "exp-2024run.dp.yaml"));
        Assert.Contains("experiment: exp-2024run\n", spec);
    }

    [Fact]
    public void Unknown_method_is_rejected_listing_the_choices()
    {
        var workspace = sdk.NewWorkspace("new-bad-method");

        var result = sdk.DotNetNew(workspace, "dp-experiment", "-n", "Bad", "--method", "lora", "--no-restore");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("dynamic", result.Output);
        Assert.False(Directory.Exists(Path.Combine(workspace, "Bad")));
    }

    [Fact]
    public void Spec_template_adds_another_spec_to_a_project()
    {
        var workspace = sdk.NewWorkspace("new-spec");
        Assert.True(sdk.DotNetNew(workspace, "dp-experiment", "-n", "Host", "--no-restore").ExitCode == 0);
        var project = Path.Combine(workspace, "Host");

        var result = sdk.DotNetNew(project, "dp-spec", "-n", "Prompt Baseline", "--method", "prompt");

        Assert.True(result.ExitCode == 0, result.ToString());
        var spec = File.ReadAllText(Path.Combine(project, "prompt-baseline.dp.yaml"));
        Assert.Contains("experiment: prompt-baseline\n", spec);
        Assert.Contains("  kind: prompt\n", spec);
        Assert.Equal(2, Directory.GetFiles(project, "*.dp.yaml").Length);
    }
}
