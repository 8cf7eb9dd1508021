namespace DP.Runtime.Data.Loading;

/// <summary>
/// What a model needs to know about a task: its id (the high 32 bits of its example keys), classes and label
/// words (classification), whether rows are candidates (multiple choice), and which metrics score it.
/// </summary>
public sealed record TaskInfo(
    int TaskId,
    string Name,
    bool IsMultipleChoice,
    IReadOnlyList<string> LabelNames,
    IReadOnlyList<string> LabelWords,
    IReadOnlyList<int[]> LabelWordIds,
    string PrimaryMetric,
    IReadOnlyList<string> Metrics,
    int TrainExamples,
    int MaxChoices)
{
    /// <summary>Things about the data a user should know before training (e.g. a one-class training set).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Classes of a classification task; 0 for multiple choice.</summary>
    public int NumClasses => LabelNames.Count;

    /// <summary>
    /// One token id per class, for a verbalizer that reads one logit per label word; a word that the tokenizer
    /// splits into several tokens (or none) is an error naming it.
    /// </summary>
    public int[] SingleTokenLabelWordIds() => LabelWordIds
        .Select((ids, i) => ids.Length == 1
            ? ids[0]
            : throw new ArgumentException(
                $"task.labels: the label word '{LabelWords[i]}' of {Name} is {ids.Length} tokens; a verbalizer needs one token per word"))
        .ToArray();
}
