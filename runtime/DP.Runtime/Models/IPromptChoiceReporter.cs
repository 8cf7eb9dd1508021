namespace DP.Runtime.Models;

/// <summary>
/// A model whose prompt placement is chosen per instance reports what it chose (eval-mode, no Gumbel noise):
/// the split point j (0 = prefix, n = postfix) and the kept prompt length ℓ for every row of the batch.
/// </summary>
public interface IPromptChoiceReporter
{
    (int[] Split, int[] Length) Choices(ModelBatch batch);
}
