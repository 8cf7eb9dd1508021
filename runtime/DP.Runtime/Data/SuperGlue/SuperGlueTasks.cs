using DP.Generators.Model;
using DP.Runtime.Data.Examples;
using DP.Runtime.Experiments;

namespace DP.Runtime.Data.SuperGlue;

/// <summary>How a task is scored.</summary>
public enum MetricKind
{
    /// <summary>accuracy.</summary>
    Accuracy,
    /// <summary>accuracy and binary F1 of the second class.</summary>
    AccuracyF1,
    /// <summary>accuracy and macro-F1 (CB).</summary>
    AccuracyMacroF1,
    /// <summary>MultiRC: em (per question) and f1a (over all answers).</summary>
    MultiRc,
    /// <summary>ReCoRD: token-level em and f1 against the gold answers.</summary>
    Record,
}

/// <summary>
/// What a task is: the fields its template may use, its default template and label words, how it is scored,
/// and how its files turn into <see cref="TaskExample"/>s.
/// </summary>
public sealed record TaskDefinition(
    string Name,
    bool IsMultipleChoice,
    IReadOnlyList<string> Fields,
    string DefaultTemplate,
    IReadOnlyList<LabelWord> DefaultLabels,
    MetricKind Metric,
    Func<string, List<TaskExample>> Read);

/// <summary>
/// The SuperGLUE tasks with their default templates and verbalizers. RTE, BoolQ and WiC are the templates of
/// the dynamic prompting paper; the others are plain question forms in the same style.
/// Multiple-choice templates also see the candidate's fields ({choice} for COPA; {entity} and {query} with the
/// placeholder filled in for ReCoRD).
/// </summary>
public static class SuperGlueTasks
{
    static IReadOnlyDictionary<string, string> F(params (string Key, string Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value);

    static string? YesNo(bool? label) => label switch { null => null, true => "true", false => "false" };

    // Fields and default label words are the spec schema's (one table for the build's checks and the runtime).
    static IReadOnlyList<string> Fields(string task) => SpecSchema.SuperGlueFields(task);

    static LabelWord[] Labels(string task) => SpecSchema.SuperGlueLabels(task).Select(l => new LabelWord(l.Key, l.Value)).ToArray();

    public static TaskDefinition Get(SuperGlueTask task) => task switch
    {
        SuperGlueTask.RTE => new("rte", false, Fields("rte"),
            "sentence1: {premise} sentence2: {hypothesis}",
            Labels("rte"), MetricKind.Accuracy,
            path => SuperGlueReader.ReadRte(path)
                .Select(r => new TaskExample(r.Source, F(("premise", r.Premise), ("hypothesis", r.Hypothesis)), r.Label, Idx: r.Idx))
                .ToList()),
        SuperGlueTask.BoolQ => new("boolq", false, Fields("boolq"),
            "hypothesis: {question}. premise: {passage}", Labels("boolq"), MetricKind.Accuracy,
            path => SuperGlueReader.ReadBoolQ(path)
                .Select(r => new TaskExample(r.Source, F(("question", r.Question), ("passage", r.Passage)), YesNo(r.Label), Idx: r.Idx))
                .ToList()),
        SuperGlueTask.CB => new("cb", false, Fields("cb"),
            "sentence1: {premise} sentence2: {hypothesis}",
            Labels("cb"), MetricKind.AccuracyMacroF1,
            path => SuperGlueReader.ReadCb(path)
                .Select(r => new TaskExample(r.Source, F(("premise", r.Premise), ("hypothesis", r.Hypothesis)), r.Label, Idx: r.Idx))
                .ToList()),
        SuperGlueTask.WiC => new("wic", false, Fields("wic"),
            "sentence1: {sentence1} sentence2: {sentence2} word: {word}", Labels("wic"), MetricKind.Accuracy,
            path => SuperGlueReader.ReadWic(path)
                .Select(r => new TaskExample(r.Source,
                    F(("word", r.Word), ("sentence1", r.Sentence1), ("sentence2", r.Sentence2)), YesNo(r.Label), Idx: r.Idx))
                .ToList()),
        SuperGlueTask.WSC => new("wsc", false, Fields("wsc"),
            "{text} question: does \"{span2_text}\" refer to \"{span1_text}\"?", Labels("wsc"), MetricKind.Accuracy,
            path => SuperGlueReader.ReadWsc(path)
                .Select(r => new TaskExample(r.Source,
                    F(("text", r.Text), ("span1_text", r.Span1Text), ("span2_text", r.Span2Text)), YesNo(r.Label), Idx: r.Idx))
                .ToList()),
        SuperGlueTask.MultiRC => new("multirc", false, Fields("multirc"),
            "paragraph: {passage} question: {question} answer: {answer}", Labels("multirc"), MetricKind.MultiRc,
            path => SuperGlueReader.ReadMultiRc(path)
                .Select(r => new TaskExample(r.Source,
                    F(("passage", r.Passage), ("question", r.Question), ("answer", r.Answer)), YesNo(r.Label),
                    Group: r.QuestionKey,
                    Idx: new System.Text.Json.Nodes.JsonObject { ["paragraph"] = r.PassageIdx, ["question"] = r.QuestionIdx, ["answer"] = r.AnswerIdx }))
                .ToList()),
        SuperGlueTask.COPA => new("copa", true, Fields("copa"),
            "premise: {premise} {question}: {choice}", [], MetricKind.Accuracy,
            path => SuperGlueReader.ReadCopa(path)
                .Select(r => new TaskExample(r.Source,
                    F(("premise", r.Premise), ("question", r.Question), ("choice1", r.Choice1), ("choice2", r.Choice2)),
                    Choices: [new(r.Choice1, F(("choice", r.Choice1))), new(r.Choice2, F(("choice", r.Choice2)))],
                    Answer: r.Label, Idx: r.Idx))
                .ToList()),
        SuperGlueTask.ReCoRD => new("record", true, Fields("record"),
            "{query} [SEP] {passage}", [], MetricKind.Record,
            path => SuperGlueReader.ReadRecord(path).Select(RecordExample).ToList()),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown SuperGLUE task"),
    };

    static TaskExample RecordExample(RecordRecord r)
    {
        var choices = r.Candidates
            .Select(c => new Choice(c, F(("entity", c), ("query", r.Query.Replace("@placeholder", c, StringComparison.Ordinal)))))
            .ToList();
        int? answer = null;
        for (var i = 0; i < r.Candidates.Count && r.Answers.Count > 0; i++)
            if (r.Answers.Contains(r.Candidates[i])) { answer = i; break; }
        return new TaskExample(r.Source, F(("passage", r.Passage), ("query", r.Query)),
            Choices: choices, Answer: answer, Group: $"{r.PassageIdx}/{r.QueryIdx}",
            GoldAnswers: r.Answers.Count > 0 ? r.Answers : null,
            Idx: new System.Text.Json.Nodes.JsonObject { ["passage"] = r.PassageIdx, ["query"] = r.QueryIdx });
    }
}
