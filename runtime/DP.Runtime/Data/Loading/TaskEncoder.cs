using DP.Runtime.Data.Batching;
using DP.Runtime.Data.Examples;
using DP.Runtime.Data.Templates;
using DP.Runtime.Tokenization;

namespace DP.Runtime.Data.Loading;

/// <summary>Turns examples into token ids through a template, and labels into class indices.</summary>
public sealed class TaskEncoder(
    int taskId, PromptTemplate template, IReadOnlyList<string> labelValues, ITextTokenizer tokenizer, int maxLength,
    string maskToken)
{
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

    public EncodedExample Encode(TaskExample example, int index)
    {
        var label = ClassIndex(example);
        var rows = example.Choices is { } choices
            ? choices.Select(c => Row(example, c.Fields)).ToArray()
            : [Row(example, null)];
        if (rows.Length == 0)
            throw new DataFormatException(example.Source.File, example.Source.Line, "candidates", "the example has no candidates");
        return new EncodedExample(EncodedExample.MakeKey(taskId, index), label,
            rows.Select(r => r.Ids).ToArray(), rows.Select(r => r.TokenTypeIds).ToArray());
    }

    EncodedText Row(TaskExample example, IReadOnlyDictionary<string, string>? extra)
    {
        var (text, pair) = template.Render(example.Fields, maskToken, extra);
        return tokenizer.Encode(text, pair, maxLength);
    }
}
