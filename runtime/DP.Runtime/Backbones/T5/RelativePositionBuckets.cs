using DP.Runtime.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Backbones.T5;

/// <summary>
/// T5's bucketing of relative positions (Raffel et al., Mesh TensorFlow): distances below half the buckets
/// (per direction) get their own bucket, larger ones share logarithmically wider buckets up to max_distance,
/// beyond which everything falls into the last bucket. Bidirectional (encoder) uses half the buckets for keys
/// after the query; causal (decoder) gives every key after the query bucket 0.
/// </summary>
public static class RelativePositionBuckets
{
    /// <param name="relativePosition">key position − query position, any shape, int64.</param>
    public static Tensor Compute(Tensor relativePosition, bool bidirectional, int numBuckets, int maxDistance)
    {
        using var scope = NewDisposeScope();
        var buckets = torch.zeros_like(relativePosition);
        Tensor distance;
        if (bidirectional)
        {
            numBuckets /= 2;
            buckets += relativePosition.gt(0).to(ScalarType.Int64) * numBuckets;
            distance = MetaFallback.Abs(relativePosition);
        }
        else
        {
            distance = -torch.minimum(relativePosition, torch.zeros_like(relativePosition));
        }
        int maxExact = numBuckets / 2;
        var isSmall = distance.lt(maxExact);
        // Clamp to 1 before the log so distance 0 (masked out by isSmall anyway) does not produce -inf.
        var logRatio = (distance.clamp_min(1).to(ScalarType.Float32) / maxExact).log() / Math.Log((double)maxDistance / maxExact);
        var large = (logRatio * (numBuckets - maxExact)).to(ScalarType.Int64) + maxExact;
        large = large.clamp_max(numBuckets - 1);
        buckets += MetaFallback.Where(isSmall, distance, large);
        return buckets.MoveToOuterDisposeScope();
    }

    /// <summary>Buckets [queryLength, keyLength] for positions 0..n-1 on both axes.</summary>
    public static Tensor ForLengths(long queryLength, long keyLength, bool bidirectional, int numBuckets, int maxDistance, Device device)
    {
        using var scope = NewDisposeScope();
        var query = torch.arange(queryLength, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var key = torch.arange(keyLength, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        return Compute(key - query, bidirectional, numBuckets, maxDistance).MoveToOuterDisposeScope();
    }
}
