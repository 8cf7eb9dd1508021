using DP.Runtime.Data;
using DP.Runtime.Data.Batching;
using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;
using TorchSharp;
using Xunit;

namespace DP.Runtime.Tests.Data;

public class TaskDataLoaderTests
{
    static TaskOptions Rte(string dir) => new() { Kind = DataKind.SuperGlue, SuperGlue = SuperGlueTask.RTE, DataDir = dir, PadToMultipleOf = 1 };

    [Fact]
    public void Loads_rte_with_default_template_label_words_and_padded_batches()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.RteLines(10));
        dir.Write("val.jsonl", DataFixtures.RteLines(5));
        var tokenizer = new TestTokenizer();
        var data = TaskDataLoader.Load(Rte(dir.Path), tokenizer, batchSize: 4, evalBatchSize: 3, seed: 1);

        Assert.Equal("rte", data.Info.Name);
        Assert.Equal(["entailment", "not_entailment"], data.Info.LabelNames);
        Assert.Equal(["yes", "no"], data.Info.LabelWords);
        Assert.Equal(tokenizer.EncodeWords("yes"), data.Info.LabelWordIds[0]);
        Assert.False(data.Info.IsMultipleChoice);
        Assert.Equal("accuracy", data.Validation.PrimaryMetric);

        var batches = data.Train.EpochBatches(0);
        Assert.Equal(3, batches.Count);
        var all = new List<long>();
        foreach (var b in batches)
        {
            var batch = b;
            Assert.Equal(torch.ScalarType.Int64, batch.InputIds.dtype);
            Assert.Equal(batch.InputIds.shape, batch.AttentionMask.shape);
            Assert.Equal(batch.InputIds.shape, batch.TokenTypeIds!.shape);
            Assert.Equal(batch.Size, (int)batch.InputIds.shape[0]);
            Assert.Equal(batch.Size, (int)batch.Labels.shape[0]);
            // Padded to the longest row: some row has no padding, and padding positions hold the pad id.
            var mask = batch.AttentionMask.data<long>().ToArray();
            var ids = batch.InputIds.data<long>().ToArray();
            var width = (int)batch.InputIds.shape[1];
            Assert.Contains(Enumerable.Range(0, batch.Size), r => mask[r * width + width - 1] == 1);
            for (var i = 0; i < ids.Length; i++) if (mask[i] == 0) Assert.Equal(0, ids[i]);
            // Labels follow the alternating fixture: even file index = entailment = class 0.
            var labels = batch.Labels.data<long>().ToArray();
            for (var i = 0; i < batch.Size; i++)
                Assert.Equal(EncodedExample.IndexOf(batch.ExampleKeys[i]) % 2, labels[i]);
            all.AddRange(batch.ExampleKeys);
        }
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i).Order(), all.Order());

        // The first row of the first example reads [CLS] sentence1: ... [SEP].
        var first = ((BatchList)data.Validation.Batches).Plan.SelectMany(b => b).Single(e => e.Key == EncodedExample.MakeKey(0, 0, DataSplit.Validation));
        var expected = tokenizer.Encode("sentence1: " + DataFixtures.Sentence(3, 0) + " sentence2: " + DataFixtures.Sentence(2, 1));
        Assert.Equal(expected.Ids, first.Ids[0]);
    }

    [Fact]
    public void Spec_template_and_labels_override_the_defaults()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.RteLines(6));
        dir.Write("val.jsonl", DataFixtures.RteLines(2));
        var options = Rte(dir.Path);
        options.Template = "{hypothesis} [SEP] {premise}";
        options.Labels = [new("not_entailment", "false"), new("entailment", "true")];
        var data = TaskDataLoader.Load(options, new TestTokenizer(), 8, 8, 1);
        Assert.Equal(["not_entailment", "entailment"], data.Info.LabelNames);
        Assert.Equal(["false", "true"], data.Info.LabelWords);
        var batch = data.Train.EpochBatches(0)[0];
        var labels = batch.Labels.data<long>().ToArray();
        for (var i = 0; i < batch.Size; i++)
            Assert.Equal(1 - EncodedExample.IndexOf(batch.ExampleKeys[i]) % 2, labels[i]);
        Assert.Equal(1, batch.TokenTypeIds!.max().item<long>()); // a pair: the second segment has type 1

        options.Template = "{premise} {nope}";
        var e = Assert.Throws<FormatException>(() => TaskDataLoader.Load(options, new TestTokenizer(), 8, 8, 1));
        Assert.Contains("'{nope}'", e.Message);
    }

    [Fact]
    public void Missing_file_is_an_error_naming_the_path()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.RteLines(4));
        var e = Assert.Throws<FileNotFoundException>(() => TaskDataLoader.Load(Rte(dir.Path), new TestTokenizer(), 2, 2, 1));
        Assert.Contains(Path.Combine(dir.Path, "val.jsonl"), e.Message);
    }

    [Fact]
    public void Example_keys_are_stable_across_epochs_and_unique()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.RteLines(20));
        dir.Write("val.jsonl", DataFixtures.RteLines(3));
        var data = TaskDataLoader.Load(Rte(dir.Path), new TestTokenizer(), 4, 4, 5);
        Dictionary<long, long[]> Rows(int epoch)
        {
            var rows = new Dictionary<long, long[]>();
            foreach (var b in data.Train.EpochBatches(epoch))
            {
                var batch = b;
                var width = (int)batch.InputIds.shape[1];
                var ids = batch.InputIds.data<long>().ToArray();
                var mask = batch.AttentionMask.data<long>().ToArray();
                for (var r = 0; r < batch.Size; r++)
                    rows.Add(batch.ExampleKeys[r], Enumerable.Range(0, width).Where(t => mask[r * width + t] == 1).Select(t => ids[r * width + t]).ToArray());
            }
            return rows;
        }
        var e0 = Rows(0);
        var e1 = Rows(1);
        Assert.Equal(20, e0.Count);
        Assert.Equal(e0.Keys.Order(), e1.Keys.Order());
        foreach (var (key, ids) in e0) Assert.Equal(ids, e1[key]);
    }

    [Fact]
    public void Multiple_choice_gives_one_row_per_candidate()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.CopaLines(6));
        dir.Write("val.jsonl", DataFixtures.CopaLines(4));
        var options = new TaskOptions { SuperGlue = SuperGlueTask.COPA, DataDir = dir.Path };
        var data = TaskDataLoader.Load(options, new TestTokenizer(), 4, 4, 3);
        Assert.True(data.Info.IsMultipleChoice);
        Assert.Equal(2, data.Info.MaxChoices);
        Assert.Equal(0, data.Info.NumClasses);
        var batch = data.Validation.Batches[0];
        Assert.Equal([2, 2, 2, 2], batch.ChoiceCounts!);
        Assert.Equal(8, batch.InputIds.shape[0]);
        Assert.Equal(4, batch.Labels.shape[0]);
        var labels = batch.Labels.data<long>().ToArray();
        for (var i = 0; i < 4; i++) Assert.Equal(EncodedExample.IndexOf(batch.ExampleKeys[i]) % 2, labels[i]);

        options.Labels = [new("0", "a"), new("1", "b")];
        Assert.Throws<ArgumentException>(() => TaskDataLoader.Load(options, new TestTokenizer(), 4, 4, 3));
    }

    [Fact]
    public void Validation_scores_predictions_by_key()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.CbLines(6));
        dir.Write("val.jsonl", DataFixtures.CbLines(6));
        var data = TaskDataLoader.Load(new TaskOptions { SuperGlue = SuperGlueTask.CB, DataDir = dir.Path }, new TestTokenizer(), 4, 4, 3);
        Assert.Equal("macro_f1", data.Validation.PrimaryMetric);
        Assert.Equal("maybe", data.Info.LabelWords[2]);
        // Gold classes by index: 0,1,2,0,1,2. Predict 0 everywhere except the last example.
        var predictions = DataFixtures.ValidationPredictions(0, 0, 0, 0, 0, 2);
        var scores = data.Validation.Score(predictions);
        Assert.Equal(3.0 / 6, scores["accuracy"], 10);
        // F1: class0 tp2 fp3 fn0 → 4/7; class1 → 0; class2 tp1 fp0 fn1 → 2/3.
        Assert.Equal((4.0 / 7 + 0 + 2.0 / 3) / 3, scores["macro_f1"], 10);
        Assert.Equal("neutral", data.Validation.LabelName(2));
        Assert.Throws<ArgumentException>(() => data.Validation.Score(new Dictionary<long, int> { [99] = 0 }));
    }

    [Fact]
    public void Unknown_label_value_names_file_line_and_field()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.RteLines(4));
        dir.Write("val.jsonl", DataFixtures.RteLines(2));
        var options = Rte(dir.Path);
        options.Labels = [new("entailment", "yes"), new("contradiction", "no")];
        var e = Assert.Throws<DataFormatException>(() => TaskDataLoader.Load(options, new TestTokenizer(), 4, 4, 1));
        Assert.Equal((Path.Combine(dir.Path, "train.jsonl"), 2, "label"), (e.File, e.Line, e.Field));
    }

    [Fact]
    public void Test_file_may_be_unlabeled()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.RteLines(4));
        dir.Write("val.jsonl", DataFixtures.RteLines(2));
        dir.Write("test.jsonl", DataFixtures.RteLines(3, labeled: false));
        var options = Rte(dir.Path);
        options.TestFile = "test.jsonl";
        var data = TaskDataLoader.Load(options, new TestTokenizer(), 4, 4, 1);
        Assert.NotNull(data.Test);
        var batch = data.Test!.Batches[0];
        Assert.All(batch.Labels.data<long>().ToArray(), l => Assert.Equal(-1, l));
        Assert.Empty(data.Test.Score(new Dictionary<long, int> { [EncodedExample.MakeKey(0, 0, DataSplit.Test)] = 1 }));
        // Line i of each file has its own key: per-example caches never mistake a validation row for a training row.
        var train = data.Train.EpochBatches(0).SelectMany(b => b.ExampleKeys).ToList();
        var validation = data.Validation.Batches.SelectMany(b => b.ExampleKeys).ToList();
        var test = data.Test.Batches.SelectMany(b => b.ExampleKeys).ToList();
        Assert.Empty(train.Intersect(validation).Concat(train.Intersect(test)).Concat(validation.Intersect(test)));
        Assert.All(validation, k => Assert.Equal(DataSplit.Validation, EncodedExample.SplitOf(k)));
        Assert.All(test, k => Assert.Equal((0, DataSplit.Test), (EncodedExample.TaskIdOf(k), EncodedExample.SplitOf(k))));
    }
}

