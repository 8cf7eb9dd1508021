using DP.Runtime.Data.SuperGlue;

namespace DP.Runtime.Data.Examples;

/// <summary>One candidate of a multiple-choice example: its text (for scoring) and the template fields it adds.</summary>
public sealed record Choice(string Text, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// A task-independent example: the named text fields a template reads, and either a raw label value
/// (classification; mapped to a class by the label words) or candidates with the right one's index
/// (multiple choice). Null label / answer = unlabeled (test files). <see cref="Idx"/> is the record's SuperGLUE
/// <c>idx</c> (a number, or MultiRC's paragraph/question/answer object) that a leaderboard submission repeats.
/// </summary>
public sealed record TaskExample(
    SourceLine Source,
    IReadOnlyDictionary<string, string> Fields,
    string? Label = null,
    IReadOnlyList<Choice>? Choices = null,
    int? Answer = null,
    string? Group = null,
    IReadOnlyList<string>? GoldAnswers = null,
    System.Text.Json.Nodes.JsonNode? Idx = null)
{
    public bool IsMultipleChoice => Choices is not null;
}
