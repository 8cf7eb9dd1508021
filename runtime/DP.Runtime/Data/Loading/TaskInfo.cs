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

    /// <summary>The template the rows were rendered with, as the spec names it (e.g. <c>task.template "…"</c>); null when unknown.</summary>
    public string? Template { get; init; }

    /// <summary>How many {mask} placeholders <see cref="Template"/> has; null when unknown.</summary>
    public int? TemplateMasks { get; init; }

    /// <summary>Classes of a classification task; 0 for multiple choice.</summary>
    public int NumClasses => LabelNames.Count;

    /// <summary>
    /// One token id per class, for a verbalizer that reads one logit per label word; a word that the tokenizer
    /// splits into several tokens (or none) is an error naming it.
    /// </summary>
    public int[] SingleTokenLabelWordIds(Func<int, string>? pieceText = null) =>
        LabelWordProblem(pieceText) is { } problem ? throw new ArgumentException(problem) : LabelWordIds.Select(ids => ids[0]).ToArray();

    /// <summary>
    /// Why the label words cannot be read as one logit each (the first word that is not exactly one token, with
    /// its pieces when <paramref name="pieceText"/> can show them), or null when every word is one token.
    /// </summary>
    public string? LabelWordProblem(Func<int, string>? pieceText = null)
    {
        for (var i = 0; i < LabelWordIds.Count; i++)
        {
            var ids = LabelWordIds[i];
            if (ids.Length == 1) continue;
            var label = i < LabelNames.Count ? $"label '{LabelNames[i]}': " : "";
            var pieces = ids.Length == 0 ? "no tokens"
                : $"{ids.Length} pieces ({string.Join(", ", ids.Select(id => pieceText is null ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"'{pieceText(id)}'"))})";
            return $"task.labels: {label}the label word '{LabelWords[i]}' of {Name} is {pieces}; a verbalizer reads one logit per label word, so choose a word the tokenizer keeps whole";
        }
        return null;
    }
}

/// <summary>A task without its data files (<see cref="TaskDataLoader.Describe"/>): what predicting on new inputs needs.</summary>
public sealed record TaskDescription(
    TaskInfo Info,
    DP.Runtime.Data.SuperGlue.TaskDefinition Definition,
    TaskEncoder Encoder,
    DP.Runtime.Data.Batching.BatchLayout Layout,
    DP.Runtime.Data.SuperGlue.MetricKind Metric,
    int PositiveClass);
