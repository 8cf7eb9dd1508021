using DP.Runtime.Backbones.T5;
using DP.Runtime.Models;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.T5;

/// <summary>Tiny random T5 shapes that run in milliseconds.</summary>
internal static class T5TestConfigs
{
    /// <summary>v1.1 style: gated-GELU, untied head, decoder one layer deeper than the encoder.</summary>
    public static T5Config Tiny { get; } = new()
    {
        VocabSize = 64, DModel = 16, DKv = 4, DFf = 24, NumLayers = 2, NumDecoderLayers = 3, NumHeads = 3,
        RelativeAttentionNumBuckets = 8, RelativeAttentionMaxDistance = 20, FeedForwardProj = "gated-gelu",
        TieWordEmbeddings = false,
    };

    /// <summary>Original-T5 style: ReLU feed-forward, head tied to the embeddings.</summary>
    public static T5Config TinyTied { get; } = Tiny with { FeedForwardProj = "relu", TieWordEmbeddings = true };

    /// <summary>Encoded rows padded with 0 to the longest (mask 1 on real tokens), no token types; keys from <paramref name="keyOffset"/>.</summary>
    public static ModelBatch PaddedBatch(IReadOnlyList<int[]> encoded, long[] labels, long keyOffset = 0)
    {
        int rows = encoded.Count, length = encoded.Max(e => e.Length);
        var ids = new long[rows * length];
        var mask = new float[rows * length];
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < encoded[r].Length; t++)
            {
                ids[r * length + t] = encoded[r][t];
                mask[r * length + t] = 1;
            }
        return new ModelBatch(tensor(ids).view(rows, length), tensor(mask).view(rows, length), null, tensor(labels),
            Enumerable.Range(0, rows).Select(i => keyOffset + i).ToArray());
    }
}
