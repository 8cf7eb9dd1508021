using System.Globalization;
using System.Reflection;
using DP.Runtime.Experiments;
using OutputKind = Microsoft.CodeAnalysis.OutputKind;
using Xunit;

namespace DP.Generators.Tests;

/// <summary>Runs the generated CreateOptions/ApplyOverride: the values users get and the errors they see.</summary>
public class OverrideBehaviourTests
{
    private static readonly Lazy<Type> Experiment = new(() => Load(SampleSpecs.DynamicCustomJsonl, "Demo.App.SentimentDpExperiment"));
    private static readonly Lazy<Type> PromptExperiment = new(() => Load(SampleSpecs.PromptSuperGlue, "Demo.App.RtePromptExperiment"));

    internal static Type Load(string spec, string typeName)
    {
        var run = GeneratorHarness.Run(new[] { ("specs/s.dp.yaml", spec) }, entryPoint: "false", kind: OutputKind.DynamicallyLinkedLibrary);
        Assert.Empty(run.Diagnostics);
        using var stream = new MemoryStream();
        var emit = run.Output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return Assembly.Load(stream.ToArray()).GetType(typeName, throwOnError: true)!;
    }

    internal static ExperimentOptions Create() => (ExperimentOptions)Experiment.Value.GetMethod("CreateOptions")!.Invoke(null, null)!;

    internal static void Override(ExperimentOptions options, string key, string value)
    {
        try
        {
            Experiment.Value.GetMethod("ApplyOverride")!.Invoke(null, new object[] { options, key, value });
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
        }
    }

    [Fact]
    public void CreateOptions_holds_the_spec_values()
    {
        var o = Create();
        Assert.Equal("sentiment-dp", o.Name);
        Assert.Equal(DataKind.Custom, o.Task.Kind);
        Assert.Equal(new[] { "text" }, o.Task.Fields);
        Assert.Equal(new[] { new LabelWord("positive", "great"), new LabelWord("negative", "terrible") }, o.Task.Labels);
        Assert.Equal("{text} It was", o.Task.Template);
        Assert.Equal(16, o.Task.FewShot!.PerLabel);
        Assert.Null(o.Task.FewShot.Total);
        Assert.Equal(MethodKind.Dynamic, o.Method.Kind);
        var dynamic = Assert.IsType<DynamicPromptingOptions>(o.Method);
        Assert.Equal(PositionPolicy.Instance, dynamic.Position);
        Assert.Equal(4, dynamic.Pool.Size);
        Assert.Equal(0.003, o.Training.LearningRate);
        Assert.Equal(0.3, o.Training.PromptLearningRate);
        Assert.Equal(1e-4, o.Training.InstanceLearningRate);
        Assert.Null(o.Training.BackboneLearningRate);
        Assert.Equal("test.jsonl", o.Task.TestFile);
    }

    [Fact]
    public void Overrides_parse_with_the_invariant_culture_whatever_the_current_one()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var o = Create();
            Override(o, "training.learning_rate", "1.5e-4");
            Override(o, "method.gumbel.min_temperature", "0.25");
            Assert.Equal(1.5e-4, o.Training.LearningRate);
            Assert.Equal(0.25, ((DynamicPromptingOptions)o.Method).Gumbel.MinTemperature);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Overrides_set_each_kind_of_value()
    {
        var o = Create();
        Override(o, "method.kind", "prefix");
        Override(o, "training.max_steps", "10");
        Override(o, "outputs.plots", "false");
        Override(o, "task.test_file", "~");
        Override(o, "task.few_shot.total", "32");
        Override(o, "task.fields", "premise, hypothesis");
        Override(o, "task.labels", "yes=great,no=bad");
        Override(o, "training.prompt_learning_rate", "null");
        Assert.Equal(MethodKind.Prefix, o.Method.Kind);
        Assert.Equal(10, o.Training.MaxSteps);
        Assert.False(o.Output.Plots);
        Assert.Null(o.Task.TestFile);
        Assert.Equal(32, o.Task.FewShot!.Total);
        Assert.Equal(new[] { "premise", "hypothesis" }, o.Task.Fields);
        Assert.Equal(new[] { new LabelWord("yes", "great"), new LabelWord("no", "bad") }, o.Task.Labels);
        Assert.Null(o.Training.PromptLearningRate);
    }

    [Theory]
    [InlineData("training.learning_rate", "0", "> 0")]
    [InlineData("method.prompt_length", "513", "1..512")]
    [InlineData("training.batch_size", "sixteen", "whole number")]
    [InlineData("training.learning_rate", "0,5", "number")]
    [InlineData("method.kind", "dynamc", "did you mean 'dynamic'")]
    [InlineData("outputs.plots", "yes", "true or false")]
    [InlineData("training.learning_rat", "0.1", "did you mean 'training.learning_rate'")]
    [InlineData("experiment", "Bad Name", "lowercase")]
    [InlineData("experiment", "--", "lowercase")]
    public void Bad_overrides_throw_an_ArgumentException_that_says_what_to_write(string key, string value, string messagePart)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Override(Create(), key, value));
        Assert.Contains(messagePart, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prompt_tuning_experiment_sets_and_accepts_only_keys_prompt_tuning_has()
    {
        var keys = (IReadOnlyList<string>)PromptExperiment.Value.GetProperty("OverrideKeys")!.GetValue(null)!;
        Assert.Contains("method.prompt_length", keys);
        Assert.DoesNotContain("method.pool.size", keys);
        Assert.DoesNotContain("training.backbone_learning_rate", keys);

        var options = (ExperimentOptions)PromptExperiment.Value.GetMethod("CreateOptions")!.Invoke(null, null)!;
        var apply = PromptExperiment.Value.GetMethod("ApplyOverride")!;
        var error = Assert.Throws<TargetInvocationException>(() => apply.Invoke(null, new object[] { options, "method.gumbel.rate", "0.01" }));
        Assert.Contains("'method.gumbel.rate' belongs to method.kind 'dynamic', not 'prompt'", error.InnerException!.Message, StringComparison.Ordinal);
        var typo = Assert.Throws<TargetInvocationException>(() => apply.Invoke(null, new object[] { options, "method.prompt_lenght", "5" }));
        Assert.Contains("did you mean 'method.prompt_length'", typo.InnerException!.Message, StringComparison.Ordinal);
    }
}
