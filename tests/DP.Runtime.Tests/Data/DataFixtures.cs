using System.Text.Json;
using DP.Runtime.Data.Batching;

namespace DP.Runtime.Tests.Data;

/// <summary>Small invented data sets in the official formats.</summary>
public static class DataFixtures
{
    /// <summary>Predictions of a single task's validation set, keyed as the loader keys line i of val.jsonl.</summary>
    public static Dictionary<long, int> ValidationPredictions(params int[] predictedByLine) =>
        predictedByLine.Select((p, i) => (Key: EncodedExample.MakeKey(0, i, DataSplit.Validation), p)).ToDictionary(x => x.Key, x => x.p);

    static readonly string[] Words = ["red", "blue", "cat", "dog", "runs", "sleeps", "near", "the", "old", "house", "river", "green"];

    /// <summary>A sentence of <paramref name="length"/> words, varied by <paramref name="seed"/>.</summary>
    public static string Sentence(int length, int seed) =>
        string.Join(" ", Enumerable.Range(0, length).Select(i => Words[(seed * 7 + i * 3) % Words.Length])) + ".";

    /// <summary>RTE lines: label alternates (even idx entailment), lengths vary from 3 to 3+spread.</summary>
    public static string[] RteLines(int count, int spread = 30, bool labeled = true) =>
        Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["premise"] = Sentence(3 + (i * 13) % (spread + 1), i),
            ["hypothesis"] = Sentence(2 + i % 3, i + 1),
            ["idx"] = i,
        }.Concat(labeled ? [new("label", i % 2 == 0 ? "entailment" : "not_entailment")] : Array.Empty<KeyValuePair<string, object>>())
         .ToDictionary())).ToArray();

    public static string[] CbLines(int count) =>
        Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new
        {
            premise = Sentence(4 + i % 5, i),
            hypothesis = Sentence(2, i + 2),
            label = (i % 3) switch { 0 => "entailment", 1 => "contradiction", _ => "neutral" },
            idx = i,
        })).ToArray();

    public static string[] CopaLines(int count) =>
        Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new
        {
            premise = Sentence(4, i),
            choice1 = Sentence(2 + i % 3, i + 1),
            choice2 = Sentence(3, i + 2),
            question = i % 2 == 0 ? "cause" : "effect",
            label = i % 2,
            idx = i,
        })).ToArray();
}
