using System.Globalization;
using System.Text.Json;
using DP.Runtime.Data.Text;

namespace DP.Runtime.Data.Json;

/// <summary>Reads a JSON-lines file: one object per non-blank line, each with its 1-based line number.</summary>
public static class JsonlLines
{
    public static IEnumerable<JsonRecord> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file not found: {path}", path);
        foreach (var (lineNumber, text) in StrictUtf8.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new DataFormatException(path, lineNumber, "(line)", $"not valid JSON: {e.Message}");
            }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new DataFormatException(path, lineNumber, "(line)", "expected a JSON object");
                yield return new JsonRecord(path, lineNumber, doc.RootElement.Clone(), "");
            }
        }
    }
}

/// <summary>
/// A JSON object at a known place (file, line, field path) with typed accessors whose errors name that place.
/// </summary>
public readonly struct JsonRecord(string file, int line, JsonElement element, string path)
{
    public string File => file;
    public int Line => line;
    public JsonElement Element => element;

    string FieldPath(string name) => path.Length == 0 ? name : $"{path}.{name}";

    public DataFormatException Error(string field, string problem) => new(file, line, FieldPath(field), problem);

    JsonElement Required(string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw Error(name, "missing");
        return value;
    }

    public string String(string name)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.String) throw Error(name, $"expected a string, found {value.ValueKind}");
        return value.GetString()!;
    }

    public int Int(string name)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var i))
            throw Error(name, $"expected an integer, found {value.ValueKind}");
        return i;
    }

    public int? OptionalInt(string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Int(name) : null;

    /// <summary>A label as text: true/false for booleans, the literal for numbers, the string itself; null if absent.</summary>
    public string? OptionalLabel(string name)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.TryGetInt64(out var l)
                ? l.ToString(CultureInfo.InvariantCulture)
                : value.GetDouble().ToString(CultureInfo.InvariantCulture),
            _ => throw Error(name, $"expected a boolean, number or string label, found {value.ValueKind}"),
        };
    }

    /// <summary>Any scalar field as text (custom data fields may be numbers or booleans).</summary>
    public string ScalarText(string name)
    {
        var value = Required(name);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw Error(name, $"expected text, found {value.ValueKind}"),
        };
    }

    public JsonRecord Object(string name)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.Object) throw Error(name, $"expected an object, found {value.ValueKind}");
        return new JsonRecord(file, line, value, FieldPath(name));
    }

    public IEnumerable<JsonRecord> Objects(string name)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.Array) throw Error(name, $"expected an array, found {value.ValueKind}");
        var list = new List<JsonRecord>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{FieldPath(name)}[{i}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(file, line, itemPath, $"expected an object, found {item.ValueKind}");
            list.Add(new JsonRecord(file, line, item, itemPath));
            i++;
        }
        return list;
    }
}
