using DP.Runtime.Metrics;
using Xunit;

namespace DP.Runtime.Tests.Metrics;

public class MetricsTests
{
    [Fact]
    public void Accuracy_and_binary_f1_by_hand()
    {
        int[] gold = [1, 1, 0, 0, 1, 0];
        int[] pred = [1, 0, 0, 1, 1, 0];
        Assert.Equal(4.0 / 6, ClassificationMetrics.Accuracy(gold, pred), 12);
        // tp 2, fp 1, fn 1 → precision 2/3, recall 2/3, F1 2/3.
        Assert.Equal(2.0 / 3, ClassificationMetrics.F1(gold, pred), 12);
        Assert.Equal(0, ClassificationMetrics.F1([0, 0], [0, 0]));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy([1], [1, 0]));
    }

    [Fact]
    public void Cb_macro_f1_by_hand()
    {
        int[] gold = [0, 0, 0, 1, 1, 2];
        int[] pred = [0, 0, 1, 1, 2, 2];
        // class 0: tp2 fp0 fn1 → 0.8; class 1: tp1 fp1 fn1 → 0.5; class 2: tp1 fp1 fn0 → 2/3.
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, ClassificationMetrics.MacroF1(gold, pred, 3), 12);
        // A class never predicted nor present counts as F1 0 in the average.
        Assert.Equal((1 + 1 + 0) / 3.0, ClassificationMetrics.MacroF1([0, 1], [0, 1], 3), 12);
    }

    [Fact]
    public void MultiRc_em_groups_by_question_and_f1a_pools_answers()
    {
        MultiRcAnswer[] answers =
        [
            new("p1/q1", 1, 1), new("p1/q1", 0, 0), new("p1/q1", 1, 1), // all right
            new("p1/q2", 1, 1), new("p1/q2", 0, 1),                     // one wrong
            new("p2/q1", 0, 0), new("p2/q1", 1, 0),                     // one wrong
        ];
        var (em, f1a) = MultiRcMetrics.Compute(answers);
        Assert.Equal(1.0 / 3, em, 12);
        // pooled: tp 3, fp 1, fn 1 → 6/8.
        Assert.Equal(0.75, f1a, 12);
    }

    [Fact]
    public void Record_normalisation_and_token_f1()
    {
        Assert.Equal("eiffel tower", RecordMetrics.Normalize("The  Eiffel Tower!"));
        Assert.Equal("rock n roll", RecordMetrics.Normalize("Rock 'n' Roll"));
        Assert.Equal("united states", RecordMetrics.Normalize("the United States."));
        // Like the official script, only ASCII punctuation goes; an article inside a word stays.
        Assert.Equal("café—bar theory", RecordMetrics.Normalize("Café—Bar, a theory"));
        Assert.Equal(1, RecordMetrics.ExactMatch("The Beatles", "beatles"));
        // prediction "new york city" vs gold "york": common 1, precision 1/3, recall 1 → F1 0.5.
        Assert.Equal(0.5, RecordMetrics.TokenF1("New York City", "York"), 12);
        Assert.Equal(0, RecordMetrics.TokenF1("Paris", "London"));

        var (em, f1) = RecordMetrics.Compute(
        [
            ("Barack Obama", ["Obama", "Barack Obama"]), // em 1, f1 1
            ("Obama", ["Barack Obama"]),                  // em 0, f1 2/3
            ("London", ["Paris"]),                        // 0, 0
        ]);
        Assert.Equal(1.0 / 3, em, 12);
        Assert.Equal((1 + 2.0 / 3) / 3, f1, 12);
    }

    [Fact]
    public void SuperGlue_average_averages_two_metric_tasks_first()
    {
        var score = SuperGlueScore.Average(new Dictionary<string, IReadOnlyDictionary<string, double>>
        {
            ["rte"] = new Dictionary<string, double> { ["accuracy"] = 0.7 },
            ["cb"] = new Dictionary<string, double> { ["accuracy"] = 0.8, ["macro_f1"] = 0.6 },
            ["multirc"] = new Dictionary<string, double> { ["em"] = 0.2, ["f1a"] = 0.6 },
        });
        Assert.Equal((0.7 + 0.7 + 0.4) / 3, score, 12);
        Assert.Throws<KeyNotFoundException>(() => SuperGlueScore.TaskScore("cb", new Dictionary<string, double> { ["accuracy"] = 1 }));
    }
}
