namespace DP.Runtime.Models;

/// <summary>
/// A model whose prompt placement is chosen per instance reports what it chose (eval-mode, no Gumbel noise):
/// the split point j (0 = prefix, n = postfix) and the kept prompt length ℓ for every row of the batch.
/// </summary>
public interface IPromptChoiceReporter
{
    (int[] Split, int[] Length) Choices(ModelBatch batch);

    /// <summary>Whether the split point is chosen (a fixed prefix or postfix is not): only a chosen one is reported.</summary>
    bool ChoosesSplit => true;

    /// <summary>Whether the prompt length is chosen (a fixed length is not).</summary>
    bool ChoosesLength => true;

    /// <summary>The prompt length n: split points and kept lengths range over 0…n.</summary>
    int MaxChoice => 0;
}
