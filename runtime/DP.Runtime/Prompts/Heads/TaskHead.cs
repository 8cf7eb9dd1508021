namespace DP.Runtime.Prompts.Heads;

/// <summary>
/// The head that scores one task of a model and whether that task's rows are multiple-choice candidates. A
/// multitask model has one per task (task id = position in its list), since tasks differ in classes and label words.
/// </summary>
public sealed record TaskHead(IScoreHead Head, bool MultipleChoice);
