namespace DP.Runtime.Models;

/// <summary>
/// A dynamic-prompting model that can say what it chose for each example of a batch: the split point of the
/// prompt around the input and the prompt length. The trainer uses it to report the distribution of choices
/// on the validation set.
/// </summary>
public interface IPromptChoiceReporter
{
    (int[] split, int[] length) Choices(ModelBatch batch);
}
