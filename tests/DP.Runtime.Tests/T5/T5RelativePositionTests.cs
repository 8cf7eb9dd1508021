using DP.Runtime.Backbones.T5;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.T5;

public class T5RelativePositionTests
{
    // Expected buckets worked out by hand from the published formula (relative position r = key − query):
    // bidirectional: n = buckets/2 per side, keys after the query add n; |r| < n/2 is its own bucket, else
    // n/2 + floor(log(|r| / (n/2)) / log(max_distance / (n/2)) · (n − n/2)), capped at n − 1.
    // causal: keys after the query are bucket 0; for r ≤ 0 the same rule with n = buckets and distance −r.
    // E.g. buckets 32, max 128, bidirectional, r = −40: 8 + floor(ln 5 / ln 16 · 8) = 8 + floor(4.64) = 12.
    public static TheoryData<long, long, long> Default32x128 => new()
    {
        // r, bidirectional bucket, causal bucket
        { -1000, 15, 31 }, { -200, 15, 31 }, { -128, 15, 31 }, { -127, 15, 31 }, { -100, 15, 30 },
        { -64, 14, 26 }, { -40, 12, 23 }, { -32, 12, 21 }, { -20, 10, 17 }, { -16, 10, 16 }, { -12, 9, 12 },
        { -9, 8, 9 }, { -8, 8, 8 }, { -7, 7, 7 }, { -1, 1, 1 }, { 0, 0, 0 },
        { 1, 17, 0 }, { 7, 23, 0 }, { 8, 24, 0 }, { 9, 24, 0 }, { 12, 25, 0 }, { 16, 26, 0 }, { 20, 26, 0 },
        { 32, 28, 0 }, { 40, 28, 0 }, { 64, 30, 0 }, { 100, 31, 0 }, { 127, 31, 0 }, { 128, 31, 0 }, { 1000, 31, 0 },
    };

    public static TheoryData<long, long, long> Small8x20 => new()
    {
        { -30, 3, 7 }, { -20, 3, 7 }, { -19, 3, 7 }, { -10, 3, 6 }, { -7, 3, 5 }, { -6, 2, 5 }, { -5, 2, 4 },
        { -4, 2, 4 }, { -3, 2, 3 }, { -2, 2, 2 }, { -1, 1, 1 }, { 0, 0, 0 },
        { 1, 5, 0 }, { 2, 6, 0 }, { 3, 6, 0 }, { 5, 6, 0 }, { 7, 7, 0 }, { 20, 7, 0 }, { 30, 7, 0 },
    };

    [Theory]
    [MemberData(nameof(Default32x128))]
    public void BucketsMatchHandTableFor32BucketsMaxDistance128(long relative, long bidirectional, long causal)
    {
        using var r = torch.tensor(new[] { relative });
        Assert.Equal(bidirectional, RelativePositionBuckets.Compute(r, true, 32, 128).item<long>());
        Assert.Equal(causal, RelativePositionBuckets.Compute(r, false, 32, 128).item<long>());
    }

    [Theory]
    [MemberData(nameof(Small8x20))]
    public void BucketsMatchHandTableFor8BucketsMaxDistance20(long relative, long bidirectional, long causal)
    {
        using var r = torch.tensor(new[] { relative });
        Assert.Equal(bidirectional, RelativePositionBuckets.Compute(r, true, 8, 20).item<long>());
        Assert.Equal(causal, RelativePositionBuckets.Compute(r, false, 8, 20).item<long>());
    }

    [Fact]
    public void MatrixIsKeyMinusQuery()
    {
        // Row = query, column = key: query 3 looking at key 0 is r = −3, at key 5 is r = +2.
        using var m = RelativePositionBuckets.ForLengths(6, 6, bidirectional: true, numBuckets: 32, maxDistance: 128, device: CPU);
        Assert.Equal(3L, m[3, 0].item<long>());
        Assert.Equal(18L, m[3, 5].item<long>());
        Assert.Equal(0L, m[4, 4].item<long>());
        using var c = RelativePositionBuckets.ForLengths(6, 6, bidirectional: false, numBuckets: 32, maxDistance: 128, device: CPU);
        Assert.Equal(3L, c[3, 0].item<long>());
        Assert.Equal(0L, c[3, 5].item<long>());
    }

    [Fact]
    public void PositionBiasGathersTheBucketRowsOfTheEmbedding()
    {
        var config = T5TestConfigs.Tiny;
        using var model = new T5Model(config);
        var attention = model.encoder.block[0].SelfAttentionLayer.SelfAttention;
        using var bias = attention.PositionBias(5, 7, bidirectional: true, CPU); // [1, H, 5, 7]
        Assert.Equal(new long[] { 1, config.NumHeads, 5, 7 }, bias.shape);
        using var buckets = RelativePositionBuckets.ForLengths(5, 7, true, config.RelativeAttentionNumBuckets, config.RelativeAttentionMaxDistance, CPU);
        var table = attention.relative_attention_bias!.weight!;
        for (int q = 0; q < 5; q++)
            for (int k = 0; k < 7; k++)
                for (int h = 0; h < config.NumHeads; h++)
                    Assert.Equal(table[buckets[q, k].item<long>(), h].item<float>(), bias[0, h, q, k].item<float>());
    }
}
