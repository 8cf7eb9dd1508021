using System.Globalization;

namespace DP.Runtime.Sweeps.Cluster;

/// <summary>Slurm's <c>--array</c> value: trial indices as ranges (<c>0-3,5,7-9</c>), then <c>%M</c> tasks at a time.</summary>
public static class ArraySpec
{
    public static string Format(IEnumerable<int> indices, int? maxParallel)
    {
        var sorted = indices.Distinct().Order().ToList();
        if (sorted.Count == 0) throw new ArgumentException("an array needs at least one index.");
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? Text(sorted[i]) : $"{Text(sorted[i])}-{Text(sorted[j])}");
            i = j + 1;
        }
        return string.Join(',', parts) + (maxParallel is int m ? "%" + Text(m) : "");
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
