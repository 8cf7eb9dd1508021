using DP.Runtime.Models;
using TorchSharp;

namespace DP.Runtime.Data.Batching;

/// <summary>
/// Pads encoded examples into a <see cref="ModelBatch"/> (CPU int64 tensors, padded as the <see cref="BatchLayout"/> says). The tensors
/// are detached from any enclosing dispose scope: the batch's owner (a batch list) decides when they go.
/// </summary>
public static class BatchCollator
{
    public static ModelBatch Collate(IReadOnlyList<EncodedExample> examples, BatchLayout layout)
    {
        if (examples.Count == 0) throw new ArgumentException("cannot build an empty batch");
        var rows = examples.SelectMany(e => e.Ids).ToList();
        var types = examples.SelectMany(e => e.TypeIds).ToList();
        var width = layout.Width(rows.Max(r => r.Length));
        var ids = new long[rows.Count * width];
        var mask = new long[rows.Count * width];
        var typeIds = new long[rows.Count * width];
        Array.Fill(ids, layout.PadId);
        for (var r = 0; r < rows.Count; r++)
            for (var t = 0; t < rows[r].Length; t++)
            {
                ids[r * width + t] = rows[r][t];
                mask[r * width + t] = 1;
                typeIds[r * width + t] = types[r][t];
            }
        long[] shape = [rows.Count, width];
        return new ModelBatch(
            torch.tensor(ids, shape, torch.int64).DetachFromDisposeScope(),
            torch.tensor(mask, shape, torch.int64).DetachFromDisposeScope(),
            torch.tensor(typeIds, shape, torch.int64).DetachFromDisposeScope(),
            torch.tensor(examples.Select(e => (long)e.Label).ToArray(), torch.int64).DetachFromDisposeScope(),
            examples.Select(e => e.Key).ToArray(),
            layout.MultipleChoice ? examples.Select(e => e.Ids.Length).ToArray() : null);
    }
}
