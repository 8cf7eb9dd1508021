using DP.Runtime.Sweeps.Reports;
using Xunit;

namespace DP.Runtime.Tests.Sweeps;

/// <summary>The report's statistics against values computed by hand (and t tables).</summary>
public class SweepStatisticsTests
{
    [Fact]
    public void Mean_and_sample_standard_deviation()
    {
        var s = SweepStatistics.Summarize([0.6, 0.7, 0.8]);
        Assert.Equal(3, s.N);
        Assert.Equal(0.7, s.Mean, 12);
        Assert.Equal(0.1, s.Std!.Value, 12); // sqrt((0.01 + 0 + 0.01) / (3 - 1))
        Assert.Null(SweepStatistics.Summarize([0.5]).Std);
    }

    [Theory]
    [InlineData(1, 12.7062047)]
    [InlineData(2, 4.3026527)]
    [InlineData(4, 2.7764451)]
    [InlineData(30, 2.04227246)]
    public void T_quantiles_match_the_tables(int degreesOfFreedom, double expected)
        => Assert.Equal(expected, SweepStatistics.TQuantile(degreesOfFreedom), 6);

    [Fact]
    public void Paired_difference_with_its_t_interval()
    {
        // d = 0.1, 0.05, 0.1: mean 0.083333, sd 0.0288675, se 0.0166667, t(2) 4.3026527 → half-width 0.0717109.
        var d = SweepStatistics.Paired([(0.8, 0.7), (0.75, 0.7), (0.9, 0.8)]);
        Assert.Equal(3, d.N);
        Assert.Equal(0.0833333, d.Mean, 6);
        Assert.Equal(0.0116224, d.Low!.Value, 6);
        Assert.Equal(0.1550442, d.High!.Value, 6);
        Assert.True(d.Significant);

        var noisy = SweepStatistics.Paired([(0.8, 0.7), (0.6, 0.7)]);
        Assert.False(noisy.Significant); // mean 0, interval across 0

        var one = SweepStatistics.Paired([(0.8, 0.7)]);
        Assert.Equal((1, 0.1), (one.N, Math.Round(one.Mean, 12)));
        Assert.Null(one.Low);
        Assert.False(one.Significant);
    }
}
