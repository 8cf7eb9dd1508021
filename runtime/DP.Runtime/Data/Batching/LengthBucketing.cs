using DP.Runtime.Data.Sampling;

namespace DP.Runtime.Data.Batching;

/// <summary>
/// Groups examples of similar length into batches so padding stays small: shuffle, cut into windows of
/// <see cref="WindowBatches"/> batches, sort each window by length, cut it into batches, shuffle the batches.
/// Every example lands in exactly one batch; the result depends only on the lengths and the seed.
/// </summary>
public static class LengthBucketing
{
    /// <summary>Batches per sorting window: larger = less padding, less randomness in batch composition.</summary>
    public const int WindowBatches = 50;

    public static List<int[]> Plan(IReadOnlyList<int> lengths, int batchSize, int seed, int windowBatches = WindowBatches)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be positive");
        var rng = new Random(seed);
        var order = Enumerable.Range(0, lengths.Count).ToList();
        SeedMix.Shuffle(order, rng);
        var batches = new List<int[]>();
        var window = batchSize * Math.Max(1, windowBatches);
        for (var start = 0; start < order.Count; start += window)
        {
            // OrderBy is stable: equal lengths keep their shuffled order.
            var sorted = order.Skip(start).Take(window).OrderBy(i => lengths[i]).ToList();
            for (var b = 0; b < sorted.Count; b += batchSize)
                batches.Add(sorted.Skip(b).Take(batchSize).ToArray());
        }
        SeedMix.Shuffle(batches, rng);
        return batches;
    }

    /// <summary>Batches in random order with no length grouping (the baseline that bucketing improves on).</summary>
    public static List<int[]> RandomPlan(int count, int batchSize, int seed)
    {
        var order = Enumerable.Range(0, count).ToList();
        SeedMix.Shuffle(order, new Random(seed));
        return order.Chunk(batchSize).ToList();
    }

    /// <summary>Evaluation order: sorted by length, no randomness.</summary>
    public static List<int[]> Sorted(IReadOnlyList<int> lengths, int batchSize) =>
        Enumerable.Range(0, lengths.Count).OrderBy(i => lengths[i]).Chunk(batchSize).ToList();
}
