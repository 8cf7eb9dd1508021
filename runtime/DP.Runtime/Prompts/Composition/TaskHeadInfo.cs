using DP.Runtime.Data.Loading;
using DP.Runtime.Tokenization;

namespace DP.Runtime.Prompts.Composition;

/// <summary>
/// What the head must produce for a task. Classification: <see cref="NumClasses"/> scores per example (linear head)
/// or the logits of <see cref="LabelWordIds"/> (verbalizer, one word per class). Multiple choice: one score per
/// candidate row, grouped per example by ModelBatch.ChoiceCounts. What an encoder–decoder's decoder
/// reads before the label word is <see cref="DP.Runtime.Experiments.HeadOptions.DecoderPrefix"/>.
/// </summary>
public sealed record TaskHeadInfo(
    int NumClasses,
    IReadOnlyList<int>? LabelWordIds = null,
    bool MultipleChoice = false)
{
    /// <summary>Why the task has no <see cref="LabelWordIds"/> (a word of several pieces): a verbalizer head reports it.</summary>
    public string? LabelWordProblem { get; init; }

    /// <summary>The task's template as the spec names it, and its number of {mask} placeholders (null: unknown, not checked).</summary>
    public string? TemplateSource { get; init; }
    public int? TemplateMasks { get; init; }

    /// <summary>The head's view of a loaded task; label words are kept only when each is exactly one token.</summary>
    public static TaskHeadInfo Of(TaskInfo info, ITextTokenizer tokenizer)
    {
        var problem = info.LabelWordIds.Count == 0 ? null : info.LabelWordProblem(id => tokenizer.Decode([id]));
        var words = info.LabelWordIds.Count == 0 || problem is not null ? null : info.SingleTokenLabelWordIds();
        return new TaskHeadInfo(info.NumClasses, words, info.IsMultipleChoice)
        {
            LabelWordProblem = problem, TemplateSource = info.Template, TemplateMasks = info.TemplateMasks,
        };
    }
}
