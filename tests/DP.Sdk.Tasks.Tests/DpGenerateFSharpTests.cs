using Microsoft.Build.Utilities;

namespace DP.Sdk.Tasks.Tests;

/// <summary>DpGenerateFSharp on real files in a temporary folder, as the SDK's targets call it.</summary>
public sealed class DpGenerateFSharpTests : IDisposable
{
    private const string Spec = "experiment: rte-prompt\ntask: { kind: superglue, superglue: rte }\nmethod: { kind: prompt }\n";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dp-fsharp-task-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly RecordingBuildEngine _engine = new();

    public DpGenerateFSharpTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Out => Path.Combine(_dir, "obj", "dp");

    private DpGenerateFSharp Task(params string[] specs) => new()
    {
        BuildEngine = _engine,
        Specs = specs.Select(s => new TaskItem(s)).ToArray(),
        RootNamespace = "Demo.App",
        OutputDirectory = Out,
    };

    private string WriteSpec(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_valid_spec_gives_the_experiment_first_and_the_entry_point_last()
    {
        var task = Task(WriteSpec("rte.dp.yaml", Spec));

        Assert.True(task.Execute(), string.Join("\n", _engine.Errors.Select(e => e.Message)));

        Assert.Empty(_engine.Errors);
        Assert.Equal(new[] { "RtePromptExperiment.g.fs", "DpCli.g.fs" }, task.Experiments.Select(i => Path.GetFileName(i.ItemSpec)));
        Assert.Equal("DpProgram.g.fs", Path.GetFileName(Assert.Single(task.EntryPoint).ItemSpec));
        Assert.All(task.Experiments.Concat(task.EntryPoint), i => Assert.True(File.Exists(i.ItemSpec)));
    }

    [Fact]
    public void A_spec_mistake_is_logged_at_its_line_with_its_DP_id_and_nothing_is_written()
    {
        var path = WriteSpec("bad.dp.yaml", Spec + "training:\n  learning_rte: 0.1\n");
        var task = Task(path);

        Assert.False(task.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal(("DP0002", path, 5, 3, 5, 15), (error.Code, error.File, error.LineNumber, error.ColumnNumber, error.EndLineNumber, error.EndColumnNumber));
        Assert.Contains("did you mean 'learning_rate'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void A_spec_that_cannot_be_read_is_an_internal_error_at_that_file_not_a_crash()
    {
        var missing = Path.Combine(_dir, "gone.dp.yaml");
        var task = Task(WriteSpec("rte.dp.yaml", Spec), missing);

        Assert.False(task.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal(("DP0018", missing, 1, 1), (error.Code, error.File, error.LineNumber, error.ColumnNumber));
        Assert.Contains("FileNotFoundException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unchanged_output_is_not_rewritten_and_a_removed_spec_loses_its_file()
    {
        var rte = WriteSpec("rte.dp.yaml", Spec);
        var other = WriteSpec("other.dp.yaml", Spec.Replace("rte-prompt", "other", StringComparison.Ordinal));
        Assert.True(Task(rte, other).Execute());
        var experiment = Path.Combine(Out, "RtePromptExperiment.g.fs");
        var written = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(experiment, written);

        Assert.True(Task(rte).Execute());

        // The F# compile's up-to-date check sees the same file; the removed spec's module is gone.
        Assert.Equal(written, File.GetLastWriteTimeUtc(experiment));
        Assert.False(File.Exists(Path.Combine(Out, "OtherExperiment.g.fs")));
    }

    [Fact]
    public void Removing_the_last_spec_removes_every_generated_file()
    {
        Assert.True(Task(WriteSpec("rte.dp.yaml", Spec)).Execute());

        var task = Task();
        Assert.True(task.Execute());

        Assert.Empty(task.Experiments.Concat(task.EntryPoint));
        Assert.Empty(Directory.GetFiles(Out));
    }

    [Fact]
    public void DpGenerateEntryPoint_false_leaves_the_entry_point_to_the_user()
    {
        var task = Task(WriteSpec("rte.dp.yaml", Spec));
        task.GenerateEntryPoint = "false";

        Assert.True(task.Execute());

        Assert.Empty(task.EntryPoint);
        Assert.Contains(task.Experiments, i => Path.GetFileName(i.ItemSpec) == "DpCli.g.fs");
    }
}
