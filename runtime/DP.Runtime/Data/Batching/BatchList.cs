using System.Collections;
using DP.Runtime.Models;

namespace DP.Runtime.Data.Batching;

/// <summary>
/// Batches built on access: each read of an item creates fresh tensors, which the reader owns and disposes.
/// Keeps memory flat for large sets (only the token ids are held, not an epoch of tensors).
/// </summary>
public sealed class BatchList(IReadOnlyList<IReadOnlyList<EncodedExample>> plan, int padId, bool multipleChoice)
    : IReadOnlyList<ModelBatch>
{
    public int Count => plan.Count;

    public ModelBatch this[int index] => BatchCollator.Collate(plan[index], padId, multipleChoice);

    /// <summary>The examples of each batch, in order (no tensors).</summary>
    public IReadOnlyList<IReadOnlyList<EncodedExample>> Plan => plan;

    public IEnumerator<ModelBatch> GetEnumerator()
    {
        for (var i = 0; i < plan.Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
