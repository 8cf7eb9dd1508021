using DP.Runtime.Backbones.T5;

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
}
