using System.Text.Json;
using System.Text.Json.Serialization;

namespace DP.Runtime.Backbones.T5;

/// <summary>
/// A T5 configuration read from a Hugging Face config.json. Defaults are those of transformers' T5Config
/// (original T5: ReLU feed-forward, tied embeddings); T5 v1.1 / LM-adapted checkpoints set
/// feed_forward_proj = "gated-gelu" and tie_word_embeddings = false in their config.json.
/// </summary>
public sealed record T5Config
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "t5";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 32128;
    [JsonPropertyName("d_model")] public int DModel { get; init; } = 512;
    [JsonPropertyName("d_kv")] public int DKv { get; init; } = 64;
    [JsonPropertyName("d_ff")] public int DFf { get; init; } = 2048;
    [JsonPropertyName("num_layers")] public int NumLayers { get; init; } = 6;

    /// <summary>Decoder depth; null (absent) means the same as <see cref="NumLayers"/>, as in transformers.</summary>
    [JsonPropertyName("num_decoder_layers")] public int? NumDecoderLayers { get; init; }

    [JsonPropertyName("num_heads")] public int NumHeads { get; init; } = 8;
    [JsonPropertyName("relative_attention_num_buckets")] public int RelativeAttentionNumBuckets { get; init; } = 32;
    [JsonPropertyName("relative_attention_max_distance")] public int RelativeAttentionMaxDistance { get; init; } = 128;
    [JsonPropertyName("feed_forward_proj")] public string FeedForwardProj { get; init; } = "relu";
    /// <summary>Dropout in training mode (transformers' default 0.1; T5 v1.1 checkpoints ship 0.1 as well).</summary>
    [JsonPropertyName("dropout_rate")] public double DropoutRate { get; init; } = 0.1;
    [JsonPropertyName("layer_norm_epsilon")] public double LayerNormEpsilon { get; init; } = 1e-6;
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; } = true;
    [JsonPropertyName("decoder_start_token_id")] public int DecoderStartTokenId { get; init; }
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public int EosTokenId { get; init; } = 1;

    /// <summary>Training length of the checkpoint; T5 itself has no absolute limit (relative positions).</summary>
    [JsonPropertyName("n_positions")] public int NPositions { get; init; } = 512;

    /// <summary>Only used for initialising a random model (transformers' initializer_factor).</summary>
    [JsonPropertyName("initializer_factor")] public double InitializerFactor { get; init; } = 1.0;

    [JsonIgnore] public int DecoderLayers => NumDecoderLayers ?? NumLayers;

    /// <summary>Whether the feed-forward block is gated (wi_0, wi_1) or plain (wi).</summary>
    [JsonIgnore] public bool IsGated => FeedForwardProj.StartsWith("gated-", StringComparison.Ordinal);

    /// <summary>The activation name after an optional "gated-" prefix ("gelu", "relu", "silu").</summary>
    [JsonIgnore] public string ActivationName => IsGated ? FeedForwardProj["gated-".Length..] : FeedForwardProj;

    /// <summary>google/t5-v1_1-small shaped configuration (gated-GELU, untied head).</summary>
    public static T5Config V11Small { get; } = new()
    {
        VocabSize = 32128, DModel = 512, DKv = 64, DFf = 1024, NumLayers = 8, NumDecoderLayers = 8, NumHeads = 6,
        FeedForwardProj = "gated-gelu", TieWordEmbeddings = false,
    };

    /// <summary>Checks values a model cannot be built from; names the offending field.</summary>
    public void Validate(string source = "T5 config")
    {
        void Positive(int value, string field)
        {
            if (value <= 0) throw new InvalidDataException($"{source}: field '{field}' must be positive, got {value}.");
        }
        Positive(VocabSize, "vocab_size");
        Positive(DModel, "d_model");
        Positive(DKv, "d_kv");
        Positive(DFf, "d_ff");
        Positive(NumLayers, "num_layers");
        Positive(DecoderLayers, "num_decoder_layers");
        Positive(NumHeads, "num_heads");
        Positive(RelativeAttentionNumBuckets, "relative_attention_num_buckets");
        if (RelativeAttentionNumBuckets < 4)
            throw new InvalidDataException($"{source}: field 'relative_attention_num_buckets' must be at least 4, got {RelativeAttentionNumBuckets}.");
        if (RelativeAttentionMaxDistance <= RelativeAttentionNumBuckets / 4)
            throw new InvalidDataException(
                $"{source}: field 'relative_attention_max_distance' ({RelativeAttentionMaxDistance}) must exceed a quarter of relative_attention_num_buckets.");
        if (!(DropoutRate >= 0 && DropoutRate < 1))
            throw new InvalidDataException($"{source}: field 'dropout_rate' must lie in [0, 1), got {DropoutRate}.");
        if (ModelType != "t5")
            throw new InvalidDataException($"{source}: field 'model_type' is '{ModelType}', expected 't5'.");
        if (ActivationName is not ("gelu" or "relu" or "silu") || FeedForwardProj == "gated-")
            throw new InvalidDataException(
                $"{source}: field 'feed_forward_proj' is '{FeedForwardProj}'; supported: relu, gelu, gated-gelu, gated-relu, gated-silu.");
    }

    /// <summary>Reads a config.json text; <paramref name="source"/> names the file in errors.</summary>
    public static T5Config FromJson(string json, string source = "config.json")
    {
        T5Config config;
        try
        {
            config = JsonSerializer.Deserialize<T5Config>(json) ?? throw new InvalidDataException($"{source} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"{source}: line {(e.LineNumber ?? 0) + 1}, field '{e.Path}': {e.Message}", e);
        }
        config.Validate(source);
        return config;
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });
}
