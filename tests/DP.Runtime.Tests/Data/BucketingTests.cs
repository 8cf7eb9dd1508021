using DP.Runtime.Data.Batching;
using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Runtime.Tests.Data;

public class BucketingTests
{
    static readonly int[] Lengths = Enumerable.Range(0, 500).Select(i => 5 + (i * 37) % 120).ToArray();

    static long Padding(IEnumerable<int[]> batches) =>
        batches.Sum(b => (long)b.Length * b.Max(i => Lengths[i]) - b.Sum(i => Lengths[i]));

    [Fact]
    public void Every_example_once_and_deterministic_per_seed()
    {
        var a = LengthBucketing.Plan(Lengths, 16, seed: 7);
        var b = LengthBucketing.Plan(Lengths, 16, seed: 7);
        var c = LengthBucketing.Plan(Lengths, 16, seed: 8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(Enumerable.Range(0, Lengths.Length), a.SelectMany(x => x).Order());
        Assert.All(a, batch => Assert.InRange(batch.Length, 1, 16));
    }

    [Fact]
    public void Padding_is_smaller_than_random_batching()
    {
        var bucketed = Padding(LengthBucketing.Plan(Lengths, 16, seed: 3));
        var random = Padding(LengthBucketing.RandomPlan(Lengths.Length, 16, seed: 3));
        Assert.True(bucketed * 4 < random, $"bucketed padding {bucketed} vs random {random}");
    }

    [Fact]
    public void Train_source_epochs_are_deterministic_and_cover_every_example()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.RteLines(30));
        dir.Write("val.jsonl", DataFixtures.RteLines(2));
        var options = new TaskOptions { DataDir = dir.Path };
        var data = TaskDataLoader.Load(options, new TestTokenizer(), 4, 4, seed: 11);
        var other = TaskDataLoader.Load(options, new TestTokenizer(), 4, 4, seed: 11);

        List<long[]> Keys(ITrainBatchSourceLike s, int epoch) => s(epoch).Select(b => b.ExampleKeys).ToList();
        var e0 = Keys(data.Train.EpochBatches, 0);
        Assert.Equal(e0, Keys(other.Train.EpochBatches, 0));     // same (seed, epoch), fresh loader
        Assert.Equal(e0, Keys(data.Train.EpochBatches, 0));      // asking again
        var e1 = Keys(data.Train.EpochBatches, 1);
        Assert.NotEqual(e0, e1);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), e0.SelectMany(k => k).Order());
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), e1.SelectMany(k => k).Order());
    }

    [Theory]
    [InlineData(1, 13, 13)]
    [InlineData(8, 13, 16)]
    [InlineData(8, 16, 16)]
    [InlineData(32, 40, 50)]  // capped at MaxWidth (max_length) ...
    [InlineData(32, 60, 60)]  // ... but never cut below the longest row
    public void Batch_width_rounds_up_to_the_multiple_within_max_width(int multiple, int longest, int width) =>
        Assert.Equal(width, new BatchLayout(0, false, multiple, MaxWidth: 50).Width(longest));

    [Fact]
    public void Loaded_batches_are_padded_to_the_multiple_and_masked()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.RteLines(30, spread: 9));
        dir.Write("val.jsonl", DataFixtures.RteLines(7, spread: 9));
        var data = TaskDataLoader.Load(new TaskOptions { DataDir = dir.Path, PadToMultipleOf = 8 }, new TestTokenizer(), 4, 4, seed: 2);
        var exact = TaskDataLoader.Load(new TaskOptions { DataDir = dir.Path, PadToMultipleOf = 1 }, new TestTokenizer(), 4, 4, seed: 2);
        var batches = data.Train.EpochBatches(0).Concat(data.Validation.Batches).ToList();
        var exactBatches = exact.Train.EpochBatches(0).Concat(exact.Validation.Batches).ToList();
        Assert.All(batches, b => Assert.Equal(0, b.InputIds.shape[1] % 8));
        Assert.Contains(exactBatches, b => b.InputIds.shape[1] % 8 != 0); // the fixture's lengths vary
        for (int i = 0; i < batches.Count; i++)
        {
            // The same tokens and mask, plus masked pad columns.
            long w = exactBatches[i].InputIds.shape[1];
            Assert.Equal(exactBatches[i].ExampleKeys, batches[i].ExampleKeys);
            Assert.True(batches[i].InputIds[.., ..(int)w].eq(exactBatches[i].InputIds).all().item<bool>());
            Assert.Equal(exactBatches[i].AttentionMask.sum().item<long>(), batches[i].AttentionMask.sum().item<long>());
        }
    }

    delegate IReadOnlyList<DP.Runtime.Models.ModelBatch> ITrainBatchSourceLike(int epoch);
}
