namespace DP.Generators.Model;

/// <summary>
/// Message texts for a bad value, shared by the build's diagnostics and the runtime's <c>--set</c> errors
/// (linked into DP.Runtime), with string.Format placeholders.
/// </summary>
internal static class SpecMessages
{
    public const string WrongType = "'{0}' must be {1}, but '{2}' is not; write e.g. {3}";

    public const string OutOfRange = "'{0}' is {1} but must be {2}";

    public const string UnknownChoice = "'{0}' cannot be '{1}'{2}; write one of: {3}";

    public const string InvalidName = "Experiment name '{0}' must be lowercase letters, digits and '-' only (e.g. 'sentiment-dp')";
}
