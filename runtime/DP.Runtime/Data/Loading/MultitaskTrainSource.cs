using DP.Runtime.Data.Batching;
using DP.Runtime.Data.Sampling;
using DP.Runtime.Experiments;
using DP.Runtime.Models;

namespace DP.Runtime.Data.Loading;

/// <summary>
/// Mixes several tasks' training batches. Each batch holds one task (label spaces and multiple-choice rows differ
/// between tasks; the task is the high half of every example key); which task fills each slot is drawn with the
/// mixing rates. Examples-proportional: rate ∝ min(n, cap). Temperature: rate ∝ min(n, cap)^(1/T).
/// An epoch has as many batches as one pass over every task; it depends only on (seed, epoch). The source owns the
/// batches; those of the two most recently requested epochs stay valid.
/// </summary>
public sealed class MultitaskTrainSource : ITrainBatchSource
{
    readonly IReadOnlyList<BucketedTrainSource> _tasks;
    readonly int _seed;
    readonly EpochRetention _retention = new();

    public MultitaskTrainSource(IReadOnlyList<BucketedTrainSource> tasks, MultitaskMixing mixing, int cap,
        double temperature, int seed)
    {
        if (tasks.Count == 0) throw new ArgumentException("no tasks to mix");
        _tasks = tasks;
        _seed = seed;
        Rates = MixingRates(tasks.Select(t => t.Examples.Count).ToList(), mixing, cap, temperature);
        BatchesPerEpoch = tasks.Sum(t => t.BatchesPerEpoch);
    }

    /// <summary>The probability that a batch comes from each task (same order as the tasks).</summary>
    public IReadOnlyList<double> Rates { get; }

    public int BatchesPerEpoch { get; }

    public static double[] MixingRates(IReadOnlyList<int> sizes, MultitaskMixing mixing, int cap, double temperature)
    {
        if (cap <= 0) throw new ArgumentOutOfRangeException(nameof(cap), cap, "mixing cap must be positive");
        if (mixing == MultitaskMixing.Temperature && temperature <= 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "mixing temperature must be positive");
        var weights = sizes.Select(n => (double)Math.Min(n, cap))
            .Select(w => mixing == MultitaskMixing.Temperature ? Math.Pow(w, 1.0 / temperature) : w)
            .ToArray();
        var sum = weights.Sum();
        return weights.Select(w => w / sum).ToArray();
    }

    public IReadOnlyList<ModelBatch> EpochBatches(int epoch)
    {
        var rng = SeedMix.Random(_seed, epoch, 0x1A5C);
        var streams = new List<IReadOnlyList<EncodedExample>>[_tasks.Count];
        var rounds = new int[_tasks.Count];
        var positions = new int[_tasks.Count];
        var plan = new List<IReadOnlyList<EncodedExample>>(BatchesPerEpoch);
        var layouts = new List<BatchLayout>(BatchesPerEpoch);
        for (var slot = 0; slot < BatchesPerEpoch; slot++)
        {
            var t = Draw(rng);
            // Each task walks through its own bucketed passes; a new pass (round) starts when one is used up.
            if (streams[t] is null || positions[t] == streams[t].Count)
            {
                streams[t] = _tasks[t].Batches(SeedMix.Combine(_seed, epoch, t, rounds[t]++)).Plan.ToList();
                positions[t] = 0;
            }
            plan.Add(streams[t][positions[t]++]);
            layouts.Add(_tasks[t].Layout);
        }
        return _retention.Issue(new BatchList(plan, layouts));
    }

    int Draw(Random rng)
    {
        var u = rng.NextDouble();
        for (var i = 0; i < Rates.Count; i++)
        {
            u -= Rates[i];
            if (u < 0) return i;
        }
        return Rates.Count - 1;
    }
}
