using MathNet.Numerics.Distributions;

namespace DP.Runtime.Sweeps.Reports;

/// <summary>Mean ± sample standard deviation of one configuration's scores over its seeds.</summary>
public sealed record Summary(int N, double Mean, double? Std);

/// <summary>
/// A paired comparison over the seeds two configurations share: the mean of the per-seed differences and its 95 %
/// confidence interval from the paired t distribution (n − 1 degrees of freedom); no interval with fewer than 2 pairs.
/// </summary>
public sealed record PairedDifference(int N, double Mean, double? Low, double? High)
{
    /// <summary>The interval lies wholly above or below zero.</summary>
    public bool Significant => Low > 0 || High < 0;
}

/// <summary>The statistics of sweep reports. The t quantile is Math.NET Numerics' Student t inverse CDF.</summary>
public static class SweepStatistics
{
    public const double Confidence = 0.95;

    public static Summary Summarize(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values to summarise", nameof(values));
        var mean = values.Average();
        return new Summary(values.Count, mean, values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : null);
    }

    /// <summary>Two-sided quantile of Student's t with <paramref name="degreesOfFreedom"/>: t such that P(|T| ≤ t) = confidence.</summary>
    public static double TQuantile(int degreesOfFreedom, double confidence = Confidence)
        => StudentT.InvCDF(0, 1, degreesOfFreedom, 1 - (1 - confidence) / 2);

    /// <summary>Differences <c>treatment − baseline</c> paired by seed.</summary>
    public static PairedDifference Paired(IReadOnlyList<(double Treatment, double Baseline)> pairs)
    {
        if (pairs.Count == 0) throw new ArgumentException("no pairs to compare", nameof(pairs));
        var d = Summarize(pairs.Select(p => p.Treatment - p.Baseline).ToList());
        if (d.Std is not double sd) return new PairedDifference(d.N, d.Mean, null, null);
        var half = TQuantile(d.N - 1) * sd / Math.Sqrt(d.N);
        return new PairedDifference(d.N, d.Mean, d.Mean - half, d.Mean + half);
    }
}
