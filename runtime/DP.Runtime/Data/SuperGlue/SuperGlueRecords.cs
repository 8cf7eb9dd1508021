namespace DP.Runtime.Data.SuperGlue;

// Typed records of the official SuperGLUE JSONL files. Labels are null in unlabeled (test) files.
// Every record keeps the line it came from so later errors (e.g. an unknown label) can name it.

/// <summary>Where a record came from.</summary>
public readonly record struct SourceLine(string File, int Line)
{
    public override string ToString() => $"{File}, line {Line}";
}

public sealed record BoolQRecord(SourceLine Source, int Idx, string Question, string Passage, bool? Label);

public sealed record CbRecord(SourceLine Source, int Idx, string Premise, string Hypothesis, string? Label);

public sealed record RteRecord(SourceLine Source, int Idx, string Premise, string Hypothesis, string? Label);

public sealed record CopaRecord(
    SourceLine Source, int Idx, string Premise, string Choice1, string Choice2, string Question, int? Label);

public sealed record WicRecord(
    SourceLine Source, int Idx, string Word, string Sentence1, string Sentence2,
    int Start1, int End1, int Start2, int End2, bool? Label);

public sealed record WscRecord(
    SourceLine Source, int Idx, string Text, string Span1Text, int Span1Index, string Span2Text, int Span2Index,
    bool? Label);

/// <summary>One (passage, question, answer) triple; <see cref="QuestionKey"/> groups the answers of a question.</summary>
public sealed record MultiRcRecord(
    SourceLine Source, int PassageIdx, int QuestionIdx, int AnswerIdx, string Passage, string Question, string Answer,
    bool? Label)
{
    public string QuestionKey => $"{PassageIdx}/{QuestionIdx}";
}

/// <summary>An entity span of a ReCoRD passage; <see cref="End"/> is inclusive as in the official files.</summary>
public sealed record RecordEntity(int Start, int End, string Text);

/// <summary>
/// One ReCoRD query: the candidates are the distinct texts of the passage's entity spans (in order of appearance),
/// the answers the gold entity texts (empty when unlabeled).
/// </summary>
public sealed record RecordRecord(
    SourceLine Source, int PassageIdx, int QueryIdx, string Passage, string Query,
    IReadOnlyList<string> Candidates, IReadOnlyList<string> Answers);
