using DP.Runtime.Data.Batching;
using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Runtime.Tests.Data;

public class EvaluationScoringTests
{
    [Fact]
    public void MultiRc_validation_groups_answers_by_question()
    {
        using var dir = new TempDir();
        var line = """{"idx": 0, "passage": {"text": "Ann has a dog and a cat.", "questions": [""" +
                   """{"question": "What does Ann have?", "idx": 0, "answers": [{"text": "a dog", "idx": 0, "label": 1}, {"text": "a cat", "idx": 1, "label": 1}, {"text": "a cow", "idx": 2, "label": 0}]},""" +
                   """{"question": "Who has a dog?", "idx": 1, "answers": [{"text": "Ann", "idx": 3, "label": 1}, {"text": "Bob", "idx": 4, "label": 0}]}]}}""";
        dir.Write("train.jsonl", line);
        dir.Write("val.jsonl", line);
        var data = TaskDataLoader.Load(new TaskOptions { SuperGlue = SuperGlueTask.MultiRC, DataDir = dir.Path }, new TestTokenizer(), 4, 4, 1);
        Assert.Equal("f1a", data.Validation.PrimaryMetric);
        // Classes: 0 = false (no), 1 = true (yes). Question 0 all right; question 1 says yes to Bob.
        var scores = data.Validation.Score(DataFixtures.ValidationPredictions(1, 1, 0, 1, 1));
        Assert.Equal(0.5, scores["em"], 12);
        Assert.Equal(2.0 * 3 / (2 * 3 + 1 + 0), scores["f1a"], 12); // tp 3, fp 1, fn 0
    }

    [Fact]
    public void Record_validation_scores_the_chosen_candidate_text()
    {
        using var dir = new TempDir();
        const string text = "The Eiffel Tower is in Paris. Big Ben is in London.";
        // Entities: "The Eiffel Tower" 0..15, "Paris" 23..27, "Big Ben" 30..36, "London" 44..49.
        var line = $$"""{"idx": 1, "passage": {"text": "{{text}}", "entities": [{"start": 0, "end": 15}, {"start": 23, "end": 27}, {"start": 30, "end": 36}, {"start": 44, "end": 49}]}, "qas": [""" +
                   """{"query": "@placeholder is a tower in France.", "idx": 10, "answers": [{"start": 0, "end": 15, "text": "The Eiffel Tower"}]},""" +
                   """{"query": "Big Ben stands in @placeholder.", "idx": 11, "answers": [{"start": 44, "end": 49, "text": "London"}]}]}""";
        dir.Write("train.jsonl", line);
        dir.Write("val.jsonl", line);
        var data = TaskDataLoader.Load(new TaskOptions { SuperGlue = SuperGlueTask.ReCoRD, DataDir = dir.Path }, new TestTokenizer(), 2, 2, 1);
        Assert.Equal(4, data.Info.MaxChoices);
        {
            var batch = data.Validation.Batches[0];
            Assert.Equal([4, 4], batch.ChoiceCounts!);
            Assert.Equal(8, batch.InputIds.shape[0]);
        }
        // Query 0 picks "The Eiffel Tower" (right); query 1 picks "Big Ben" (wrong; no shared token with London).
        var scores = data.Validation.Score(DataFixtures.ValidationPredictions(0, 2));
        Assert.Equal(0.5, scores["em"], 12);
        Assert.Equal(0.5, scores["f1"], 12);
        var set = Assert.IsType<DP.Runtime.Data.Evaluation.TaskEvaluationSet>(data.Validation);
        Assert.Equal("London", set.ChoiceText(EncodedExample.MakeKey(0, 1, DataSplit.Validation), 3));
    }

    [Fact]
    public void Record_training_queries_without_a_gold_candidate_are_left_out_with_a_warning()
    {
        using var dir = new TempDir();
        const string text = "The Eiffel Tower is in Paris. Big Ben is in London.";
        var line = $$"""{"idx": 1, "passage": {"text": "{{text}}", "entities": [{"start": 0, "end": 15}, {"start": 23, "end": 27}]}, "qas": [""" +
                   """{"query": "@placeholder is a tower in France.", "idx": 10, "answers": [{"start": 0, "end": 15, "text": "The Eiffel Tower"}]},""" +
                   """{"query": "Big Ben stands in @placeholder.", "idx": 11, "answers": [{"start": 44, "end": 49, "text": "London"}]}]}""";
        dir.Write("train.jsonl", line);
        dir.Write("val.jsonl", line);
        var data = TaskDataLoader.Load(new TaskOptions { SuperGlue = SuperGlueTask.ReCoRD, DataDir = dir.Path }, new TestTokenizer(), 2, 2, 1);

        Assert.Equal(1, data.Info.TrainExamples);
        var warning = Assert.Single(data.Info.Warnings);
        Assert.Contains("train.jsonl: 1 of 2 training queries were left out", warning);
    }
}
