using DP.Runtime.Data.Batching;
using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Runtime.Tests.Data;

public class MultitaskTests
{
    [Fact]
    public void Rates_follow_examples_proportional_with_cap_and_temperature()
    {
        int[] sizes = [1000, 100, 10];
        var proportional = MultitaskTrainSource.MixingRates(sizes, MultitaskMixing.ExamplesProportional, cap: 200, temperature: 1);
        Assert.Equal([200.0 / 310, 100.0 / 310, 10.0 / 310], proportional, (x, y) => Math.Abs(x - y) < 1e-12);
        var temperature = MultitaskTrainSource.MixingRates(sizes, MultitaskMixing.Temperature, cap: 10000, temperature: 2);
        double[] w = [Math.Sqrt(1000), 10, Math.Sqrt(10)];
        Assert.Equal(w.Select(x => x / w.Sum()), temperature, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Mixed_epochs_draw_tasks_in_the_configured_proportions()
    {
        using var rteDir = new TempDir();
        using var cbDir = new TempDir();
        rteDir.Write("train.jsonl", DataFixtures.RteLines(240, spread: 5));
        rteDir.Write("val.jsonl", DataFixtures.RteLines(3));
        cbDir.Write("train.jsonl", DataFixtures.CbLines(60));
        cbDir.Write("val.jsonl", DataFixtures.CbLines(3));
        var options = new TaskOptions
        {
            DataDir = rteDir.Path,
            Mixing = MultitaskMixing.ExamplesProportional,
            MixingCap = 120,
            Multitask = [new TaskOptions { SuperGlue = SuperGlueTask.CB, DataDir = cbDir.Path }],
        };
        var data = TaskDataLoader.Load(options, new TestTokenizer(), 2, 4, seed: 5);
        Assert.Equal(["rte", "cb"], data.Tasks.Select(t => t.Name));
        Assert.Equal([0, 1], data.Tasks.Select(t => t.TaskId));
        Assert.Equal("cb/validation", Assert.Single(data.AuxiliaryValidation).Name);
        // Cap 120: rates 120/180 and 60/180.
        var source = Assert.IsType<MultitaskTrainSource>(data.Train);
        Assert.Equal(2.0 / 3, source.Rates[0], 12);

        int rte = 0, total = 0;
        for (var epoch = 0; epoch < 4; epoch++)
        {
            var batches = data.Train.EpochBatches(epoch);
            Assert.Equal(150, batches.Count);
            foreach (var b in batches)
            {
                var batch = b;
                var tasks = batch.ExampleKeys.Select(EncodedExample.TaskIdOf).Distinct().ToList();
                var task = Assert.Single(tasks); // one task per batch
                var labels = batch.Labels.data<long>().ToArray();
                Assert.All(labels, l => Assert.InRange(l, 0, task == 0 ? 1 : 2));
                if (task == 0) rte++;
                total++;
            }
        }
        // 600 draws at p = 2/3: standard deviation ≈ 0.019; allow 4 of them.
        Assert.InRange((double)rte / total, 2.0 / 3 - 0.077, 2.0 / 3 + 0.077);

        var again = TaskDataLoader.Load(options, new TestTokenizer(), 2, 4, seed: 5);
        Assert.Equal(
            data.Train.EpochBatches(2).Select(b => b.ExampleKeys),
            again.Train.EpochBatches(2).Select(b => b.ExampleKeys));
    }
}
