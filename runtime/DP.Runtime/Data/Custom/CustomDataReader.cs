using CsvHelper;
using DP.Runtime.Data.Examples;
using DP.Runtime.Data.Json;
using DP.Runtime.Data.SuperGlue;
using DP.Runtime.Experiments;

namespace DP.Runtime.Data.Custom;

/// <summary>
/// Reads user data with named fields: JSONL (one object per line) or CSV with a header row (parsed by CsvHelper).
/// A record without the label field, or with an empty one, is unlabeled.
/// </summary>
public static class CustomDataReader
{
    public static List<TaskExample> Read(string path, DataFormat format, IReadOnlyList<string> fields, string labelField)
    {
        if (fields.Count == 0)
            throw new DataFormatException($"task.fields is empty: custom data needs the names of its text fields ({path})");
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file not found: {path}", path);
        return format switch
        {
            DataFormat.Jsonl => ReadJsonl(path, fields, labelField),
            DataFormat.Csv => ReadCsv(path, fields, labelField),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    static List<TaskExample> ReadJsonl(string path, IReadOnlyList<string> fields, string labelField) =>
        JsonlLines.Read(path)
            .Select(r => new TaskExample(new SourceLine(r.File, r.Line),
                fields.ToDictionary(f => f, r.ScalarText),
                NonEmpty(r.OptionalLabel(labelField))))
            .ToList();

    static List<TaskExample> ReadCsv(string path, IReadOnlyList<string> fields, string labelField)
    {
        var list = new List<TaskExample>();
        // Bad quoting is an error (CsvHelper would otherwise repair it silently).
        var options = CsvReaderOptions.Default with
        {
            TrackLineNumbers = true, Separator = ',', MalformedData = CsvMalformedDataHandling.Throw,
        };
        using var csv = CsvReader.FromFile(path, options);
        try
        {
            csv.ReadHeader();
            var headers = csv.Headers;
            foreach (var f in fields)
                if (!headers.Contains(f))
                    throw new DataFormatException(path, 1, f, $"no such column; the header has {string.Join(", ", headers)}");
            var hasLabel = headers.Contains(labelField);
            while (csv.Read())
            {
                var line = (int)csv.LineNumber;
                if (csv.FieldCount != headers.Count)
                {
                    var missing = csv.FieldCount < headers.Count ? headers[csv.FieldCount] : "(record)";
                    throw new DataFormatException(path, line, missing,
                        $"the record has {csv.FieldCount} fields, the header has {headers.Count}");
                }
                var values = new Dictionary<string, string>();
                foreach (var f in fields)
                {
                    var v = csv.GetStringOrNull(f);
                    if (v is null) throw new DataFormatException(path, line, f, "missing");
                    values[f] = v;
                }
                var label = hasLabel ? NonEmpty(csv.GetStringOrNull(labelField)) : null;
                list.Add(new TaskExample(new SourceLine(path, line), values, label));
            }
        }
        catch (CsvFormatException e)
        {
            var line = e.LineNumber > 0 ? (int)e.LineNumber : (int)e.RecordNumber;
            throw new DataFormatException(path, line, e.Member ?? "(record)", $"malformed CSV: {e.Message}");
        }
        return list;
    }

    static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
