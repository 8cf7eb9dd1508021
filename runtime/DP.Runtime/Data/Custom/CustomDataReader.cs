using CsvHelper;
using DP.Runtime.Data.Examples;
using DP.Runtime.Data.Json;
using DP.Runtime.Data.SuperGlue;
using DP.Runtime.Data.Text;
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
        // No file content in CsvHelper's messages.
        var options = CsvReaderOptions.Default with
        {
            TrackLineNumbers = true, Separator = ',', MalformedData = CsvMalformedDataHandling.Throw,
            IncludeValuesInExceptions = false,
        };
        // Decoded strictly here: CsvHelper reads invalid UTF-8 as U+FFFD whatever its Encoding option says.
        using var csv = CsvReader.FromText(StrictUtf8.ReadAllText(path), options);
        try
        {
            csv.ReadHeader();
            var headers = csv.Headers;
            foreach (var f in fields)
                if (!headers.Contains(f))
                    throw new DataFormatException(path, 1, f, MissingColumn(headers, f));
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

    /// <summary>
    /// Says the column is missing without echoing the header: the file may be any file at all (a wrong path), so
    /// only a header cell that is the field's name in other case or spelling (Text, TEXT, te_xt) is named.
    /// </summary>
    static string MissingColumn(IReadOnlyList<string> headers, string field)
    {
        static string Key(string name) => new string(name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        var close = headers.FirstOrDefault(h => Key(h) == Key(field));
        return close is null
            ? $"no such column in the header row (line 1, {headers.Count} columns); it must name every field in task.fields"
            : $"no such column in the header row; did you mean '{close}'? (column names are case-sensitive)";
    }

    static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