public class TaskInfoTests
{
    [Fact]
    public void Single_token_label_words_or_a_clear_error()
    {
        var info = new TaskInfo(0, "rte", false, ["entailment", "not_entailment"], ["yes", "not really"],
            [[17], [21, 22]], "accuracy", ["accuracy"], 10, 0);
        var e = Assert.Throws<ArgumentException>(() => info.SingleTokenLabelWordIds());
        Assert.Contains("'not really'", e.Message);
        Assert.Equal([17, 30], (info with { LabelWordIds = [[17], [30]] }).SingleTokenLabelWordIds());
    }
}

public class TruncationTests
{
    [Fact]
    public void An_over_long_premise_is_cut_so_the_hypothesis_survives()
    {
        using var dir = new TempDir();
        var longPremise = DataFixtures.Sentence(200, 1);
        var line = System.Text.Json.JsonSerializer.Serialize(new { premise = longPremise, hypothesis = "zebra quartz.", label = "entailment", idx = 0 });
        dir.Write("train.jsonl", line, DataFixtures.RteLines(1)[0]);
        dir.Write("val.jsonl", line);
        var tokenizer = new TestTokenizer();
        var data = TaskDataLoader.Load(new TaskOptions { DataDir = dir.Path, MaxLength = 40 }, tokenizer, 2, 2, 1);
        var row = ((DP.Runtime.Data.Batching.BatchList)data.Validation.Batches).Plan[0][0].Ids[0];
        Assert.InRange(row.Length, 30, 40);
        // The template's end "sentence2: zebra quartz." and [SEP] are intact.
        var tail = tokenizer.EncodeWords("sentence2: zebra quartz.").Append(tokenizer.Special.Sep).ToArray();
        Assert.Equal(tail, row[^tail.Length..]);
        Assert.Equal(tokenizer.EncodeWords("sentence1:"), row[1..3]);
    }
}
