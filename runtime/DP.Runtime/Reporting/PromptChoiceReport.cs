using System.Text.Json;

namespace DP.Runtime.Reporting;

/// <summary>What a dynamic-prompting model chose on an evaluation set: how often each split point and length occurred.</summary>
public sealed record PromptChoiceReport(
    string Set,
    int Examples,
    IReadOnlyDictionary<int, int> SplitCounts,
    IReadOnlyDictionary<int, int> LengthCounts,
    double MeanSplit,
    double MeanLength)
{
    public static PromptChoiceReport From(string set, IReadOnlyList<int> splits, IReadOnlyList<int> lengths)
    {
        if (splits.Count != lengths.Count)
            throw new ArgumentException($"Prompt choices of '{set}': {splits.Count} split points but {lengths.Count} lengths.");
        static SortedDictionary<int, int> Count(IEnumerable<int> xs)
        {
            var d = new SortedDictionary<int, int>();
            foreach (var x in xs) d[x] = d.GetValueOrDefault(x) + 1;
            return d;
        }
        return new PromptChoiceReport(set, splits.Count, Count(splits), Count(lengths),
            splits.Count == 0 ? 0 : splits.Average(), lengths.Count == 0 ? 0 : lengths.Average());
    }

    /// <param name="max">The prompt length n: both histograms show 0…n.</param>
    public void Write(string jsonPath, string? splitPng, string? lengthPng, int max)
    {
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(this, ReportJson.Indented));
        if (splitPng is not null) TrainingPlots.Histogram(SplitCounts, max, $"Prompt split points on {Set}", "split point (prompt tokens before the input)", splitPng);
        if (lengthPng is not null) TrainingPlots.Histogram(LengthCounts, max, $"Prompt lengths on {Set}", "prompt length", lengthPng);
    }
}
