namespace DP.Runtime.Prompts.Composition;

/// <summary>
/// What the head must produce for a task. Classification: <see cref="NumClasses"/> scores per example (linear head)
/// or the logits of <see cref="LabelWordIds"/> (verbalizer, one word per class). Multiple choice: one score per
/// candidate row, grouped per example by ModelBatch.ChoiceCounts. <see cref="DecoderPrefixIds"/> is what an
/// encoder–decoder's decoder reads before the label word (its start token, optionally a sentinel); null = [Pad].
/// </summary>
public sealed record TaskHeadInfo(
    int NumClasses,
    IReadOnlyList<int>? LabelWordIds = null,
    bool MultipleChoice = false,
    IReadOnlyList<int>? DecoderPrefixIds = null);
