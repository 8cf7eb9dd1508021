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
    /// <summary>Classes of a classification task; 0 for multiple choice.</summary>
    public int NumClasses => LabelNames.Count;
}
