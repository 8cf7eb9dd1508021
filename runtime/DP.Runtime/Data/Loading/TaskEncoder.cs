using DP.Runtime.Data.Batching;
using DP.Runtime.Data.Examples;
using DP.Runtime.Data.Templates;
using DP.Runtime.Tokenization;

namespace DP.Runtime.Data.Loading;

/// <summary>
/// Turns examples into token ids through a template, and labels into class indices. Over-long inputs are cut in
/// their longest field, not at the end of the rendered text, so the template's words and the short fields (the
/// hypothesis, the question, the answer) always survive; the tokenizer's own truncation is the last resort.
/// </summary>
public sealed class TaskEncoder(
    int taskId, PromptTemplate template, IReadOnlyList<string> labelValues, ITextTokenizer tokenizer, int maxLength,
    string maskToken)
{
    const int Unlimited = 1 << 20;
    const int MaxShortenings = 24;

    public int TaskId => taskId;

    /// <summary>The class index of a label value, -1 when unlabeled; an unknown value names the example's line.</summary>
    public int ClassIndex(TaskExample example)
    {
        if (example.IsMultipleChoice) return example.Answer ?? -1;
        if (example.Label is null) return -1;
        for (var i = 0; i < labelValues.Count; i++)
            if (labelValues[i] == example.Label) return i;
        throw new DataFormatException(example.Source.File, example.Source.Line, "label",
            $"value '{example.Label}' is not one of the task's labels ({string.Join(", ", labelValues)})");
    }

    public EncodedExample Encode(TaskExample example, int index, DataSplit split = DataSplit.Train)
    {
        var label = ClassIndex(example);
        var rows = example.Choices is { } choices
            ? choices.Select(c => Row(example.Fields, c.Fields)).ToArray()
            : [Row(example.Fields, null)];
        if (rows.Length == 0)
            throw new DataFormatException(example.Source.File, example.Source.Line, "candidates", "the example has no candidates");
        return new EncodedExample(EncodedExample.MakeKey(taskId, index, split), label,
            rows.Select(r => r.Ids).ToArray(), rows.Select(r => r.TokenTypeIds).ToArray());
    }

    /// <summary>Encodes one row, shortening the longest field (at a word boundary) until it fits.</summary>
    public EncodedText Row(IReadOnlyDictionary<string, string> exampleFields, IReadOnlyDictionary<string, string>? extra)
    {
        var fields = new Dictionary<string, string>(exampleFields);
        if (extra is not null) foreach (var (k, v) in extra) fields[k] = v;
        for (var attempt = 0; attempt < MaxShortenings; attempt++)
        {
            var (text, pair) = template.Render(fields, maskToken);
            var full = tokenizer.Encode(text, pair, Unlimited);
            var overflow = full.Ids.Length - maxLength;
            if (overflow <= 0) return full;
            var (name, tokens) = template.Fields
                .Where(fields.ContainsKey)
                .Select(f => (Name: f, Tokens: tokenizer.EncodeWords(fields[f]).Length))
                .MaxBy(f => f.Tokens);
            if (name is null || tokens == 0) break;
            fields[name] = Shorten(fields[name], Math.Max(0, tokens - overflow), tokens);
        }
        var (t, p) = template.Render(fields, maskToken);
        return tokenizer.Encode(t, p, maxLength);
    }

    /// <summary>About <paramref name="keep"/> of <paramref name="tokens"/> tokens' worth of text, cut at a space.</summary>
    static string Shorten(string text, int keep, int tokens)
    {
        if (keep == 0) return "";
        var chars = (int)((long)text.Length * keep / tokens);
        chars = Math.Min(chars, text.Length - 1);
        var space = text.LastIndexOf(' ', Math.Max(0, chars));
        var cut = space > 0 ? space : chars;
        return text[..Math.Max(0, cut)].TrimEnd();
    }
}
