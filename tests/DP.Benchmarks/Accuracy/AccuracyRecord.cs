using System.Text.Json;
using System.Text.Json.Serialization;

namespace DP.Benchmarks.Accuracy;

/// <summary>
/// One finished accuracy run, one JSON line of results.jsonl: which regime/task/method/seed/steps ran, the score of
/// the kept checkpoint (chosen on dev32) on the evaluation set, and what it cost.
/// </summary>
public sealed record AccuracyRecord
{
    public required string Regime { get; init; }
    public required string Task { get; init; }
    public required string Method { get; init; }
    public required int Seed { get; init; }
    public required int Steps { get; init; }
    public required string BackboneDType { get; init; }
    /// <summary>The SuperGLUE task score of the evaluation set (mean of the official metrics), in [0, 1].</summary>
    public required double Score { get; init; }
    public required Dictionary<string, double> EvalMetrics { get; init; }
    public required string SelectionMetric { get; init; }
    public double? SelectionValue { get; init; }
    public long? BestStep { get; init; }
    public required int TrainExamples { get; init; }
    public required int EvalExamples { get; init; }
    public required double Seconds { get; init; }
    /// <summary>Peak resident memory of the run (training and evaluation), in MB; absent in older records.</summary>
    public double? PeakRssMb { get; init; }
    /// <summary>task.pad_to_multiple_of of the run; absent in records made before batches were rounded (= 1).</summary>
    public int? PadMultiple { get; init; }
    public required DateTime FinishedUtc { get; init; }

    /// <summary>The identity of a run: a resumed benchmark skips runs whose key is already in the results.</summary>
    [JsonIgnore]
    public string Key => RunKey(Regime, Task, Method, Seed, Steps);

    public static string RunKey(string regime, string task, string method, int seed, int steps) =>
        $"{regime}|{task.ToLowerInvariant()}|{method}|{seed}|{steps}";

    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Reads a results file; a line that is not a record is an error naming the file and line.</summary>
    public static List<AccuracyRecord> ReadAll(string path)
    {
        var list = new List<AccuracyRecord>();
        if (!File.Exists(path)) return list;
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                list.Add(JsonSerializer.Deserialize<AccuracyRecord>(line, Json)
                         ?? throw new JsonException("null record"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}({lineNo}): not an accuracy record: {e.Message}", e);
            }
        }
        return list;
    }

    /// <summary>Appends one line and flushes, so a run killed later still leaves every finished record.</summary>
    public void Append(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.AppendAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
    }
}
