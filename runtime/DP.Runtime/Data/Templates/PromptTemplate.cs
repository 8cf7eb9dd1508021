using System.Text;

namespace DP.Runtime.Data.Templates;

/// <summary>
/// A template over named fields: "{field}" inserts a field, "{{" and "}}" are literal braces, "{mask}" inserts
/// the tokenizer's mask token, and one "[SEP]" splits the result into a text pair (tokenized as two segments).
/// Unknown fields are rejected when the template is parsed, so a typo fails before any data is read.
/// </summary>
public sealed class PromptTemplate
{
    public const string PairSeparator = "[SEP]";
    public const string MaskField = "mask";

    // Each part: literal text (Field == null) or a field reference.
    readonly record struct Part(string? Literal, string? Field);

    readonly List<Part> _first;
    readonly List<Part>? _second;

    public string Source { get; }
    public IReadOnlyList<string> Fields { get; }
    public bool IsPair => _second is not null;

    /// <summary>How many {mask} placeholders the template has (a masked-LM verbalizer reads exactly one).</summary>
    public int MaskCount => _first.Concat(_second ?? []).Count(p => p.Field == MaskField);

    PromptTemplate(string source, List<Part> first, List<Part>? second)
    {
        Source = source;
        _first = first;
        _second = second;
        Fields = first.Concat(second ?? []).Where(p => p.Field is not null).Select(p => p.Field!).Distinct().ToList();
    }

    /// <summary>Parses <paramref name="template"/>; <paramref name="where"/> names it in errors (e.g. the spec field).</summary>
    public static PromptTemplate Parse(string template, IReadOnlyCollection<string> knownFields, string where = "template")
    {
        var halves = template.Split(PairSeparator);
        if (halves.Length > 2)
            throw new FormatException($"{where}: at most one {PairSeparator} is allowed, found {halves.Length - 1} in \"{template}\"");
        var first = ParseHalf(halves[0].TrimEnd(), knownFields, where, template);
        var second = halves.Length == 2 ? ParseHalf(halves[1].TrimStart(), knownFields, where, template) : null;
        return new PromptTemplate(template, first, second);
    }

    static List<Part> ParseHalf(string text, IReadOnlyCollection<string> known, string where, string template)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{' && i + 1 < text.Length && text[i + 1] == '{') { literal.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < text.Length && text[i + 1] == '}') { literal.Append('}'); i++; continue; }
            if (c == '}') throw new FormatException($"{where}: unmatched '}}' in \"{template}\"");
            if (c != '{') { literal.Append(c); continue; }
            var close = text.IndexOf('}', i + 1);
            if (close < 0) throw new FormatException($"{where}: unclosed '{{' in \"{template}\"");
            var name = text[(i + 1)..close].Trim();
            if (name != MaskField && !known.Contains(name))
                throw new FormatException(
                    $"{where}: unknown field '{{{name}}}' in \"{template}\"; known fields: {string.Join(", ", known.Select(k => "{" + k + "}"))}, {{mask}}");
            if (literal.Length > 0) { parts.Add(new Part(literal.ToString(), null)); literal.Clear(); }
            parts.Add(new Part(null, name));
            i = close;
        }
        if (literal.Length > 0) parts.Add(new Part(literal.ToString(), null));
        return parts;
    }

    /// <summary>The text (and pair, when the template has [SEP]) for one example's fields.</summary>
    public (string Text, string? Pair) Render(
        IReadOnlyDictionary<string, string> fields, string maskToken = "[MASK]",
        IReadOnlyDictionary<string, string>? extra = null)
    {
        return (RenderHalf(_first, fields, maskToken, extra), _second is null ? null : RenderHalf(_second, fields, maskToken, extra));
    }

    static string RenderHalf(List<Part> parts, IReadOnlyDictionary<string, string> fields, string mask,
        IReadOnlyDictionary<string, string>? extra)
    {
        var sb = new StringBuilder();
        foreach (var p in parts)
        {
            if (p.Field is null) { sb.Append(p.Literal); continue; }
            if (p.Field == MaskField) { sb.Append(mask); continue; }
            // Candidate fields (extra) shadow the example's own ({query} with the placeholder filled in).
            if (extra is not null && extra.TryGetValue(p.Field, out var e)) sb.Append(e);
            else if (fields.TryGetValue(p.Field, out var v)) sb.Append(v);
            else throw new KeyNotFoundException($"the example has no field '{p.Field}' used by the template \"{string.Join("", parts.Select(x => x.Literal ?? "{" + x.Field + "}"))}\"");
        }
        return sb.ToString();
    }
}
