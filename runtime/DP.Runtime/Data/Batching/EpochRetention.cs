namespace DP.Runtime.Data.Batching;

/// <summary>
/// Keeps the batch lists of the two most recently requested epochs and disposes older ones, so a long run does
/// not wait on the garbage collector for tensor memory. Two, because a step that accumulates gradients over an
/// epoch boundary still holds batches of the previous epoch when it asks for the next one.
/// </summary>
internal sealed class EpochRetention
{
    const int Keep = 2;
    readonly Queue<BatchList> _issued = new();
    readonly Lock _lock = new();

    public BatchList Issue(BatchList list)
    {
        lock (_lock)
        {
            _issued.Enqueue(list);
            while (_issued.Count > Keep) _issued.Dequeue().Dispose();
        }
        return list;
    }
}
