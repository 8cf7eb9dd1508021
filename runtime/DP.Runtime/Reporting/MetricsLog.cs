using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DP.Runtime.Reporting;

/// <summary>
/// The metrics of a run as JSONL (one record per line, appended as they come) and CSV (rewritten from the
/// records). On resume the log is cut back to the checkpoint's step so that a resumed run's log equals an
/// uninterrupted one.
/// </summary>
public sealed class MetricsLog
{
    private readonly List<MetricsRecord> records = [];
    public string JsonlPath { get; }
    public string CsvPath { get; }

    public MetricsLog(string jsonlPath, string csvPath)
    {
        JsonlPath = jsonlPath;
        CsvPath = csvPath;
    }

    public IReadOnlyList<MetricsRecord> Records => records;

    /// <summary>Starts a fresh log (deleting an old one).</summary>
    public void Reset()
    {
        records.Clear();
        File.WriteAllText(JsonlPath, "");
        File.WriteAllText(CsvPath, "");
    }

    /// <summary>Reads the existing log and keeps only records up to <paramref name="step"/>.</summary>
    public void TruncateAfter(long step)
    {
        records.Clear();
        if (File.Exists(JsonlPath))
        {
            int lineNo = 0;
            foreach (var line in File.ReadLines(JsonlPath))
            {
                lineNo++;
                if (line.Length == 0) continue;
                MetricsRecord r;
                try { r = Parse(line); }
                catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException)
                {
                    // A line cut short by a kill is expected at the end; anything else is reported.
                    throw new InvalidDataException($"{JsonlPath}({lineNo}): not a metrics record: {e.Message}", e);
                }
                if (r.Step <= step) records.Add(r);
            }
        }
        File.WriteAllLines(JsonlPath, records.Select(Format));
        WriteCsv();
    }

    public void Add(MetricsRecord record)
    {
        records.Add(record);
        File.AppendAllText(JsonlPath, Format(record) + "\n");
    }

    public void WriteCsv()
    {
        var keys = records.SelectMany(r => r.Values.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.Append("step,split");
        foreach (var k in keys) sb.Append(',').Append(k);
        sb.Append('\n');
        foreach (var r in records)
        {
            sb.Append(r.Step.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Split);
            foreach (var k in keys)
            {
                sb.Append(',');
                if (r.Values.TryGetValue(k, out var v)) sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        File.WriteAllText(CsvPath, sb.ToString());
    }

    /// <summary>
    /// The records of a log another process is writing (sweep run's live table): read with that process's writes
    /// allowed, a line cut short at the end skipped; no log yet, no records.
    /// </summary>
    public static IReadOnlyList<MetricsRecord> ReadWhileWritten(string jsonlPath)
    {
        var result = new List<MetricsRecord>();
        try
        {
            using var stream = new FileStream(jsonlPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0) continue;
                try { result.Add(Parse(line)); }
                catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException) { }
            }
        }
        catch (IOException) { } // not there yet, or being replaced
        return result;
    }

    private static string Format(MetricsRecord r)
    {
        var o = new JsonObject { ["step"] = r.Step, ["split"] = r.Split };
        foreach (var (k, v) in r.Values)
            o[k] = double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(v.ToString(CultureInfo.InvariantCulture));
        return o.ToJsonString();
    }

    private static MetricsRecord Parse(string line)
    {
        var o = JsonNode.Parse(line)!.AsObject();
        var values = new Dictionary<string, double>();
        foreach (var (k, v) in o)
        {
            if (k is "step" or "split") continue;
            values[k] = v!.GetValueKind() == JsonValueKind.String
                ? double.Parse(v.GetValue<string>(), CultureInfo.InvariantCulture)
                : v.GetValue<double>();
        }
        return new MetricsRecord(o["step"]!.GetValue<long>(), o["split"]!.GetValue<string>(), values);
    }
}
