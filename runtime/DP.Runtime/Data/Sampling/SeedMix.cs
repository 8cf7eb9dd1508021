namespace DP.Runtime.Data.Sampling;

/// <summary>
/// Combines seeds into one deterministic 32-bit seed (SplitMix64 finaliser). string.GetHashCode and HashCode
/// are randomised per process, so they cannot give run-to-run reproducible streams.
/// </summary>
public static class SeedMix
{
    public static int Combine(params long[] parts)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var p in parts)
        {
            h ^= unchecked((ulong)p);
            h = unchecked((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL);
            h = unchecked((h ^ (h >> 27)) * 0x94D049BB133111EBUL);
            h ^= h >> 31;
        }
        return unchecked((int)(h ^ (h >> 32)));
    }

    /// <summary>A seeded random (System.Random with a seed is stable across runs and platforms).</summary>
    public static Random Random(params long[] parts) => new(Combine(parts));

    public static void Shuffle<T>(IList<T> list, Random rng)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
