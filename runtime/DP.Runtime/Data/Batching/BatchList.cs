using System.Collections;
using DP.Runtime.Models;

namespace DP.Runtime.Data.Batching;

/// <summary>
/// Batches built when first read and kept: reading an index again gives the same batch. The list owns its
/// batches (readers must not dispose them); <see cref="Dispose"/> frees those built so far. Only token ids are
/// held until a batch is read, so a large set costs no tensor memory up front.
/// </summary>
public sealed class BatchList : IReadOnlyList<ModelBatch>, IDisposable
{
    readonly IReadOnlyList<IReadOnlyList<EncodedExample>> _plan;
    readonly IReadOnlyList<BatchLayout> _layouts;
    readonly ModelBatch?[] _built;
    bool _disposed;

    public BatchList(IReadOnlyList<IReadOnlyList<EncodedExample>> plan, BatchLayout layout)
        : this(plan, Enumerable.Repeat(layout, plan.Count).ToList())
    {
    }

    /// <summary>A list whose batches may differ in layout (multitask: one task per batch).</summary>
    public BatchList(IReadOnlyList<IReadOnlyList<EncodedExample>> plan, IReadOnlyList<BatchLayout> layouts)
    {
        if (layouts.Count != plan.Count) throw new ArgumentException("one layout per batch is needed");
        _plan = plan;
        _layouts = layouts;
        _built = new ModelBatch?[plan.Count];
    }

    public int Count => _plan.Count;

    public ModelBatch this[int index]
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _built[index] ??= BatchCollator.Collate(_plan[index], _layouts[index]);
        }
    }

    /// <summary>The examples of each batch, in order (no tensors).</summary>
    public IReadOnlyList<IReadOnlyList<EncodedExample>> Plan => _plan;

    public IEnumerator<ModelBatch> GetEnumerator()
    {
        for (var i = 0; i < _plan.Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        for (var i = 0; i < _built.Length; i++)
        {
            _built[i]?.Dispose();
            _built[i] = null;
        }
    }
}
