using DP.Runtime.Data.Batching;
using DP.Runtime.Data.Sampling;
using DP.Runtime.Models;

namespace DP.Runtime.Data.Loading;

/// <summary>
/// Training batches of one task, bucketed by length; epoch e's batches depend only on (seed, e).
/// The source owns the batches; those of the two most recently requested epochs stay valid.
/// </summary>
public sealed class BucketedTrainSource : ITrainBatchSource
{
    readonly IReadOnlyList<EncodedExample> _examples;
    readonly int[] _lengths;
    readonly int _batchSize, _seed;
    readonly EpochRetention _retention = new();

    public BucketedTrainSource(IReadOnlyList<EncodedExample> examples, int batchSize, int seed, BatchLayout layout)
    {
        if (examples.Count == 0) throw new ArgumentException("the training set is empty");
        _examples = examples;
        _lengths = examples.Select(e => e.Length).ToArray();
        _batchSize = batchSize;
        _seed = seed;
        Layout = layout;
    }

    public IReadOnlyList<EncodedExample> Examples => _examples;
    public int BatchSize => _batchSize;
    public BatchLayout Layout { get; }
    public bool IsMultipleChoice => Layout.MultipleChoice;
    public int BatchesPerEpoch => (_examples.Count + _batchSize - 1) / _batchSize;

    public IReadOnlyList<ModelBatch> EpochBatches(int epoch) => _retention.Issue(Batches(SeedMix.Combine(_seed, epoch)));

    /// <summary>A bucketed pass over all examples for an arbitrary plan seed (not retained: the caller owns it).</summary>
    public BatchList Batches(int planSeed)
    {
        var plan = LengthBucketing.Plan(_lengths, _batchSize, planSeed)
            .Select(b => (IReadOnlyList<EncodedExample>)b.Select(i => _examples[i]).ToList())
            .ToList();
        return new BatchList(plan, Layout);
    }
}
