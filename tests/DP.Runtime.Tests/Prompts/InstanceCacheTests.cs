using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;
using DP.Runtime.Tests.Data;
using DP.Runtime.Prompts.Instance;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

public class InstanceCacheTests
{
    [Fact]
    public void EachExampleIsComputedOnceOverThreeEpochsAndMatchesAFreshComputation()
    {
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Instance));
        var cache = model.Instances!;
        var batches = new[] { PromptTestKit.TokenPresenceBatch(6, seed: 1, keyOffset: 0), PromptTestKit.TokenPresenceBatch(5, seed: 2, keyOffset: 100) };
        model.Module.train();
        for (int epoch = 0; epoch < 3; epoch++)
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                model.Loss(batch).backward();
            }
        Assert.Equal(11, cache.ComputedExamples);
        foreach (var batch in batches)
        {
            var cached = cache.Get(batch);
            var fresh = cache.Compute(batch.InputIds, batch.AttentionMask, batch.TokenTypeIds);
            Assert.True(PromptTestKit.Same(cached, fresh));
        }
        Assert.Equal(11, cache.ComputedExamples);
    }

    [Fact]
    public void AnExamplesRepresentationDoesNotDependOnItsBatchMates()
    {
        // Issue 15 item 5: after a resume the cache starts empty and an example is first computed beside other
        // examples (other rows, other padded length); its u must come out bit for bit the same.
        using var backbone = PromptTestKit.Backbone();
        backbone.Freeze();
        var rng = new Random(4);
        int[] Body(int length) => Enumerable.Range(0, length).Select(_ => rng.Next(6, PromptTestKit.Tiny.VocabSize)).ToArray();
        var example = Body(5);
        var alone = PromptTestKit.Batch([example], [0], [42]);
        var crowded = PromptTestKit.Batch([Body(40), Body(3), example, Body(25), Body(12), Body(33), Body(7)], [0, 1, 0, 1, 0, 1, 0], [1, 2, 42, 4, 5, 6, 7]);
        foreach (var features in Enum.GetValues<InstanceFeatures>())
        {
            using var first = new InstanceRepresentationCache(backbone, features);
            using var second = new InstanceRepresentationCache(backbone, features);
            var a = first.Get(alone)[0];
            var b = second.Get(crowded)[2];
            Assert.True(PromptTestKit.Same(a, b), $"{features}: largest difference {(a - b).abs().max().item<float>():E3}");
        }
    }

    [Fact]
    public void ChangedInputOrInvalidatedBackboneIsRecomputed()
    {
        using var backbone = PromptTestKit.Backbone();
        backbone.Freeze();
        using var cache = new InstanceRepresentationCache(backbone, InstanceFeatures.Encoder);
        var batch = PromptTestKit.TokenPresenceBatch(4, seed: 1);
        var first = cache.Get(batch);
        var edited = batch with { InputIds = batch.InputIds.clone() };
        edited.InputIds[0, 1] = 7;
        var second = cache.Get(edited);
        Assert.Equal(5, cache.ComputedExamples); // only the edited example
        Assert.False(PromptTestKit.Same(first[0], second[0]));
        Assert.True(PromptTestKit.Same(first[1..], second[1..]));
        cache.Invalidate();
        cache.Get(edited);
        Assert.Equal(9, cache.ComputedExamples);
    }

    [Fact]
    public void TableGrowthKeepsEarlierEntriesAndDuplicateKeysShareOneComputation()
    {
        using var backbone = PromptTestKit.Backbone();
        backbone.Freeze();
        using var cache = new InstanceRepresentationCache(backbone, InstanceFeatures.Encoder);
        var batches = Enumerable.Range(0, 4).Select(i => PromptTestKit.TokenPresenceBatch(40, seed: i, keyOffset: 1000 * i)).ToList();
        foreach (var b in batches) cache.Get(b); // 160 entries: the table doubles past its first 64 rows
        Assert.Equal(160, cache.ComputedExamples);
        foreach (var b in batches)
            Assert.True(PromptTestKit.Same(cache.Get(b), cache.Compute(b.InputIds, b.AttentionMask, b.TokenTypeIds)));
        Assert.Equal(160, cache.ComputedExamples);

        var twice = PromptTestKit.TokenPresenceBatch(2, seed: 9, keyOffset: 5000);
        var same = twice with { InputIds = twice.InputIds[torch.tensor(new long[] { 0, 0 })], AttentionMask = twice.AttentionMask[torch.tensor(new long[] { 0, 0 })],
            TokenTypeIds = null, ExampleKeys = [5000, 5000] };
        var u = cache.Get(same);
        Assert.Equal(161, cache.ComputedExamples);
        Assert.True(PromptTestKit.Same(u[0], u[1]));
    }

    /// <summary>
    /// Issue 13 item 8: a validation example and a training example with the same index in their files must not
    /// share a cache entry, or every evaluation evicts the training set's representations.
    /// </summary>
    [Fact]
    public void EvaluatingTheValidationSetKeepsTheTrainingEntries()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.RteLines(6, spread: 8));
        dir.Write("val.jsonl", DataFixtures.RteLines(5, spread: 8)[1..]); // line i: other text than train line i
        var options = new TaskOptions { Kind = DataKind.SuperGlue, SuperGlue = SuperGlueTask.RTE, DataDir = dir.Path, MaxLength = 48 };
        var data = TaskDataLoader.Load(options, new TestTokenizer(PromptTestKit.Tiny.VocabSize), batchSize: 6, evalBatchSize: 4, seed: 1);
        using var backbone = PromptTestKit.Backbone();
        backbone.Freeze();
        using var cache = new InstanceRepresentationCache(backbone, InstanceFeatures.Encoder);
        var train = data.Train.EpochBatches(0);
        foreach (var batch in train) cache.Get(batch);
        foreach (var batch in data.Validation.Batches) cache.Get(batch);
        foreach (var batch in train) cache.Get(batch);
        Assert.Equal(10, cache.ComputedExamples);
    }

    [Fact]
    public void RepresentationIsTheMaskedMeanOverRealTokens()
    {
        using var backbone = PromptTestKit.Backbone();
        using var cache = new InstanceRepresentationCache(backbone, InstanceFeatures.Embeddings);
        var batch = PromptTestKit.TokenPresenceBatch(3, seed: 3);
        var u = cache.Compute(batch.InputIds, batch.AttentionMask);
        var embeds = backbone.EmbedTokens(batch.InputIds);
        for (int b = 0; b < 3; b++)
        {
            int len = (int)batch.AttentionMask[b].sum().item<float>();
            Assert.True(u[b].allclose(embeds[b, ..len].mean([0]), rtol: 1e-5, atol: 1e-6));
        }
    }
}
