using DP.Runtime.Data.Loading;
using DP.Runtime.Data.Sampling;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Runtime.Tests.Data;

public class SamplingTests
{
    // 3 classes with 30, 35 and 10 examples, interleaved.
    static readonly int[] Labels = Enumerable.Range(0, 75).Select(i => i < 30 ? i % 3 : i < 60 ? i % 2 : (i < 65 ? 0 : 1)).ToArray();

    [Fact]
    public void Per_label_is_reproducible_balanced_and_seed_dependent()
    {
        var a = FewShotSampler.Sample(Labels, new FewShotOptions { PerLabel = 8, Seed = 3 });
        var b = FewShotSampler.Sample(Labels, new FewShotOptions { PerLabel = 8, Seed = 3 });
        var c = FewShotSampler.Sample(Labels, new FewShotOptions { PerLabel = 8, Seed = 4 });
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(a.Distinct().Count(), a.Length);
        Assert.All(a.GroupBy(i => Labels[i]), g => Assert.Equal(8, g.Count()));
        Assert.Equal(3, a.Select(i => Labels[i]).Distinct().Count());
    }

    [Fact]
    public void Total_is_spread_evenly_and_short_classes_give_way()
    {
        var even = FewShotSampler.Sample(Labels, new FewShotOptions { Total = 10, Seed = 1 });
        Assert.Equal(10, even.Length);
        var counts = even.GroupBy(i => Labels[i]).Select(g => g.Count()).ToList();
        Assert.True(counts.Max() - counts.Min() <= 1);

        var classCounts = Labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var smallest = classCounts.Values.Min();
        var large = FewShotSampler.Sample(Labels, new FewShotOptions { Total = 60, Seed = 1 });
        Assert.Equal(60, large.Length);
        Assert.Equal(smallest, large.Count(i => Labels[i] == classCounts.MinBy(kv => kv.Value).Key));
    }

    [Fact]
    public void Asking_for_more_than_exists_is_an_error()
    {
        var e = Assert.Throws<ArgumentException>(() => FewShotSampler.Sample(Labels, new FewShotOptions { PerLabel = 1000 }, "rte"));
        Assert.Contains("rte", e.Message);
        Assert.Throws<ArgumentException>(() => FewShotSampler.Sample(Labels, new FewShotOptions { PerLabel = 2, Total = 4 }));
    }

    [Fact]
    public void Loader_applies_few_shot_to_training_only()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.RteLines(40));
        dir.Write("val.jsonl", DataFixtures.RteLines(12));
        var options = new TaskOptions { DataDir = dir.Path, FewShot = new FewShotOptions { PerLabel = 4, Seed = 9 } };
        var data = TaskDataLoader.Load(options, new TestTokenizer(), 3, 5, 1);
        Assert.Equal(8, data.Info.TrainExamples);
        var keys = data.Train.EpochBatches(0).SelectMany(b => b.ExampleKeys).ToList();
        Assert.Equal(4, keys.Count(k => k % 2 == 0));
        Assert.Equal(4, keys.Count(k => k % 2 == 1));
        var again = TaskDataLoader.Load(options, new TestTokenizer(), 3, 5, 1);
        Assert.Equal(keys.Order(), again.Train.EpochBatches(0).SelectMany(b => b.ExampleKeys).Order());
        Assert.Equal(12, data.Validation.Batches.Sum(b => b.Size));
    }
}

public class MultiRcFewShotTests
{
    [Fact]
    public void MultiRc_few_shot_keeps_whole_questions()
    {
        using var dir = new TempDir();
        // 6 passages, each with 2 questions of 3 answers.
        var lines = Enumerable.Range(0, 6).Select(p =>
            System.Text.Json.JsonSerializer.Serialize(new
            {
                idx = p,
                passage = new
                {
                    text = DataFixtures.Sentence(8, p),
                    questions = Enumerable.Range(0, 2).Select(q => new
                    {
                        question = DataFixtures.Sentence(4, q),
                        idx = p * 10 + q,
                        answers = Enumerable.Range(0, 3).Select(a => new { text = DataFixtures.Sentence(2, a), idx = a, label = a % 2 }),
                    }),
                },
            })).ToArray();
        dir.Write("train.jsonl", lines);
        dir.Write("val.jsonl", lines[..1]);
        var options = new TaskOptions { SuperGlue = SuperGlueTask.MultiRC, DataDir = dir.Path, FewShot = new FewShotOptions { Total = 4, Seed = 2 } };
        var data = TaskDataLoader.Load(options, new TestTokenizer(), 5, 5, 1);
        Assert.Equal(12, data.Info.TrainExamples); // 4 questions x 3 answers
        var keys = data.Train.EpochBatches(0).SelectMany(b => b.ExampleKeys).Order().ToList();
        // Answers of one question are consecutive file indices 3q..3q+2: every picked question is complete.
        Assert.All(keys.GroupBy(k => k / 3), g => Assert.Equal(3, g.Count()));

        options.FewShot = new FewShotOptions { PerLabel = 2 };
        Assert.Throws<ArgumentException>(() => TaskDataLoader.Load(options, new TestTokenizer(), 5, 5, 1));
    }
}
