using DP.Runtime.Experiments;

namespace DP.Runtime.Data.Sampling;

/// <summary>
/// Picks a few-shot training subset: k examples per label, or k in total spread as evenly as the labels allow.
/// The choice depends only on the labels and the seed.
/// </summary>
public static class FewShotSampler
{
    /// <param name="labels">Class (or right-candidate) index per example; negative = unlabeled (never picked).</param>
    /// <returns>Indices of the chosen examples, ascending.</returns>
    public static int[] Sample(IReadOnlyList<int> labels, FewShotOptions options, string taskName = "task")
    {
        if (options.PerLabel is null == options.Total is null)
            throw new ArgumentException($"{taskName}: few_shot needs exactly one of per_label and total");
        var rng = SeedMix.Random(options.Seed, 0x5EED);
        var byClass = labels.Select((label, index) => (label, index))
            .Where(x => x.label >= 0)
            .GroupBy(x => x.label)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var list = g.Select(x => x.index).ToList();
                SeedMix.Shuffle(list, rng);
                return (Label: g.Key, Indices: list);
            })
            .ToList();
        if (byClass.Count == 0) throw new ArgumentException($"{taskName}: few-shot sampling found no labeled examples");

        var chosen = new List<int>();
        if (options.PerLabel is int k)
        {
            if (k <= 0) throw new ArgumentException($"{taskName}: few_shot.per_label must be positive, got {k}");
            foreach (var (label, indices) in byClass)
            {
                if (indices.Count < k)
                    throw new ArgumentException($"{taskName}: label {label} has {indices.Count} training examples, few_shot.per_label asks for {k}");
                chosen.AddRange(indices.Take(k));
            }
        }
        else
        {
            var total = options.Total!.Value;
            var available = byClass.Sum(c => c.Indices.Count);
            if (total <= 0 || total > available)
                throw new ArgumentException($"{taskName}: few_shot.total is {total} but there are {available} labeled training examples");
            // Round-robin over classes in a seeded order: balanced, and short classes give their share to the rest.
            var order = Enumerable.Range(0, byClass.Count).ToList();
            SeedMix.Shuffle(order, rng);
            var taken = new int[byClass.Count];
            while (chosen.Count < total)
                foreach (var c in order)
                {
                    if (chosen.Count == total) break;
                    if (taken[c] < byClass[c].Indices.Count) chosen.Add(byClass[c].Indices[taken[c]++]);
                }
        }
        chosen.Sort();
        return chosen.ToArray();
    }
}
