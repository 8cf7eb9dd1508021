using System.Text.Json.Nodes;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Checkpoints;
using DP.Runtime.Prompts.Composition;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

public class HeadsAndExportTests
{
    [Fact]
    public void MultipleChoiceScoresOneRowPerCandidateGroupedPerExample()
    {
        var method = PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Instance);
        using var model = PromptModelFactory.Create(method, new HeadOptions(), PromptTestKit.Backbone(),
            new TaskHeadInfo(0, MultipleChoice: true), PromptTestKit.Special, 3);
        var candidates = PromptTestKit.TokenPresenceBatch(5, seed: 9);
        // Keyed per example (2 keys for 5 candidate rows): the instance cache keys each candidate row on its own.
        var batch = candidates with { Labels = torch.tensor(new long[] { 1, 0 }), ExampleKeys = [10, 11], ChoiceCounts = [2, 3] };
        model.Module.eval();
        var scores = model.Scores(batch);
        Assert.Equal(new long[] { 2, 3 }, scores.shape);
        Assert.True(float.IsNegativeInfinity(scores[0, 2].item<float>()));
        var rows = model.RowScores(batch).squeeze(-1);
        Assert.True(PromptTestKit.Same(scores[0, ..2], rows[..2]));
        Assert.True(PromptTestKit.Same(scores[1], rows[2..]));
        model.Module.train();
        Assert.True(float.IsFinite(model.Loss(batch).item<float>()));
        Assert.Equal(5, model.Instances!.Count);
    }

    [Fact]
    public void TextInitRepeatsTheTextTokens()
    {
        var method = PromptTestKit.Method(MethodKind.Prompt, n: 5, init: PromptInit.Text);
        var backbone = PromptTestKit.Backbone();
        using var model = PromptModelFactory.Create(method, new HeadOptions(), backbone, new TaskHeadInfo(2), PromptTestKit.Special, 1, initTextIds: [7, 8]);
        var expected = backbone.EmbedTokens(torch.tensor(new long[] { 7, 8, 7, 8, 7 }));
        var prompt = model.named_parameters().Single(p => p.name == "prompt.weight").parameter;
        Assert.True(PromptTestKit.Same(expected, prompt.detach()));
        var e = Assert.Throws<ArgumentException>(() => PromptModelFactory.Create(method, new HeadOptions(), backbone, new TaskHeadInfo(2), PromptTestKit.Special, 1));
        Assert.Contains("init_text", e.Message);
    }

    /// <summary>Issue 13 item 4: init 'vocab' draws only the tokenizer's ordinary tokens (no specials, sentinels or rows past its vocabulary).</summary>
    [Fact]
    public void VocabInitDrawsOnlyTheGivenTokenRows()
    {
        var method = PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Prefix, pool: 3, n: 6, init: PromptInit.Vocab);
        var backbone = PromptTestKit.Backbone();
        int[] ordinary = [11, 12, 13];
        using var model = PromptModelFactory.Create(method, new HeadOptions(), backbone, new TaskHeadInfo(2), PromptTestKit.Special, 1, vocabIds: ordinary);
        var pool = model.named_parameters().Single(p => p.name == "prompt.weight").parameter.detach();
        var allowed = backbone.EmbedTokens(torch.tensor(ordinary.Select(i => (long)i).ToArray()));
        for (int k = 0; k < 3; k++)
            for (int r = 0; r < 6; r++)
                Assert.Contains(Enumerable.Range(0, ordinary.Length), i => PromptTestKit.Same(allowed[i], pool[k, r]));
        var e = Assert.Throws<ArgumentException>(() => PromptModelFactory.Create(method, new HeadOptions(), backbone, new TaskHeadInfo(2), PromptTestKit.Special, 1,
            vocabIds: [5, PromptTestKit.Tiny.VocabSize]));
        Assert.Contains("embedding rows", e.Message);
    }

    /// <summary>Issue 13 item 4: the authors' vocabulary init, the first n·k rows split into the k prompts of a pool.</summary>
    [Fact]
    public void VocabFirstInitSplitsTheFirstRowsIntoThePool()
    {
        var method = PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Prefix, pool: 3, n: 4, init: PromptInit.VocabFirst);
        var backbone = PromptTestKit.Backbone();
        using var model = PromptModelFactory.Create(method, new HeadOptions(), backbone, new TaskHeadInfo(2), PromptTestKit.Special, 1);
        var pool = model.named_parameters().Single(p => p.name == "prompt.weight").parameter.detach();
        var first = backbone.EmbedTokens(torch.arange(12, dtype: ScalarType.Int64)).view(3, 4, -1);
        Assert.True(PromptTestKit.Same(first, pool));
        var tooMany = PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Prefix, pool: 11, n: 4, init: PromptInit.VocabFirst);
        Assert.Contains("vocab_first", Assert.Throws<ArgumentException>(() =>
            PromptModelFactory.Create(tooMany, new HeadOptions(), backbone, new TaskHeadInfo(2), PromptTestKit.Special, 1)).Message);
        // PEFT has no name for this start: its export refuses rather than state another.
        Assert.Contains("vocab_first", Assert.Throws<InvalidOperationException>(() => PeftPromptTuningExport.InitName(PromptInit.VocabFirst)).Message);
    }

    [Fact]
    public void MultitaskBatchesAreScoredByTheirTasksHead()
    {
        var method = PromptTestKit.Method(MethodKind.Prompt, PositionPolicy.Prefix);
        using var model = PromptModelFactory.Create(method, new HeadOptions(), PromptTestKit.Backbone(), new TaskHeadInfo(2),
            PromptTestKit.Special, 3, otherTasks: [new TaskHeadInfo(3), new TaskHeadInfo(0, MultipleChoice: true)]);
        using var single = PromptModelFactory.Create(method, new HeadOptions(), PromptTestKit.Backbone(), new TaskHeadInfo(2), PromptTestKit.Special, 3);
        var rows = PromptTestKit.TokenPresenceBatch(4, seed: 2);
        long Key(int task, int i) => ((long)task << 32) | (uint)i;
        var task0 = rows with { ExampleKeys = [.. Enumerable.Range(0, 4).Select(i => Key(0, i))] };
        var task1 = rows with { Labels = torch.tensor(new long[] { 2, 0, 1, 2 }), ExampleKeys = [.. Enumerable.Range(0, 4).Select(i => Key(1, i))] };
        var task2 = rows with { Labels = torch.tensor(new long[] { 1, 0 }), ExampleKeys = [Key(2, 0), Key(2, 1)], ChoiceCounts = [2, 2] };
        model.Module.eval();
        single.Module.eval();

        Assert.Equal(new long[] { 4, 2 }, model.Scores(task0).shape);
        Assert.Equal(new long[] { 4, 3 }, model.Scores(task1).shape);
        Assert.Equal(new long[] { 2, 2 }, model.Scores(task2).shape); // candidates grouped per example
        // The main task's model is the single-task model: extra heads are drawn after everything else.
        Assert.True(PromptTestKit.Same(single.Scores(task0), model.Scores(task0)));

        // A task's loss trains its own head only.
        model.Module.train();
        model.Loss(task1).backward();
        var named = model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Null(named["head.classifier.weight"].grad);
        Assert.NotNull(named["head_task1.classifier.weight"].grad);
        Assert.Equal(3, model.ParameterGroups.Single(g => g.Name == "head").Parameters.Count(p => p.dim() == 2));

        var mixed = rows with { ExampleKeys = [Key(0, 0), Key(1, 1), Key(0, 2), Key(0, 3)] };
        Assert.Contains("one task", Assert.Throws<ArgumentException>(() => model.Scores(mixed)).Message);
        var unknown = rows with { ExampleKeys = [.. Enumerable.Range(0, 4).Select(i => Key(3, i))] };
        Assert.Contains("task 3", Assert.Throws<ArgumentException>(() => model.Scores(unknown)).Message);
    }
}

