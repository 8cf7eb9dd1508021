using DP.Runtime.Backbones.Bert;

namespace DP.Runtime.Weights.HuggingFace;

/// <summary>
/// How a family's checkpoint names map onto our module's names. <see cref="Map"/> returns the module name, or
/// null for a tensor that is known to be irrelevant to the backbone (a task head, a tied alias); everything else
/// must match exactly. <see cref="Aliases"/> name checkpoint tensors that may stand in for a missing module tensor.
/// </summary>
public sealed record CheckpointNaming(Func<string, string?> Map, IReadOnlyDictionary<string, string[]> Aliases)
{
    /// <summary>Names taken as they are; nothing ignored.</summary>
    public static CheckpointNaming Exact { get; } = new(name => name, new Dictionary<string, string[]>());

    /// <summary>
    /// T5ForConditionalGeneration / T5Model checkpoints. Ignored: encoder.embed_tokens.weight and
    /// decoder.embed_tokens.weight (transformers' aliases of shared.weight; used for shared.weight only when that
    /// is absent), decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight (written by old
    /// transformers versions and ignored by transformers itself), and lm_head.weight when the model ties it to
    /// the embeddings.
    /// </summary>
    public static CheckpointNaming T5(bool tiedHead) => new(
        name => name switch
        {
            "encoder.embed_tokens.weight" or "decoder.embed_tokens.weight" => null,
            "decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight" => null,
            "lm_head.weight" when tiedHead => null,
            _ => name,
        },
        new Dictionary<string, string[]> { ["shared.weight"] = ["encoder.embed_tokens.weight", "decoder.embed_tokens.weight"] });

    /// <summary>
    /// BertModel / RobertaModel and their task checkpoints (BertForMaskedLM, …). A leading "bert." or "roberta." is
    /// stripped; old TensorFlow-converted LayerNorm names gamma/beta become weight/bias. The pooler (pooler.*) and the
    /// masked-LM head (cls.predictions.*) load into the model's parts of those names, which
    /// <see cref="BertPartsIn"/> decides it has. Ignored: cls.predictions.decoder.bias (transformers' second name of
    /// cls.predictions.bias, used for it only when that is absent), cls.predictions.decoder.weight when the config
    /// ties the decoder to the word embeddings (as transformers ties it), the other task heads (cls.seq_relationship.*,
    /// lm_head.*, classifier.*, qa_outputs.*) and the position/token-type id buffers.
    /// </summary>
    public static CheckpointNaming Bert(bool tiedDecoder = true) => new(
        name =>
        {
            name = WithoutBasePrefix(name);
            if (name.StartsWith(PoolerPrefix, StringComparison.Ordinal)) return name;
            if (name.StartsWith(MaskedLmPrefix, StringComparison.Ordinal))
                return name == DecoderBias || (tiedDecoder && name == DecoderWeight) ? null : name;
            if (name.StartsWith("cls.", StringComparison.Ordinal)
                || name.StartsWith("lm_head.", StringComparison.Ordinal) || name.StartsWith("classifier.", StringComparison.Ordinal)
                || name.StartsWith("qa_outputs.", StringComparison.Ordinal)
                || name is "embeddings.position_ids" or "embeddings.token_type_ids")
                return null;
            if (name.EndsWith("LayerNorm.gamma", StringComparison.Ordinal)) return name[..^"gamma".Length] + "weight";
            if (name.EndsWith("LayerNorm.beta", StringComparison.Ordinal)) return name[..^"beta".Length] + "bias";
            return name;
        },
        new Dictionary<string, string[]> { ["cls.predictions.bias"] = [DecoderBias] });

    private const string PoolerPrefix = "pooler.", MaskedLmPrefix = "cls.predictions.";
    private const string DecoderBias = "cls.predictions.decoder.bias", DecoderWeight = "cls.predictions.decoder.weight";

    /// <summary>The optional parts a BERT checkpoint with these tensor names carries (a part with any tensor present; the strict load then needs all of it).</summary>
    public static BertParts BertPartsIn(IEnumerable<string> tensorNames)
    {
        var parts = BertParts.None;
        foreach (var name in tensorNames.Select(WithoutBasePrefix))
        {
            if (name.StartsWith(PoolerPrefix, StringComparison.Ordinal)) parts |= BertParts.Pooler;
            if (name.StartsWith(MaskedLmPrefix, StringComparison.Ordinal)) parts |= BertParts.MaskedLm;
        }
        return parts;
    }

    private static string WithoutBasePrefix(string name)
    {
        foreach (var prefix in (string[])["bert.", "roberta."])
            if (name.StartsWith(prefix, StringComparison.Ordinal)) name = name[prefix.Length..];
        return name;
    }
}