public class DeepPromptTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DeepPromptsArePerLayerKeyValuePrefixes(bool reparameterize)
    {
        var method = new PrefixTuningOptions { PromptLength = 3, Reparameterize = reparameterize, ReparameterizeHidden = 8 };
        using var model = PromptTestKit.Model(method);
        var batch = PromptTestKit.TokenPresenceBatch(5, seed: 1);
        var input = model.BuildInput(batch);
        var deep = input.DeepPrompt!;
        Assert.Equal(2, deep.Keys.Count);
        Assert.All(deep.Keys.Concat(deep.Values), t => Assert.Equal(new long[] { 5, 4, 3, 4 }, t.shape)); // [B, heads, n, headDim]
        Assert.Equal(new long[] { 5, 3 }, deep.Mask.shape);
        Assert.False(PromptTestKit.Same(deep.Keys[0], deep.Values[0]));
        Assert.True(PromptTestKit.Same(input.InputsEmbeds, model.Backbone.EmbedTokens(batch.InputIds))); // the input itself is unprompted
        // The prefixes change what the backbone computes.
        var prompted = model.Backbone.Forward(input).LastHiddenState;
        var plain = model.Backbone.Forward(input with { DeepPrompt = null }).LastHiddenState;
        Assert.False(prompted.allclose(plain, rtol: 1e-4, atol: 1e-4));
        var groups = model.ParameterGroups.ToDictionary(g => g.Name);
        Assert.Equal(reparameterize ? 5 : 1, groups["prompt"].Parameters.Count); // embedding + two Linear layers, or one table
    }

    /// <summary>
    /// Issue 13 item 6: Hugging Face BERT with past key/values numbers the input's positions after the prefix
    /// (past_key_values_length .. + L), as P-tuning v2 runs it; the input must not restart at position 0.
    /// </summary>
    [Fact]
    public void BertPositionsContinueAfterTheDeepPrefix()
    {
        using var model = PromptTestKit.Model(new PrefixTuningOptions { PromptLength = 3 });
        var batch = PromptTestKit.TokenPresenceBatch(4, seed: 2);
        var input = model.BuildInput(batch);
        long length = batch.InputIds.shape[1];
        var afterPrefix = (torch.arange(3, 3 + length, dtype: ScalarType.Int64) + PromptTestKit.Tiny.PositionOffset).unsqueeze(0).expand(4, length);
        var expected = model.Backbone.Forward(input with { PositionIds = afterPrefix }).LastHiddenState;
        var actual = model.Backbone.Forward(input).LastHiddenState;
        Assert.True(PromptTestKit.Same(expected, actual));
    }

    /// <summary>
    /// Issue 13 item 6: P-tuning v2's prefix table without reparameterisation is an nn.Embedding, which starts
    /// N(0, 1) (it was Uniform(−0.5, 0.5), whose standard deviation is 0.29).
    /// </summary>
    [Fact]
    public void PrefixTableStartsAsAnEmbeddingDoes()
    {
        using var model = PromptTestKit.Model(new PrefixTuningOptions { PromptLength = 20 });
        var table = model.ParameterGroups.Single(g => g.Name == "prompt").Parameters.Single();
        Assert.Equal(20 * 2 * 2 * 16, table.numel()); // n × (2 · layers · d)
        Assert.InRange(table.mean().item<float>(), -0.1, 0.1);
        Assert.InRange(table.std().item<float>(), 0.9, 1.1);
    }
}
